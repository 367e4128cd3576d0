"""The 'teach it tomorrow' card: one page before each lesson, in the lesson's PDF and the
packet, with the timeline, the key lines, what to print for the configured class, the answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from askfirst.cli import main
from askfirst.errors import Problems
from askfirst.load.curriculum import load_lesson_file
from askfirst.pipeline import BuildOptions, BuildResult, build
from askfirst.project import Project
from askfirst.resolve.slides import teach_card

from .conftest import copy_project
from .test_build import LESSON_PDF, PACKET


def test_teach_card_opens_the_lesson(built: tuple[Path, BuildResult]) -> None:
    out, _ = built
    reader = PdfReader(out / LESSON_PDF)
    first = " ".join(reader.pages[0].extract_text().split())
    assert first.startswith("Teach it tomorrow: 2. Yes, No, Maybe: Asking First")
    assert "Timeline (35 minutes)" in first and "0:00 Opening circle 5′" in first
    assert "Prepare and print (for a class of 25)" in first
    assert "My Ask-First Words: 25 copies, one per student" in first
    assert "Answer key" in first and "Exit ticket" in first
    second = " ".join(reader.pages[1].extract_text().split())
    assert second.startswith("2. Yes, No, Maybe: Asking First"), "the full lesson follows"
    packet = " ".join(" ".join(p.extract_text() for p in PdfReader(out / PACKET).pages).split())
    assert "Teach it tomorrow: 2. Yes, No, Maybe: Asking First" in packet


def test_the_answer_key_keeps_a_quoted_line_whole() -> None:
    # The card gives the first sentence of each answer; a full stop inside quotation marks
    # does not end it, or a child's line would be cut off mid-quote.
    loaded = load_lesson_file(Path(__file__).parent / "fixtures/mini/lessons/k-2/yes-no-maybe.yml",
                              Problems())
    assert loaded is not None
    lesson = loaded.model
    question = lesson.discussion[1].model_copy(update={
        "listen_for": 'Say "I need to tell you something. It\'s important." Then keep telling.'})
    lesson = lesson.model_copy(update={"discussion": [lesson.discussion[0], question]})
    answers = dict(teach_card(lesson, 25, "copies").answers)
    assert answers[question.question] == 'Say "I need to tell you something. It\'s important."'


def test_the_card_holds_what_a_teacher_needs_tomorrow(built: tuple[Path, BuildResult]) -> None:
    out, result = built
    card = " ".join(PdfReader(out / LESSON_PDF).pages[0].extract_text().split())
    # the line the lesson names, and the first long sentence of a step that names none
    assert "“If someone changes their mind, we stop.”" in card
    assert "“Today we are going to learn a big word: consent.”" in card
    # what to have in the room that is not a handout (the handout is under what to print)
    assert "Materials" in card and "A puppet or stuffed animal named Pip" in card
    assert "Copies of the handout" not in card
    # a story's answer, in the order the class meets it, and what to do at once if a child tells
    assert "The tickle game Students see that laughing does not mean yes" in card
    assert "If a student discloses harm" in card
    assert not [w for w in result.warnings if "second page" in w.message]


def test_a_key_line_not_in_the_step_is_an_error(mini: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    lesson = mini / "lessons/k-2/yes-no-maybe.yml"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("key_line: If someone changes their mind, we stop.",
                                   "key_line: If someone changes their mind, we keep going."),
                      encoding="utf-8")
    assert main(["validate"]) == 1
    line = text[:text.index("key_line:")].count("\n") + 1
    assert capsys.readouterr().out.splitlines()[0] == (
        f"lessons/k-2/yes-no-maybe.yml:{line}:15: steps[3].key_line: the key line is "
        "not in the step's `say`; copy the line word for word from what the teacher says")


def test_a_card_longer_than_a_page_is_a_warning(tmp_path: Path) -> None:
    folder = copy_project("mini", tmp_path)
    lesson = folder / "lessons/k-2/yes-no-maybe.yml"
    long = " ".join(["Practise the story with a colleague and time each part of it."] * 12)
    text = lesson.read_text(encoding="utf-8").replace(
        "preparation:\n", "preparation:\n" + f"  - {long}\n" * 6, 1)
    lesson.write_text(text, encoding="utf-8")
    result = build(BuildOptions(out=tmp_path / "out", band="k-2", only="pdf", quiet=True,
                                project=Project(folder, bundled=False)))
    warning = ("warning: 'Teach it tomorrow: 2. Yes, No, Maybe: Asking First' runs onto a "
               "second page; shorten the lesson's preparation or materials, or name shorter key "
               "lines (`key_line:` in a step)")
    assert [w.format() for w in result.warnings if "second page" in w.message] == [
        f"{PACKET}:1:1: {warning}", f"{LESSON_PDF}:1:1: {warning}"]


def test_a_handout_in_parts_numbers_each_part_and_its_answers_reach_the_card(
        tmp_path: Path) -> None:
    folder = copy_project("mini", tmp_path)
    lesson = folder / "lessons/k-2/yes-no-maybe.yml"
    text = lesson.read_text(encoding="utf-8")
    text = text.replace('''      - text: "Circle the word that means go ahead."
        choices: ["Yes", "No", "Maybe"]
''', '''      - text: "Circle the word that means go ahead."
        section: "Part 2: Your turn"
        choices: ["Yes", "No", "Maybe"]
        answer: "Yes"
''', 1).replace('''          - text: "Encierra la palabra que quiere decir adelante."
''', '''          - text: "Encierra la palabra que quiere decir adelante."
            section: "Parte 2: Te toca"
''', 1)
    lesson.write_text(text, encoding="utf-8")
    build(BuildOptions(out=tmp_path / "out", band="k-2", only="pdf", quiet=True,
                       project=Project(folder, bundled=False)))
    reader = PdfReader(tmp_path / "out" / LESSON_PDF)
    card = " ".join(reader.pages[0].extract_text().split())
    assert "My Ask-First Words: Part 2: Your turn 1: Yes" in card
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    handout = next(p for p in pages if "4. I can change my mind." in p)
    assert "Part 2: Your turn 1. Circle the word that means go ahead." in handout
    assert "2. Draw a way to say hello without a hug." in handout
    assert "Answer" not in handout, "the answer stays off the student's page"
    spanish = next(p for p in pages if "Parte 2: Te toca 1. Encierra" in p)
    assert "Yes" not in spanish


def test_a_translated_handout_keeps_the_parts(mini: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    lesson = mini / "lessons/k-2/yes-no-maybe.yml"
    circle = '      - text: "Circle the word that means go ahead."\n'
    text = lesson.read_text(encoding="utf-8").replace(
        circle, circle + '        section: "Part 2: Your turn"\n', 1)
    lesson.write_text(text, encoding="utf-8")
    assert main(["validate"]) == 1
    line = text[:text.index('          - text: "Encierra')].count("\n") + 1
    assert capsys.readouterr().out.splitlines()[0] == (
        f"lessons/k-2/yes-no-maybe.yml:{line}:13: translations.es.handouts.my-ask-first-words."
        "items[4]: the English item starts a section; give its heading in `section`")
