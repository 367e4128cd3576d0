"""A teacher packet is laid out in parts and joined with pikepdf (askfirst/build/packet.py and
join.py): the joined PDF must be the packet laid out in one piece — the same pages and text
(page numbers and contents included), one structure tree, the same outline, links that land on
the same pages — and editing one lesson lays out that lesson's part alone."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pypdf import PdfReader

from askfirst.build.packet import split_parts
from askfirst.build.pdf import render_pdf
from askfirst.pipeline import BuildOptions, BuildResult, build, pdf_tasks, render_stage
from askfirst.project import Project
from askfirst.validate import checked

from .conftest import copy_project
from .test_build import PACKET, tree_digest

STEP = "Gather the class in a circle."


def with_two_lessons(folder: Path) -> Project:
    """The mini curriculum with a second K–2 lesson, so that its packet has parts after the
    first lesson's."""
    first = folder / "lessons/k-2/yes-no-maybe.yml"
    text = first.read_text(encoding="utf-8")
    second = text.replace("id: yes-no-maybe\n", "id: asking-again\n", 1).replace(
        'title: "Yes, No, Maybe: Asking First"', 'title: "Asking Again"', 1).replace(
        "order: 2\n", "order: 3\n", 1)
    (folder / "lessons/k-2/asking-again.yml").write_text(second, encoding="utf-8")
    return Project(folder, bundled=False)


def one_piece(project: Project) -> bytes:
    """The K–2 packet laid out as one WeasyPrint document, as before it had parts."""
    cur = checked(project)
    jobs = [job for job in render_stage(cur, BuildOptions(only="pdf", band="k-2")).jobs
            if job.in_parts]
    (task,) = pdf_tasks(cur, jobs)
    assert len(task.parts) == 6, "front, guides, two lessons, handouts, back"
    return render_pdf(replace(task, parts=())).data


def described(data: bytes) -> dict[str, Any]:
    """What a reader of the PDF meets: each page's text, the outline (level, title, page),
    and each link's target page; the structure tree is checked on the way."""
    pdf = pikepdf.open(io.BytesIO(data))
    pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
    tree = pdf.Root.StructTreeRoot
    assert len(tree.K) == 1 and tree.K[0].S == "/Document", "one structure tree, one root"
    nums = tree.ParentTree.Nums
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    assert keys == list(range(len(keys))), "parent-tree keys run 0, 1, 2… without a gap"
    parents = dict(zip(keys, [nums[i] for i in range(1, len(nums), 2)], strict=True))
    for index, page in enumerate(pdf.pages):
        for element in parents[int(page.obj.StructParents)]:  # the page's marked content
            assert pages[element.Pg.objgen] == index
        for annot in page.obj.get("/Annots", []):
            owner = parents[int(annot.StructParent)]  # the link's structure element
            assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Obj") == annot
                       for k in owner.K)
    dests = {str(n): d for n, d in zip(tree_names(pdf)[::2], tree_names(pdf)[1::2],
                                       strict=True)}
    links = []
    for index, page in enumerate(pdf.pages):
        for annot in page.obj.get("/Annots", []):
            assert "/A" not in annot or "/URI" not in annot.A or not str(
                annot.A.URI).startswith("askfirst-part:"), "every link across parts joined"
            if "/Dest" in annot:
                links.append((index, pages[dests[str(annot.Dest)][0].objgen]))
    outline: list[tuple[int, str, int]] = []
    with pdf.open_outline() as tree_outline:
        def walk(items: list[Any], level: int) -> None:
            for item in items:
                outline.append((level, str(item.title), pages[item.destination[0].objgen]))
                walk(item.children, level + 1)
        walk(tree_outline.root, 1)
    fonts = set()
    for page in pdf.pages:
        for font in page.Resources.get("/Font", {}).values():
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
                fonts.add(str(descendant.BaseFont).split("+", 1)[-1])  # every font embedded
    reader = PdfReader(io.BytesIO(data))
    return {"text": [page.extract_text() for page in reader.pages], "outline": outline,
            "links": links, "lang": str(pdf.Root.Lang), "title": reader.metadata.title,
            "size": [tuple(round(float(x)) for x in p.mediabox) for p in pdf.pages],
            "marked": bool(pdf.Root.MarkInfo.Marked), "fonts": sorted(fonts)}


def tree_names(pdf: Any) -> list[Any]:
    return list(pdf.Root.Names.Dests.Names)


@pytest.fixture(scope="module")
def packets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Project, BuildResult]:
    folder = copy_project("mini", tmp_path_factory.mktemp("packet"))
    project = with_two_lessons(folder)
    result = build(BuildOptions(out=folder / "out", band="k-2", only="pdf", quiet=True,
                                project=project))
    return folder, project, result


def test_a_joined_packet_is_the_packet_laid_out_in_one_piece(
        packets: tuple[Path, Project, BuildResult]) -> None:
    folder, project, result = packets
    joined = described((folder / "out" / PACKET).read_bytes())
    whole = described(one_piece(project))
    assert joined == whole
    assert result.packet_parts == (6, 6)
    # the contents name each lesson's page, and its link goes there
    contents = joined["text"][1]
    asking = next(page for level, title, page in joined["outline"] if title == "3. Asking Again")
    assert "3. Asking Again" in contents and f" {asking + 1}\n" in contents
    assert (1, asking) in joined["links"]
    assert f"Page {asking + 1} of {len(joined['text'])}" in joined["text"][asking]


def test_editing_a_lesson_lays_out_its_part_alone(
        packets: tuple[Path, Project, BuildResult], tmp_path: Path) -> None:
    folder, project, _ = packets
    lesson = folder / "lessons/k-2/asking-again.yml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(
        STEP, "Gather the class in a circle, please.", 1), encoding="utf-8")
    options = BuildOptions(out=folder / "out", band="k-2", only="pdf", quiet=True,
                           project=project)
    warm = build(options)
    assert warm.packet_parts == (1, 6), "the edited lesson's part, the others kept"
    # a lesson that grows by a page: every page's "of N" changes, so every part is laid out
    # again, and the packet is the one a build from nothing makes
    first = folder / "lessons/k-2/yes-no-maybe.yml"
    longer = " ".join(["Say the class agreement together, slowly, and ask who remembers it."]
                      * 60)
    first.write_text(first.read_text(encoding="utf-8").replace(STEP, longer, 1),
                     encoding="utf-8")
    before = PdfReader(io.BytesIO((folder / "out" / PACKET).read_bytes()))
    grown = build(options)
    assert grown.packet_parts == (6, 6)
    assert len(PdfReader(folder / "out" / PACKET).pages) > len(before.pages)
    assert described((folder / "out" / PACKET).read_bytes()) == described(one_piece(project))
    fresh = build(replace(options, out=tmp_path / "fresh"))
    assert fresh.packet_parts == (6, 6)
    assert tree_digest(folder / "out") == tree_digest(tmp_path / "fresh")


def test_a_packet_template_without_part_marks_is_laid_out_in_one_piece() -> None:
    page = '<html><head><title>P</title></head><body>{}</body></html>'
    assert split_parts(page.format("<h1>A school's own packet</h1>")) == ()
    parts = split_parts(page.format('<p>cover</p><!--part:lesson-a--><p>a</p>'
                                    '<!--part:back--><a href="#x" data-toc>X</a>'))
    assert [part.name for part in parts] == ["start", "lesson-a", "back"]
    assert parts[1].html == page.format("<p>a</p>")
    assert parts[2].html == page.format(
        '<a href="askfirst-part:x" data-toc data-page="@@page:x@@">X</a>')
