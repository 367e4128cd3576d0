"""A progress display for long builds: a bar on a terminal, nothing otherwise or with --quiet."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import Any


class Progress:
    """Counts finished PDFs; silent unless standard error is a terminal."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.total = total
        self.enabled = not quiet and sys.stderr.isatty() and total > 0
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
            from rich.progress import Progress as Bar

            self._bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self._bar.__enter__()
            self._task = self._bar.add_task("PDFs", total=self.total)
        return self

    def advance(self, name: str) -> None:
        """One more PDF is done."""
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=f"PDFs: {name.split('/')[-1]}")

    def note(self, message: str) -> None:
        """Say what else finished."""
        if self._bar is not None:
            self._bar.console.log(message)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.__exit__(kind, exc, tb)
