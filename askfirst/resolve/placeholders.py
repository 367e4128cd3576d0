"""Configuration values that lesson text may name, such as `{{ contacts.counsellor.name }}`.

Lesson prose never states a law or a phone number; it names a configuration value, and this
module fills it in for the language being rendered. Only these dotted names are understood; no
code runs, so a lesson from an untrusted source cannot do anything but name a value.
"""

from __future__ import annotations

import re

from askfirst.models import CurriculumSettings
from askfirst.models.project import POLICY_FIELDS, Contact, Jurisdiction

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
TEMPLATE_SYNTAX = re.compile(r"\{%|%\}|\{#|#\}")
_CONTACT_FIELDS = ("name", "phone", "text", "url", "how", "description")



def contact_line(contact: Contact) -> str:
    """A contact as one line of text: name, then how to reach it."""
    url = contact.url.removeprefix("https://").removeprefix("http://") if contact.url else None
    ways = [w.rstrip(".") for w in (contact.phone, contact.text, contact.how, url) if w]
    return f"{contact.name} ({'; '.join(ways)})" if ways else contact.name


def config_values(config: CurriculumSettings, language: str) -> dict[str, str]:
    """Every value a lesson may name, in the given language where a translation exists."""
    law: Jurisdiction = config.jurisdiction_translations.get(language, config.jurisdiction)
    contacts = {**config.contacts, **config.contact_translations.get(language, {})}
    values = {
        "school.name": config.school.name,
        "curriculum.title": config.title,
        "curriculum.version": config.version,
        "curriculum.released": config.released.isoformat(),
        "curriculum.license": config.license_translations.get(language, config.license),
        "jurisdiction.name": law.name,
        "jurisdiction.age_of_consent": law.age_of_consent,
        "jurisdiction.image_sharing": law.image_sharing,
        "jurisdiction.reporting": law.reporting,
    }
    for name in POLICY_FIELDS:
        value = getattr(law, name) or getattr(config.jurisdiction, name)
        if value:
            values[f"jurisdiction.{name}"] = value
    for key, contact in contacts.items():
        values[f"contacts.{key}"] = contact_line(contact)
        for name in _CONTACT_FIELDS:
            value = getattr(contact, name)
            if value:
                values[f"contacts.{key}.{name}"] = value
    return values


def oldest_age(ages: str) -> int | None:
    """The oldest age in a band's ages label, such as 11 in `8–11`."""
    numbers = [int(n) for n in re.findall(r"\d+", ages)]
    return max(numbers) if numbers else None


def fits(contact: Contact, english: Contact, language: str, oldest: int | None) -> bool:
    """Whether a contact belongs on a page in `language` for students up to age `oldest`:
    it answers in that language (when its languages are known), and it serves students of the
    band (a band whose oldest students are `min_age` or younger is mostly too young for it)."""
    languages = contact.languages or english.languages
    min_age = contact.min_age if contact.min_age is not None else english.min_age
    if languages is not None and language not in languages:
        return False
    return min_age is None or oldest is None or oldest > min_age


def local_settings(config: CurriculumSettings, language: str,
                   ages: str | None = None) -> dict[str, object]:
    """The contacts and law of the project in `language`, for templates to list; with a band's
    `ages`, only the contacts that serve that band."""
    contacts = {**config.contacts, **config.contact_translations.get(language, {})}
    oldest = oldest_age(ages) if ages else None
    order = {"school": 0, "local": 1, "national": 2, "emergency": 3}
    chosen = [c for key, c in contacts.items()
              if fits(c, config.contacts.get(key, c), language, oldest)]
    return {
        "contacts": sorted(chosen, key=lambda c: order[c.kind]),
        "law": config.jurisdiction_translations.get(language, config.jurisdiction),
    }


def unknown_names(text: str, values: dict[str, str]) -> list[str]:
    """Names in `{{ … }}` that the configuration does not define."""
    return [m.group(1) for m in PLACEHOLDER.finditer(text) if m.group(1) not in values]


def fill(text: str, values: dict[str, str]) -> str:
    """Replace each `{{ name }}` with its configured value (unknown names are left visible)."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
