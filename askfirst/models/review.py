"""A school's review of lessons: who reviewed, when, the decision, and what text they saw."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from askfirst.models.base import Model, Slug, Text


class Reviewer(Model):
    """A person who reviewed, by name and role."""

    name: Text = Field(description="The reviewer's name.")
    role: Text = Field(description="Their role, e.g. `school counselor`, `health teacher`.")


class ReviewedLesson(Model):
    """A lesson as it was reviewed: its id and the fingerprint of its text for this school."""

    id: Slug = Field(description="The lesson's id.")
    fingerprint: Text = Field(description="SHA-256 of the lesson as resolved for this school "
                              "(upstream text, overrides and configuration values); "
                              "`askfirst review approve` writes it.", pattern=r"^[0-9a-f]{64}$")
    fields: dict[str, Text] = Field(default_factory=dict, description="The fingerprint of each "
                                    "field, to say what changed since.")


class ReviewRecord(Model):
    """One review meeting or decision, in `reviews/<date>-<who>.yml`."""

    date: dt.date = Field(description="The date of the review.")
    committee: Text | None = Field(None, description="Who decided, e.g. `Health committee`.")
    reviewers: list[Reviewer] = Field(description="Who reviewed.", min_length=1)
    decision: Literal["approved", "changes requested"] = Field(
        description="`approved`, or `changes requested`.")
    notes: Text | None = Field(None, description="What the review found or asked for.")
    lessons: list[ReviewedLesson] = Field(description="The lessons reviewed.", min_length=1)
