"""Shared model settings: unknown keys are errors, text is stripped, ids are slugs."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# The one definition of an id's form; the schema, `new lesson` and file names use it.
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
# Text a new lesson starts with where the author must write; validation warns until replaced.
FILL_IN = "FILL IN:"

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=80),
    Field(description="Lower-case words joined by hyphens, such as `ask-before-hugs`."),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20_000)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}(-[A-Z]{2})?$")]


class Model(BaseModel):
    """Base of every curriculum model: strict about unknown keys, so typos are caught."""

    model_config = ConfigDict(extra="forbid", frozen=False, str_strip_whitespace=True)
