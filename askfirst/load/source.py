"""Load stage: read YAML safely into plain data, remembering the line and column of every value.

Only the YAML core types are accepted (strings, numbers, booleans, null, lists, mappings); a tag
that would build an object is an error, and file size, nesting and alias expansion are limited so
that no file can make the loader run code, hang, or exhaust memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from askfirst.errors import Problem

try:  # the C loader is several times faster; fall back to pure Python where libyaml is absent
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 50
MAX_NODES = 100_000

Location = tuple[int, int]
FieldPath = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_SCALARS = {f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_STR, _TIMESTAMP, _SEQ, _MAP = (f"{_CORE}{name}" for name in ("str", "timestamp", "seq", "map"))
_constructor = SafeConstructor()


@dataclass
class Document:
    """One YAML file: its data, and where each value and key stands in the file."""

    path: Path
    shown: str
    data: Any
    values: dict[FieldPath, Location] = field(default_factory=dict)
    keys: dict[FieldPath, Location] = field(default_factory=dict)
    # Parts grafted in from another file (a school's override), by the path they sit at.
    grafts: dict[FieldPath, str] = field(default_factory=dict)

    def file_of(self, path: FieldPath) -> str:
        """The file a field was written in: this one, or the override that replaced it."""
        probe = tuple(path)
        while probe:
            if probe in self.grafts:
                return self.grafts[probe]
            probe = probe[:-1]
        return self.shown

    def locate(self, path: FieldPath, key: bool = False) -> Location:
        """The line and column of a field, or of its nearest parent that is in the file."""
        if key and path in self.keys:
            return self.keys[path]
        probe = tuple(path)
        while probe:
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))

    def problem(self, path: FieldPath, message: str, *, key: bool = False, **kw: Any) -> Problem:
        """A problem at a field of this file."""
        line, col = self.locate(path, key=key)
        return Problem(self.file_of(path), line, col, dotted(path), message, **kw)


def dotted(path: FieldPath) -> str:
    """`steps[2].minutes` style for a field path."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


class _TooMuch(Exception):
    def __init__(self, node: yaml.Node, message: str, path: FieldPath) -> None:
        self.node = node
        self.message = message
        self.path = path


class _Reader:
    """Turns a composed YAML node tree into plain data, with marks and limits."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.count = 0
        self.problems: list[Problem] = []
        self.values = doc.values
        self.keys = doc.keys

    def at(self, node: yaml.Node) -> Location:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def read(self, node: yaml.Node, path: FieldPath, depth: int) -> Any:
        # The hot loop of validation: plain attribute reads and precomputed tags.
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooMuch(node, f"the file expands to more than {MAX_NODES} values "
                           "(too many aliases?); split it or remove aliases", path)
        if depth > MAX_DEPTH:
            raise _TooMuch(node, f"values are nested more than {MAX_DEPTH} levels deep", path)
        mark = node.start_mark
        if path not in self.values:
            self.values[path] = (mark.line + 1, mark.column + 1)
        kind = type(node)
        tag = node.tag
        if kind is yaml.ScalarNode:
            if tag in (_STR, _TIMESTAMP):  # dates stay text; the schema parses them
                return node.value
            if tag not in _SCALARS:
                self.reject_tag(node, path)
                return node.value
            return _constructor.construct_object(node)
        if kind is yaml.MappingNode:
            return self.read_mapping(node, path, depth)  # type: ignore[arg-type]
        if tag != _SEQ:
            self.reject_tag(node, path)
        return [self.read(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]

    def read_mapping(self, node: yaml.MappingNode, path: FieldPath, depth: int) -> dict[str, Any]:
        if node.tag != _MAP:
            self.reject_tag(node, path)
        out: dict[str, Any] = {}
        keys = self.keys
        for key_node, value_node in node.value:
            if type(key_node) is not yaml.ScalarNode:
                line, col = self.at(key_node)
                self.problems.append(Problem(self.doc.shown, line, col, dotted(path),
                                             "a key must be plain text, not a list or mapping"))
                continue
            key = str(key_node.value)
            if key in out:
                line, col = self.at(key_node)
                self.problems.append(Problem(self.doc.shown, line, col, dotted((*path, key)),
                                             f"'{key}' appears twice; keep one"))
                continue
            child = (*path, key)
            mark = key_node.start_mark
            keys[child] = (mark.line + 1, mark.column + 1)
            out[key] = self.read(value_node, child, depth + 1)
        return out

    def reject_tag(self, node: yaml.Node, path: FieldPath) -> None:
        line, col = self.at(node)
        self.problems.append(Problem(
            self.doc.shown, line, col, dotted(path),
            f"the YAML tag '{node.tag}' is not allowed; remove it and write plain text, "
            "numbers, lists and mappings"))


def load_yaml(path: Path, shown: str) -> tuple[Document | None, list[Problem]]:
    """Read one YAML file; returns its document (None if unreadable) and the problems found."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(shown, 1, 1, "", f"the file is {size} bytes, more than the "
                                  f"{MAX_BYTES} allowed; split it into smaller files")]
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(shown, 1, 1, "", f"the file is not UTF-8 text ({exc.reason} at "
                              f"byte {exc.start}); save it as UTF-8")]
    except OSError as exc:
        return None, [Problem(shown, 1, 1, "", f"cannot read the file: {exc.strerror}")]
    return parse_yaml(text, path, shown)


def parse_yaml(text: str, path: Path, shown: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML text (see `load_yaml`)."""
    doc = Document(path=path, shown=shown, data=None)
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = exc.problem or exc.context or "invalid YAML"
        fix = "check the indentation and quoting on this line and the one before"
        if what.startswith("mapping values are not allowed"):  # "Note: see this" in a value
            fix = ("a colon followed by a space inside a value starts a new field: put the "
                   "whole value in quotes, or " + fix)
        return None, [Problem(shown, line, col, "", f"YAML syntax error: {what}; {fix}")]
    except yaml.YAMLError as exc:
        return None, [Problem(shown, 1, 1, "", f"YAML error: {exc}")]
    except RecursionError:
        return None, [Problem(shown, 1, 1, "", f"values are nested more than {MAX_DEPTH} "
                              "levels deep")]
    if len(nodes) > 1:
        line = nodes[1].start_mark.line + 1
        return None, [Problem(shown, line, 1, "", "the file holds more than one YAML document "
                              "(a '---' line); keep one document per file")]
    if not nodes or nodes[0] is None:
        doc.data = {}
        doc.values[()] = (1, 1)
        return doc, []
    reader = _Reader(doc)
    try:
        doc.data = reader.read(nodes[0], (), 0)
    except _TooMuch as exc:
        # Report at the top-level field being read: an alias's own mark points elsewhere.
        line, col = doc.values.get(exc.path[:1]) or reader.at(exc.node)
        return None, [Problem(shown, line, col, "", exc.message)]
    except (ValueError, yaml.YAMLError) as exc:
        return None, [Problem(shown, 1, 1, "", f"cannot read a value: {exc}")]
    return doc, reader.problems
