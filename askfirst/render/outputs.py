"""Names of everything a build writes, in one place, so site links and files always agree."""

from __future__ import annotations

from dataclasses import dataclass

from askfirst.render.text import slug


@dataclass(frozen=True)
class OutputPaths:
    """Output paths, relative to the build folder, for one curriculum."""

    title: str

    @property
    def prefix(self) -> str:
        """The start of every PDF file name, e.g. `ask-first`."""
        return slug(self.title)

    def packet(self, band: str) -> str:
        """The teacher packet of a band."""
        return f"pdf/{band}/{self.prefix}-{band}-teacher-packet.pdf"

    def handouts(self, band: str, language: str | None = None) -> str:
        """The handouts-only PDF of a band, for the photocopier (in the source language, or
        in another `language`)."""
        suffix = f"-{language}" if language else ""
        return f"pdf/{band}/{self.prefix}-{band}-handouts{suffix}.pdf"

    def slides(self, band: str, lesson: str, language: str | None = None) -> str:
        """A lesson's slides for the classroom screen (16:9), in the source language or in
        another `language`."""
        suffix = f"-{language}" if language else ""
        return f"pdf/{band}/slides/{self.prefix}-{lesson}-slides{suffix}.pdf"

    def board(self) -> str:
        """The packet for the people who decide: a board or health committee."""
        return f"pdf/{self.prefix}-board-packet.pdf"

    def notification(self, band: str, language: str) -> str:
        """The letter to families before a band's lessons, with its return slip."""
        return f"pdf/{band}/{self.prefix}-{band}-notification-{language}.pdf"

    def family_letters(self, band: str, language: str) -> str:
        """The family letters of a band in one language."""
        return f"pdf/{band}/{self.prefix}-{band}-family-letters-{language}.pdf"

    def lesson(self, band: str, lesson: str) -> str:
        """One lesson: its teacher pages and handouts."""
        return f"pdf/{band}/lessons/{self.prefix}-{lesson}.pdf"

    def changes(self) -> str:
        """The report of a school's changes from upstream."""
        return f"pdf/{self.prefix}-changes.pdf"

    # Site pages, as paths inside one language's site (MkDocs with `use_directory_urls: false`).
    @staticmethod
    def family_band(band: str) -> str:
        """A band's guide for families."""
        return f"families/{band}/index.html"

    @staticmethod
    def family_lesson(band: str, lesson: str) -> str:
        """A lesson's family guide."""
        return f"families/{band}/{lesson}.html"

    @staticmethod
    def notification_page(band: str) -> str:
        """A band's letter to families before the lessons, as a page."""
        return f"families/{band}/notification.html"

    @staticmethod
    def slideshow(band: str, lesson: str, language: str | None = None) -> str:
        """A lesson's slideshow: a page of its own that fills the screen, with a presenter
        view (written beside the site's pages, not by the site engine)."""
        suffix = f"-{language}" if language else ""
        return f"teachers/{band}/{lesson}-slides{suffix}.html"

    @staticmethod
    def teacher_band(band: str) -> str:
        """A band's page for teachers."""
        return f"teachers/{band}/index.html"

    @staticmethod
    def teacher_lesson(band: str, lesson: str) -> str:
        """A lesson's page for teachers."""
        return f"teachers/{band}/{lesson}.html"

    @staticmethod
    def in_language(language: str, path: str) -> str:
        """A site page of another language's site (which sits in a folder named for it)."""
        return f"{language}/{path}"
