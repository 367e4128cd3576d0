"""Render the print HTML of every PDF: teacher packets, lesson PDFs, handouts, family letters."""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from markupsafe import Markup

from askfirst.load.curriculum import Curriculum
from askfirst.models import Band, Lesson
from askfirst.project import PACKAGE_DIR
from askfirst.render.base import Renderer
from askfirst.render.board import board_data
from askfirst.render.changes import ChangeReport, report_rows
from askfirst.render.environment import PageEnvironment, render
from askfirst.render.memo import RenderMemo
from askfirst.render.outputs import OutputPaths
from askfirst.render.text import inline
from askfirst.resolve.placeholders import PLACEHOLDER, config_values, local_settings
from askfirst.resolve.slides import deck, teach_card
from askfirst.resolve.translations import (
    HandoutText,
    band_text,
    family_text,
    handout_texts,
    notification_letter,
    step_uses,
)
from askfirst.validate.readability import ReadingLevels

FONTS_DIR = PACKAGE_DIR / "fonts"


@dataclass(frozen=True)
class PrintJob:
    """One PDF to make: where it goes, its HTML, and what the PDF says about itself."""

    output: str
    html: str
    title: str
    language: str
    # The outline entries that must each fit on one page: those whose label starts with this
    # text ("" for every entry, as on slides); None for a document that flows freely.
    one_page: str | None = None
    # Laid out in parts (a packet: `<!--part:NAME-->` marks where each begins), joined after.
    in_parts: bool = False


def release_epoch(released: dt.date) -> int:
    """The moment every output is dated: SOURCE_DATE_EPOCH if set, else the release date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return int(epoch)
    return int(dt.datetime.combine(released, dt.time(), tzinfo=dt.UTC).timestamp())


def created_stamp(released: dt.date) -> str:
    """The PDFs' creation date, as the PDF metadata writes it."""
    moment = dt.datetime.fromtimestamp(release_epoch(released), tz=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class PrintRenderer(Renderer):
    """Renders the print HTML of every PDF of the selected bands."""

    def __init__(self, cur: Curriculum, env: PageEnvironment, outputs: OutputPaths,
                 paper: str, memo: RenderMemo | None = None,
                 levels: ReadingLevels | None = None) -> None:
        super().__init__(cur, env, outputs, memo, levels)
        self.paper = paper
        # What every document's context holds, worked out once rather than per document:
        # every lesson's, not only one band's, since the board packet holds several bands.
        self._step_uses = {item.model.id: step_uses(item.model) for item in cur.lessons}
        self._status_lines: dict[str, dict[str, Any]] = {}
        self._cards: dict[tuple[str, str], dict[str, Any]] = {}

    @property
    def card_label(self) -> str:
        """How the outline names a 'teach it tomorrow' card: each must fit on one page."""
        return self.word("teach_tomorrow", self.source) + ":"

    def _status_lines_in(self, lang: str) -> dict[str, Any]:
        if lang not in self._status_lines:
            self._status_lines[lang] = {item.model.id: self.status(item.model, lang).text
                                        for item in self.cur.lessons}
        return self._status_lines[lang]

    def _cards_of(self, band: Band, lang: str) -> dict[str, Any]:
        """The 'teach it tomorrow' cards of a band's lessons."""
        if (band.id, lang) not in self._cards:
            self._cards[band.id, lang] = {
                lesson.id: teach_card(lesson, self.config.class_size, self.word("copies", lang))
                for lesson in self.cur.lessons_of(band.id)}
        return self._cards[band.id, lang]

    def _context(self, lang: str, band: Band, title: str, running: str) -> dict[str, Any]:
        logo = self.config.school.logo
        return {
            "config": self.config,
            "lang": lang,
            "strings": self.strings,
            "values": config_values(self.config, lang),
            "language_rules": self.words.rules,
            "fonts": FONTS_DIR.as_uri(),
            "paper": self.paper,
            "created": created_stamp(self.config.released),
            "doc_title": title,
            "header_right": _css_text(running),
            "footer_left": _css_text(f"{self.config.title} {self.config.version}"),
            "page_word": _css_text(self.word("page", lang)),
            "of_word": _css_text(self.word("of", lang)),
            "page_words": {language: (_css_text(self.word("page", language)),
                                      _css_text(self.word("of", language)))
                           for language in self.config.languages},
            "direction": self.word("direction", lang),
            "directions": {language: self.word("direction", language)
                           for language in self.config.languages},
            "handout_words": {
                language: (_css_text(self.word("name", language)),
                           _css_text(self.word("date", language)))
                for language in self.config.languages},
            "step_uses": self._step_uses,
            "status_lines": self._status_lines_in(lang),
            "cover_status": self._cover_status(band, lang),
            "cards": self._cards_of(band, lang),
            "layouts": handout_layouts(self.cur.lessons_of(band.id), band, self.paper),
            "band": band,
            "logo": (self.cur.project.root / logo).resolve().as_uri() if logo else None,
            "facilitator": self.cur.facilitator.model if self.cur.facilitator else None,
            "frameworks": [f.model for f in self.cur.frameworks],
            "contacts_by": {language: local_settings(self.config, language, band.ages)["contacts"]
                            for language in self.config.languages},
            **local_settings(self.config, lang, band.ages),
        }

    def _cover_status(self, band: Band, language: str) -> Markup:
        """How many of the band's lessons a qualified educator has reviewed, from the lessons."""
        lessons = self.cur.lessons_of(band.id)
        if self.cur.reviews:  # the school records its own approvals
            approved = sum(1 for lesson in lessons if self.approvals[lesson.id].state
                           == "approved")
            text = self.word("approved_count", language).replace(
                "{approved}", str(approved)).replace("{total}", str(len(lessons)))
            return inline(text, config_values(self.config, language))
        reviewed = sum(1 for lesson in lessons if lesson.review.status == "reviewed")
        key = "cover_all_draft" if reviewed == 0 else "cover_some_reviewed"
        text = self.word(key, language).replace("{reviewed}", str(reviewed)).replace(
            "{total}", str(len(lessons)))
        return inline(text, config_values(self.config, language))

    def _handouts(self, lessons: list[Lesson], language: str) -> list[HandoutText]:
        return [h for lesson in lessons for h in handout_texts(lesson, language, self.source)]

    def jobs(self, bands: list[Band]) -> list[PrintJob]:
        """Every PDF of these bands."""
        return [make() for _, make in self.planned(bands)]

    def planned(self, bands: list[Band]) -> list[tuple[str, Callable[[], PrintJob]]]:
        """Every PDF of these bands, by name, each with what renders it: a site names the
        PDFs it links to without rendering them (`askfirst serve` makes them afterwards)."""
        out: list[tuple[str, Callable[[], PrintJob]]] = []
        paths = self.outputs
        for band in bands:
            lessons = self.cur.lessons_of(band.id)
            out.append((paths.packet(band.id), partial(self.packet, band, lessons)))
            out.append((paths.handouts(band.id), partial(self.handouts, band, lessons)))
            for lang in self.config.languages[1:]:
                out.append((paths.handouts(band.id, lang),
                            partial(self.handouts, band, lessons, lang)))
            for lang in self.config.languages:
                out.append((paths.family_letters(band.id, lang),
                            partial(self.letters, band, lessons, lang)))
                out.append((paths.notification(band.id, lang),
                            partial(self.notification, band, lessons, lang)))
            for lesson in lessons:
                out.append((paths.lesson(band.id, lesson.id), partial(self.lesson, band, lesson)))
                out += [(paths.slides(band.id, lesson.id, lang),
                         partial(self.slides, band, lesson, lang))
                        for lang in self.slide_languages(lesson)]
        return out

    def packet(self, band: Band, lessons: list[Lesson]) -> PrintJob:
        """The band's teacher packet."""
        title = f"{self.config.title}: {band.title} — teacher packet"
        ctx = self._context(self.source, band, title, f"{self.config.title} · {band.title}")
        ctx.update(
            lessons=lessons,
            letters={lesson.id: [family_text(lesson, lang, self.source)
                                 for lang in self.config.languages] for lesson in lessons},
            band_titles={lang: band_text(band, lang).title for lang in self.config.languages},
            glossary=_glossary(lessons),
            handouts=self._handouts(lessons, self.source),
            other_handouts={lang: self.outputs.handouts(band.id, lang).rsplit("/", 1)[-1]
                            for lang in self.config.languages[1:]},
            alignment_rows=self._alignment_rows(lessons),
        )
        return PrintJob(self.outputs.packet(band.id), render(self.env, "print/packet.html.j2",
                                                             ctx), title, self.source,
                        self.card_label, in_parts=True)

    def handouts(self, band: Band, lessons: list[Lesson],
                 language: str | None = None) -> PrintJob:
        """The band's handouts alone, for the photocopier, in the source language or another."""
        lang = language or self.source
        local = band_text(band, lang)
        title = f"{self.config.title}: {local.title} — {self.word('handouts', lang).lower()}"
        ctx = self._context(lang, band, title, f"{self.config.title} · {local.title}")
        ctx.update(lessons=lessons, handouts=self._handouts(lessons, lang))
        return PrintJob(self.outputs.handouts(band.id, language),
                        render(self.env, "print/handouts.html.j2", ctx), title, lang)

    def letters(self, band: Band, lessons: list[Lesson], lang: str) -> PrintJob:
        """The band's family letters in one language."""
        words = self.words_in(lang)
        local = band_text(band, lang)
        title = f"{self.config.title}: {local.title} — {words['family_letters']}"
        ctx = self._context(lang, band, title, f"{self.config.title} · {local.title}")
        ctx.update(
            lessons=lessons,
            letters={lesson.id: [family_text(lesson, lang, self.source)] for lesson in lessons},
            band_titles={lang: local.title},
        )
        return PrintJob(self.outputs.family_letters(band.id, lang),
                        render(self.env, "print/letters.html.j2", ctx), title, lang)

    def slide_languages(self, lesson: Lesson) -> list[str | None]:
        """The languages a lesson has a deck in: the source (None), and each other language
        whose translation writes what the class sees in at least one step."""
        return [None, *(lang for lang in self.config.languages[1:]
                        if lang in lesson.translations and lesson.translations[lang].screen)]

    def _slides_title(self, lesson: Lesson, language: str | None) -> tuple[str, str, str]:
        """A deck's language, the lesson's title in it, and the deck's title."""
        lang = language or self.source
        translation = lesson.translations.get(lang) if language else None
        lesson_title = translation.title if translation and translation.title else lesson.title
        deck_title = f"{self.config.title}: {lesson_title} — {self.word('slides', lang)}"
        return lang, lesson_title, deck_title

    def _slides_context(self, band: Band, lesson: Lesson,
                        language: str | None) -> dict[str, Any]:
        lang, lesson_title, title = self._slides_title(lesson, language)
        local = band_text(band, lang)
        ctx = self._context(lang, band, title, f"{self.config.title} · {local.title}")
        agreements = [self.word(key, lang)
                      for key in ("agreement_pass", "agreement_box", "agreement_names")]
        ctx.update(help_contacts=self._help_contacts(lesson, lang, ctx["contacts"]))
        ctx.update(slides=deck(lesson, agreements, self.word("where_to_get_help", lang),
                               language),
                   primary=self.config.school.colors.primary,
                   lesson=lesson, lesson_title=lesson_title,
                   band_title=local.title,
                   source_lang=self.source)
        return ctx

    def _help_contacts(self, lesson: Lesson, lang: str, contacts: list[Any]) -> list[Any]:
        """Where to get help, in a few lines readable from the back of the room: the school's
        first person, the national lines the lesson itself names (up to three; the band's first
        line when it names none), and emergency services — of those that serve the band and
        answer in the deck's language. Few lines, and the ones the lesson talked about: a
        five-year-old reads every word on the screen."""
        named = {name.split(".")[1] for name in PLACEHOLDER.findall(lesson.model_dump_json())
                 if name.startswith("contacts.")}
        merged = {**self.config.contacts, **self.config.contact_translations.get(lang, {})}
        serving = {id(c) for c in contacts}
        chosen = [c for key, c in merged.items()
                  if key in named and c.kind == "national" and id(c) in serving][:3]
        if not chosen:  # a lesson that names no line: the band's first
            chosen = [c for c in contacts if c.kind == "national"][:1]
        return ([c for c in contacts if c.kind == "school"][:1] + chosen
                + [c for c in contacts if c.kind == "emergency"])

    def slideshow(self, band: Band, lesson: Lesson,
                  language: str | None = None) -> tuple[str, str]:
        """A lesson's slideshow page for the site: its path and HTML."""
        path = self.outputs.slideshow(band.id, lesson.id, language)

        def make() -> str:
            ctx = self._slides_context(band, lesson, language)
            ctx.update(fonts="../" * path.count("/") + "assets/fonts")
            return render(self.env, "site/slideshow.html.j2", ctx)

        return path, self.memo.page(lesson, path, make)

    def slides(self, band: Band, lesson: Lesson, language: str | None = None) -> PrintJob:
        """A lesson's slides for the classroom screen: 16:9, type readable from the back of
        a classroom, only what students see."""
        lang, _, title = self._slides_title(lesson, language)
        path = self.outputs.slides(band.id, lesson.id, language)
        html = self.memo.page(lesson, path, lambda: render(
            self.env, "print/slides.html.j2", self._slides_context(band, lesson, language)))
        return PrintJob(path, html, title, lang, one_page="")

    def notification(self, band: Band, lessons: list[Lesson], lang: str) -> PrintJob:
        """The letter that tells families about the band's lessons before they are taught."""
        local = band_text(band, lang)
        words = self.words_in(lang)
        title = f"{self.config.title}: {local.title} — {words['notification_letter']}"
        ctx = self._context(lang, band, title, f"{self.config.title} · {local.title}")
        ctx.update(band_title=local.title, note=notification_letter(
            self.config.notification, lessons, lang, self.source, words,
                            self.topics))
        return PrintJob(self.outputs.notification(band.id, lang),
                        render(self.env, "print/notification.html.j2", ctx), title, lang)

    def lesson(self, band: Band, lesson: Lesson) -> PrintJob:
        """One lesson: its teacher pages and its handouts."""
        title = f"{self.config.title}: {lesson.title}"
        path = self.outputs.lesson(band.id, lesson.id)

        def make() -> str:
            ctx = self._context(self.source, band, title, f"{self.config.title} · {band.title}")
            ctx.update(lesson=lesson, handouts=[
                h for lang in self.config.languages
                for h in handout_texts(lesson, lang, self.source)
                if lang == self.source or not h.fallback])
            return render(self.env, "print/lesson.html.j2", ctx)

        return PrintJob(path, self.memo.page(lesson, path, make), title, self.source,
                        self.card_label)

    def board(self, bands: list[Band], report: ChangeReport | None) -> PrintJob:
        """The packet for the people who decide: a summary, the review status, what families
        may treat as sensitive, standards and reading levels, the school's changes, the letters
        to families, and every lesson of these bands in full."""
        lang = self.source
        kind = self.word("board_packet", lang)
        title = f"{self.config.school.name}: {self.config.title} — {kind}"
        ctx = self._context(lang, bands[0], title, f"{self.config.title} · {kind}")
        words = self.words_in(lang)
        ctx.update(board=board_data(self.cur, bands, self.approvals, self.topics, words, lang,
                                     self.levels),
                   report=report, rows=report_rows(report) if report else [])
        return PrintJob(self.outputs.board(), render(self.env, "print/board.html.j2", ctx),
                        title, lang)

    def changes(self, report: ChangeReport) -> PrintJob:
        """The report of the school's changes from upstream."""
        band = self.cur.ordered_bands[0]
        title = f"{report.school}: changes from {report.upstream}"
        ctx = self._context(self.source, band, title, f"{self.config.title} · changes")
        ctx.update(report=report, rows=report_rows(report))
        return PrintJob(self.outputs.changes(), render(self.env, "print/changes.html.j2", ctx),
                        title, self.source)

    def _alignment_rows(self, lessons: list[Lesson]) -> list[dict[str, Any]]:
        entries = {f"{f.model.id}:{e.code}": e.title for f in self.cur.frameworks
                   for e in f.model.entries}
        return [{"lesson": f"{lesson.order}. {lesson.title}",
                 "codes": [(code, entries.get(code, "")) for code in lesson.alignment]}
                for lesson in lessons]


PAPER_HEIGHT_MM = {"letter": 279.4, "a4": 297.0}


@dataclass(frozen=True)
class HandoutLayout:
    """How a handout is set: the height of its drawing boxes, or denser type."""

    draw_mm: int = 0  # height of each drawing box
    dense: bool = False  # no box, and a little too long for one page: set tighter


def handout_layouts(lessons: list[Lesson], band: Band, paper: str) -> dict[str, HandoutLayout]:
    """Each handout's layout, so that it fills its page and, where it can, stays on one page.
    An estimate from the text's length: WeasyPrint lays out the page, this only sizes the boxes
    and chooses denser type for a handout a little too long for one page."""
    early = band.handout_face == "beginning-reader"
    line_mm = 8.2 if early else 6.7
    per_line = 50 if early else 66
    available = PAPER_HEIGHT_MM[paper] - 38 - 16
    layouts = {}
    for lesson in lessons:
        for handout in lesson.handouts:
            used = math.ceil(len(handout.instructions) / per_line) * line_mm
            boxes = 0
            for item in handout.items:
                used += math.ceil(len(item.text) / per_line) * line_mm + 3.5
                if item.choices:
                    chars = sum(len(c) + 8 for c in item.choices)
                    used += math.ceil(chars / per_line) * (line_mm + 3) + 2
                used += item.lines * 9.5
                if item.draw:
                    boxes += 1
                    used += 2
            key = f"{lesson.id}/{handout.id}"
            if boxes:
                share = (available - used) / boxes - 2
                layouts[key] = HandoutLayout(draw_mm=int(min(120, max(35, share))))
            elif available < used < available * 1.3:
                layouts[key] = HandoutLayout(dense=True)
    return layouts


@dataclass(frozen=True)
class GlossaryTerm:
    """A vocabulary word of the band, with the lessons that teach it."""

    term: str
    definition: str
    lessons: list[int]


def _glossary(lessons: list[Lesson]) -> list[GlossaryTerm]:
    terms: dict[str, GlossaryTerm] = {}
    for lesson in lessons:
        for t in lesson.vocabulary:
            key = t.term.lower()
            if key in terms:
                terms[key].lessons.append(lesson.order)
            else:
                terms[key] = GlossaryTerm(t.term, t.definition, [lesson.order])
    return sorted(terms.values(), key=lambda t: t.term.lower())


def _css_text(text: str) -> str:
    """Text safe inside a CSS string in double quotes."""
    return "".join(c if c.isalnum() or c in " .,:;·—–-()" else f"\\{ord(c):x} " for c in text)
