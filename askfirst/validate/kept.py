"""Lessons checked by an earlier build, kept with the problems the checks found in them: a
rebuild after editing one lesson checks that lesson again, not every lesson.

What a lesson's own checks read is the lesson as loaded and resolved (its file's text, its
model), and what every lesson shares: settings, bands, topics, frameworks, guides, overrides,
Ask First's own code and the libraries' versions — given here as one digest of every input
file except the lesson files (`inputs_digests`; unlike kept pages', without the build's
options, which change no problem). A lesson is kept by all of that; anything else changed
checks it again. Checks that look across
lessons (an id used twice, reviews naming lessons, guides) run every time, and so does the
reading level, measured from its own cache (render stages take their levels from there).

A lesson a school's override changes has no text of its own to be kept by, and is checked
every time. The cache folder is trusted only when this machine made it (`askfirst.cache`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from askfirst.cache import keep_file
from askfirst.errors import Problem, Severity
from askfirst.load.curriculum import Sourced
from askfirst.models import Lesson

FILE_VERSION = 1


class CheckedLessons:
    """Problems of lessons checked before, by what each lesson's checks read, in a file kept
    between builds (None keeps nothing: every lesson is checked)."""

    def __init__(self, path: Path | None, shared: str) -> None:
        self.path = path
        self.shared = shared
        self._known: dict[str, list[list[Any]]] = {}
        self._used: dict[str, list[list[Any]]] = {}
        self.checked = 0  # lessons checked this run (not kept from an earlier one)
        self.lessons = 0
        if path is not None and path.is_file():
            try:
                kept = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                kept = None  # a damaged file is checked again, not trusted
            if isinstance(kept, dict) and kept.get("version") == FILE_VERSION and \
                    isinstance(kept.get("lessons"), dict):
                self._known = kept["lessons"]

    def _key(self, item: Sourced[Lesson]) -> str | None:
        if self.path is None or item.doc.text is None or item.doc.grafts:
            return None
        digest = hashlib.sha256(f"{self.shared}\0{item.doc.path}\0{item.doc.shown}\0"
                                f"{item.doc.text}\0".encode())
        digest.update(item.model.model_dump_json().encode())
        return digest.hexdigest()

    def problems(self, item: Sourced[Lesson]) -> tuple[str | None, list[Problem] | None]:
        """The lesson's key, and its problems when it was checked before (None: check it)."""
        self.lessons += 1
        key = self._key(item)
        records = self._known.get(key) if key else None
        if key is None or not isinstance(records, list):
            self.checked += 1
            return key, None
        try:
            found = [Problem(str(path), int(line), int(col), str(where), str(message),
                             Severity(severity))
                     for path, line, col, where, message, severity in records]
        except (TypeError, ValueError):
            self.checked += 1
            return key, None
        self._used[key] = records
        return key, found

    def keep(self, key: str | None, found: list[Problem]) -> None:
        """Keep the problems the checks found in a lesson (under the key `problems` gave)."""
        if key is not None:
            self._used[key] = [[p.path, p.line, p.col, p.field, p.message, p.severity.value]
                               for p in found]

    def save(self) -> None:
        """Keep the lessons this run checked or looked up, and no others (best effort: a
        folder that cannot be written keeps nothing, and the next run checks again)."""
        if self.path is None or self._used == self._known:
            return
        keep_file(self.path, json.dumps({"version": FILE_VERSION, "lessons": self._used},
                                        sort_keys=True))
