"""Curriculum-wide guides: one facilitator guide, and a parent guide per band."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from askfirst.models.base import LanguageCode, Model, Slug, Text


class GuideSection(Model):
    """A titled section of a guide: a paragraph and a list of points."""

    id: Slug = Field(description="Id of the section, e.g. `ground-rules`.")
    title: Text = Field(description="The section heading.")
    body: Text = Field(description="The section's opening text.")
    points: list[Text] = Field(default_factory=list, description="Points, listed in order.")


class FacilitatorGuide(Model):
    """How to teach this curriculum safely; printed in every packet and shown on the site."""

    title: Text = Field(description="The guide's title.")
    intro: Text = Field(description="What the guide is for.")
    sections: list[GuideSection] = Field(description="Ground rules, teaching one step "
                                         "removed, protective interrupting, disclosures, hard "
                                         "questions, notifying families.", min_length=1)


class HardQuestion(Model):
    """A question children ask, and a calm, honest way to answer it."""

    question: Text = Field(description="The question as a child might ask it.")
    answer: Text = Field(description="A way to answer it.")


class ParentGuideText(Model):
    """The text of a parent guide in one language."""

    intro: Text = Field(description="What your child learns this year, in a paragraph.")
    learns: list[Text] = Field(description="What your child learns, point by point.",
                               min_length=1)
    starters: list[Text] = Field(description="Conversation starters.", min_length=3)
    hard_questions: list[HardQuestion] = Field(description="Hard questions and answers.",
                                               min_length=1)
    warning_signs: list[Text] = Field(description="Warning signs of abuse or grooming.",
                                      min_length=1)
    if_your_child_tells: list[Text] = Field(description="What to do if your child tells you.",
                                            min_length=1)


class ParentGuideTranslation(Model):
    """A parent guide in another language."""

    status: Literal["draft", "reviewed"] = Field(description="Translation review status.")
    text: ParentGuideText = Field(description="The guide's text in that language.")


class ParentGuide(Model):
    """The guide for families of one band, under `lessons/guides/parents/`."""

    band: Slug = Field(description="Id of the band.")
    text: ParentGuideText = Field(description="The guide, in English.")
    translations: dict[LanguageCode, ParentGuideTranslation] = Field(
        default_factory=dict, description="The guide in other languages.")
