"""Lesson text to safe HTML: escaped, with a deliberate small subset of Markdown.

Lesson authors may write paragraphs (separated by a blank line), **bold** and *italic*, and
lines starting with "- " as a list. Everything else, HTML and script included, is escaped, so a
lesson file cannot inject markup into the site or the PDFs.

Site pages are Markdown that MkDocs reads again, so there text is escaped twice over: the
characters of HTML, and the characters that Markdown and its extensions read as syntax (links,
images, attribute lists, emphasis, tables) become character references, which Markdown leaves
alone and a browser shows as the characters they stand for.
"""

from __future__ import annotations

import re
import unicodedata

from markupsafe import Markup

from askfirst.errors import AskFirstError
from askfirst.resolve.placeholders import fill

_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)(.+?)(?<=\S)\*(?![*\w])")

_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"}
# Markdown syntax characters of Python-Markdown and the extensions a site may enable.
MARKDOWN_SYNTAX = "\\`*_{}[]()#!|~^=:$%+"
_HTML_TABLE = str.maketrans(_HTML)
_MARKDOWN_TABLE = str.maketrans({**_HTML, **{c: f"&#{ord(c)};" for c in MARKDOWN_SYNTAX}})


def escape(text: str, markdown: bool = False) -> str:
    """Text as HTML that shows exactly these characters; with `markdown`, also inert for
    Markdown (every syntax character becomes a character reference)."""
    return text.translate(_MARKDOWN_TABLE if markdown else _HTML_TABLE)


def _italic(text: str, markdown: bool) -> str:
    out, pos = [], 0
    for match in _ITALIC.finditer(text):
        out.append(escape(text[pos:match.start()], markdown))
        out.append(f"<em>{escape(match.group(1), markdown)}</em>")
        pos = match.end()
    out.append(escape(text[pos:], markdown))
    return "".join(out)


def apply_rules(text: str, rules: dict[str, str] | None) -> str:
    """A language's spelling rules, such as Spanish "a el" → "al" after a name is filled in."""
    for old, new in (rules or {}).items():  # whole words only: "publicada el" stays
        text = re.sub(r"(?<!\w)" + re.escape(old), new.replace("\\", "\\\\"), text)
    return text


def inline(text: str, values: dict[str, str], markdown: bool = False,
           rules: dict[str, str] | None = None) -> Markup:
    """One line of lesson text as safe HTML, with configuration values filled in."""
    filled = apply_rules(fill(text, values), rules)
    out, pos = [], 0
    for match in _BOLD.finditer(filled):
        out.append(_italic(filled[pos:match.start()], markdown))
        out.append(f"<strong>{_italic(match.group(1), markdown)}</strong>")
        pos = match.end()
    out.append(_italic(filled[pos:], markdown))
    return Markup("".join(out))


def prose(text: str, values: dict[str, str], markdown: bool = False,
          rules: dict[str, str] | None = None) -> Markup:
    """Lesson text as paragraphs and lists of safe HTML."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{inline(line[2:], values, markdown, rules)}</li>"
                            for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        elif lines:
            blocks.append(f"<p>{inline(' '.join(lines), values, markdown, rules)}</p>")
    return Markup("\n".join(blocks))


def plain(text: str, values: dict[str, str], rules: dict[str, str] | None = None) -> str:
    """Lesson text as plain text with values filled in (for titles, metadata, search)."""
    return apply_rules(fill(text, values), rules).replace("**", "")


def slug(text: str) -> str:
    """A file-name-safe form of a title: accented letters as their plain letters ("Éducation"
    gives "education"); a title with no letter or digit to keep is an error."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    result = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if not result:
        raise AskFirstError(f"'{text}' gives no file name (it has no letter or digit in the "
                            "Latin alphabet); give the curriculum a `title` that has one")
    return result
