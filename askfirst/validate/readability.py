"""Reading level of student-facing text, by a formula made for the text's language."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from textstat.textstat import textstatistics

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
