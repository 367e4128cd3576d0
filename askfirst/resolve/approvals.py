"""Resolve stage for a school's reviews: the fingerprint of each lesson as this school teaches it,
and each lesson's approval status — approved, stale (changed since it was approved), changes
requested, or not reviewed.

A lesson's text in a school's build comes from upstream, the school's overrides and its
configuration values; the fingerprint covers all three, so that an upstream update or a local
edit of an approved lesson makes its approval stale, and says which fields changed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from askfirst.load.curriculum import Curriculum
from askfirst.models import Lesson
from askfirst.models.review import ReviewRecord
from askfirst.resolve.placeholders import config_values, fill

State = Literal["approved", "stale", "changes requested", "not reviewed"]


def _filled(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        return fill(value, values)
    if isinstance(value, list):
        return [_filled(item, values) for item in value]
    if isinstance(value, dict):
        return {key: _filled(item, values) for key, item in value.items()}
    return value


def _digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Fingerprint:
    """The digest of a lesson as this school teaches it, and of each of its fields."""

    whole: str
    fields: dict[str, str]


def fingerprint(lesson: Lesson, values: dict[str, str]) -> Fingerprint:
    """A lesson's fingerprint with the configuration values it names filled in. The authors'
    own review status is left out: approval is the school's."""
    data = _filled(lesson.model_dump(mode="json", exclude={"review"}), values)
    fields = {name: _digest(value) for name, value in sorted(data.items())}
    return Fingerprint(_digest(fields), fields)


@dataclass(frozen=True)
class Approval:
    """Where one lesson stands with the school's reviewers."""

    lesson: str
    state: State
    record: ReviewRecord | None = None
    changed: list[str] = field(default_factory=list)

    @property
    def roles(self) -> str:
        """Who approved, by role (the committee when there is one)."""
        if self.record is None:
            return ""
        if self.record.committee:
            return self.record.committee
        return ", ".join(dict.fromkeys(r.role for r in self.record.reviewers))

    def as_json(self) -> dict[str, Any]:
        """The status as data, for `askfirst review --format json`."""
        record = self.record
        return {"lesson": self.lesson, "state": self.state, "changed": self.changed,
                "date": record.date.isoformat() if record else None,
                "by": self.roles or None,
                "reviewers": [r.model_dump() for r in record.reviewers] if record else [],
                "notes": record.notes if record else None}


def approvals(cur: Curriculum) -> dict[str, Approval]:
    """Every published lesson's approval status, from the latest review that names it."""
    values = config_values(cur.config.model, cur.config.model.languages[0])
    latest: dict[str, tuple[ReviewRecord, dict[str, str], str]] = {}
    for entry in cur.reviews:  # oldest first: a later review wins
        for reviewed in entry.model.lessons:
            latest[reviewed.id] = (entry.model, reviewed.fields, reviewed.fingerprint)
    out: dict[str, Approval] = {}
    for item in cur.lessons:
        lesson = item.model
        found = latest.get(lesson.id)
        if found is None:
            out[lesson.id] = Approval(lesson.id, "not reviewed")
            continue
        record, fields, whole = found
        if record.decision == "changes requested":
            out[lesson.id] = Approval(lesson.id, "changes requested", record)
            continue
        now = fingerprint(lesson, values)
        if now.whole == whole:
            out[lesson.id] = Approval(lesson.id, "approved", record)
        else:
            changed = sorted(name for name in set(now.fields) | set(fields)
                             if now.fields.get(name) != fields.get(name))
            out[lesson.id] = Approval(lesson.id, "stale", record, changed)
    return out


@dataclass(frozen=True)
class StatusText:
    """How a lesson's status reads on its pages: a short title and a sentence."""

    approved: bool
    title: str
    text: str


def status_text(approval: Approval, authors_status: str, words: dict[str, str]) -> StatusText:
    """A lesson's status in the words of a language: approved by the school, or a draft with
    the reason (not reviewed, changes requested, or changed since it was approved)."""
    record = approval.record
    date = record.date.isoformat() if record else ""
    fill_in = {"{by}": approval.roles, "{date}": date, "{fields}": ", ".join(approval.changed)}

    def word(key: str) -> str:
        text = words[key]
        for name, value in fill_in.items():
            text = text.replace(name, value)
        return text

    if approval.state == "approved":
        return StatusText(True, word("approved_title"), word("approved_text"))
    reason = {"stale": "status_stale", "changes requested": "status_changes_requested",
              "not reviewed": f"status_{authors_status}"}[approval.state]
    title = words["stale_title"] if approval.state == "stale" else \
        words["draft_label"].capitalize()
    return StatusText(False, title, word(reason))
