"""Render stage for the board packet: what a board or health committee reads before it decides,
gathered once for the PDF and the site page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from askfirst.load.curriculum import Curriculum
from askfirst.models import Band, Lesson
from askfirst.models.review import ReviewRecord
from askfirst.resolve.approvals import Approval, status_text
from askfirst.resolve.translations import NotificationLetter, notification_letter, sensitive_of
from askfirst.validate.coverage import BandCoverage, coverage
from askfirst.validate.readability import ReadingLevels, student_text

MARKS = ["anatomy", "sex-education", "gender-identity", "sexual-orientation", "sexual-violence",
         "pornography", "self-harm"]


@dataclass(frozen=True)
class BoardData:
    """Everything in the board packet but the lessons' own pages."""

    summary: list[dict[str, Any]]
    statuses: list[dict[str, Any]]
    matrix: list[dict[str, Any]]
    marks: list[str]
    reading: list[dict[str, Any]]
    letters: list[tuple[Band, NotificationLetter]]
    lessons: list[tuple[Band, list[Lesson]]]
    coverage: list[BandCoverage]
    history: list[ReviewRecord]


def board_data(cur: Curriculum, bands: list[Band], approvals: dict[str, Approval],
               topics: dict[str, list[str]], words: dict[str, str],
               language: str, measured: ReadingLevels) -> BoardData:
    """The board packet's contents for these bands, in `language` (reading levels from those
    validation measured)."""
    source = cur.config.model.languages[0]
    summary, statuses, matrix, reading, letters, lessons_by_band = [], [], [], [], [], []
    for band in bands:
        lessons = cur.lessons_of(band.id)
        approved = 0
        levels = []
        for lesson in lessons:
            status = status_text(approvals[lesson.id], lesson.review.status, words)
            approved += status.approved
            statuses.append({"band": band.title, "order": lesson.order, "title": lesson.title,
                             "status": status.text, "approved": status.approved})
            matrix.append({"band": band.title, "title": lesson.title,
                           "marks": sensitive_of(lesson, topics)})
            levels.append(measured.measure(student_text(lesson), source))
        summary.append({"title": band.title, "ages": band.ages, "lessons": len(lessons),
                        "minutes": band.minutes, "total": len(lessons) * band.minutes,
                        "approved": approved})
        if levels:
            reading.append({"title": band.title, "target": band.reading_grade,
                            "low": min(x.grade for x in levels),
                            "high": max(x.grade for x in levels), "formula": levels[0].formula})
        letters.append((band, notification_letter(cur.config.model.notification, lessons,
                                                  language, source, words, topics)))
        lessons_by_band.append((band, lessons))
    chosen = {band.id for band in bands}
    return BoardData(summary, statuses, matrix, MARKS, reading, letters, lessons_by_band,
                     [c for c in coverage(cur) if c.band.id in chosen],
                     list(reversed([item.model for item in cur.reviews])))
