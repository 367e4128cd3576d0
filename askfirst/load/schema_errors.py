"""Turn pydantic's validation errors into problems at the right line, in plain words."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from askfirst.errors import Problem
from askfirst.load.source import Document, FieldPath, dotted

_KINDS = {
    str: "text",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a mapping",
    type(None): "nothing",
}


def _kind(value: Any) -> str:
    return _KINDS.get(type(value), type(value).__name__)


def _model_at(model: type[BaseModel], loc: FieldPath) -> type[BaseModel] | None:
    """The model class that owns the last part of `loc`, for listing its allowed fields."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return current if part == loc[-1] else None
        current = _inner(field.annotation)
    return None


def _inner(annotation: Any) -> Any:
    """The model inside `list[Model]`, `Model | None`, `dict[str, Model]`."""
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _inner(arg)
            if isinstance(found, type) and issubclass(found, BaseModel):
                return found
        return None
    if origin is dict:
        return _inner(typing.get_args(annotation)[1])
    if typing.get_origin(annotation) is typing.Annotated:
        return _inner(typing.get_args(annotation)[0])
    return annotation


def _message(error: ErrorDetails, model: type[BaseModel]) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    loc = tuple(error["loc"])
    name = str(loc[-1]) if loc else "value"
    if kind == "missing":
        return f"required field '{name}' is missing; add it"
    if kind == "extra_forbidden":
        owner = _model_at(model, loc)
        allowed = ", ".join(owner.model_fields) if owner else ""
        hint = f" (allowed here: {allowed})" if allowed else ""
        return f"unknown field '{name}'; check its spelling{hint}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"expected a whole number, got {_kind(value)} {value!r}"
    if kind in ("float_parsing", "float_type"):
        return f"expected a number, got {_kind(value)} {value!r}"
    if kind in ("string_type",):
        return f"expected text, got {_kind(value)}; put it in quotes if it is meant as text"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false, got {value!r}"
    if kind == "list_type":
        return f"expected a list (lines starting with '- '), got {_kind(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected a mapping of fields ('name: value' lines), got {_kind(value)}"
    if kind == "literal_error":
        return f"must be {ctx.get('expected', 'one of the allowed values')}, not {value!r}"
    if kind == "too_short":
        if isinstance(value, str):
            return "must not be empty"
        return f"needs at least {ctx.get('min_length')} item(s), has {len(value or [])}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_long" or kind == "string_too_long":
        return f"is too long: at most {ctx.get('max_length')} allowed"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern.startswith("^[a-z0-9]+"):
            return (f"{value!r} is not a valid id: use lower-case letters, digits and hyphens, "
                    "such as 'ask-before-hugs'")
        if pattern.startswith("^#"):
            return f"{value!r} is not a colour: write it as '#rrggbb'"
        if pattern.startswith("^[a-z]{2}"):
            return f"{value!r} is not a language code: use two letters such as 'en' or 'es'"
        return f"{value!r} does not have the expected form"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}, not {value!r}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}, not {value!r}"
    if kind.startswith("date"):
        return f"expected a date written as YYYY-MM-DD, got {value!r}"
    return str(error["msg"])


def schema_problems(exc: ValidationError, doc: Document, model: type[BaseModel],
                    prefix: FieldPath = ()) -> list[Problem]:
    """One problem per pydantic error, placed at the line of the offending key or value."""
    out = []
    for error in exc.errors(include_url=False):
        loc: FieldPath = (*prefix, *(p for p in error["loc"] if isinstance(p, str | int)))
        key = error["type"] == "extra_forbidden"
        parent_only = error["type"] == "missing"
        where = loc[:-1] if parent_only else loc
        line, col = doc.locate(where, key=key)
        out.append(Problem(doc.file_of(where), line, col, dotted(loc), _message(error, model)))
    return out

