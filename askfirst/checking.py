"""Load and validate a project in one call: what `validate` and `build` both start with."""

from __future__ import annotations

from pathlib import Path

from askfirst.curriculum import Curriculum, load_curriculum
from askfirst.errors import InvalidCurriculum, Problems
from askfirst.project import Project
from askfirst.settings_check import check_settings
from askfirst.validate import validate


def check(project: Project, extra: list[Path] | None = None) -> tuple[Curriculum, Problems]:
    """Load every file and run every check; raises only when configuration cannot be read."""
    cur, problems = load_curriculum(project, extra)
    validate(cur, problems)
    check_settings(cur, problems)
    return cur, problems


def checked(project: Project, strict: bool = False) -> Curriculum:
    """A curriculum with no errors (and no warnings under `strict`), or InvalidCurriculum."""
    cur, problems = check(project)
    failing = problems.errors(strict=strict)
    if failing:
        raise InvalidCurriculum(failing)
    return cur
