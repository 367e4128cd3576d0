"""Load stage: read YAML safely into plain data, remembering the line and column of every value.

Only the YAML core types are accepted (strings, numbers, booleans, null, lists, mappings); a tag
that would build an object is an error, and file size, nesting and alias expansion are limited so
that no file can make the loader run code, hang, or exhaust memory.

Most files have nothing to report, so they are read quickly, without marks; where each value
stands is worked out from the file's text the first time a problem needs it. A file with
anything unusual (a tag, a repeated key, a limit reached) is read the careful way at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from askfirst.errors import Problem

try:  # the C loader is several times faster; fall back to pure Python where libyaml is absent
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

MAX_BYTES = 1024 * 1024
MAX_DEPTH = 50
MAX_NODES = 100_000

Location = tuple[int, int]
FieldPath = tuple[str | int, ...]

_CORE = "tag:yaml.org,2002:"
_SCALARS = {f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_STR, _TIMESTAMP, _SEQ, _MAP = (f"{_CORE}{name}" for name in ("str", "timestamp", "seq", "map"))
_constructor = SafeConstructor()


# The implicit tags (numbers, true and false, null, dates) by a plain scalar's first character.
_Implicit = tuple[tuple[str, re.Pattern[str]], ...]
_WILDCARD: _Implicit = tuple(_SafeLoader.yaml_implicit_resolvers.get(None, []))
_IMPLICIT: dict[str, _Implicit] = {first: (*resolvers, *_WILDCARD)
             for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
             if first is not None}


class _Loader(_SafeLoader):
    """The safe loader, resolving tags without the path resolvers YAML allows and no file of
    ours registers: the composer asks for every node's tag, the slowest part of parsing."""

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, pattern in _IMPLICIT.get(value[:1], _WILDCARD):
                    if pattern.match(value):
                        return tag
            return _STR
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


@dataclass
class Document:
    """One YAML file: its data, and where each value and key stands in the file (worked out
    from `text` when first asked for, unless given)."""

    path: Path
    shown: str
    data: Any
    # Parts grafted in from another file (a school's override), by the path they sit at.
    grafts: dict[FieldPath, str] = field(default_factory=dict)
    text: str | None = field(default=None, repr=False, compare=False)
    _values: dict[FieldPath, Location] | None = field(default=None, init=False, repr=False,
                                                      compare=False)
    _keys: dict[FieldPath, Location] | None = field(default=None, init=False, repr=False,
                                                    compare=False)

    @property
    def values(self) -> dict[FieldPath, Location]:
        """Where each value stands, by field path."""
        if self._values is None:
            self._work_out_marks()
        assert self._values is not None
        return self._values

    @values.setter
    def values(self, marks: dict[FieldPath, Location]) -> None:
        self._values = marks

    @property
    def keys(self) -> dict[FieldPath, Location]:
        """Where each key stands, by the field path it names."""
        if self._keys is None:
            self._work_out_marks()
        assert self._keys is not None
        return self._keys

    @keys.setter
    def keys(self, marks: dict[FieldPath, Location]) -> None:
        self._keys = marks

    def _work_out_marks(self) -> None:
        # Read the text again, the careful way: the same marks as if they had been kept.
        values: dict[FieldPath, Location] = {}
        keys: dict[FieldPath, Location] = {}
        if self.text is not None:
            node = yaml.compose(self.text, Loader=_Loader)
            if node is not None:
                _Reader(self.shown, values, keys).read(node, (), 0)
        if self._values is None:
            self._values = values
        if self._keys is None:
            self._keys = keys

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


def _scalar(node: yaml.ScalarNode) -> Any:
    """A number, true or false, or null, built as the safe loader builds it."""
    return _constructor.yaml_constructors[node.tag](_constructor, node)


class _Reader:
    """Turns a composed YAML node tree into plain data, with marks and limits."""

    def __init__(self, shown: str, values: dict[FieldPath, Location],
                 keys: dict[FieldPath, Location]) -> None:
        self.shown = shown
        self.count = 0
        self.problems: list[Problem] = []
        self.values = values
        self.keys = keys

    def at(self, node: yaml.Node) -> Location:
        return node.start_mark.line + 1, node.start_mark.column + 1

    def read(self, node: yaml.Node, path: FieldPath, depth: int) -> Any:
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
            try:
                return _scalar(node)  # type: ignore[arg-type]
            except (KeyError, ValueError):  # `!!bool maybe`, `!!int ten`, `0b_`
                line, col = self.at(node)
                name = tag.removeprefix(_CORE)
                self.problems.append(Problem(
                    self.shown, line, col, dotted(path),
                    f"'{node.value}' is meant as a YAML {name} but cannot be read as one; put "
                    f"it in quotes to keep it as text (and remove any '!!{name}' tag)"))
                return node.value
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
                self.problems.append(Problem(self.shown, line, col, dotted(path),
                                             "a key must be plain text, not a list or mapping"))
                continue
            key = str(key_node.value)
            if key in out:
                line, col = self.at(key_node)
                self.problems.append(Problem(self.shown, line, col, dotted((*path, key)),
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
            self.shown, line, col, dotted(path),
            f"the YAML tag '{node.tag}' is not allowed; remove it and write plain text, "
            "numbers, lists and mappings"))


class _Unusual(Exception):
    """Something the quick reading leaves to `_Reader`, which says what is wrong, and where."""


_KEY_NEXT = object()  # an open mapping waits for a key (an open list waits for None)


def _read_quickly(text: str) -> Any:
    """The same plain data as `_Reader` gives, straight from the parser's events, without marks
    or a node tree: the hot loop of validation. Gives up (raises _Unusual, or the parser's
    error) at anything `_Reader` might report: a tag, an anchor or alias, a key that is not
    text or appears twice, more than one document, a limit reached or nearly."""
    loader = _Loader(text)
    try:
        get = loader.get_event
        get()  # the stream's start
        if type(get()) is not DocumentStartEvent:
            raise _Unusual  # an empty file
        container: Any = None  # the mapping or list being read (None: none yet)
        key: Any = None  # where its next value goes: a key, _KEY_NEXT, or None for a list
        outer: list[tuple[Any, Any]] = []  # the containers around it, with their keys
        count = 0
        while True:
            event: Any = get()  # its kind is checked by type, which mypy does not follow
            kind = type(event)
            if key is _KEY_NEXT:
                if kind is ScalarEvent and event.tag is None and event.anchor is None:
                    key = event.value
                    if key in container:
                        raise _Unusual
                    continue
                if kind is not MappingEndEvent:
                    raise _Unusual
                value = container
                container, key = outer.pop()
            elif kind is ScalarEvent:
                if event.tag is not None or event.anchor is not None:
                    raise _Unusual
                count += 1
                value = event.value
                if event.implicit[0]:
                    for tag, pattern in _IMPLICIT.get(value[:1], _WILDCARD):
                        if pattern.match(value):
                            if tag not in _SCALARS:
                                raise _Unusual
                            if tag != _TIMESTAMP:  # dates stay text; the schema parses them
                                value = _scalar(yaml.ScalarNode(tag, value))
                            break
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.tag is not None or event.anchor is not None or len(outer) >= MAX_DEPTH:
                    raise _Unusual
                count += 1
                outer.append((container, key))
                if kind is MappingStartEvent:
                    container, key = {}, _KEY_NEXT
                else:
                    container, key = [], None
                continue
            elif kind is SequenceEndEvent:
                value = container
                container, key = outer.pop()
            else:
                raise _Unusual  # an alias
            if container is None:
                break  # the whole document has been read
            if key is None:
                container.append(value)
            else:
                container[key] = value
                key = _KEY_NEXT
        if count > MAX_NODES or type(get()) is not DocumentEndEvent:
            raise _Unusual
        if type(get()) is not StreamEndEvent:
            raise _Unusual  # another document
        return value
    finally:
        loader.dispose()


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
    try:
        data = _read_quickly(text)
    except (_Unusual, ValueError, yaml.YAMLError):
        return _parse_carefully(text, path, shown)
    # Where each value stands is worked out from the text if a problem needs it.
    return Document(path=path, shown=shown, data=data, text=text), []


def _parse_carefully(text: str, path: Path,
                     shown: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML text with the marks of every value, reporting what is wrong and where."""
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
    doc = Document(path=path, shown=shown, data=None)
    if not nodes or nodes[0] is None:
        doc.data = {}
        doc.values = {(): (1, 1)}
        doc.keys = {}
        return doc, []
    doc.values, doc.keys = {}, {}
    reader = _Reader(shown, doc.values, doc.keys)
    try:
        doc.data = reader.read(nodes[0], (), 0)
    except _TooMuch as exc:
        # Report at the top-level field being read: an alias's own mark points elsewhere.
        line, col = doc.values.get(exc.path[:1]) or reader.at(exc.node)
        return None, [Problem(shown, line, col, "", exc.message)]
    except (ValueError, yaml.YAMLError) as exc:
        return None, [Problem(shown, 1, 1, "", f"cannot read a value: {exc}")]
    return doc, reader.problems
