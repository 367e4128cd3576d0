"""Write stage: the one writer of a build's output.

Everything is written into a staging folder beside the output folder; only when the whole
build has succeeded is the staging folder swapped in. A failed build leaves the previous output
as it was. The writer refuses to write a path twice or outside its folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from types import TracebackType

from askfirst.errors import AskFirstError, relative

MARKER = ".askfirst-build"
OLD = ".old."  # a previous output on its way out: `.build.old.x1y2z3/previous`


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


@contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl+C and `kill` wait until the block is done (in the main thread, where Python
    handles them; elsewhere nothing changes). Then `kill` stops the program; Ctrl+C came too
    late to stop anything, and the build ends as it would have."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    held = {number: signal.signal(number, lambda n, _: caught.append(n))
            for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in held.items():
            signal.signal(number, handler)
        if signal.SIGTERM in caught:
            signal.raise_signal(signal.SIGTERM)


class Writer:
    """Owns a build's output folder; use as a context manager."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self.written: set[str] = set()
        self._check_target()
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            for left in self.out.parent.glob(f".{self.out.name}{OLD}*"):
                shutil.rmtree(left, ignore_errors=True)  # a previous output a stop left
            self.staging = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.",
                                                 dir=self.out.parent))
            # mkdtemp makes a folder only its owner can read; the output is to be shared
            # (copied to a web server, opened by colleagues): the usual folder permissions.
            self.staging.chmod(0o777 & ~_umask())
        except OSError as exc:
            raise AskFirstError(f"{relative(self.out)}: cannot write the output here "
                                f"({exc.strerror}); choose another folder with --out") from None

    def _check_target(self) -> None:
        if self.out.exists() and not self.out.is_dir():
            raise AskFirstError(f"{self.out}: exists and is not a folder; choose another --out")
        if self.out.is_dir() and any(self.out.iterdir()) and not (self.out / MARKER).exists():
            raise AskFirstError(f"{self.out}: the folder is not empty and was not made by "
                                "askfirst; choose another --out or empty it first")
        if (self.out / "askfirst.yml").exists() or self.out == Path(self.out.anchor):
            raise AskFirstError(f"{self.out}: refusing to build into a project folder")

    def path(self, relative: str) -> Path:
        """The staging path of an output file or folder, checked to stay inside the output."""
        rel = PurePosixPath(relative)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise AskFirstError(f"refusing to write '{relative}': outside the output folder")
        target = (self.staging / rel).resolve()
        if not target.is_relative_to(self.staging.resolve()):
            raise AskFirstError(f"refusing to write '{relative}': outside the output folder")
        return target

    def write(self, relative: str, data: bytes | str) -> Path:
        """Write one file of the output."""
        if relative in self.written:
            raise AskFirstError(f"'{relative}' would be written twice in one build")
        self.written.add(relative)
        target = self.path(relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        target.write_bytes(payload)
        return target

    def commit(self) -> None:
        """Swap the finished output in place of the previous one; Ctrl+C or `kill` does not
        cut the swap short, so the output is always one whole build."""
        (self.staging / MARKER).write_text("made by askfirst build; replaced on every build\n",
                                           encoding="utf-8")
        old = None
        with _signals_held():
            if self.out.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{self.out.name}{OLD}",
                                            dir=self.out.parent))
                self.out.rename(old / "previous")
            self.staging.rename(self.out)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        """Throw the staging folder away; the previous output stays as it was."""
        shutil.rmtree(self.staging, ignore_errors=True)

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()
