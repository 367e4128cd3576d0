"""The bundled curriculum: complete, valid under --strict, and covering its target topics."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from askfirst.errors import AskFirstError
from askfirst.load.curriculum import Curriculum
from askfirst.project import Project, bundled_root
from askfirst.validate import check
from askfirst.validate.coverage import coverage

TARGET = ["unesco:3.1", "unesco:3.2", "unesco:3.3", "unesco:4.1", "unesco:4.2", "unesco:4.3",
          "unesco:5.1", "unesco:5.3", "unesco:5.5"]


@pytest.fixture(scope="module")
def curriculum() -> Curriculum:
    cur, problems = check(Project(bundled_root(), bundled=True))
    assert [p.format() for p in problems.errors(strict=True)] == []
    return cur


def test_five_bands_with_at_least_eight_lessons(curriculum: Curriculum) -> None:
    bands = [b.id for b in curriculum.ordered_bands]
    assert bands == ["early-years", "k-2", "grades-3-5", "grades-6-8", "grades-9-12"]
    for band in bands:
        lessons = curriculum.lessons_of(band)
        assert len(lessons) >= 8, band
        assert [lesson.order for lesson in lessons] == list(range(1, len(lessons) + 1)), band


def test_every_lesson_is_an_honest_draft_with_spanish_family_guide(
        curriculum: Curriculum) -> None:
    for item in curriculum.lessons:
        lesson = item.model
        assert lesson.review.status == "draft", lesson.id
        assert lesson.review.reviewed_by is None, lesson.id
        spanish = lesson.translations["es"]
        assert spanish.title and spanish.summary, lesson.id
        assert all(getattr(spanish.family_guide, f) for f in
                   ("learned", "why", "starters", "activity", "help")), lesson.id
        assert {o.domain for o in lesson.objectives} >= {"knowledge", "skill"}, lesson.id


def test_every_band_covers_the_target_topics(curriculum: Curriculum) -> None:
    for result in coverage(curriculum):
        missing = [code for code in TARGET if code not in result.covered]
        assert missing == [], result.band.id


def test_guides_exist_for_every_band(curriculum: Curriculum) -> None:
    assert curriculum.facilitator is not None
    ids = {s.id for s in curriculum.facilitator.model.sections}
    assert {"ground-rules", "one-step-removed", "protective-interrupting",
            "responding-to-disclosure", "answering-hard-questions",
            "notifying-families"} <= ids
    for band in curriculum.ordered_bands:
        guide = curriculum.parent_guide(band.id)
        assert guide is not None and "es" in guide.translations, band.id


def test_checking_leaves_the_cycle_collector_as_it_was(mini: Path) -> None:
    # Validation pauses the collector while it reads; it must never leave it off, nor turn it
    # on for a program that had turned it off.
    assert gc.isenabled()
    check(Project(mini, bundled=False))
    assert gc.isenabled()
    (mini / "askfirst.yml").write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(AskFirstError):
        check(Project(mini, bundled=False))
    assert gc.isenabled()
    gc.disable()
    try:
        check(Project(bundled_root(), bundled=True))
        assert not gc.isenabled()
    finally:
        gc.enable()
