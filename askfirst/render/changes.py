"""What a school's curriculum changes from the curriculum it extends: the changes report.

School boards and parents reviewing materials read it: lessons added, removed and reordered,
bands and policy changed, each patched field with its upstream and local text side by side,
and the lessons whose classroom slides differ because of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from askfirst.load.curriculum import Curriculum
from askfirst.load.overlay import AppliedChange
from askfirst.models import Lesson
from askfirst.resolve.slides import deck


@dataclass(frozen=True)
class Moved:
    """A lesson taught at another position than upstream."""

    band: str
    lesson: Lesson
    upstream: int
    local: int


@dataclass(frozen=True)
class FieldChange:
    """A band or topic setting changed by the school."""

    what: str
    name: str
    upstream: str
    local: str


@dataclass
class ChangeReport:
    """Every difference between a curriculum and its upstream."""

    school: str
    upstream: str
    added: list[Lesson] = field(default_factory=list)
    removed: list[Lesson] = field(default_factory=list)
    moved: list[Moved] = field(default_factory=list)
    patched: list[AppliedChange] = field(default_factory=list)
    settings: list[FieldChange] = field(default_factory=list)
    slides_changed: list[Lesson] = field(default_factory=list)  # what the class sees differs

    @property
    def empty(self) -> bool:
        """True when the curriculum is the same as upstream."""
        return not (self.added or self.removed or self.moved or self.patched or self.settings)


def as_text(value: Any) -> str:
    """A field's value as readable text: prose as it is, anything else as YAML."""
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return value
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=72).strip()


def compare(cur: Curriculum, upstream: Curriculum) -> ChangeReport:
    """The report of what `cur` changes from `upstream`."""
    report = ChangeReport(school=cur.config.model.school.name,
                          upstream=f"{upstream.config.model.title} "
                                   f"{upstream.config.model.version}")
    mine = {s.model.id: s.model for s in cur.lessons}
    theirs = {s.model.id: s.model for s in upstream.lessons}
    report.added = [lesson for i, lesson in sorted(mine.items()) if i not in theirs]
    report.removed = [lesson for i, lesson in sorted(theirs.items()) if i not in mine]
    for lesson_id, lesson in mine.items():
        before = theirs.get(lesson_id)
        if before and (before.order != lesson.order or before.band != lesson.band):
            report.moved.append(Moved(lesson.band, lesson, before.order, lesson.order))
    report.moved.sort(key=lambda m: (m.band, m.local))
    report.slides_changed = [lesson for lesson_id, lesson in sorted(mine.items())
                             if lesson_id in theirs and _slides_differ(theirs[lesson_id], lesson)]
    report.patched = list(cur.changes)
    their_bands = {b.model.id: b.model for b in upstream.bands}
    for item in cur.bands:
        band = item.model
        old = their_bands.get(band.id)
        if old is None:
            report.settings.append(FieldChange("band", band.id, "(none)",
                                               f"{band.title}, ages {band.ages}"))
            continue
        for name in ("title", "ages", "grades", "minutes", "reading_grade", "handout_face"):
            if getattr(old, name) != getattr(band, name):
                report.settings.append(FieldChange(f"band {band.id}", name,
                                                   str(getattr(old, name)),
                                                   str(getattr(band, name))))
    their_topics = {t.model.id: t.model for t in upstream.topics}
    for topic_item in cur.topics:
        topic = topic_item.model
        old_topic = their_topics.get(topic.id)
        if old_topic is None:
            report.settings.append(FieldChange("topic", topic.id, "(none)", topic.title))
        elif old_topic.youngest_band != topic.youngest_band:
            report.settings.append(FieldChange(f"topic {topic.id}", "youngest band",
                                               old_topic.youngest_band, topic.youngest_band))
    return report


def _slides_differ(before: Lesson, after: Lesson) -> bool:
    """Whether a lesson's slides, in any of its languages, differ from upstream's."""
    languages = [None, *sorted(set(before.translations) | set(after.translations))]
    return any(deck(before, [], "", lang) != deck(after, [], "", lang) for lang in languages)


def report_lines(report: ChangeReport) -> list[str]:
    """The report as plain text lines, for the terminal."""
    lines = [f"{report.school}: changes from {report.upstream}"]
    if report.empty:
        return [*lines, "no changes"]
    for lesson in report.added:
        lines.append(f"added: {lesson.band}/{lesson.id} — {lesson.title}")
    for lesson in report.removed:
        lines.append(f"removed: {lesson.band}/{lesson.id} — {lesson.title}")
    for moved in report.moved:
        lines.append(f"reordered: {moved.band}/{moved.lesson.id} from {moved.upstream} "
                     f"to {moved.local}")
    for change in report.patched:
        lines.append(f"patched: {change.lesson} {change.operation} {change.path} "
                     f"({change.where})")
    for setting in report.settings:
        lines.append(f"changed: {setting.what} {setting.name}: {setting.upstream} → "
                     f"{setting.local}")
    for lesson in report.slides_changed:
        lines.append(f"slides: {lesson.band}/{lesson.id} — what the class sees on the screen "
                     "changes with it")
    return lines


def report_rows(report: ChangeReport) -> list[dict[str, str | None]]:
    """Each patched field with its upstream and local text, for the templates."""
    return [{"lesson": c.lesson, "operation": c.operation, "path": c.path,
             "before": as_text(c.before), "after": as_text(c.after), "reason": c.reason,
             "where": c.where} for c in report.patched]
