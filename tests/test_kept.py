"""Lessons kept between builds: a lesson whose file, and whatever every lesson shares, did not
change is neither parsed nor checked again, and gives the same problems as checked afresh."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from askfirst.errors import InvalidCurriculum
from askfirst.load.kept import KeptReadings
from askfirst.load.source import load_yaml
from askfirst.pipeline import CACHE_DIR, BuildOptions, BuildResult, build
from askfirst.project import Project

LESSON = "lessons/k-2/yes-no-maybe.yml"
OTHER = "lessons/early-years/my-body-belongs-to-me.yml"


def _site(project: Path, band: str | None = None) -> BuildResult:
    return build(BuildOptions(out=project / "build", only="site", band=band, quiet=True,
                              project=Project(project, bundled=False)))


def _warn_about_markdown(project: Path) -> None:
    # Markdown link syntax in what the teacher says: a warning, with a line and column.
    path = project / LESSON
    text = path.read_text(encoding="utf-8")
    assert "a big word: consent." in text
    path.write_text(text.replace("a big word: consent.", "a big word: [consent](x)."),
                    encoding="utf-8")


def test_an_unchanged_lesson_is_not_checked_again(mini: Path) -> None:
    _warn_about_markdown(mini)
    first = _site(mini)
    assert first.lessons_checked == (2, 2)
    assert _site(mini, band="k-2").lessons_checked == (0, 2), "options change no problem"
    path = mini / OTHER
    path.write_text(path.read_text(encoding="utf-8") + "# A note at the end.\n",
                    encoding="utf-8")
    again = _site(mini)
    assert again.lessons_checked == (1, 2)
    assert "validate: 1 of 2 lessons checked, the others as the last build checked them " \
        "(unchanged)" in again.report()
    assert "validate: 2 lessons checked" in first.report()
    shutil.rmtree(mini / CACHE_DIR)
    fresh = _site(mini)
    assert fresh.lessons_checked == (2, 2)
    assert [p.format() for p in again.warnings] == [p.format() for p in fresh.warnings]
    assert any(p.path == LESSON and "a link" in p.message for p in again.warnings)


def test_a_kept_lesson_s_problems_move_with_its_lines(mini: Path) -> None:
    _warn_about_markdown(mini)
    (where,) = [(p.line, p.col) for p in _site(mini).warnings if p.path == LESSON]
    path = mini / LESSON
    path.write_text("# A comment line added at the top.\n" + path.read_text(encoding="utf-8"),
                    encoding="utf-8")
    result = _site(mini)
    assert result.lessons_checked == (1, 2)
    assert [(p.line, p.col) for p in result.warnings if p.path == LESSON] == [
        (where[0] + 1, where[1])]


def test_a_settings_change_checks_every_lesson_again(mini: Path) -> None:
    assert _site(mini).lessons_checked == (2, 2)
    config = mini / "askfirst.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("\n  child-abuse-line:\n",
                                                                 "\n  child-line:\n"),
                      encoding="utf-8")
    with pytest.raises(InvalidCurriculum) as caught:
        _site(mini)
    assert (f"{OTHER}:247:9: family_guide.help: '{{{{ contacts.child-abuse-line }}}}' is not a "
            "configuration value; use one such as {{ contacts.counsellor.name }} or "
            "{{ jurisdiction.age_of_consent }}") in [p.format() for p in caught.value.problems]


def test_a_lesson_file_read_before_is_not_parsed_again(tmp_path: Path) -> None:
    lesson = tmp_path / "lesson.yml"
    lesson.write_text("id: a\ntitle: A lesson\nsteps:\n  - say: Hello\n", encoding="utf-8")
    dated = tmp_path / "dated.yml"
    dated.write_text("id: b\nreviewed: 2026-11-30\nby_grade:\n  1: one\n", encoding="utf-8")
    numbered = tmp_path / "numbered.yml"
    numbered.write_text("id: c\nscore: .nan\n", encoding="utf-8")
    folder = tmp_path / "kept"
    first = KeptReadings(folder)
    for path in (lesson, dated, numbered):
        doc, problems = first.load(path, path.name)
        assert doc is not None and problems == [] and doc.data == load_yaml(path, path.name)[0].data  # type: ignore[union-attr]
    assert first.parsed == 3
    assert len(list(folder.glob("*.json"))) == 2, "only data that JSON gives back unchanged"
    again = KeptReadings(folder)
    doc, _ = again.load(lesson, "lesson.yml")
    assert again.parsed == 0 and doc is not None
    assert doc.data == {"id": "a", "title": "A lesson", "steps": [{"say": "Hello"}]}
    assert doc.problem(("steps", 0, "say"), "x").format() == "lesson.yml:4:10: steps[0].say: x"
    assert again.load(dated, "dated.yml")[0].data == {  # type: ignore[union-attr]
        "id": "b", "reviewed": "2026-11-30", "by_grade": {"1": "one"}}
    assert again.parsed == 0
    kept = folder / f"{hashlib.sha256(lesson.read_bytes()).hexdigest()}.json"
    kept.write_text("{not json", encoding="utf-8")
    damaged = KeptReadings(folder)
    assert damaged.load(lesson, "lesson.yml")[0].data["id"] == "a"  # type: ignore[union-attr]
    assert damaged.parsed == 1
    assert json.loads(kept.read_text(encoding="utf-8"))["id"] == "a", "written again"
    lesson.write_text("id: a\ntitle: Edited\n", encoding="utf-8")
    edited = KeptReadings(folder)
    assert edited.load(lesson, "lesson.yml")[0].data["title"] == "Edited"  # type: ignore[union-attr]
    edited.prune()
    assert [p.name for p in folder.glob("*.json")] == [
        f"{hashlib.sha256(lesson.read_bytes()).hexdigest()}.json"], "the old texts are forgotten"


def test_a_lesson_a_school_overrides_is_checked_every_time(tmp_path: Path) -> None:
    shutil.copytree(Path(__file__).parent / "fixtures/mini", tmp_path / "mini")
    shutil.copytree(Path(__file__).parent / "fixtures/school", tmp_path / "school")
    school = tmp_path / "school"
    first = _site(school)
    checked, lessons = first.lessons_checked
    assert checked == lessons >= 2
    assert _site(school, band="year-3").lessons_checked == (1, lessons), "the overridden one"
    own = school / "lessons/year-3/local-puppet-day.yml"
    own.write_text(own.read_text(encoding="utf-8") + "# A note at the end.\n", encoding="utf-8")
    again = _site(school)
    assert again.lessons_checked == (2, lessons)
    shutil.rmtree(school / CACHE_DIR)
    assert [p.format() for p in again.warnings] == [p.format() for p in _site(school).warnings]
