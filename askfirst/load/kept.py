"""Curriculum files (lessons, guides, bands, topics, frameworks) read by an earlier build, kept
as their data: a file whose text did not change is not parsed again (YAML is the slowest part
of loading; JSON is read several times faster).

A file is kept by the digest of its text, and only when it was read quickly with nothing to
report and its data survives JSON unchanged (not so a value such as `.nan`); anything
else is read from its YAML every time. Where a value stands is worked out from the text, as
for any file read quickly. The cache folder is trusted only when this machine made it
(`askfirst.cache`).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from askfirst.cache import keep_file
from askfirst.errors import Problem
from askfirst.load.source import MAX_BYTES, Document, load_yaml, parse_yaml


class KeptReadings:
    """The data of curriculum files read before, one file each in a folder kept between
    builds (None keeps nothing: every file is parsed)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.used: set[str] = set()
        self.parsed = 0  # files parsed this run (not kept from an earlier one)

    def load(self, path: Path, shown: str) -> tuple[Document | None, list[Problem]]:
        """Read one YAML file as `load_yaml` does, from its kept data when its text is known."""
        if self.folder is None:
            self.parsed += 1
            return load_yaml(path, shown)
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            self.parsed += 1
            return load_yaml(path, shown)  # which says what is wrong
        if len(raw) > MAX_BYTES:
            self.parsed += 1
            return load_yaml(path, shown)
        key = hashlib.sha256(raw).hexdigest()
        self.used.add(key)
        kept = self.folder / f"{key}.json"
        try:
            data = json.loads(kept.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        else:
            if isinstance(data, dict):
                return Document(path=path, shown=shown, data=data, text=text), []
        self.parsed += 1
        doc, problems = parse_yaml(text, path, shown)
        if doc is not None and not problems and doc.text is not None:
            self._keep(kept, doc)
        return doc, problems

    def _keep(self, kept: Path, doc: Document) -> None:
        try:
            encoded = json.dumps(doc.data, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError):
            return  # a number JSON cannot hold (.nan): parsed every time
        if json.loads(encoded) != doc.data:
            return  # anything JSON would give back otherwise
        keep_file(kept, encoded)

    def prune(self) -> None:
        """Forget the files this run did not read (edited or removed since)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.glob("*.json"):
            if path.stem not in self.used:
                path.unlink(missing_ok=True)
