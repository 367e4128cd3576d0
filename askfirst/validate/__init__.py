"""Stage 3, validate: schema problems found while loading, then cross-file checks, policy,
configuration references, settings files and reading level — every problem at once.

`check` runs the load, resolve and validate stages for a project: what `validate`, `build` and
every other command start with."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from askfirst.cache import trusted_cache
from askfirst.errors import AskFirstError, InvalidCurriculum, Problem, Problems, relative
from askfirst.load.curriculum import Curriculum, lesson_files, load_curriculum
from askfirst.load.kept import KeptReadings
from askfirst.project import Project, find_project
from askfirst.validate.colors import check_colors
from askfirst.validate.kept import CheckedLessons
from askfirst.validate.lessons import validate
from askfirst.validate.readability import ReadingLevels
from askfirst.validate.settings import check_settings

LEVELS_FILE = "reading-levels.json"


def check(project: Project, extra: list[Path] | None = None,
          levels: ReadingLevels | None = None,
          kept: CheckedLessons | None = None,
          readings: KeptReadings | None = None) -> tuple[Curriculum, Problems]:
    """Load every file and run every check; raises only when configuration cannot be read.
    Reading levels measured before are taken from `levels`, lessons checked before from
    `kept`, and curriculum files read before from `readings` (the caller keeps them)."""
    with _cycle_collector_paused():
        cur, problems = load_curriculum(project, extra, readings)
        validate(cur, problems, levels, kept)
        check_settings(cur, problems)
        check_colors(cur, problems)
    return cur, problems


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a curriculum is read and checked. What is read is
    trees of mappings, lists and models, never cycles, and kept to the end; yet as it grows
    the collector walks all of it, and everything else in memory, several times over (a third
    of validation's time on 1,000 lessons) and finds nothing to free. Reference counting still
    frees everything else at once; the collector resumes as it was, and is never left off."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def reading_levels(cache: Path | None) -> ReadingLevels:
    """The reading levels kept in a cache folder (none kept without one)."""
    return ReadingLevels(cache / LEVELS_FILE if cache else None)


def checked(project: Project, strict: bool = False) -> Curriculum:
    """A curriculum with no errors (and no warnings under `strict`), or InvalidCurriculum."""
    cur, problems = check(project)
    failing = problems.errors(strict=strict)
    if failing:
        raise InvalidCurriculum(failing)
    return cur


def validate_paths(paths: list[Path]) -> tuple[list[Problem], int]:
    """Validate the project holding `paths` (or the working folder); problems of those paths."""
    for path in paths:
        if not path.exists():
            raise AskFirstError(f"{path}: no such file or folder")
    start = paths[0] if paths else Path.cwd()
    project = find_project(start if start.is_dir() else start.parent)
    in_project = {p.resolve() for p in lesson_files(project.lessons_dir)}
    lessons_dir = project.lessons_dir.resolve()
    extra = [p for p in _yaml_files(paths)
             if p.resolve() not in in_project and not p.resolve().is_relative_to(lessons_dir)]
    if project.cache_dir:
        trusted_cache(project.cache_dir)  # before anything is taken from it
    levels = reading_levels(project.cache_dir)
    cur, problems = check(project, extra, levels)
    levels.save()
    if not paths:
        return problems.sorted(), cur.files_read
    wanted = {relative(p) for p in _yaml_files(paths)} | {relative(p) for p in paths}
    folders = [relative(p) + "/" for p in paths if p.is_dir()]
    mine = [p for p in problems.sorted()
            if p.path in wanted or any(p.path.startswith(f) for f in folders)]
    return mine, len(_yaml_files(paths))


def _yaml_files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yml", ".yaml")))
        else:
            found.append(path)
    return found
