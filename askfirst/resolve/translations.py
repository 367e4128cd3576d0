"""Resolve stage: each piece of family-facing text in the language being rendered.

A field missing from a translation falls back to the source language and is marked, so that
templates can show a visible notice and `validate` can list it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from askfirst.models import Band, FamilyGuide, Lesson, ParentGuide
from askfirst.models.guides import ParentGuideText
from askfirst.models.lesson import Picture
from askfirst.models.project import Notification, NotificationText
from askfirst.render.text import plain


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
    evidence: str | None = None


def band_text(band: Band, language: str) -> BandText:
    """A band's title, ages and grades in `language` where translated."""
    tr = band.translations.get(language)
    return BandText(
        id=band.id,
        title=(tr.title if tr and tr.title else band.title),
        ages=(tr.ages if tr and tr.ages else band.ages),
        grades=(tr.grades if tr and tr.grades else band.grades),
        evidence=(tr.evidence if tr and tr.evidence else band.evidence),
    )


@dataclass(frozen=True)
class HandoutItemText:
    """One handout item as printed."""

    text: str
    choices: tuple[str, ...]
    lines: int
    draw: bool
    icon: str | None = None
    section: str | None = None  # a heading above the item
    number: int = 0  # from 1, again after each section heading


@dataclass(frozen=True)
class HandoutText:
    """A student handout in one language, ready to print."""

    lesson_id: str
    lesson_title: str
    id: str
    title: str
    instructions: str
    layout: str
    items: tuple[HandoutItemText, ...]
    language: str
    anchor: str  # the handout's id in print HTML, unique across languages
    picture: Picture | None = None
    fallback: bool = False
    draft_translation: bool = False


# Card sheets print their instructions under a "For the teacher" label of their own.
_TEACHER_LABEL = re.compile(r"^\s*(for the teacher|para (el|la) (docente|maestr[oa])[^:.]{0,20})"
                            r"\s*[:.]\s*", re.IGNORECASE)


def _for_teacher(text: str) -> str:
    """Instructions without a "For the teacher" label of their own (the page prints one)."""
    rest = _TEACHER_LABEL.sub("", text)
    return rest[:1].upper() + rest[1:]


def handout_texts(lesson: Lesson, language: str, source: str) -> list[HandoutText]:
    """Every handout of a lesson in `language`; an untranslated one in the source language,
    marked as a fallback."""
    translation = lesson.translations.get(language) if language != source else None
    local_title = family_text(lesson, language, source).title
    out = []
    for handout in lesson.handouts:
        local = translation.handouts.get(handout.id) if translation else None
        items = tuple(
            HandoutItemText(
                text=local.items[i].text if local else item.text,
                choices=tuple(local.items[i].choices if local else item.choices),
                lines=item.lines, draw=item.draw, icon=item.icon,
                section=(local.items[i].section or item.section) if local else item.section,
                number=number)
            for i, (item, number) in enumerate(zip(handout.items, handout.item_numbers(),
                                                   strict=True)))
        out.append(HandoutText(
            lesson_id=lesson.id,
            lesson_title=local_title if local else lesson.title,
            id=handout.id,
            title=local.title if local else handout.title,
            instructions=_for_teacher(local.instructions if local else handout.instructions)
            if handout.layout == "cards" else (local.instructions if local
                                               else handout.instructions),
            layout=handout.layout,
            items=items,
            language=language if local or language == source else source,
            anchor=f"handout-{lesson.id}-{handout.id}"
            + ("" if language == source else f"-{language}"),
            picture=handout.picture,
            fallback=language != source and local is None,
            draft_translation=bool(local and translation and translation.status == "draft"),
        ))
    return out


def step_uses(lesson: Lesson) -> list[list[str]]:
    """For each step, what it uses, in words: its handouts by title, its scenarios and its
    discussion questions by number."""
    titles = {h.id: h.title for h in lesson.handouts}
    out = []
    for step in lesson.steps:
        uses = [f"handout “{plain(titles.get(h, h), {})}”" for h in step.handouts]
        uses += [f"scenario “{plain(title, {})}”" for title in step.scenarios]
        if step.discussion:
            numbers = ", ".join(str(n) for n in step.discussion)
            word = "question" if len(step.discussion) == 1 else "questions"
            uses.append(f"discussion {word} {numbers}")
        out.append(uses)
    return out


@dataclass(frozen=True)
class LessonLine:
    """A lesson in a list for families: its title, the first sentence of its summary, and what
    in it a family may treat as sensitive (in the letter's words)."""

    title: str
    sentence: str
    sensitive: list[str] = field(default_factory=list)


def sensitive_of(lesson: Lesson, topics: dict[str, list[str]]) -> list[str]:
    """What a lesson touches that families or a state may treat as sensitive, from the topics
    policy (`sensitive:` in lessons/topics.yml), in a fixed order."""
    found = {mark for topic in lesson.topics for mark in topics.get(topic, [])}
    order = ["anatomy", "sex-education", "gender-identity", "sexual-orientation",
             "sexual-violence", "pornography", "self-harm"]
    return [mark for mark in order if mark in found]


@dataclass(frozen=True)
class NotificationLetter:
    """The letter that tells families about a band's lessons before they are taught."""

    language: str
    lessons: list[LessonLine]
    text: NotificationText
    choice: str
    ticks: list[str]
    draft_translation: bool


_OPEN, _CLOSE = "(«“", ")»”"


def first_sentence(text: str) -> str:
    """The first sentence of a text: up to the first full stop, question or exclamation mark
    that is followed by a space and not inside brackets or quotation marks."""
    flat = " ".join(text.split())
    depth, quoted = 0, False
    for i, char in enumerate(flat):
        if char == '"':
            quoted = not quoted
        elif char in _OPEN:
            depth += 1
        elif char in _CLOSE:
            depth = max(0, depth - 1)
        elif (char in ".!?" and depth == 0 and not quoted
              and (i + 1 == len(flat) or flat[i + 1] == " ")):
            return flat[: i + 1]
    return flat


def notification_letter(notification: Notification, lessons: list[Lesson], language: str,
                        source: str, words: dict[str, str],
                        topics: dict[str, list[str]] | None = None) -> NotificationLetter:
    """The notification letter in `language`: the school's words, its policy, and each lesson
    in a sentence from the lessons themselves."""
    text = notification.text(language)
    policy = notification.policy
    choice = words[f"choice_{policy}"].replace("{return_by}", text.return_by or "").replace(
        "{alternative}", text.alternative or "")
    choice = re.sub(r"\s+([.,;])", r"\1", re.sub(r"\s{2,}", " ", choice)).strip()
    ticks = ([words["slip_opt-in_yes"], words["slip_opt-in_no"]] if policy == "opt-in"
             else [words[f"slip_{policy}"]])
    lines = []
    for lesson in lessons:
        local = family_text(lesson, language, source)
        marks = [words[f"sensitive_{mark}"] for mark in sensitive_of(lesson, topics or {})]
        lines.append(LessonLine(local.title, first_sentence(local.summary), marks))
    draft = language != source and (language not in notification.translations or any(
        lesson.translations.get(language) is None
        or lesson.translations[language].status == "draft" for lesson in lessons))
    return NotificationLetter(language, lines, text, choice, ticks, draft)
