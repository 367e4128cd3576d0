"""A teacher packet laid out in parts: the front (cover and contents), the guides, each lesson,
the handouts, and the back (letters, glossary, standards), joined into one PDF.

Editing one lesson then lays out that lesson's pages, not the band's ~100: every other part
comes from the cache. Page numbers are what ties the parts together ("Page 12 of 104", the
contents), and they do not change a part's layout: a part is laid out with its page-margin
boxes left out, then, once every part's page count is known, its margins are made with its
first page number and the packet's total. The contents, whose numbers are body text, are laid
out last (they are two or three pages, and their length does not depend on the numbers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from askfirst.build.join import PART_LINK, join

# Where the packet's template starts a part: `<!--part:NAME-->`, each part at a page break.
PART_MARK = re.compile(r"<!--part:([a-z0-9-]+)-->")
# A contents entry: a link to an element of another part, and its page number.
TOC_LINK = re.compile(r'<a href="#([^"]+)" data-toc>')
NUMBER = "@@page:{}@@"
SLOT = re.compile(r"@@page:([^@]+)@@")


@dataclass(frozen=True)
class Part:
    """One part of a packet: its name and its HTML, a whole document of its own."""

    name: str
    html: str


def split_parts(html: str) -> tuple[Part, ...]:
    """The parts of a packet's HTML, each with the packet's head, so that each lays out as it
    does in the whole; the contents' links become links across parts, their page numbers
    slots for `number_contents`. No parts (lay it out in one piece) when the HTML has no part
    marks, as a school's own packet template may not."""
    start = html.find("<body>")
    end = html.rfind("</body>")
    if start < 0 or end < 0:
        return ()
    start += len("<body>")
    head, body, tail = html[:start], html[start:end], html[end:]
    pieces = PART_MARK.split(body)
    if len(pieces) < 3:
        return ()
    named = list(zip(pieces[1::2], pieces[2::2], strict=True))
    if pieces[0].strip():  # something before the first mark: a part of its own
        named.insert(0, ("start", pieces[0]))
    parts = []
    for name, text in named:
        text = TOC_LINK.sub(lambda m: f'<a href="{PART_LINK}{m[1]}" data-toc data-page="'
                            f'{NUMBER.format(m[1])}">', text)
        parts.append(Part(name, head + text + tail))
    return tuple(parts)


def number_contents(html: str, pages: dict[str, int]) -> str:
    """A part's HTML with its contents' page numbers filled in (`pages`: anchor → number;
    an anchor not in `pages` gets a placeholder of the same width as a number)."""
    return SLOT.sub(lambda m: str(pages[m[1]]) if m[1] in pages else "000", html)


@dataclass(frozen=True)
class KeptPart:
    """A part as a previous build made it: its page count, the page (from 0) of each element
    with an id, the outline labels that ran past one page, and its PDF, numbered as
    `numbering` says."""

    pages: int
    anchors: dict[str, int]
    numbering: str
    data: bytes
    fetched: tuple[str, ...] = ()
    overflow: tuple[str, ...] = ()


@dataclass
class LaidOut:
    """A part laid out without its page margins, which `finish` adds."""

    document: Any
    margins: list[tuple[Any, Any, Any, int]] = field(default_factory=list)

    @property
    def anchors(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for index, page in enumerate(self.document.pages):
            for name in page.anchors:
                found.setdefault(name, index)
        return found


def lay_out(weasyprint: Any, html: str, base_url: str, fetcher: Any,
            fonts: Any = None) -> LaidOut:
    """Lay out a part's pages, leaving their margin boxes (running heads, page numbers) for
    `finish`: WeasyPrint makes them after the whole document is paginated, so they never
    change where a page breaks."""
    from weasyprint import layout

    laid = LaidOut(None)
    original = layout.make_margin_boxes

    def later(context: Any, page: Any, state: Any) -> list[Any]:
        laid.margins.append((context, page, state, context.current_page))
        return []

    layout.make_margin_boxes = later
    try:
        laid.document = weasyprint.HTML(string=html, base_url=base_url,
                                        url_fetcher=fetcher).render(font_config=fonts)
    finally:
        layout.make_margin_boxes = original
    return laid


def finish(laid: LaidOut, first: int, total: int) -> None:
    """Make a laid-out part's page margins, its pages numbered from `first` of `total`."""
    from weasyprint.layout import make_margin_boxes
    from weasyprint.layout.background import layout_box_backgrounds

    for context, page, state, number in laid.margins:
        quote_depth, counters, scopes, groups = state
        counters = {**counters, "page": [number - 1 + first], "pages": [total]}
        context.current_page = number
        boxes = list(make_margin_boxes(context, page, (quote_depth, counters, scopes, groups)))
        for box in boxes:
            layout_box_backgrounds(page, box, context.get_image_from_uri)
        page.children = (*page.children, *boxes)
    laid.margins.clear()


@dataclass(frozen=True)
class Numbered:
    """Where each part begins in the packet, and the packet's length."""

    firsts: list[int]
    total: int
    contents: dict[str, int]  # anchor → packet page number

    def of(self, index: int, part: Part) -> str:
        """What a part's PDF depends on besides its HTML: its first page number, the total,
        and the numbers its contents show."""
        shown = [self.contents.get(name, 0) for name in SLOT.findall(part.html)]
        return f"{self.firsts[index]}/{self.total}" + "".join(f",{n}" for n in shown)


def numbered(counts: list[int], anchors: list[dict[str, int]]) -> Numbered:
    """Page numbers from each part's page count and the page of each of its anchors."""
    firsts, at = [], 1
    for count in counts:
        firsts.append(at)
        at += count
    contents: dict[str, int] = {}
    for first, found in zip(firsts, anchors, strict=True):
        for name, index in found.items():
            contents.setdefault(name, first + index)
    return Numbered(firsts, at - 1, contents)


@dataclass(frozen=True)
class MadePart:
    """One part as this build has it: what a later build can keep, and its PDF."""

    name: str
    kept: KeptPart


def make_packet(parts: tuple[Part, ...], kept: tuple[KeptPart | None, ...],
                lay: Any, write: Any) -> tuple[bytes, list[MadePart]]:
    """The joined packet and its parts. `lay(html)` lays out a part (a LaidOut and the files
    it read), `write(laid)` writes a finished part's PDF; parts in `kept` whose numbering is
    still right are used as they are."""
    laid: dict[int, tuple[LaidOut, tuple[str, ...]]] = {}
    counts: list[int] = []
    anchors: list[dict[str, int]] = []
    for index, part in enumerate(parts):
        old = kept[index]
        if old is not None:
            counts.append(old.pages)
            anchors.append(old.anchors)
            continue
        laid[index] = lay(number_contents(part.html, {}))
        counts.append(len(laid[index][0].document.pages))
        anchors.append(laid[index][0].anchors)
    with_contents = [i for i, part in enumerate(parts) if SLOT.search(part.html)]

    def still_right(index: int) -> bool:  # a kept part, numbered as it is now
        old = kept[index]
        return (index not in laid and old is not None
                and old.numbering == numbers.of(index, parts[index]))

    for _ in range(4):  # the contents' numbers could, just, change their own length
        numbers = numbered(counts, anchors)
        changed = False
        for index in with_contents:
            if still_right(index):
                continue
            laid[index] = lay(number_contents(parts[index].html, numbers.contents))
            if len(laid[index][0].document.pages) != counts[index]:
                counts[index] = len(laid[index][0].document.pages)
                anchors[index] = laid[index][0].anchors
                changed = True
        if not changed:
            break
    made: list[MadePart] = []
    for index, part in enumerate(parts):
        old = kept[index]
        if still_right(index) and old is not None:
            made.append(MadePart(part.name, old))
            continue
        if index not in laid:
            laid[index] = lay(part.html)
        layout, fetched = laid.pop(index)  # written, then let go: memory for the next
        finish(layout, numbers.firsts[index], numbers.total)
        data, overflow = write(layout)
        made.append(MadePart(part.name, KeptPart(counts[index], anchors[index],
                                                 numbers.of(index, part), data, fetched,
                                                 overflow)))
    return join([m.kept.data for m in made]), made
