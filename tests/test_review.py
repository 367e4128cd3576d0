"""A school's approvals, tied to the text approved: `askfirst review approve` records them, every
page shows them, and a change to an approved lesson makes its approval stale."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from askfirst.cli import main


def _text(pdf: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("review")
    assert main(["init", str(root / "maple"), "--name", "Maple School"]) == 0
    return root / "maple"


def test_approve_two_lessons_and_see_it_everywhere(
        school: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(school)
    assert main(["review", "approve", "--lesson", "yes-no-maybe", "--lesson", "space-bubble",
                 "--reviewer", "A. Rivera", "--role", "school counselor",
                 "--date", "2026-12-01"]) == 0
    assert capsys.readouterr().out == "wrote reviews/2026-12-01-school-counselor.yml\n"
    assert main(["review"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "yes-no-maybe: approved (school counselor, 2026-12-01)" in lines
    assert "space-bubble: approved (school counselor, 2026-12-01)" in lines
    assert "friends-and-kind-words: not reviewed" in lines
    assert lines[-1].startswith("2 of 44 lesson(s) approved, 0 stale")
    assert main(["review", "--require-approved"]) == 1
    capsys.readouterr()

    assert main(["build", "--band", "k-2", "--quiet"]) == 0
    site = school / "build/site/teachers/k-2"
    for lesson, approved in (("yes-no-maybe", True), ("space-bubble", True),
                             ("friends-and-kind-words", False)):
        page = (site / f"{lesson}.html").read_text(encoding="utf-8")
        assert ("Approved by school counselor, 2026-12-01." in page) is approved, lesson
        assert ("review with qualified educators before teaching" in page) is not approved
        pdf = _text(school / f"build/pdf/k-2/lessons/ask-first-{lesson}.pdf")
        assert ("Approved by school counselor, 2026-12-01." in pdf) is approved, lesson
    packet = _text(school / "build/pdf/k-2/ask-first-k-2-teacher-packet.pdf")
    assert "2 of 8 lessons in this packet are approved by the school's reviewers" in packet
    assert packet.count("Approved by school counselor, 2026-12-01.") == 2
    about = (school / "build/site/about/index.html").read_text(encoding="utf-8")
    assert "2026-12-01" in about and "Review history" in about


def test_an_override_makes_an_approval_stale(
        school: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(school)
    (school / "overrides/yes-no-maybe.yml").write_text(
        "lesson: yes-no-maybe\nreason: Our own puppet.\nchanges:\n"
        "  - set: summary\n    value: Students learn to ask first, with Maple's puppet.\n",
        encoding="utf-8")
    assert main(["review", "--require-approved"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert ("yes-no-maybe: STALE (school counselor, 2026-12-01); changed since: summary"
            in lines)
    assert "space-bubble: approved (school counselor, 2026-12-01)" in lines
    assert main(["review", "--format", "json"]) == 0
    rows = {row["lesson"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["yes-no-maybe"]["state"] == "stale"
    assert rows["yes-no-maybe"]["changed"] == ["summary"]
    assert rows["space-bubble"]["by"] == "school counselor"


def test_a_review_of_a_lesson_that_is_gone_is_an_error(
        school: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(school)
    record = school / "reviews/2026-12-02-health-committee.yml"
    record.write_text("date: 2026-12-02\ncommittee: Health committee\nreviewers:\n"
                      "  - {name: B. Chen, role: health teacher}\ndecision: approved\n"
                      "lessons:\n  - id: no-such-lesson\n    fingerprint: '" + "0" * 64 + "'\n",
                      encoding="utf-8")
    try:
        assert main(["validate"]) == 1
        assert capsys.readouterr().out.splitlines()[0] == (
            "reviews/2026-12-02-health-committee.yml:7:9: lessons[0].id: no lesson "
            "'no-such-lesson' in this curriculum: it was renamed or removed; remove it from "
            "this review or review the new lesson")
    finally:
        record.unlink()


def test_approve_needs_lessons_and_a_reviewer(
        school: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(school)
    assert main(["review", "approve", "--reviewer", "A", "--role", "nurse"]) == 2
    assert capsys.readouterr().err.strip() == (
        "askfirst: error: name the lessons reviewed with --lesson ID or --band ID")
    assert main(["review", "approve", "--lesson", "nope", "--reviewer", "A",
                 "--role", "nurse"]) == 2
    assert "--lesson nope: no published lesson with this id" in capsys.readouterr().err
