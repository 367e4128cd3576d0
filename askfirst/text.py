"""Lesson text to safe HTML: escaped, with a deliberate small subset of Markdown.

Lesson authors may write paragraphs (separated by a blank line), **bold** and *italic*, and
lines starting with "- " as a list. Everything else, HTML and script included, is escaped, so a
lesson file cannot inject markup into the site or the PDFs.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from askfirst.localize import fill

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)(.+?)(?<=\S)\*(?![*\w])")


def inline(text: str, values: dict[str, str]) -> Markup:
    """One line of lesson text as safe HTML, with configuration values filled in."""
    html = str(escape(fill(text, values)))
    html = _BOLD.sub(r"<strong>\1</strong>", html)
    html = _ITALIC.sub(r"<em>\1</em>", html)
    return Markup(html)


def prose(text: str, values: dict[str, str]) -> Markup:
    """Lesson text as paragraphs and lists of safe HTML."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{inline(line[2:], values)}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        elif lines:
            blocks.append(f"<p>{inline(' '.join(lines), values)}</p>")
    return Markup("\n".join(blocks))


def plain(text: str, values: dict[str, str]) -> str:
    """Lesson text as plain text with values filled in (for titles, metadata, search)."""
    return fill(text, values).replace("**", "")


def slug(text: str) -> str:
    """A file-name-safe form of a title."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "curriculum"
