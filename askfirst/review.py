"""`askfirst review`: where each lesson stands with the school's reviewers, and recording a
review without editing YAML."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from askfirst.errors import AskFirstError, UsageError, relative
from askfirst.load.curriculum import REVIEWS_DIR, Curriculum
from askfirst.models import Lesson
from askfirst.models.review import Reviewer, ReviewRecord
from askfirst.pipeline import published_bands
from askfirst.render.text import slug
from askfirst.resolve.approvals import Approval, approvals, fingerprint
from askfirst.resolve.placeholders import config_values

LABELS = {"approved": "approved", "stale": "STALE", "changes requested": "changes requested",
          "not reviewed": "not reviewed"}


def published(cur: Curriculum) -> list[Lesson]:
    """The lessons this project publishes, band by band, in teaching order."""
    return [lesson for band in published_bands(cur) for lesson in cur.lessons_of(band.id)]


def status(cur: Curriculum) -> list[Approval]:
    """The approval status of every published lesson."""
    found = approvals(cur)
    return [found[lesson.id] for lesson in published(cur)]


def status_lines(cur: Curriculum) -> list[str]:
    """The status as text, a line per lesson and a summary."""
    rows = status(cur)
    lines = []
    for row in rows:
        line = f"{row.lesson}: {LABELS[row.state]}"
        if row.record is not None:
            line += f" ({row.roles}, {row.record.date.isoformat()})"
        if row.changed:
            line += f"; changed since: {', '.join(row.changed)}"
        lines.append(line)
    counts = {state: sum(1 for r in rows if r.state == state) for state in LABELS}
    lines.append(f"{counts['approved']} of {len(rows)} lesson(s) approved, {counts['stale']} "
                 f"stale, {counts['changes requested']} with changes requested, "
                 f"{counts['not reviewed']} not reviewed")
    return lines


def status_json(cur: Curriculum) -> list[dict[str, Any]]:
    """The status as data."""
    return [row.as_json() for row in status(cur)]


def approve(cur: Curriculum, lesson_ids: list[str], band_ids: list[str], reviewer: str,
            role: str, committee: str | None, date: dt.date, decision: str,
            notes: str | None) -> Path:
    """Record a review of lessons, with the fingerprint of each as this school teaches it;
    returns the file written (`reviews/<date>-<committee or role>.yml`)."""
    chosen: list[Lesson] = []
    known = {lesson.id: lesson for lesson in published(cur)}
    for band_id in band_ids:
        if cur.band(band_id) is None:
            names = ", ".join(b.id for b in published_bands(cur))
            raise UsageError(f"--band {band_id}: no such band; use one of: {names}")
        chosen += cur.lessons_of(band_id)
    for lesson_id in lesson_ids:
        if lesson_id not in known:
            raise UsageError(f"--lesson {lesson_id}: no published lesson with this id; "
                             "`askfirst review` lists them")
        chosen.append(known[lesson_id])
    if not chosen:
        raise UsageError("name the lessons reviewed with --lesson ID or --band ID")
    values = config_values(cur.config.model, cur.config.model.languages[0])
    lessons = []
    for lesson in {lesson.id: lesson for lesson in chosen}.values():
        mark = fingerprint(lesson, values)
        lessons.append({"id": lesson.id, "fingerprint": mark.whole, "fields": mark.fields})
    record = ReviewRecord.model_validate({
        "date": date, "committee": committee, "reviewers": [Reviewer(name=reviewer, role=role)],
        "decision": decision, "notes": notes, "lessons": lessons})
    folder = cur.project.root / REVIEWS_DIR
    folder.mkdir(exist_ok=True)
    stem = f"{date.isoformat()}-{slug(committee or role)}"
    target = folder / f"{stem}.yml"
    number = 2
    while target.exists():
        target = folder / f"{stem}-{number}.yml"
        number += 1
    data = record.model_dump(mode="json", exclude_none=True)
    header = ("# A review of lessons, written by `askfirst review approve`. Each fingerprint is "
              "the\n# lesson as this school teaches it; when the lesson changes, its approval "
              "is stale.\n")
    try:
        target.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                          encoding="utf-8")
    except OSError as exc:
        raise AskFirstError(f"{relative(target)}: cannot write ({exc.strerror})") from None
    return target
