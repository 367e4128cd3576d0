"""Schools: a project that extends another, with overrides, local lessons, bands and selection."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from askfirst.cli import main
from askfirst.pipeline import BuildOptions, build, render_stage
from askfirst.project import Project
from askfirst.render.changes import _slides_differ, compare, report_lines
from askfirst.validate import check, checked
from tests.conftest import FIXTURES

OVERRIDE = "overrides/yes-no-maybe.yml"


@pytest.fixture
def school(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The school fixture beside a copy of the mini curriculum it extends."""
    shutil.copytree(FIXTURES / "mini", tmp_path / "mini")
    shutil.copytree(FIXTURES / "school", tmp_path / "school")
    monkeypatch.chdir(tmp_path / "school")
    return tmp_path / "school"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_overrides_change_upstream_lessons(school: Path) -> None:
    cur = checked(Project(school, bundled=False), strict=True)
    lesson = next(s.model for s in cur.lessons if s.model.id == "yes-no-maybe")
    assert lesson.title == "Yes, No, Maybe with Dot"
    step = next(s for s in lesson.steps if s.title == "Pip's story")
    assert step.directions.startswith("Use Dot the puppet")
    assert lesson.materials[-1] == "Dot, the school puppet"
    assert [s.title for s in lesson.scenarios] == ["The tickle game"]
    assert [b.id for b in cur.ordered_bands] == ["early-years", "k-2", "year-3"]
    assert cur.band("k-2") is not None and cur.band("k-2").title == "Infants"  # type: ignore[union-attr]
    assert [s.model.id for s in cur.lessons if s.model.band == "early-years"] == []


def test_error_in_a_patched_value_points_at_the_school_file(
        school: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(school / OVERRIDE, "  - add: materials\n    value: Dot, the school puppet\n",
         "  - set: minutes\n    value: forty\n")
    assert main(["validate"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{OVERRIDE}:9:12: minutes: expected a whole number, got text 'forty'",
        "1 error(s), 0 warning(s) in 1 file(s); 2 lesson file(s) checked",
    ]


def test_stale_override_is_named_by_line(school: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    upstream = school.parent / "mini/lessons/k-2/yes-no-maybe.yml"
    edit(upstream, "  - title: Pip's story\n", "  - title: Pip and Sami\n")
    assert main(["validate"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"{OVERRIDE}:6:10: changes[1].set: this change does not apply to lesson "
        "'yes-no-maybe': no item with title 'Pip's story' in 'steps' upstream (there: "
        "'Opening circle', 'Pip and Sami', 'Yes, no, maybe game', 'Changing your mind', "
        "'Handout and closing'); check the spelling, or, if the upstream lesson changed, "
        "update or remove this change",
        "1 error(s), 0 warning(s) in 1 file(s); 2 lesson file(s) checked",
    ]
    upstream.rename(upstream.with_name("yes-no-maybe-2.yml"))
    edit(upstream.with_name("yes-no-maybe-2.yml"), "id: yes-no-maybe\n", "id: yes-no-maybe-2\n")
    assert main(["validate"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        f"{OVERRIDE}:1:9: lesson: no upstream lesson 'yes-no-maybe': it was renamed or removed "
        "upstream; update or remove this override")


def test_selection_names_missing_lessons(school: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    edit(school / "askfirst.yml", "exclude: [my-body-belongs-to-me]", "exclude: [my-body]")
    assert main(["validate"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("selection.early-years.exclude[0]: no lesson 'my-body' in band "
                           "'early-years': it was renamed or removed upstream; update this list")


def test_local_lesson_cannot_reuse_an_upstream_id(school: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    edit(school / "lessons/year-3/local-puppet-day.yml", "id: local-puppet-day",
         "id: yes-no-maybe")
    assert main(["validate"]) == 1
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("lessons/year-3/local-puppet-day.yml:2:5: id: the id 'yes-no-maybe' "
                            "is an upstream lesson (")


def test_changes_report(school: Path) -> None:
    cur = checked(Project(school, bundled=False))
    upstream = cur.upstream
    assert upstream is not None
    report = compare(cur, upstream)
    assert [lesson.id for lesson in report.added] == ["local-puppet-day"]
    assert [lesson.id for lesson in report.removed] == ["my-body-belongs-to-me"]
    assert [(c.operation, c.path) for c in report.patched] == [
        ("set", "title"), ("set", "steps[title=Pip's story].directions"),
        ("add", "materials"), ("remove", "scenarios[title=Borrowing a book]"),
        ("set", "steps[title=Yes, no, maybe game].scenarios")]
    assert report.patched[0].before == "Yes, No, Maybe: Asking First"
    assert report.patched[0].after == "Yes, No, Maybe with Dot"
    assert ("band k-2", "title", "Kindergarten to grade 2", "Infants") in [
        (s.what, s.name, s.upstream, s.local) for s in report.settings]
    # the title and the removed scenario are on the screen; a step's directions are not
    assert [lesson.id for lesson in report.slides_changed] == ["yes-no-maybe"]
    lesson = next(s.model for s in upstream.lessons if s.model.id == "yes-no-maybe")
    step = lesson.steps[0].model_copy(update={"directions": "Sit in a circle."})
    assert not _slides_differ(lesson, lesson.model_copy(update={"steps": [step,
                                                                          *lesson.steps[1:]]}))
    assert report_lines(report)[-1] == (
        "slides: k-2/yes-no-maybe — what the class sees on the screen changes with it")


def test_template_override_extends_the_builtin_one(school: Path) -> None:
    cur, _ = check(Project(school, bundled=False))
    rendered = render_stage(cur, BuildOptions(only="pdf", band="k-2"))
    packet = next(job for job in rendered.jobs if job.output.endswith("teacher-packet.pdf"))
    assert "hilltop-override" in packet.html
    assert "Teacher packet" in packet.html, "the rest comes from the built-in template"


def test_school_build_shows_name_contacts_and_changes(school: Path) -> None:
    out = school / "build"
    result = build(BuildOptions(out=out, band="k-2", quiet=True,
                                project=Project(school, bundled=False)))
    assert "pdf/ask-first-changes.pdf" in result.pdf_pages
    packet = PdfReader(out / "pdf/k-2/ask-first-k-2-teacher-packet.pdf")
    text = "\n".join(page.extract_text() for page in packet.pages)
    assert "Hilltop Primary" in text and "Mr Ruiz, the school counsellor" in text
    assert "Yes, No, Maybe with Dot" in text
    letters = PdfReader(out / "pdf/k-2/ask-first-k-2-family-letters-en.pdf")
    assert "Mr Ruiz" in "\n".join(page.extract_text() for page in letters.pages)
    home = (out / "site/index.html").read_text(encoding="utf-8")
    assert "Hilltop Primary" in home
    assert 'src="assets/logo.svg"' in home and (out / "site/assets/logo.svg").is_file()
    cover = packet.pages[0]
    assert "/XObject" in cover["/Resources"], "the logo is drawn on the cover"
    changes = (out / "site/about/changes.html").read_text(encoding="utf-8")
    assert "Yes, No, Maybe with Dot" in changes and "Borrowing a book" in changes
    report = PdfReader(out / "pdf/ask-first-changes.pdf")
    assert "Hilltop Primary: changes from Ask First 0.1.0" in report.pages[0].extract_text()


def test_init_creates_a_project_that_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "oak-school", "--name", "Oak School"]) == 0
    monkeypatch.chdir(tmp_path / "oak-school")
    assert main(["validate", "--strict"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == ("no problems found; 44 lesson file(s) "
                                                        "checked")
    assert main(["build", "--only", "site", "--quiet"]) == 0
    assert "Oak School" in (tmp_path / "oak-school/build/site/index.html").read_text("utf-8")
    # the output can be shared (not only its owner's), and git leaves it and the cache out
    mask = os.umask(0o022)
    os.umask(mask)
    assert (tmp_path / "oak-school/build").stat().st_mode & 0o777 == 0o777 & ~mask
    assert (tmp_path / "oak-school/.gitignore").read_text(encoding="utf-8").splitlines()[1:] == [
        "/build/", "/.askfirst-cache/"]
    assert main(["init", "."]) == 1


def test_example_school_project(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "riverside-school"
    project = Project(example, bundled=False)
    cur, problems = check(project)
    assert [p.format() for p in problems.errors(strict=True)] == []
    upstream = cur.upstream
    assert upstream is not None
    report = compare(cur, upstream)
    assert [lesson.id for lesson in report.added] == ["power-at-work"]
    assert [lesson.id for lesson in report.removed] == ["nobody-is-owed"]
    assert ("grades-6-8", "consent-four-keys", 2, 1) in [
        (m.band, m.lesson.id, m.upstream, m.local) for m in report.moved]
    assert {c.lesson for c in report.patched} == {"consent-capacity-and-the-law"}
    out = tmp_path / "out"
    build(BuildOptions(out=out, band="sixth-form", paper="a4", quiet=True, project=project))
    packet = PdfReader(out / "pdf/sixth-form/ask-first-sixth-form-teacher-packet.pdf")
    text = "\n".join(page.extract_text() for page in packet.pages)
    assert "Riverside School" in text and "Power at Work" in text
    assert "England and Wales" in text and "Childline" in text
    assert round(float(packet.pages[0].mediabox.height)) == 842
    assert "Riverside School" in (out / "site/index.html").read_text(encoding="utf-8")
