"""Render the website's Markdown pages and generated `mkdocs.yml`, one site per language.

Generation happens here, not in MkDocs plugins: MkDocs only turns finished pages into a site
with the Material theme (and the `search` and `offline` plugins, which Zensical supports too).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import yaml
from markupsafe import Markup

from askfirst.errors import AskFirstError, relative
from askfirst.load.curriculum import Curriculum
from askfirst.models import Band
from askfirst.project import PACKAGE_DIR
from askfirst.render.base import Renderer
from askfirst.render.board import board_data
from askfirst.render.changes import ChangeReport, report_rows
from askfirst.render.environment import PageEnvironment, render
from askfirst.render.memo import RenderMemo
from askfirst.render.outputs import OutputPaths
from askfirst.render.text import plain, prose
from askfirst.resolve.placeholders import config_values, local_settings
from askfirst.resolve.translations import (
    band_text,
    family_text,
    notification_letter,
    parent_text,
    step_uses,
)
from askfirst.validate.coverage import coverage
from askfirst.validate.readability import ReadingLevels

SITE_CSS = "assets/askfirst.css"
THEME_DIR = PACKAGE_DIR / "theme"  # overrides of Material's templates
IFRAME_WORKER = "assets/javascripts/iframe-worker-shim.js"


@dataclass
class SitePage:
    """One Markdown page of a site, by its path inside the docs folder."""

    path: str
    text: str


@dataclass
class SiteSource:
    """Everything MkDocs needs to build one language's site."""

    language: str
    prefix: str  # where this site sits inside the output folder: "" or "es/"
    pages: list[SitePage] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    # Fonts for a script that Atkinson Hyperlegible lacks, by family ("Noto Sans Arabic"); the
    # package's fonts/ folder holds them as NotoSansArabic-Regular.ttf and -Bold.ttf.
    script_fonts: list[str] = field(default_factory=list)


def _nav(title: str, values: dict[str, str]) -> str:
    """A navigation title: plain text, with the characters of HTML escaped once (MkDocs takes
    titles from headings already escaped, and labels would show them escaped twice)."""
    text = plain(title, values).replace("<", "‹").replace(">", "›")
    return html.escape(text, quote=False)


def _heading(text: str) -> str | None:
    """A page's title as MkDocs takes it from its first line, `# Title`."""
    first = text.split("\n", 1)[0]
    return html.unescape(first[2:].strip()) if first.startswith("# ") else None


def _titled(nav: list[Any], headings: dict[str, str | None]) -> list[Any]:
    """The navigation with every page named by its title, as MkDocs would take it from the
    page's heading: then no page's title depends on reading its text, and a page can be built
    again alone (see askfirst/build/site_engine.py) without the others losing their titles."""
    titled: list[Any] = []
    for item in nav:
        if isinstance(item, str) and headings.get(item):
            titled.append({html.escape(str(headings[item]), quote=False): item})
        elif isinstance(item, dict):
            titled.append({key: _titled(value, headings) if isinstance(value, list) else value
                           for key, value in item.items()})
        else:
            titled.append(item)
    return titled


def html_path(md_path: str) -> str:
    """The page's address inside its site (MkDocs with `use_directory_urls: false`)."""
    return md_path[: -len(".md")] + ".html"


class SiteRenderer(Renderer):
    """Renders every page of every language's site."""

    def __init__(self, cur: Curriculum, env: PageEnvironment, bands: list[Band],
                 outputs: OutputPaths, pdf_names: set[str],
                 report: ChangeReport | None = None, memo: RenderMemo | None = None,
                 levels: ReadingLevels | None = None) -> None:
        super().__init__(cur, env, outputs, memo, levels)
        self.report = report
        self.bands = bands
        self.pdf_names = pdf_names
        self.source_language = self.source

    def _review_summary(self, language: str) -> Markup:
        """How many lessons are approved: by the school's reviewers when it records reviews,
        else by a qualified educator for the authors, from the lessons themselves."""
        lessons = [lesson for band in self.bands for lesson in self.cur.lessons_of(band.id)]
        if self.cur.reviews:
            states = [self.approvals[lesson.id].state for lesson in lessons]
            text = self.word("review_counts", language)
            for name, value in (("approved", states.count("approved")), ("total", len(states)),
                                ("stale", states.count("stale"))):
                text = text.replace("{" + name + "}", str(value))
            return prose(text, config_values(self.config, language), markdown=True)
        reviewed = sum(1 for lesson in lessons if lesson.review.status == "reviewed")
        key = "review_all_draft" if reviewed == 0 else "review_some"
        text = self.word(key, language).replace("{reviewed}", str(reviewed)).replace(
            "{total}", str(len(lessons)))
        return prose(text, config_values(self.config, language), markdown=True)

    def sites(self) -> list[SiteSource]:
        """One site per configured language; the first language is at the output's root."""
        sites = [self._site(lang) for lang in self.config.languages]
        pages = {site.language: sorted(html_path(page.path) for page in site.pages)
                 for site in sites}
        for site in sites:
            site.config = self._mkdocs_config(site, site.language == self.source_language,
                                              pages)
        return sites

    def _base(self, lang: str, prefix: str, md_path: str) -> dict[str, Any]:
        return {
            "config": self.config,
            "lang": lang,
            "strings": self.strings,
            "values": {**config_values(self.config, lang),
                       "curriculum.source_language": self.word(f"lang_{self.source_language}",
                                                                lang)},
            "language_rules": self.words.rules,
            "page_path": html_path(md_path),
            "up": "../" * prefix.count("/"),
            "outputs": self.outputs,
            "pdfs": self.pdf_names,
            "source_language": self.source_language,
            "bands": [self._band_entry(b, lang) for b in self.bands],
            "facilitator": self.cur.facilitator.model if self.cur.facilitator else None,
            **local_settings(self.config, lang),
        }

    def _band_entry(self, band: Band, lang: str) -> dict[str, Any]:
        lessons = self.cur.lessons_of(band.id)
        guide = self.cur.parent_guide(band.id)
        return {
            "band": band,
            "text": band_text(band, lang),
            "lessons": lessons,
            "family": [family_text(lesson, lang, self.source_language) for lesson in lessons],
            "parent": parent_text(guide, lang, self.source_language) if guide else None,
        }

    def _page(self, site: SiteSource, md_path: str, template: str, **extra: Any) -> None:
        def make() -> str:
            context = self._base(site.language, site.prefix, md_path)
            context.update(extra)
            if "entry" in extra:  # a band's page lists only the contacts that serve its ages
                context.update(local_settings(self.config, site.language,
                                              extra["entry"]["band"].ages))
            return render(self.env, template, context)

        lesson = extra.get("lesson")
        text = self.memo.page(lesson, f"{site.prefix}{md_path}", make) if lesson else make()
        site.pages.append(SitePage(md_path, text))

    def _site(self, lang: str) -> SiteSource:
        prefix = "" if lang == self.source_language else f"{lang}/"
        font = self.strings.get(lang, {}).get("script_font")
        site = SiteSource(language=lang, prefix=prefix,
                          script_fonts=[font] if font else [])
        teachers = lang == self.source_language
        self._page(site, "index.md", "site/home.md.j2", teachers=teachers)
        self._page(site, "families/index.md", "site/families.md.j2")
        for band in self.bands:
            entry = self._band_entry(band, lang)
            handouts = self.outputs.handouts(band.id, lang)
            self._page(site, f"families/{band.id}/index.md", "site/family-band.md.j2",
                       entry=entry, handouts_pdf=handouts if handouts in self.pdf_names else None)
            words = self.words_in(lang)
            self._page(site, f"families/{band.id}/notification.md", "site/notification.md.j2",
                       entry=entry, note=notification_letter(
                           self.config.notification, entry["lessons"], lang,
                           self.source_language, words, self.topics))
            for lesson, text in zip(entry["lessons"], entry["family"], strict=True):
                self._page(site, f"families/{band.id}/{lesson.id}.md",
                           "site/family-lesson.md.j2", entry=entry, lesson=lesson, text=text,
                           status=self.status(lesson, lang))
        if teachers:
            self._page(site, "teachers/index.md", "site/teachers.md.j2")
            if self.cur.facilitator:
                self._page(site, "teachers/facilitator-guide.md", "site/facilitator.md.j2")
            for band in self.bands:
                entry = self._band_entry(band, lang)
                self._page(site, f"teachers/{band.id}/index.md", "site/teacher-band.md.j2",
                           entry=entry)
                for lesson in entry["lessons"]:
                    self._page(site, f"teachers/{band.id}/{lesson.id}.md",
                               "site/lesson.md.j2", entry=entry, lesson=lesson,
                               uses=step_uses(lesson), status=self.status(lesson, lang))
        self._page(site, "about/index.md", "site/about.md.j2", teachers=teachers,
                   coverage=[{"text": band_text(result.band, lang), "covered": result.covered,
                              "missing": result.missing} for result in coverage(self.cur)],
                   review_summary=self._review_summary(lang),
                   history=list(reversed([item.model for item in self.cur.reviews])),
                   translations_note=not teachers)
        if teachers and self.report:
            self._page(site, "about/changes.md", "site/changes.md.j2", report=self.report,
                       rows=report_rows(self.report))
            words = self.words_in(lang)
            self._page(site, "about/board.md", "site/board.md.j2", board=board_data(
                self.cur, self.bands, self.approvals, self.topics, words, lang, self.levels))
        return site

    def _mkdocs_config(self, site: SiteSource, teachers: bool,
                       pages: dict[str, list[str]]) -> dict[str, Any]:
        path = self.cur.project.mkdocs_path
        try:
            base = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
        except yaml.YAMLError as exc:
            raise AskFirstError(f"{relative(path)}: not valid YAML: {exc}") from None
        if not isinstance(base, dict):
            raise AskFirstError(f"{relative(path)}: expected a mapping of settings")
        lang = site.language
        words = self.words_in(lang)
        config = dict(base)
        # Material inserts these as HTML: escape them, as everything from lessons and settings.
        config["site_name"] = html.escape(self.config.school.name, quote=False)
        config["use_directory_urls"] = False
        license_text = self.config.license_translations.get(lang, self.config.license)
        config["copyright"] = html.escape(f"{self.config.title} {self.config.version} · "
                                          f"{license_text}", quote=False)
        theme = dict(config.get("theme") or {"name": "material"})
        theme["language"] = lang
        theme["font"] = False
        palettes = theme.get("palette") or [{"scheme": "default"}]
        if isinstance(palettes, dict):  # Material takes one palette as a mapping, too
            palettes = [palettes]
        theme["palette"] = [{**p, "primary": "custom", "accent": "custom"} for p in palettes]
        if self.config.school.logo:
            theme["logo"] = "assets/" + self.config.school.logo.rsplit("/", 1)[-1]
        config["theme"] = theme
        extra = dict(config.get("extra") or {})
        extra["generator"] = False
        # Material's offline plugin loads this shim from a CDN unless a local copy is named.
        extra["polyfills"] = [IFRAME_WORKER]
        if len(self.config.languages) > 1:
            # The switcher (askfirst/theme/partials/alternate.html) links to the same page in
            # the other language where it exists there, and to its home page otherwise.
            up = "../" * site.prefix.count("/")
            extra["alternate"] = [
                {"name": self.strings.get(other, {}).get("language_name", other),
                 "lang": other,
                 "base": up + ("" if other == self.source_language else f"{other}/"),
                 "link": up + ("" if other == self.source_language else f"{other}/")
                 + "index.html",
                 "pages": pages[other]}
                for other in self.config.languages]
            theme.setdefault("custom_dir", str(THEME_DIR))
        config["extra"] = extra
        css = list(config.get("extra_css") or [])
        if SITE_CSS not in css:
            css.append(SITE_CSS)
        config["extra_css"] = css
        nav: list[Any] = [{words["home"]: "index.md"}]
        families: list[Any] = ["families/index.md"]
        # Titles are given here as plain text: MkDocs would otherwise take them from the
        # pages' escaped headings and escape them a second time in labels.
        values = config_values(self.config, lang)
        for band in self.bands:
            text = band_text(band, lang)
            families.append({f"{text.title} ({text.ages})": [
                f"families/{band.id}/index.md",
                {_nav(words["notification_letter"], values): f"families/{band.id}/notification.md"},
                *[{_nav(family_text(lesson, lang, self.source_language).title, values):
                   f"families/{band.id}/{lesson.id}.md"}
                  for lesson in self.cur.lessons_of(band.id)]]})
        nav.append({words["for_families"]: families})
        if teachers:
            section: list[Any] = ["teachers/index.md"]
            if self.cur.facilitator:
                section.append("teachers/facilitator-guide.md")
            for band in self.bands:
                section.append({f"{band.title} ({band.ages})": [
                    f"teachers/{band.id}/index.md",
                    *[{_nav(lesson.title, values): f"teachers/{band.id}/{lesson.id}.md"}
                      for lesson in self.cur.lessons_of(band.id)]]})
            nav.append({words["for_teachers"]: section})
        about: list[Any] = ["about/index.md"]
        if teachers and self.report:
            about.append("about/changes.md")
            about.append("about/board.md")
        nav.append({words["about"]: about})
        headings = {page.path: _heading(page.text) for page in site.pages}
        config["nav"] = _titled(nav, headings)
        return config
