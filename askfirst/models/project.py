"""A curriculum project's configuration, `askfirst.yml`: school, law, contacts, paper, languages."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field

from askfirst.models.base import LanguageCode, Model, Slug, Text
from askfirst.models.overlay import Selection


class Colors(Model):
    """Brand colours for the site and the packets' accents."""

    primary: Text = Field("#5b2a86", description="Main colour, as `#rrggbb`.",
                          pattern=r"^#[0-9a-fA-F]{6}$")
    accent: Text = Field("#b5446e", description="Accent colour, as `#rrggbb`.",
                         pattern=r"^#[0-9a-fA-F]{6}$")


class School(Model):
    """Who publishes this copy of the curriculum."""

    name: Text = Field(description="School, district or organisation name.")
    logo: Text | None = Field(None, description="Path of a logo image inside the project.")
    logo_alt: Text | None = Field(None, description="Text that describes the logo.")
    colors: Colors = Field(default_factory=Colors, description="Brand colours.")
    website: Text | None = Field(None, description="The school's web address.")


class Link(Model):
    """A link to an outside source, printed as text (the build fetches nothing)."""

    title: Text = Field(description="What the link is.")
    url: Text = Field(description="Its address.")


# The school's policy texts that lessons may name; a project that extends another inherits those
# it does not set.
POLICY_FIELDS = ("peer_disclosure", "asking_for_help", "image_received", "harm_concern")


class Jurisdiction(Model):
    """The law where the curriculum is taught. Lessons reference it; they never state it."""

    name: Text = Field(description="The place, e.g. `Check your state's law`.")
    age_of_consent: Text = Field(description="What the law says about the age of consent.")
    image_sharing: Text = Field(description="What the law says about sharing sexual images.")
    reporting: Text = Field(description="Who must report suspected abuse, and to whom.")
    peer_disclosure: Text | None = Field(
        None, description="The school's rule for a student whose friend tells them about abuse "
        "or assault: who they tell, and that they do not carry it alone. A project that "
        "extends another takes its text when this is not set.")
    asking_for_help: Text | None = Field(
        None, description="What happens when a student asks staff for help with an image, "
        "abuse or harassment, as the school's policy says it (no promise the policy does not "
        "make). Taken from the extended project when not set.")
    harm_concern: Text | None = Field(
        None, description="What staff do when a student talks about hurting themselves or "
        "someone else (the school's suicide-risk and threat-assessment procedure, in short). "
        "Taken from the extended project when not set.")
    image_received: Text | None = Field(
        None, description="What a student should do with a sexual image of a young person "
        "that they receive (for example: do not share it, tell an adult; whether to delete it "
        "is for police and school procedure). Taken from the extended project when not set.")
    links: list[Link] = Field(default_factory=list, description="Where to read the law.")


class Contact(Model):
    """A person or service to go to for help."""

    name: Text = Field(description="Name of the person or service.")
    kind: Literal["school", "local", "national", "emergency"] = Field(
        description="Where the contact is.")
    phone: Text | None = Field(None, description="Phone number.")
    text: Text | None = Field(None, description="How to reach it by text message.")
    url: Text | None = Field(None, description="Web address.")
    how: Text | None = Field(None, description="How to reach it otherwise, e.g. `room 12`.")
    description: Text = Field(description="What it is for, and what it is not for.")
    verified: Text | None = Field(None, description="Where and when the number was checked.")
    min_age: int | None = Field(None, description="The youngest age it serves; pages for "
                                "bands whose oldest students are this age or younger leave it "
                                "out.", ge=0, le=120)
    languages: list[LanguageCode] | None = Field(
        None, description="The languages it answers in (default: it is listed in every "
        "language); a page in another language leaves it out.")


class NotificationText(Model):
    """The school's own words in a notification letter, in one language."""

    when: Text | None = Field(None, description="When the lessons are taught, e.g. `In March, "
                              "during health class`.")
    preview: Text | None = Field(None, description="Where and when families can see the "
                                 "materials: a preview evening, the website, the office.")
    contact: Text | None = Field(None, description="Who to contact with questions, and how.")
    alternative: Text | None = Field(None, description="What a child who does not take part "
                                     "does instead.")
    return_by: Text | None = Field(None, description="When the slip must be back, e.g. "
                                   "`by Friday, March 6`.")
    required_text: Text | None = Field(None, description="Any text the district or state "
                                       "requires in the letter, printed as given.")


class Notification(NotificationText):
    """How families are told about the lessons before they are taught, and their choice."""

    policy: Literal["opt-out", "opt-in", "notify-only"] = Field(
        "opt-out", description="`opt-out`: a child takes part unless the family returns the "
        "slip; `opt-in`: a child takes part only with a signed slip; `notify-only`: families "
        "are told, with no choice to make.")
    translations: dict[LanguageCode, NotificationText] = Field(
        default_factory=dict, description="The school's words in other languages, by code.")

    def text(self, language: str) -> NotificationText:
        """The school's words in `language`, each missing one from the source language."""
        local = self.translations.get(language)
        if local is None:
            return self
        merged = {name: getattr(local, name) or getattr(self, name)
                  for name in NotificationText.model_fields}
        return NotificationText(**merged)


class CurriculumSettings(Model):
    """The `askfirst.yml` file of a curriculum project."""

    title: Text = Field("Ask First", description="The curriculum's title.")
    version: Text = Field(description="Curriculum version, printed on every page.")
    released: dt.date = Field(description="Release date; fixes the PDFs' creation date.")
    license: Text = Field(description="The content license.")
    license_translations: dict[LanguageCode, Text] = Field(
        default_factory=dict, description="The license line in other languages, by code.")
    school: School = Field(description="Who publishes this copy.")
    languages: list[LanguageCode] = Field(["en"], description="Site languages; the first is "
                                          "the source language.", min_length=1)
    paper: Literal["letter", "a4"] = Field("letter", description="Paper size of the PDFs.")
    site_engine: Literal["mkdocs", "zensical"] = Field(
        "mkdocs", description="What builds the website: `mkdocs` (MkDocs with Material, the "
        "default) or `zensical` (from Material's makers; install `askfirst[zensical]`).")
    class_size: int = Field(25, description="Students in a class: how many copies the "
                            "'teach it tomorrow' card says to print.", ge=1, le=200)
    jurisdiction: Jurisdiction = Field(description="The law where it is taught.")
    jurisdiction_translations: dict[LanguageCode, Jurisdiction] = Field(
        default_factory=dict, description="The jurisdiction text in other languages.")
    contacts: dict[Slug, Contact] = Field(description="Help contacts, by id.")
    contact_translations: dict[LanguageCode, dict[Slug, Contact]] = Field(
        default_factory=dict, description="Contacts in other languages, by language and id.")
    extends: Text | None = Field(None, description="Another curriculum this one builds on: "
                                 "`askfirst` for the bundled one, or a folder path.")
    bands: list[Slug] | None = Field(
        None, description="The bands this school publishes, by id (default: every band).")
    selection: dict[Slug, Selection] = Field(
        default_factory=dict, description="Per band id: which lessons to teach, in what order.")
    notification: Notification = Field(
        default_factory=Notification, description="The letter that tells families about the "
        "lessons before they are taught, with the school's policy and a return slip.")
