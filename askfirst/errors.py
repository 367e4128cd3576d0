"""One root for every error a user can cause, and the problems that validation collects."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    """How serious a problem is; `--strict` turns warnings into errors."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one place of one file, reported as `path:line:col: field: message`."""

    path: str
    line: int
    col: int
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def format(self) -> str:
        """The one-line form every command prints."""
        where = f"{self.path}:{self.line}:{self.col}"
        label = "" if self.severity is Severity.ERROR else "warning: "
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {label}{what}{self.message}"


@dataclass
class Problems:
    """Collects problems from every stage so that all of them are reported at once."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        """Record one problem (the same problem twice is kept once)."""
        if problem not in self.items:
            self.items.append(problem)

    def extend(self, problems: list[Problem]) -> None:
        """Record several problems."""
        for problem in problems:
            self.add(problem)

    def errors(self, strict: bool = False) -> list[Problem]:
        """The problems that fail a command: errors, and warnings too under `--strict`."""
        if strict:
            return sorted(self.items)
        return sorted(p for p in self.items if p.severity is Severity.ERROR)

    def sorted(self) -> list[Problem]:
        """All problems, sorted by file, line and column."""
        return sorted(self.items)


class AskFirstError(Exception):
    """The root of every error caused by input or options; the CLI prints it without a traceback."""

    exit_code = 1


class InvalidCurriculum(AskFirstError):
    """Validation found errors; the problems say where."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the curriculum")


class UsageError(AskFirstError):
    """A command was called with options that do not fit together."""

    exit_code = 2


def relative(path: Path, root: Path | None = None) -> str:
    """A path as the user should read it: relative to the working folder when it is inside it."""
    base = str((root or Path.cwd()).resolve())
    full = os.path.abspath(path)
    if full == base or full.startswith(base + os.sep):
        return full[len(base) + 1:]
    return str(path)
