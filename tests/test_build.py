"""Real outputs of a build: the PDFs opened with a PDF library, the site's files, the writer."""

from __future__ import annotations

import hashlib
import re
import time
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from askfirst.cli import main
from askfirst.pipeline import BuildOptions, BuildResult, build
from askfirst.project import Project

from .conftest import REPO, copy_project

PACKET = "pdf/k-2/ask-first-k-2-teacher-packet.pdf"
LESSON_PDF = "pdf/k-2/lessons/ask-first-yes-no-maybe.pdf"


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_writes_site_and_every_pdf(built: tuple[Path, BuildResult]) -> None:
    out, result = built
    expected = {
        "pdf/early-years/ask-first-early-years-teacher-packet.pdf",
        "pdf/early-years/ask-first-early-years-handouts.pdf",
        "pdf/early-years/ask-first-early-years-family-letters-en.pdf",
        "pdf/early-years/ask-first-early-years-family-letters-es.pdf",
        "pdf/early-years/lessons/ask-first-my-body-belongs-to-me.pdf",
        PACKET,
        "pdf/k-2/ask-first-k-2-handouts.pdf",
        "pdf/k-2/ask-first-k-2-family-letters-en.pdf",
        "pdf/k-2/ask-first-k-2-family-letters-es.pdf",
        "pdf/early-years/ask-first-early-years-handouts-es.pdf",
        "pdf/k-2/ask-first-k-2-handouts-es.pdf",
        "pdf/early-years/ask-first-early-years-notification-en.pdf",
        "pdf/early-years/ask-first-early-years-notification-es.pdf",
        "pdf/k-2/ask-first-k-2-notification-en.pdf",
        "pdf/k-2/ask-first-k-2-notification-es.pdf",
        "pdf/early-years/slides/ask-first-my-body-belongs-to-me-slides.pdf",
        "pdf/k-2/slides/ask-first-yes-no-maybe-slides.pdf",
        "pdf/k-2/slides/ask-first-yes-no-maybe-slides-es.pdf",  # its screen has Spanish
        LESSON_PDF,
    }
    assert set(result.pdf_pages) == expected
    for name in expected:
        assert (out / name).is_file()
        assert (out / "site" / name).is_file(), "the site offers every PDF for download"
    assert (out / "site/index.html").is_file()
    assert (out / "site/teachers/k-2/yes-no-maybe.html").is_file()
    assert (out / "site/es/families/k-2/yes-no-maybe.html").is_file()


def test_spanish_handouts_are_printed_and_offered(built: tuple[Path, BuildResult]) -> None:
    out, _ = built
    spanish = PdfReader(out / "pdf/k-2/ask-first-k-2-handouts-es.pdf")
    assert spanish.trailer["/Root"]["/Lang"] == "es"
    text = spanish.pages[0].extract_text()
    assert "Mis palabras para pedir permiso" in text and "Nombre:" in text
    assert "Encierra la palabra que quiere decir adelante." in text
    lesson = "".join(p.extract_text() for p in PdfReader(out / LESSON_PDF).pages)
    assert "My Ask-First Words" in lesson and "Mis palabras para pedir permiso" in lesson
    family = (out / "site/es/families/k-2/index.html").read_text(encoding="utf-8")
    assert 'href="../../../pdf/k-2/ask-first-k-2-handouts-es.pdf"' in family


def test_packet_text_has_every_part(built: tuple[Path, BuildResult]) -> None:
    out, _ = built
    reader = PdfReader(out / PACKET)
    text = "\n".join(page.extract_text() for page in reader.pages)
    for part in ("Mini Test School", "TEACHER PACKET", "Contents", "How to use this packet",
                 "Ground rules", "At a glance", "Yes, No, Maybe: Asking First", "Say:",
                 "Facilitator notes", "Discussion questions", "Exit ticket", "Differentiation",
                 "My Ask-First Words", "Family letter", "Carta a la familia", "Glossary",
                 "Alignment with standards", "1-800-422-4453"):
        assert part in text, part
    assert "{{" not in text, "every configuration value is filled in"


def _outline_pages(reader: PdfReader) -> dict[str, int]:
    pages: dict[str, int] = {}

    def walk(items: list) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                pages[str(item.title)] = reader.get_destination_page_number(item) + 1

    walk(reader.outline)
    return pages


def test_table_of_contents_page_numbers_are_right(built: tuple[Path, BuildResult]) -> None:
    out, _ = built
    reader = PdfReader(out / PACKET)
    toc = reader.pages[1].extract_text()
    listed = dict(re.findall(r"^(\d+\. .+?)[ .]+(\d+)$", toc, flags=re.MULTILINE))
    assert "2. Yes, No, Maybe: Asking First" in listed
    starts = _outline_pages(reader)
    for title, page in listed.items():
        assert int(page) == starts[title], title
        assert reader.pages[int(page) - 1].extract_text().find(title) >= 0


def test_bookmarks_for_every_lesson_and_section(built: tuple[Path, BuildResult]) -> None:
    out, _ = built
    titles = set(_outline_pages(PdfReader(out / PACKET)))
    assert {"Contents", "How to use this packet", "2. Yes, No, Maybe: Asking First",
            "Student handouts", "Family letters", "Glossary",
            "Alignment with standards"} <= titles


def _fonts(resources: DictionaryObject) -> list[DictionaryObject]:
    found = []
    fonts = resources.get("/Font")
    for ref in (fonts.get_object().values() if fonts else []):
        font = ref.get_object()
        for descendant in font.get("/DescendantFonts", []):
            found.append(descendant.get_object())
        if "/FontDescriptor" in font:
            found.append(font)
    return found


@pytest.mark.parametrize("name", [PACKET, LESSON_PDF, "pdf/k-2/ask-first-k-2-handouts.pdf"])
def test_every_font_is_embedded(built: tuple[Path, BuildResult], name: str) -> None:
    out, _ = built
    reader = PdfReader(out / name)
    seen = set()
    for page in reader.pages:
        for font in _fonts(page["/Resources"]):
            descriptor = font["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                font["/BaseFont"]
            seen.add(str(font["/BaseFont"]).split("+")[-1])
    assert any(s.startswith("Atkinson-Hyperlegible") for s in seen)
    if "handouts" in name:
        assert any(s.startswith("Andika") for s in seen), "K–2 handouts use the reader face"


def test_page_size_is_letter(built: tuple[Path, BuildResult]) -> None:
    out, _ = built
    box = PdfReader(out / PACKET).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_pdf_is_tagged_with_title_and_language(built: tuple[Path, BuildResult]) -> None:
    out, _ = built
    reader = PdfReader(out / PACKET)
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en"
    assert reader.metadata is not None
    assert reader.metadata.title == "Ask First: Kindergarten to grade 2 — teacher packet"
    spanish = PdfReader(out / "pdf/k-2/ask-first-k-2-family-letters-es.pdf")
    assert spanish.trailer["/Root"]["/Lang"] == "es"


def test_a4_paper(mini: Path) -> None:
    out = mini / "a4"
    build(BuildOptions(out=out, only="pdf", band="early-years", paper="a4", quiet=True,
                       project=Project(mini, bundled=False)))
    box = PdfReader(out / "pdf/early-years/ask-first-early-years-handouts.pdf").pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def built_apart(tmp_path: Path, **options: Any) -> tuple[dict[str, str], dict[str, str]]:
    """The mini curriculum built twice, 2.2 s apart, in two folders; the digests of both
    outputs, after checking that no output holds either folder's path."""
    outputs = []
    for place in ("first", "elsewhere/second"):
        if outputs:
            time.sleep(2.2)  # fonts and archives carry times in whole seconds
        folder = copy_project("mini", tmp_path / place)
        out = folder / "build"
        build(BuildOptions(out=out, quiet=True, project=Project(folder, bundled=False),
                           **options))
        for path in out.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                for where in (folder, tmp_path):
                    assert str(where).encode() not in data, f"{path} holds the path {where}"
        outputs.append(out)
    first, second = (tree_digest(out) for out in outputs)
    return first, second


def test_builds_apart_in_time_and_place_give_the_same_bytes(tmp_path: Path) -> None:
    first, second = built_apart(tmp_path, zip=True)
    assert len(first) > 40 and "offline.zip" in first
    assert first == second


def test_rebuild_reuses_unchanged_pdfs_and_pages(mini: Path) -> None:
    options = BuildOptions(out=mini / "out", band="k-2", quiet=True,
                           project=Project(mini, bundled=False))
    cold = build(options)
    assert cold.pdfs_rendered == len(cold.pdf_pages) and cold.pages_rewritten > 0
    lesson = mini / "lessons/k-2/yes-no-maybe.yml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(
        "Gather the class in a circle.", "Gather the class in a circle, please.", 1),
        encoding="utf-8")
    warm = build(options)
    assert warm.pdfs_rendered == 2, "the lesson's PDF and its band's packet"
    assert warm.pages_rewritten == 1, "only the lesson's teacher page"
    assert warm.sites_built == 1, "only the English site has a changed page"
    before = tree_digest(mini / "out")
    idle = build(options)
    assert (idle.pdfs_rendered, idle.pages_rewritten, idle.sites_built) == (0, 0, 0)
    assert tree_digest(mini / "out") == before, "nothing built again, nothing missing"
    assert (mini / "out/site/teachers/k-2/yes-no-maybe.html").read_text(
        encoding="utf-8").count("Gather the class in a circle, please.") == 1
    # what the caches kept and what was made again: the same bytes as a build from nothing
    fresh = build(BuildOptions(out=mini / "fresh", band="k-2", quiet=True,
                               project=Project(mini, bundled=False)))
    assert fresh.pdfs_rendered == len(fresh.pdf_pages)
    # the edited lesson's pages: teacher page, two family pages, two slideshows, its PDF
    # and two decks (the band has no other lesson here)
    assert warm.lesson_pages_rendered == fresh.lesson_pages_rendered == 8
    assert tree_digest(mini / "out") == tree_digest(mini / "fresh")


def test_failed_build_leaves_previous_output(mini: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = mini / "build"
    assert main(["build", "--only", "pdf", "--band", "early-years", "--quiet"]) == 0
    before = tree_digest(out)
    lesson = mini / "lessons/k-2/yes-no-maybe.yml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("minutes: 35\n",
                                                                 "minutes: many\n", 1),
                      encoding="utf-8")
    assert main(["build", "--only", "pdf", "--band", "early-years"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == [
        "lessons/k-2/yes-no-maybe.yml:6:10: minutes: expected a whole number, got text 'many'",
        "askfirst: stopped: 1 error(s), 0 warning(s) in 1 file(s); nothing was written",
    ]
    assert tree_digest(out) == before
    assert [p.name for p in mini.iterdir() if p.name.startswith(".build")] == []


def test_refuses_to_overwrite_a_folder_it_did_not_make(
        mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    precious = mini / "documents"
    precious.mkdir()
    (precious / "report.txt").write_text("keep me", encoding="utf-8")
    assert main(["build", "--only", "pdf", "--band", "early-years", "--out", "documents"]) == 1
    assert "was not made by askfirst" in capsys.readouterr().err
    assert (precious / "report.txt").read_text(encoding="utf-8") == "keep me"


def test_zip_holds_site_and_pdfs(mini: Path) -> None:
    import zipfile

    out = mini / "z"
    build(BuildOptions(out=out, band="k-2", zip=True, quiet=True,
                       project=Project(mini, bundled=False)))
    names = zipfile.ZipFile(out / "offline.zip").namelist()
    assert "site/index.html" in names and "site/es/index.html" in names
    assert PACKET in names and f"site/{PACKET}" in names


def test_missing_translation_falls_back_with_a_notice(
        mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lesson = mini / "lessons/k-2/yes-no-maybe.yml"
    text = lesson.read_text(encoding="utf-8")
    start = text.index("      activity: >-\n        Esta semana")
    end = text.index("      help: >-\n        Si le preocupa")
    lesson.write_text(text[:start] + text[end:], encoding="utf-8")
    assert main(["validate", "lessons/k-2/yes-no-maybe.yml"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "lessons/k-2/yes-no-maybe.yml:227:7: warning: translations.es.family_guide: "
        "untranslated into 'es': activity; English is shown")
    out = mini / "b"
    build(BuildOptions(out=out, only="site", band="k-2", quiet=True,
                       project=Project(mini, bundled=False)))
    page = (out / "site/es/families/k-2/yes-no-maybe.html").read_text(encoding="utf-8")
    assert "Esta parte todavía no está traducida, por eso aparece en inglés." in page
    assert '<div lang="en"><p>At home this week, ask your child' in page


def test_pages_list_the_contacts_that_fit_their_ages_and_language(mini: Path) -> None:
    config = mini / "askfirst.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("contacts:\n", """contacts:
  older-line:
    name: Older Kids Line
    kind: national
    url: https://older.example.org
    min_age: 5
    description: For children from age 6.
  english-line:
    name: English Only Line
    kind: national
    url: https://english.example.org
    languages: [en]
    description: Answers in English.
""", 1), encoding="utf-8")
    build(BuildOptions(out=mini / "out", quiet=True, project=Project(mini, bundled=False)))

    def text(page: str) -> str:
        return (mini / "out/site" / page).read_text(encoding="utf-8")

    # early years are 3–5: the oldest are not older than the line's youngest age
    assert "Older Kids Line" not in text("families/early-years/index.html")
    assert "Older Kids Line" in text("families/k-2/index.html")
    assert "English Only Line" in text("families/k-2/index.html")
    assert "English Only Line" not in text("es/families/k-2/index.html")
    letters = PdfReader(mini / "out/pdf/k-2/ask-first-k-2-family-letters-es.pdf")
    spanish = "".join(page.extract_text() for page in letters.pages)
    assert "Older Kids Line" in spanish and "English Only Line" not in spanish
    packet = PdfReader(mini / "out/pdf/early-years/ask-first-early-years-teacher-packet.pdf")
    assert "Older Kids Line" not in "".join(page.extract_text() for page in packet.pages)


def test_language_switcher_stays_on_the_same_page(built: tuple[Path, BuildResult]) -> None:
    out, _ = built

    def switcher(page: str) -> dict[str, str]:
        html = (out / "site" / page).read_text(encoding="utf-8")
        return dict((lang, href) for href, lang in re.findall(
            r'<a href="([^"]*)" hreflang="([a-z]+)" lang="[a-z]+" class="md-select__link">',
            html))

    assert switcher("es/families/k-2/yes-no-maybe.html")["en"] == \
        "../../../families/k-2/yes-no-maybe.html"
    assert switcher("families/k-2/yes-no-maybe.html")["es"] == \
        "../../es/families/k-2/yes-no-maybe.html"
    # teacher pages exist in English only: Spanish goes to the Spanish home page
    assert switcher("teachers/k-2/yes-no-maybe.html")["es"] == "../../es/index.html"
    assert (out / "site/families/k-2" / switcher("families/k-2/index.html")["es"]).resolve() \
        == (out / "site/es/families/k-2/index.html").resolve()


def test_every_link_between_pages_leads_somewhere(built: tuple[Path, BuildResult]) -> None:
    out, _ = built
    broken = []
    for page in sorted((out / "site").rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        for raw in re.findall(r'href="([^"]*)"', html):
            href = unescape(raw).split("#")[0].split("?")[0]
            if not href or re.match(r"^[a-z]+:", href) or href.startswith("/"):
                continue
            target = (page.parent / href).resolve()
            if not target.is_relative_to((out / "site").resolve()) or not target.exists():
                broken.append(f"{page.relative_to(out)} → {href}")
    assert broken == []


def test_zensical_sites_apart_in_time_and_place_give_the_same_bytes(tmp_path: Path) -> None:
    first, second = built_apart(tmp_path, only="site", engine="zensical")
    assert "site/es/index.html" in first and "site/search.json" in first, "Zensical's index"
    assert first == second


def test_the_site_engine_is_a_setting_and_a_flag(mini: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    config = mini / "askfirst.yml"
    config.write_text(config.read_text(encoding="utf-8") + "site_engine: zensical\n",
                      encoding="utf-8")
    assert main(["build", "--only", "site", "--out", "z"]) == 0
    assert "language(s) built again by zensical" in capsys.readouterr().out
    assert (mini / "z/site/search.json").is_file()
    assert main(["build", "--only", "site", "--out", "m", "--engine", "mkdocs"]) == 0
    assert "language(s) built again by mkdocs" in capsys.readouterr().out
    assert (mini / "m/site/search/search_index.json").is_file()
    config.write_text(config.read_text(encoding="utf-8").replace(
        "site_engine: zensical", "site_engine: hugo"), encoding="utf-8")
    assert main(["build", "--only", "site"]) == 1
    line = config.read_text(encoding="utf-8").count("\n")
    assert capsys.readouterr().err.splitlines()[0] == (
        f"askfirst.yml:{line}:14: site_engine: must be 'mkdocs' or 'zensical', not 'hugo'")


def test_a_missing_zensical_says_how_to_install_it(
        mini: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "zensical" else find_spec(name, *a))
    before = sorted(p.name for p in mini.iterdir())
    assert main(["build", "--only", "site", "--engine", "zensical"]) == 1
    assert capsys.readouterr().err.strip() == (
        "askfirst: error: the zensical site engine is not installed; install it with "
        "`pip install 'askfirst[zensical]'`, or build with `--engine mkdocs`")
    assert sorted(p.name for p in mini.iterdir()) == before, "nothing written"


def test_a_rebuild_with_nothing_changed_does_nothing(mini: Path) -> None:
    options = BuildOptions(out=mini / "out", band="k-2", quiet=True,
                           project=Project(mini, bundled=False))
    first = build(options)
    assert not first.skipped
    again = build(options)
    assert again.skipped and again.report() == [
        *[w.format() for w in first.warnings],
        "nothing changed since the last build (its inputs and its output folder are as it "
        "left them): nothing loaded, checked or built", f"built into {mini / 'out'}"]
    assert (again.pdf_pages, again.site_pages) == (first.pdf_pages, first.site_pages)
    # an output file deleted by hand: a real build, which puts it back from the caches
    packet = mini / "out/pdf/k-2/ask-first-k-2-teacher-packet.pdf"
    packet.unlink()
    restored = build(options)
    assert not restored.skipped and restored.pdfs_rendered == 0 and packet.is_file()
    assert build(options).skipped
    # another option, or an input changed by content (not only touched), builds again
    a4 = build(BuildOptions(out=mini / "out", band="k-2", paper="a4", quiet=True,
                            project=Project(mini, bundled=False)))
    assert not a4.skipped and a4.pdfs_rendered > 0
    assert not build(options).skipped, "back to letter paper"
    lesson = mini / "lessons/k-2/yes-no-maybe.yml"
    lesson.touch()
    assert build(options).skipped, "the same bytes"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(
        "Gather the class in a circle.", "Gather the class in a ring.", 1), encoding="utf-8")
    changed = build(options)
    assert not changed.skipped and changed.pdfs_rendered == 2


def test_an_edited_lesson_renders_and_builds_only_its_own_pages(mini: Path) -> None:
    def site(out: str) -> BuildResult:
        return build(BuildOptions(out=mini / out, only="site", quiet=True,
                                  project=Project(mini, bundled=False)))

    cold = site("out")
    every = sum(cold.site_pages.values())
    assert cold.site_pages_built == every and cold.lesson_pages_rendered > 6
    lesson = mini / "lessons/k-2/yes-no-maybe.yml"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("class in a circle.", "class in a ring.", 1)
                      .replace("amigo sin abrazarlo.", "amigo sin darle un abrazo.", 1),
                      encoding="utf-8")
    warm = site("out")
    # the lesson's teacher page, its family page in two languages, its slideshow in two
    assert warm.lesson_pages_rendered == 5
    assert (warm.pages_rewritten, warm.sites_built, warm.site_pages_built) == (2, 2, 2), \
        "the English teacher page and the Spanish family page, each built alone"
    assert "site: 2 source files rewritten, the rest unchanged; 2 of 2 language(s) built " \
        f"again by mkdocs (2 of {every} pages)" in warm.report()
    search = (mini / "out/site/search/search_index.json").read_text(encoding="utf-8")
    assert "class in a ring" in search and "class in a circle" not in search
    # the same bytes as a build from nothing: every other page, the search index, the sitemap
    assert tree_digest(mini / "out") == tree_digest(site("fresh").out)
    # a new title changes every page's navigation: the whole language is built again
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(
        'title: "Yes, No, Maybe: Asking First"', 'title: "Yes, No or Maybe"', 1),
        encoding="utf-8")
    retitled = site("out")
    assert retitled.site_pages_built == retitled.site_pages["en"]
    assert tree_digest(mini / "out") == tree_digest(site("fresh-again").out)


def test_a_previous_output_left_by_a_stop_is_cleared(mini: Path) -> None:
    """A build stopped while it swapped its output in leaves the previous output in a folder
    of its own; the next build removes it (another build's staging folder it leaves alone)."""
    left = mini / ".out.old.x1y2z3/previous/site"
    left.mkdir(parents=True)
    (left / "index.html").write_text("the output before", encoding="utf-8")
    staging = mini / ".out.a1b2c3"
    staging.mkdir()
    build(BuildOptions(out=mini / "out", only="site", band="k-2", quiet=True,
                       project=Project(mini, bundled=False)))
    assert not (mini / ".out.old.x1y2z3").exists() and staging.is_dir()
    assert sorted(p.name for p in mini.iterdir() if p.name.startswith(".out")) == [
        ".out.a1b2c3"]


def test_a_school_with_its_own_templates_keeps_no_lesson_pages(mini: Path) -> None:
    """Its templates could show another lesson's text on a lesson's page: every page is
    rendered, every time."""
    own = mini / "templates/site/lesson.md.j2"
    own.parent.mkdir(parents=True)
    own.write_text((REPO / "templates/site/lesson.md.j2").read_text(encoding="utf-8"),
                   encoding="utf-8")
    options = BuildOptions(out=mini / "out", only="site", quiet=True,
                           project=Project(mini, bundled=False))
    first = build(options)
    lesson = mini / "lessons/k-2/yes-no-maybe.yml"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace(
        "class in a circle.", "class in a ring.", 1), encoding="utf-8")
    assert build(options).lesson_pages_rendered == first.lesson_pages_rendered > 5
