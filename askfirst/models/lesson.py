"""A lesson: everything a teacher needs to teach it and a family needs to follow it up."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from askfirst.models.base import LanguageCode, Model, Slug, Text


class Review(Model):
    """Whether a qualified educator has reviewed the lesson. Never invent a reviewer."""

    status: Literal["draft", "reviewed"] = Field(
        description="`draft` until a qualified educator has reviewed the lesson.")
    reviewed_by: Text | None = Field(None, description="Name and role of the reviewer.")
    reviewed_on: dt.date | None = Field(None, description="Date of the review.")
    notes: Text | None = Field(None, description="What the review found or what remains open.")


class Objective(Model):
    """One learning objective, tagged by domain as in UNESCO's ITGSE."""

    domain: Literal["knowledge", "attitude", "skill"] = Field(
        description="Knowledge (know), attitude (feel, value) or skill (be able to do).")
    text: Text = Field(description="Completes 'Students will be able to …'.")


class Term(Model):
    """A vocabulary word with a definition the band can understand."""

    term: Text = Field(description="The word or phrase.")
    definition: Text = Field(description="What it means, in the band's words.")


class Slide(Model):
    """What the class sees on the screen: a few words or a single question or story."""

    title: Text | None = Field(None, description="A heading, if the slide needs one.")
    text: Text = Field(description="What students read: for early years and K–2 a few words; "
                       "for older students one question or one story.")
    icon: Text | None = Field(None, description="A picture for pre-readers, by name from the "
                              "icon sets Material for MkDocs ships, e.g. `material/hand-wave`.")


class Step(Model):
    """One timed step of the lesson."""

    title: Text = Field(description="A short name for the step, e.g. `Opening circle`.")
    minutes: int = Field(description="How long the step takes.", ge=1, le=120)
    directions: Text = Field(description="What the teacher does (stage directions).")
    say: Text | None = Field(None, description="The teacher's words, spoken as written. "
                             "Paragraphs are separated by a blank line.")
    key_line: Text | None = Field(None, description="The line of `say` to remember, word for "
                                  "word as it stands there; the 'teach it tomorrow' card lists "
                                  "it (left out, the card takes the first long sentence).")
    notes: Text | None = Field(None, description="Facilitator notes: what to watch for and how "
                               "to answer likely questions.")
    optional: bool = Field(False, description="An extension activity: printed as optional and "
                           "not counted in the lesson's minutes.")
    handouts: list[Slug] = Field(default_factory=list, description="Ids of the handouts (and "
                                 "card sheets) this step uses; each must exist in the lesson.")
    scenarios: list[Text] = Field(default_factory=list, description="Titles of the scenarios "
                                  "this step uses; each must exist in the lesson.")
    discussion: list[int] = Field(default_factory=list, description="Numbers (from 1) of the "
                                  "discussion questions this step uses.")
    screen: list[Slide] | None = Field(
        None, description="What goes on the classroom screen during this step. Left out, the "
        "step shows its scenarios (the story, then its questions) and its discussion questions, "
        "one per slide; `[]` shows nothing. Teacher-only text never goes on a slide.")


class DiscussionQuestion(Model):
    """A question for the class and what a good answer contains."""

    question: Text = Field(description="The question as students hear it.")
    listen_for: Text = Field(description="What to listen for in students' answers.")
    optional: bool = Field(False, description="Use if time allows; no step needs to name it.")


class Scenario(Model):
    """A story told one step removed: fictional people, third person, no graphic detail."""

    title: Text = Field(description="A short title.")
    story: Text = Field(description="The story, in words the band can read.")
    questions: list[Text] = Field(description="Questions to students about the story.",
                                  min_length=1)
    listen_for: Text | None = Field(None, description="What to listen for in the answers.")
    optional: bool = Field(False, description="Use if time allows; no step needs to name it.")


class Assessment(Model):
    """A short check of learning, usually an exit ticket."""

    title: Text = Field("Exit ticket", description="What the assessment is called.")
    instructions: Text = Field(description="How the teacher runs it.")
    items: list[Text] = Field(description="The prompts students answer.", min_length=1)
    look_for: Text = Field(description="What answers show the objectives were met.")


class Differentiation(Model):
    """How to adapt the lesson for different learners."""

    younger_readers: Text = Field(description="For younger or struggling readers.")
    disabilities: Text = Field(description="For students with disabilities.")
    english_learners: Text = Field(description="For English learners.")
    extension: Text | None = Field(None, description="For students ready for more.")


class HandoutItem(Model):
    """One part of a handout: a sentence, a question with lines to write on, a box to draw in."""

    text: Text = Field(description="The words on the page.")
    lines: int = Field(0, description="How many lines to write on below it.", ge=0, le=12)
    draw: bool = Field(False, description="Leave a box to draw in below it.")
    choices: list[Text] = Field(default_factory=list,
                                description="Choices to circle, e.g. `Yes`, `No`, `Maybe`.")
    section: Text | None = Field(None, description="A heading printed above this item, e.g. "
                                 "`Part 2: Consent or not?`; numbering starts again at 1.")
    answer: Text | None = Field(None, description="A good answer, for the teacher: on the "
                                "'teach it tomorrow' card and the teacher's page, never on the "
                                "student's handout.")
    icon: Text | None = Field(None, description="A picture beside the words, for beginning "
                              "readers, by name, e.g. `material/stop-circle`.")


class Picture(Model):
    """An image from the project's `assets/` folder."""

    path: Text = Field(description="Path inside the project, e.g. `assets/feelings.svg`.")
    alt: Text = Field(description="What the picture shows, for screen readers.")


class Handout(Model):
    """A photocopy-ready student page."""

    id: Slug = Field(description="Id of the handout within the lesson.")
    title: Text = Field(description="The title printed on the handout.")
    layout: Literal["sheet", "cards"] = Field(
        "sheet", description="`sheet`: a page to write or draw on; `cards`: a cut-apart sheet, "
        "one item per card in large type, with cut lines (for card sorts, pressure lines, "
        "myth/fact cards and role cards).")
    instructions: Text = Field(description="What students do, in words the band can read.")
    items: list[HandoutItem] = Field(description="The handout's parts, in order.", min_length=1)
    picture: Picture | None = Field(None, description="An optional picture.")

    def item_numbers(self) -> list[int]:
        """The number printed beside each item: from 1, again after each section heading."""
        numbers: list[int] = []
        for item in self.items:
            numbers.append(1 if item.section or not numbers else numbers[-1] + 1)
        return numbers


class FamilyGuide(Model):
    """What families get after the lesson: the home connection."""

    learned: Text = Field(description="What we learned, in two or three sentences.")
    why: Text = Field(description="Why it matters.")
    starters: list[Text] = Field(description="Three conversation starters.", min_length=3)
    activity: Text = Field(description="One activity to do at home.")
    help: Text = Field(description="Where to get help; configured contacts are listed after it.")


class FamilyGuideTranslation(Model):
    """A family guide in another language; a missing field falls back to English, with a notice."""

    learned: Text | None = Field(None, description="What we learned.")
    why: Text | None = Field(None, description="Why it matters.")
    starters: list[Text] | None = Field(None, description="The conversation starters.")
    activity: Text | None = Field(None, description="The home activity.")
    help: Text | None = Field(None, description="Where to get help.")


class HandoutItemTranslation(Model):
    """One handout item in another language."""

    text: Text = Field(description="The words on the page.")
    section: Text | None = Field(None, description="The heading above it, where the English "
                                 "item has one.")
    choices: list[Text] = Field(default_factory=list, description="The choices, in the same "
                                "order as in English.")


class HandoutTranslation(Model):
    """A student handout in another language, item for item."""

    title: Text = Field(description="The title printed on the handout.")
    instructions: Text = Field(description="What students do.")
    items: list[HandoutItemTranslation] = Field(
        description="The handout's items, as many and in the same order as in English.",
        min_length=1)


class LessonTranslation(Model):
    """The family-facing parts of a lesson in another language."""

    status: Literal["draft", "reviewed"] = Field(
        description="`draft` until a fluent reviewer has checked the translation.")
    title: Text | None = Field(None, description="The lesson title in this language.")
    summary: Text | None = Field(None, description="The summary in this language.")
    family_guide: FamilyGuideTranslation = Field(description="The family guide.")
    handouts: dict[Slug, HandoutTranslation] = Field(
        default_factory=dict, description="Student handouts in this language, by handout id.")
    screen: dict[Text, list[Slide]] = Field(
        default_factory=dict, description="What the class sees during a step, in this "
        "language, by the step's title (as in English). The lesson's deck in this language holds "
        "the steps written here, in teaching order; steps left out stay in the English deck.")
    vocabulary: list[Term] = Field(
        default_factory=list, description="The lesson's words in this language, one for each "
        "English word, in the same order; shown as a review after the steps in this language's "
        "deck.")
    exit_ticket: list[Text] = Field(
        default_factory=list, description="The exit ticket's prompts in this language, one for "
        "each English prompt, in the same order; shown one per slide in this language's deck.")


class Lesson(Model):
    """One lesson of one band."""

    id: Slug = Field(description="Unique id across the curriculum; also the file name.")
    title: Text = Field(description="The lesson title.")
    band: Slug = Field(description="Id of the band from `lessons/bands.yml`.")
    order: int = Field(description="Position within the band, from 1.", ge=1)
    minutes: int = Field(description="Total length; the minutes of the steps that are not "
                         "optional must add up to it.",
                         ge=5, le=180)
    summary: Text = Field(description="One or two sentences on what the lesson does.")
    review: Review = Field(description="Review status; every lesson starts as `draft`.")
    content_note: Text = Field(description="For the facilitator: what in this lesson may be "
                               "hard for someone, and how to prepare.")
    disclosure_reminder: Text = Field(description="What to do if a student discloses harm.")
    topics: list[Slug] = Field(description="Topic ids from `lessons/topics.yml`.", min_length=1)
    alignment: list[Text] = Field(
        description="Framework codes, qualified by framework: `unesco:4.2`, `nses:CHR.5.CC.2`.",
        min_length=1)
    objectives: list[Objective] = Field(description="Learning objectives.", min_length=1)
    vocabulary: list[Term] = Field(default_factory=list, description="Words taught.")
    materials: list[Text] = Field(description="What to have in the room.", min_length=1)
    preparation: list[Text] = Field(description="What to do before the lesson.", min_length=1)
    steps: list[Step] = Field(description="The timed steps, in order.", min_length=1)
    discussion: list[DiscussionQuestion] = Field(description="Discussion questions.",
                                                 min_length=1)
    scenarios: list[Scenario] = Field(default_factory=list,
                                      description="Stories told one step removed.")
    assessment: Assessment = Field(description="The exit ticket or other check.")
    differentiation: Differentiation = Field(description="Adaptations for different learners.")
    handouts: list[Handout] = Field(description="Student handouts.", min_length=1)
    family_guide: FamilyGuide = Field(description="The family guide, in English.")
    translations: dict[LanguageCode, LessonTranslation] = Field(
        default_factory=dict, description="Family-facing text in other languages, by code.")
