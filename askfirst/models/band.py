"""Age bands: who a group of lessons is for, and what that means for reading level and standards."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from askfirst.models.base import LanguageCode, Model, Slug, Text


class BandTranslation(Model):
    """A band's names in another language."""

    title: Text | None = Field(None, description="The band's title in this language.")
    grades: Text | None = Field(None, description="The grades label in this language.")
    ages: Text | None = Field(None, description="The ages label in this language.")
    evidence: Text | None = Field(None, description="The evidence summary in this language.")


class Band(Model):
    """One age band, such as ages 8–11 (grades 3–5)."""

    id: Slug = Field(description="Stable id used by lessons' `band:` field, e.g. `grades-3-5`.")
    title: Text = Field(description="The band's name as teachers and parents read it.")
    ages: Text = Field(description="Ages as a label, e.g. `8–11`.")
    grades: Text = Field(description="Grades or school years as a label, e.g. `Grades 3–5`.")
    order: int = Field(description="Position of the band from youngest (1) to oldest.", ge=0)
    minutes: int = Field(description="Usual length of one lesson in this band, in minutes.",
                         ge=5, le=180)
    reading_grade: float = Field(
        description="Highest US reading grade level for student-facing text (handouts, "
        "scenarios, questions to students); the validator measures against it.", ge=0, le=16)
    handout_face: Literal["beginning-reader", "standard"] = Field(
        "standard", description="Type face for student handouts: `beginning-reader` (Andika) for "
        "early readers, `standard` (Atkinson Hyperlegible) otherwise.")
    evidence: Text | None = Field(
        None, description="What research says about teaching this age, with named sources, and "
        "what it does not show; printed on the About page and in the board packet.")
    frameworks: dict[Slug, Text] = Field(
        default_factory=dict, description="Which level of each framework this band maps to, by "
        "framework id, e.g. `unesco: 5-8`, `nses: '2'`.")
    translations: dict[LanguageCode, BandTranslation] = Field(
        default_factory=dict, description="The band's names in other languages, by language code.")
