"""Resolve stage: each piece of family-facing text in the language being rendered.

A field missing from a translation falls back to the source language and is marked, so that
templates can show a visible notice and `validate` can list it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from askfirst.models import Band, FamilyGuide, Lesson, ParentGuide
from askfirst.models.guides import ParentGuideText


@dataclass(frozen=True)
class FamilyText:
    """A lesson's family guide in one language."""

    title: str
    summary: str
    guide: FamilyGuide
    language: str
    fallback: frozenset[str] = field(default_factory=frozenset)
    draft_translation: bool = False


def family_text(lesson: Lesson, language: str, source: str) -> FamilyText:
    """The family guide of a lesson in `language`, English where a field is untranslated."""
    english = FamilyText(lesson.title, lesson.summary, lesson.family_guide, source)
    if language == source:
        return english
    translation = lesson.translations.get(language)
    if translation is None:
        return FamilyText(lesson.title, lesson.summary, lesson.family_guide, language,
                          frozenset({"title", "summary", "learned", "why", "starters",
                                     "activity", "help"}))
    values = lesson.family_guide.model_dump()
    missing = set()
    for name, value in translation.family_guide.model_dump().items():
        if value is None:
            missing.add(name)
        else:
            values[name] = value
    if translation.title is None:
        missing.add("title")
    if translation.summary is None:
        missing.add("summary")
    return FamilyText(
        title=translation.title or lesson.title,
        summary=translation.summary or lesson.summary,
        guide=FamilyGuide.model_validate(values),
        language=language,
        fallback=frozenset(missing),
        draft_translation=translation.status == "draft",
    )


@dataclass(frozen=True)
class ParentText:
    """A band's parent guide in one language."""

    text: ParentGuideText
    fallback: bool
    draft_translation: bool


def parent_text(guide: ParentGuide, language: str, source: str) -> ParentText:
    """A parent guide in `language`, or in English with a notice."""
    if language == source:
        return ParentText(guide.text, False, False)
    translation = guide.translations.get(language)
    if translation is None:
        return ParentText(guide.text, True, False)
    return ParentText(translation.text, False, translation.status == "draft")


@dataclass(frozen=True)
class BandText:
    """A band's labels in one language."""

    id: str
    title: str
    ages: str
    grades: str


def band_text(band: Band, language: str) -> BandText:
    """A band's title, ages and grades in `language` where translated."""
    tr = band.translations.get(language)
    return BandText(
        id=band.id,
        title=(tr.title if tr and tr.title else band.title),
        ages=(tr.ages if tr and tr.ages else band.ages),
        grades=(tr.grades if tr and tr.grades else band.grades),
    )
