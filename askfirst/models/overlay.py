"""A school's change to an upstream lesson, kept in its own file under `overrides/`."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from askfirst.models.base import Model, Slug, Text


class Change(Model):
    """One change: exactly one of `set`, `add`, `replace` or `remove`, naming a field path.

    Paths are dotted; list items are named by a key, e.g. `steps[title=Pip's story].minutes`,
    `handouts[id=my-ask-first-words]`, `scenarios[title=The tickle game]`, or by position,
    `materials[0]`.
    """

    set: Text | None = Field(None, description="Replace the value of this field.")
    add: Text | None = Field(None, description="Append `value` to this list.")
    replace: Text | None = Field(None, description="Replace this list item with `value`.")
    remove: Text | None = Field(None, description="Remove this list item.")
    value: Any = Field(None, description="The new value, for set, add and replace.")

    @model_validator(mode="after")
    def _one_operation(self) -> Change:
        named = [op for op in ("set", "add", "replace", "remove") if getattr(self, op)]
        if len(named) != 1:
            raise ValueError("give exactly one of set, add, replace or remove")
        if named[0] != "remove" and self.value is None:
            raise ValueError(f"'{named[0]}' needs a value")
        return self

    @property
    def operation(self) -> str:
        """Which of set, add, replace or remove this change is."""
        return next(op for op in ("set", "add", "replace", "remove") if getattr(self, op))

    @property
    def path(self) -> str:
        """The field path the change names."""
        return str(getattr(self, self.operation))


class Override(Model):
    """The changes a school makes to one upstream lesson, without copying it."""

    lesson: Slug = Field(description="Id of the upstream lesson to change.")
    reason: Text | None = Field(None, description="Why the school changed it; shown in the "
                                "changes report for boards and parents.")
    changes: list[Change] = Field(description="The changes, applied in order.", min_length=1)


class Selection(Model):
    """Which of a band's lessons a school teaches, and in what order."""

    only: list[Slug] | None = Field(None, description="Teach only these lessons.")
    exclude: list[Slug] = Field(default_factory=list, description="Leave these lessons out.")
    order: list[Slug] = Field(default_factory=list, description="Teach these first, in this "
                              "order; the others follow in their usual order.")


