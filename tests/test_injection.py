"""No lesson, guide, override or setting can add markup to the site or the PDFs: asserted on the
built HTML (parsed), the search index and the PDFs' links, in both languages."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
from pypdf import PdfReader

from askfirst.cli import main
from askfirst.pipeline import BuildOptions, build
from askfirst.project import Project

from .conftest import FIXTURES

TITLE = "My [Space](javascript:alert(1)) Bubble {: onclick=alert(2) }"
STEP = "Step ![x](javascript:alert(3)) [r][1] _u_ `c` | a | b"
NOTES = ("See [r].\n\n[1]: javascript:alert(5)\n\n!!! danger \"Boo\"\n\n"
         "{: onclick=alert(6) }\n\nKeep going.")
QUESTION = "Why ask? [click](javascript:alert(7)){: .md-button onmouseover=alert(8) }"
STORY = "Ravi tickles Lena. ![pic](javascript:alert(9)) *Lena* says **stop**."
LEARNED = "Today your child learned [more](javascript:alert(10)). { #x onfocus=alert(11) }"
SPANISH = "Sí [no](javascript:alert(12)) {: onclick=alert(13) }"
SCHOOL = "Riverside [School](javascript:alert(14)) {: onclick=alert(15) }"
ALLOWED_SCHEMES = {"", "http", "https", "mailto", "tel"}


def _hostile_project(root: Path) -> Path:
    folder = root / "mini"
    shutil.copytree(FIXTURES / "mini", folder)
    lesson = folder / "lessons/k-2/yes-no-maybe.yml"
    text = lesson.read_text(encoding="utf-8")
    for old, new in (
        ('title: "Yes, No, Maybe: Asking First"', f"title: {json.dumps(TITLE)}"),
        ("  - title: Opening circle", f"  - title: {json.dumps(STEP)}"),
        ("  - question: Why do we ask first before we hug someone?",
         f"  - question: {json.dumps(QUESTION)}"),
        ('    title: "Sí, no, tal vez: pedir permiso primero"',
         f"    title: {json.dumps(SPANISH)}"),
    ):
        assert old in text, old
        text = text.replace(old, new, 1)
    notes = text.index("    notes: >-\n      Some children will already know")
    end = text.index("  - title: Pip's story", notes)
    text = text[:notes] + f"    notes: {json.dumps(NOTES)}\n" + text[end:]
    story = text.index("    story: >-\n", text.index("The tickle game"))
    end = text.index("    questions:", story)
    text = text[:story] + f"    story: {json.dumps(STORY)}\n" + text[end:]
    learned = text.index("  learned: >-\n")
    end = text.index("  why: >-", learned)
    text = text[:learned] + f"  learned: {json.dumps(LEARNED)}\n" + text[end:]
    lesson.write_text(text, encoding="utf-8")
    config = folder / "askfirst.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "name: Mini Test School", f"name: {json.dumps(SCHOOL)}"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("injection")
    folder = _hostile_project(root)
    build(BuildOptions(out=root / "out", band="k-2", quiet=True,
                       project=Project(folder, bundled=False)))
    return folder, root / "out"


class _Markup(HTMLParser):
    """Collects every element with its attributes, and the text of headings."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.headings: list[str] = []
        self.text: list[str] = []
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        if tag in ("h1", "h2", "h3"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading).strip())
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)


def _parse(html: str) -> _Markup:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser


def _bad_markup(parser: _Markup) -> list[str]:
    """Event handlers, script links and pictures that no template wrote."""
    bad = []
    for tag, attrs in parser.elements:
        for name, value in attrs:
            if name.startswith("on"):
                bad.append(f"<{tag} {name}={value!r}>")
            linked = name in ("href", "src", "action", "formaction", "xlink:href") and value
            if linked and urlparse(str(value).strip()).scheme.lower() not in ALLOWED_SCHEMES:
                bad.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and "alert" in str(attrs):
            bad.append(f"<img {attrs}>")
    return bad


def test_site_pages_carry_lesson_text_as_text(hostile_build: tuple[Path, Path]) -> None:
    _, out = hostile_build
    pages = sorted((out / "site").rglob("*.html"))
    assert len(pages) > 10
    bad = {str(p.relative_to(out)): _bad_markup(_parse(p.read_text(encoding="utf-8")))
           for p in pages}
    assert {page: found for page, found in bad.items() if found} == {}
    lesson = _parse((out / "site/teachers/k-2/yes-no-maybe.html").read_text(encoding="utf-8"))
    assert TITLE in lesson.headings
    assert f"1. {STEP} (5 min)" in lesson.headings
    family = (out / "site/es/families/k-2/yes-no-maybe.html").read_text(encoding="utf-8")
    assert SPANISH in _parse(family).headings
    english_family = (out / "site/families/k-2/yes-no-maybe.html").read_text(encoding="utf-8")
    assert LEARNED in "".join(_parse(english_family).text)
    lesson_text = "".join(lesson.text)
    assert "See [r]." in lesson_text and "[1]: javascript:alert(5)" in lesson_text
    assert "{: onclick=alert(6) }" in lesson_text and "!!! danger" in lesson_text
    assert QUESTION in lesson_text
    assert "Ravi tickles Lena. ![pic](javascript:alert(9)) Lena says stop." in lesson_text
    # the title shows as written in the navigation, the band's table and the page title
    band = "".join(_parse((out / "site/teachers/k-2/index.html").read_text("utf-8")).text)
    assert band.count(TITLE) >= 3
    assert SCHOOL in band


def test_search_index_holds_text_only(hostile_build: tuple[Path, Path]) -> None:
    _, out = hostile_build
    for index in (out / "site/search/search_index.json", out / "site/es/search/search_index.json"):
        docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
        bad = [(doc["location"], _bad_markup(_parse(doc["title"] + doc["text"])))
               for doc in docs]
        assert [b for b in bad if b[1]] == []
        titles = [doc["title"] for doc in docs]
        assert any(TITLE in title for title in titles) or index.parent.parent.name == "es"


def test_pdf_links_are_only_web_and_mail(hostile_build: tuple[Path, Path]) -> None:
    _, out = hostile_build
    pdfs = sorted((out / "pdf").rglob("*.pdf"))
    assert pdfs
    for path in pdfs:
        reader = PdfReader(path)
        for page in reader.pages:
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A")
                uri = action.get_object().get("/URI") if action else None
                if uri is not None:
                    assert urlparse(str(uri)).scheme in ALLOWED_SCHEMES - {""}, (path, uri)
    lesson = PdfReader(out / "pdf/k-2/lessons/ask-first-yes-no-maybe.pdf")
    assert "My [Space](javascript:alert(1)) Bubble" in lesson.pages[0].extract_text()


def test_validate_warns_where_text_looks_like_markdown(
        hostile_build: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder, _ = hostile_build
    monkeypatch.chdir(folder)
    assert main(["validate"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "askfirst.yml:8:9: warning: school.name: this looks like Markdown (a link "
        "'[School](javascript:alert(14))'; an attribute list '{: onclick=alert(15) }'); it is "
        "printed as text, as written")
    assert "lessons/k-2/yes-no-maybe.yml:3:8: warning: title: this looks like Markdown (a link "\
        "'[Space](javascript:alert(1))'; an attribute list '{: onclick=alert(2) }'); it is "\
        "printed as text, as written (only **bold**, *italic*, paragraphs and '- ' lists are "\
        "formatted)" in out
    assert main(["validate", "--strict"]) == 1
