"""Resolve stage for schools: apply a school's overrides to upstream lessons, keeping lines.

An override names an upstream lesson by id and changes fields by path; the patched lesson is
validated like any other, and a problem in a patched part points at the school's own file.
When the lesson or field an override names is gone upstream, that is a problem by name and line.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any, TypeVar

from askfirst.errors import Problem
from askfirst.load.source import Document, FieldPath, dotted
from askfirst.models.overlay import Change, Override

V = TypeVar("V")
_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[([A-Za-z_]+)=([^\]]*)\]")


@dataclass(frozen=True)
class AppliedChange:
    """A change that was applied, for the changes report."""

    lesson: str
    operation: str
    path: str
    before: Any
    after: Any
    reason: str | None
    where: str


class StaleOverride(Exception):
    """The lesson or field an override names no longer exists upstream."""


def parse_path(text: str) -> list[str | int | tuple[str, str]]:
    """`steps[title=Opening].minutes` → ['steps', ('title', 'Opening'), 'minutes']."""
    parts: list[str | int | tuple[str, str]] = []
    for piece in text.split("."):
        if not piece:
            raise ValueError(f"'{text}' is not a field path")
        while piece:
            match = _STEP.match(piece)
            if not match:
                raise ValueError(f"'{text}' is not a field path; write it like "
                                 "steps[title=Opening].minutes")
            name, index, key, value = match.groups()
            if name:
                parts.append(name)
            elif index:
                parts.append(int(index))
            else:
                parts.append((key, value))
            piece = piece[match.end():]
    return parts


def _resolve(data: Any, steps: list[str | int | tuple[str, str]],
             path: str) -> tuple[Any, FieldPath]:
    """Walk to the container of the last step; returns it and the concrete path to the target."""
    concrete: list[str | int] = []
    node = data
    for i, step in enumerate(steps):
        last = i == len(steps) - 1
        if isinstance(step, str):
            if not isinstance(node, dict) or (step not in node and not last):
                raise StaleOverride(f"no field '{dotted((*concrete, step))}' upstream")
            concrete.append(step)
            if not last:
                node = node[step]
        else:
            if not isinstance(node, list):
                raise StaleOverride(f"'{dotted(tuple(concrete))}' is not a list upstream")
            if isinstance(step, int):
                if step >= len(node):
                    raise StaleOverride(f"'{dotted(tuple(concrete))}' has no item {step} upstream")
                index = step
            else:
                key, value = step
                found = [j for j, item in enumerate(node)
                         if isinstance(item, dict) and str(item.get(key)) == value]
                if not found:
                    there = [str(item.get(key)) for item in node
                             if isinstance(item, dict) and key in item]
                    raise StaleOverride(f"no item with {key} '{value}' in "
                                        f"'{dotted(tuple(concrete))}' upstream (there: "
                                        + ", ".join(f"'{t}'" for t in there) + ")")
                index = found[0]
            concrete.append(index)
            if not last:
                node = node[index]
    return node, tuple(concrete)


def _graft(target: Document, at: FieldPath, source: Document, source_at: FieldPath) -> None:
    """Let the marks under `at` come from `source_at` in the override file."""
    _drop(target, at)
    n = len(source_at)
    for marks, into in ((source.values, target.values), (source.keys, target.keys)):
        for path, location in marks.items():
            if path[:n] == source_at:
                into[(*at, *path[n:])] = location
    target.grafts[at] = source.shown


def _drop(target: Document, at: FieldPath) -> None:
    n = len(at)
    for marks in (target.values, target.keys, target.grafts):
        for path in [p for p in marks if p[:n] == at]:
            del marks[path]


def _shift(target: Document, list_path: FieldPath, start: int, delta: int) -> None:
    """Renumber the marks of list items from `start` on, after an item is removed."""
    target.values = _shifted(target.values, list_path, start, delta)
    target.keys = _shifted(target.keys, list_path, start, delta)
    target.grafts = _shifted(target.grafts, list_path, start, delta)


def _shifted(marks: dict[FieldPath, V], list_path: FieldPath, start: int,
             delta: int) -> dict[FieldPath, V]:
    n = len(list_path)
    out: dict[FieldPath, V] = {}
    for path, mark in marks.items():
        index = path[n] if len(path) > n and path[:n] == list_path else None
        if isinstance(index, int) and index >= start:
            out[(*list_path, index + delta, *path[n + 1:])] = mark
        else:
            out[path] = mark
    return out


def fork(doc: Document) -> Document:
    """A copy of an upstream lesson's document that overrides can change."""
    forked = Document(path=doc.path, shown=doc.shown, data=copy.deepcopy(doc.data),
                      grafts=dict(doc.grafts))
    forked.values, forked.keys = dict(doc.values), dict(doc.keys)
    return forked


def apply(lesson: Document, override: Override, source: Document,
          problems: list[Problem]) -> list[AppliedChange]:
    """Apply an override's changes to a forked lesson document; stale ones become problems."""
    applied = []
    for i, change in enumerate(override.changes):
        at: FieldPath = ("changes", i, change.operation)
        try:
            applied.append(_apply_one(lesson, override, change, source, ("changes", i)))
        except StaleOverride as exc:
            problems.append(source.problem(at, f"this change does not apply to lesson "
                                           f"'{override.lesson}': {exc}; check the spelling, or, "
                                           "if the upstream lesson changed, update or remove "
                                           "this change"))
        except ValueError as exc:
            problems.append(source.problem(at, str(exc)))
    return applied


def _apply_one(lesson: Document, override: Override, change: Change, source: Document,
               at: FieldPath) -> AppliedChange:
    steps = parse_path(change.path)
    op = change.operation
    value_at = (*at, "value")
    if op == "add":
        container, target = _resolve(lesson.data, steps, change.path)
        items = container.get(target[-1]) if isinstance(container, dict) else None
        if not isinstance(items, list):
            raise StaleOverride(f"'{change.path}' is not a list upstream")
        items.append(copy.deepcopy(change.value))
        _graft(lesson, (*target, len(items) - 1), source, value_at)
        before = None
    elif op in ("set", "replace"):
        if op == "replace" and isinstance(steps[-1], str):
            raise ValueError("'replace' names a list item, e.g. steps[title=Opening]; "
                             "use 'set' for a field")
        container, target = _resolve(lesson.data, steps, change.path)
        key = target[-1]
        before = container.get(key) if isinstance(container, dict) else container[key]
        container[key] = copy.deepcopy(change.value)
        _graft(lesson, target, source, value_at)
    else:
        if isinstance(steps[-1], str):
            raise ValueError("'remove' names a list item, e.g. scenarios[title=The tickle "
                             "game]; a required field cannot be removed")
        container, target = _resolve(lesson.data, steps, change.path)
        index = int(target[-1])
        before = container.pop(index)
        _drop(lesson, target)
        _shift(lesson, target[:-1], index + 1, -1)
    return AppliedChange(override.lesson, op, change.path, before,
                         None if op == "remove" else change.value, override.reason,
                         source.shown)
