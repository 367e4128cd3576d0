"""Slides for the classroom screen, made from the same lesson file as the packet: 16:9, large
type, only what students see, and a warning, measured in the layout, for a slide too long."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from askfirst.cli import main
from askfirst.pipeline import BuildOptions, BuildResult, build
from askfirst.project import Project

from .conftest import copy_project

DECK = "pdf/k-2/slides/ask-first-yes-no-maybe-slides.pdf"


def _text(reader: PdfReader) -> str:
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_a_deck_per_lesson(built: tuple[Path, BuildResult]) -> None:
    out, result = built
    reader = PdfReader(out / DECK)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (960, 540)  # 13.33 by 7.5 in
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert str(reader.metadata.title).startswith("Ask First: Yes, No, Maybe: Asking First")
    text = _text(reader)
    assert "Our agreements You can always pass." in text
    assert "The tickle game Ravi and his cousin Lena are playing." in text
    assert "Where to get help" in text
    # the teacher's words and notes stay off the screen
    assert "Today we are going to learn a big word" not in text
    assert "Some children will already know" not in text
    assert result.pdf_pages[DECK] == len(reader.pages)
    assert not [w for w in result.warnings if "too long for one slide" in w.message]
    page = (out / "site/teachers/k-2/yes-no-maybe.html").read_text(encoding="utf-8")
    assert 'slides/ask-first-yes-no-maybe-slides.pdf"' in page


def test_a_slide_too_long_is_a_warning_naming_the_step(tmp_path: Path) -> None:
    folder = copy_project("mini", tmp_path)
    lesson = folder / "lessons/k-2/yes-no-maybe.yml"
    long = " ".join(["Sami asks first and waits for the answer."] * 40)
    text = lesson.read_text(encoding="utf-8").replace(
        "    discussion: [1]\n", f"    discussion: [1]\n    screen:\n      - text: {long}\n", 1)
    lesson.write_text(text, encoding="utf-8")
    result = build(BuildOptions(out=tmp_path / "out", band="k-2", only="pdf", quiet=True,
                                project=Project(folder, bundled=False)))
    assert [w.format() for w in result.warnings if "too long" in w.message] == [
        f"{DECK}:1:1: warning: the slide 'step 2: {long[:71]}' is too long for one slide; "
        "write a shorter screen for its step (`screen:` in the lesson)"]


def test_a_school_override_changes_the_slides(tmp_path: Path) -> None:
    copy_project("mini", tmp_path)
    school = copy_project("school", tmp_path)
    build(BuildOptions(out=tmp_path / "out", quiet=True, only="pdf",
                       project=Project(school, bundled=False)))
    decks = list((tmp_path / "out/pdf").rglob("*yes-no-maybe-slides.pdf"))
    assert len(decks) == 1
    text = _text(PdfReader(decks[0]))
    assert "Yes, No, Maybe with Dot" in text, "the override's title"
    assert "Borrowing a book" not in text, "the scenario the override removed"


def test_a_spanish_deck_holds_the_steps_whose_screen_has_spanish(
        built: tuple[Path, BuildResult]) -> None:
    out, result = built
    spanish = DECK.replace("-slides.pdf", "-slides-es.pdf")
    reader = PdfReader(out / spanish)
    assert reader.trailer["/Root"]["/Lang"] == "es"
    assert str(reader.metadata.title).startswith("Ask First: Sí, no, tal vez")
    text = _text(reader)
    assert text.startswith("Mini Test School · Kínder a segundo grado Sí, no, tal vez")
    assert "Nuestros acuerdos Siempre puedes pasar." in text
    assert "Ravi y su prima Lena juegan. Lena dice «¡Para!»." in text
    assert "Puedo cambiar de idea." in text
    assert "Dónde pedir ayuda" in text
    # only the steps written in Spanish: no English slide, no teacher's words
    for english in ("Our agreements", "The tickle game", "Borrowing a book", "Pip",
                    "Where to get help", "Today we are going to learn"):
        assert english not in text
    assert result.pdf_pages[spanish] == len(reader.pages) == 5
    # offered on the lesson page; the slideshow's presenter view keeps the teacher's English
    page = (out / "site/teachers/k-2/yes-no-maybe.html").read_text(encoding="utf-8")
    assert 'slides/ask-first-yes-no-maybe-slides-es.pdf"' in page
    assert 'href="yes-no-maybe-slides-es.html" hreflang="es"' in page
    show = (out / "site/teachers/k-2/yes-no-maybe-slides-es.html").read_text(encoding="utf-8")
    assert show.startswith('<!DOCTYPE html>\n<html lang="es"')
    assert '<h3>Diga:</h3><div lang="en"><p>Sometimes we say yes and then' in show


def test_a_spanish_screen_must_name_a_step(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lesson = mini / "lessons/k-2/yes-no-maybe.yml"
    text = lesson.read_text(encoding="utf-8").replace(
        "      Changing your mind:\n", "      Changing our minds:\n", 1)
    lesson.write_text(text, encoding="utf-8")
    assert main(["validate", "lessons/k-2/yes-no-maybe.yml"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "lessons/k-2/yes-no-maybe.yml:269:9: translations.es.screen.Changing our minds: "
        "no step 'Changing our minds'; name a step by its title as written in English: "
        "'Opening circle', 'Pip's story', 'Yes, no, maybe game', 'Changing your mind', "
        "'Handout and closing'")


def test_the_help_slide_lists_the_lines_the_lesson_names(tmp_path: Path) -> None:
    folder = copy_project("mini", tmp_path)
    lesson = folder / "lessons/k-2/yes-no-maybe.yml"
    text = lesson.read_text(encoding="utf-8").replace(
        "    notes: >-\n",
        "    notes: >-\n      If a child seems in crisis, {{ contacts.crisis-line }}.\n", 1)
    lesson.write_text(text, encoding="utf-8")
    build(BuildOptions(out=tmp_path / "out", band="k-2", only="pdf", quiet=True,
                       project=Project(folder, bundled=False)))
    reader = PdfReader(tmp_path / "out" / DECK)
    help_slide = " ".join(reader.pages[-1].extract_text().split())
    assert "Childhelp National Child Abuse Hotline" in help_slide  # named in the lesson
    assert "988 Suicide & Crisis Lifeline" in help_slide  # named in the lesson
    assert "RAINN" not in help_slide  # not named: the lesson's own lines come first
    assert "Emergency services — 911" in help_slide


SPANISH_DECK_PARTS = """    vocabulary:
      - term: consentimiento
        definition: Decir que sí, o preguntar y recibir un sí, antes de hacer algo.
      - term: preguntar primero
        definition: Preguntar antes de tocar a alguien o usar sus cosas.
      - term: cambiar de idea
        definition: Decidir algo distinto. Siempre está bien.
    exit_ticket:
      - Muéstrame la tarjeta que quiere decir adelante.
      - Si un amigo dice tal vez, ¿sigues o paras?
      - ¿Puedes cambiar de idea después de decir que sí?
    screen:
"""


def test_a_spanish_deck_reviews_the_words_and_asks_the_exit_ticket(tmp_path: Path) -> None:
    folder = copy_project("mini", tmp_path)
    lesson = folder / "lessons/k-2/yes-no-maybe.yml"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("    screen:\n", SPANISH_DECK_PARTS, 1), encoding="utf-8")
    build(BuildOptions(out=tmp_path / "out", band="k-2", only="pdf", quiet=True,
                       project=Project(folder, bundled=False)))
    spanish = PdfReader(tmp_path / "out" / DECK.replace("-slides.pdf", "-slides-es.pdf"))
    words = _text(spanish)
    assert "Vocabulario cambiar de idea Decidir algo distinto." in words
    assert "Antes de salir ¿Puedes cambiar de idea después de decir que sí?" in words
    # as in English: the steps, then the words as a review, the exit ticket, where to get help
    last_step = words.index("El juego de las cosquillas")
    assert last_step < words.index("Vocabulario") < words.index("Antes de salir")
    assert "Antes de salir" not in " ".join(spanish.pages[-1].extract_text().split())


def test_a_short_translated_exit_ticket_is_an_error(mini: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    lesson = mini / "lessons/k-2/yes-no-maybe.yml"
    parts = SPANISH_DECK_PARTS.replace("      - ¿Puedes cambiar de idea después de decir que sí?\n",
                                       "")
    text = lesson.read_text(encoding="utf-8").replace("    screen:\n", parts, 1)
    lesson.write_text(text, encoding="utf-8")
    assert main(["validate", "lessons/k-2/yes-no-maybe.yml"]) == 1
    line = text[:text.index("    exit_ticket:")].count("\n") + 2
    assert capsys.readouterr().out.splitlines()[0] == (
        f"lessons/k-2/yes-no-maybe.yml:{line}:7: translations.es.exit_ticket: 2 prompt(s), but "
        "the English lesson has 3; translate each prompt, in the same order")
