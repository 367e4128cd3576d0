"""A rebuild with nothing to do: when every input of a build (each layer's lessons, settings,
templates, overrides, reviews and assets; Ask First's own code, templates and fonts; the
versions of the libraries that shape the output; the build's options and date) and every file
of its output folder are as the last successful build left them, nothing is loaded, validated,
rendered or built again, and the last build's report (its warnings included) is given again.

The inputs are compared by content; the output folder by each file's path, size and time of
writing, so that a file deleted or edited by hand makes the next build a real one.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from askfirst.errors import Problem, Severity
from askfirst.project import PACKAGE_DIR

INPUT_FILES = ("askfirst.yml", "mkdocs.yml")
INPUT_FOLDERS = ("lessons", "templates", "overrides", "reviews", "assets")
# What shapes the output besides the files: a new release of any of them builds again.
LIBRARIES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "weasyprint",
             "pydyf", "fonttools", "jinja2", "pydantic", "textstat", "pyyaml", "zensical")


def _files(root: Path) -> list[Path]:
    found = [root / name for name in INPUT_FILES if (root / name).is_file()]
    for folder in INPUT_FOLDERS:
        found += sorted(p for p in (root / folder).rglob("*") if p.is_file())
    return found


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "-"


@dataclass(frozen=True)
class InputsDigests:
    """Digests of what a build reads (see `inputs_digests`)."""

    every: str  # everything: a build with the same has nothing to do
    shared: str  # all but the lesson files and the output folder: what lesson pages share
    checks: str  # all but the lesson files and the options: what lessons' checks share


def inputs_digests(roots: list[Path], options: dict[str, Any], extra: list[Path],
                   lessons: frozenset[Path]) -> InputsDigests:
    """Everything a build reads, by content: the layers' files, the package's own files, the
    libraries' versions, the options, the date it is built for, and `extra` files (a logo
    kept outside the usual folders) — and, from the same reading, the digest of all that but
    the files in `lessons` and the `out` option (what every rendered page shares), and of all
    that but the options and the date too (what every lesson's checks share)."""
    shared_options = {k: v for k, v in options.items() if k != "out"}
    every = hashlib.sha256(json.dumps(options, sort_keys=True).encode())
    shared = hashlib.sha256(json.dumps(shared_options, sort_keys=True).encode())
    checks = hashlib.sha256()
    digests = (every, shared, checks)
    for digest in (every, shared):
        digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode() + b"\0")
    for digest in digests:
        for package in LIBRARIES:
            digest.update(f"{package}={_version(package)}\0".encode())
    package_files = sorted(p for p in PACKAGE_DIR.rglob("*")
                           if p.is_file() and "__pycache__" not in p.parts
                           and "_bundled" not in p.parts)
    for base, files in [(PACKAGE_DIR, package_files), *((r, _files(r)) for r in roots)]:
        for digest in digests:
            digest.update(f"{base}\0".encode())
        for path in files:
            name = f"{path.relative_to(base)}\0".encode()
            content = hashlib.sha256(path.read_bytes()).digest()
            for digest in (every,) if path in lessons else digests:
                digest.update(name)
                digest.update(content)
    for path in extra:
        content = hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"-"
        for digest in digests:
            digest.update(f"{path}\0".encode())
            digest.update(content)
    return InputsDigests(every.hexdigest(), shared.hexdigest(), checks.hexdigest())


def outputs_digest(out: Path) -> str:
    """The output folder as it stands: each file's path, size and time of writing."""
    digest = hashlib.sha256()
    for path in sorted(out.rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.relative_to(out)}\0{stat.st_size}\0{stat.st_mtime_ns}\0"
                          .encode())
    return digest.hexdigest()


@dataclass(frozen=True)
class LastBuild:
    """What the last successful build read and wrote, and what it reported."""

    inputs: str
    outputs: str
    pdf_pages: dict[str, int]
    site_pages: dict[str, int]
    warnings: list[dict[str, Any]]
    engine: str

    @classmethod
    def load(cls, path: Path) -> LastBuild | None:
        """The record of the last build, if there is a readable one."""
        try:
            return cls(**json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def save(self, path: Path) -> None:
        """Write the record whole (to a temporary file first)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), sort_keys=True), encoding="utf-8")
        temporary.replace(path)

    def problems(self) -> list[Problem]:
        """The warnings of the last build, to report again."""
        return [Problem(**{**w, "severity": Severity(w["severity"])}) for w in self.warnings]


def warning_records(warnings: list[Problem]) -> list[dict[str, Any]]:
    """Warnings as the record keeps them."""
    return [{**asdict(w), "severity": w.severity.value} for w in warnings]
