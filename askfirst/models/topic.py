"""Topics and the policy of how young a topic may be taught."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from askfirst.models.base import Model, Slug, Text

Thread = Literal["body", "consent", "respect", "speaking-up", "bullying", "help", "home"]
# What a family, a board or a state may treat as sensitive; lessons inherit it from their topics.
Sensitive = Literal["anatomy", "sex-education", "gender-identity", "sexual-orientation",
                    "sexual-violence", "pornography", "self-harm"]


class Topic(Model):
    """A topic a lesson can teach, and the youngest band it may be taught in."""

    id: Slug = Field(description="Id used in a lesson's `topics:` list.")
    title: Text = Field(description="What the topic is, in a few words.")
    thread: Thread = Field(description="Which of the curriculum's seven threads it belongs to.")
    youngest_band: Slug = Field(description="The youngest band whose lessons may teach it.")
    sensitive: list[Sensitive] = Field(
        default_factory=list, description="What families or a state may treat as sensitive in "
        "this topic; the board packet and the letter to families show it for every lesson "
        "that teaches the topic.")
