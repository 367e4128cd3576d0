"""The 'teach it tomorrow' card: one page before each lesson, in the lesson's PDF and the
packet, with the timeline, the key lines, what to print for the configured class, the answers."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from askfirst.errors import Problems
from askfirst.load.curriculum import load_lesson_file
from askfirst.pipeline import BuildResult
from askfirst.resolve.slides import teach_card

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
