"""The board packet of a school project: opens with a summary, holds the review status, the
sensitive-topics matrix, the changes report, the letter to families and every lesson."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from askfirst.pipeline import BuildOptions, build
from askfirst.project import Project

from .conftest import copy_project


def test_board_packet_for_a_school(tmp_path: Path) -> None:
    copy_project("mini", tmp_path)
    school = copy_project("school", tmp_path)
    result = build(BuildOptions(out=tmp_path / "out", band="k-2", quiet=True,
                                project=Project(school, bundled=False)))
    assert "pdf/ask-first-board-packet.pdf" in result.pdf_pages
    reader = PdfReader(tmp_path / "out/pdf/ask-first-board-packet.pdf")
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert "BOARD REVIEW PACKET" in pages[0].upper()
    assert pages[1].startswith("Summary") or "Summary" in pages[1][:80]
    text = " ".join(pages)
    for part in ("Review status", "What families may treat as sensitive",
                 "How lessons align with standards", "Reading levels", "The school's changes",
                 "Yes, No, Maybe with Dot", "Return slip", "At a glance"):
        assert part in text, part
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert any("Yes, No, Maybe with Dot" in title for title in outline)
    page = (tmp_path / "out/site/about/board.html").read_text(encoding="utf-8")
    assert "ask-first-board-packet.pdf" in page and "What families may treat as sensitive" in page
