"""Curriculum frameworks (UNESCO ITGSE, NSES): the only codes a lesson may align to."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from askfirst.models.base import Model, Slug, Text


class FrameworkEntry(Model):
    """One key concept, topic or indicator of a framework."""

    code: Text = Field(description="The code exactly as the framework prints it, e.g. `4.2`.")
    title: Text = Field(description="Its name or a paraphrase of its text.")
    kind: Literal["concept", "topic", "indicator"] = Field(
        description="A key concept groups topics; a topic is what coverage counts; an indicator "
        "is a grade-level outcome under a topic.")
    parent: Text | None = Field(None, description="Code of the concept or topic it belongs to.")
    levels: list[Text] = Field(default_factory=list, description="Age groups or grades it "
                               "applies to; empty means every level.")
    verified: bool = Field(description="True only when the code was seen in a source.")
    source: Text = Field(description="Where the code and text were read.")


class Framework(Model):
    """A framework data file under `lessons/frameworks/`."""

    id: Slug = Field(description="Short id used before the colon in alignment codes.")
    title: Text = Field(description="The framework's full title and edition.")
    publisher: Text = Field(description="Who publishes it.")
    license: Text = Field(description="Its licence, as far as known.")
    levels: list[Text] = Field(description="Its age groups or grade levels.")
    entries: list[FrameworkEntry] = Field(description="Its concepts, topics and indicators.")
