"""A language is data: a project adds French and Arabic with a folder of words and translations
in its lessons, no code and no template. Arabic reads right to left, in the site and the PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from askfirst.pipeline import BuildOptions, build
from askfirst.project import Project

from .conftest import copy_project


@pytest.fixture(scope="module")
def languages_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("languages")
    folder = copy_project("languages", root)
    out = root / "out"
    build(BuildOptions(out=out, quiet=True, project=Project(folder, bundled=False)))
    return out


def _body(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def test_every_language_gets_its_site(languages_build: Path) -> None:
    site = languages_build / "site"
    french = _body(site / "fr/families/k-2/yes-no-maybe.html")
    assert '<html lang="fr"' in french
    assert "Oui, non, peut-être : demander d&#39;abord" in french or \
        "Oui, non, peut-être : demander d'abord" in french
    assert "Ce que nous avons appris" in french
    # an untranslated part falls back to English with the notice, marked as English
    assert "Cette partie n&#39;est pas encore traduite" in french or \
        "Cette partie n'est pas encore traduite" in french
    arabic = _body(site / "ar/families/k-2/yes-no-maybe.html")
    assert '<body dir="rtl"' in arabic and '<html lang="ar"' in arabic
    assert "ما تعلّمناه" in arabic and "نعم، لا، ربما: نسأل أولًا" in arabic
    # a passage of page copy with no Arabic words is English, marked as English
    assert '<div lang="en" dir="ltr"><p>Draft: qualified educators' in arabic.replace(
        "&#58;", ":")
    # the Arabic site serves its own font, from this site
    css = _body(site / "ar/assets/askfirst.css")
    assert 'font-family: "Noto Sans Arabic"' in css
    assert (site / "ar/assets/fonts/NotoSansArabic-Regular.ttf").is_file()
    # the switcher offers every language, on the same page
    links = dict((lang, href) for href, lang in re.findall(
        r'<a href="([^"]*)" hreflang="([a-z]+)"', arabic))
    assert links == {"en": "../../../families/k-2/yes-no-maybe.html",
                     "fr": "../../../fr/families/k-2/yes-no-maybe.html",
                     "ar": "../../../ar/families/k-2/yes-no-maybe.html"}


def _fonts(reader: PdfReader) -> set[str]:
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_pdfs_in_every_language_arabic_right_to_left(languages_build: Path) -> None:
    pdf = languages_build / "pdf/k-2"
    arabic = PdfReader(pdf / "ask-first-k-2-family-letters-ar.pdf")
    assert arabic.trailer["/Root"]["/Lang"] == "ar"
    assert any(name.startswith("Noto-Sans-Arabic") for name in _fonts(arabic))
    handouts = PdfReader(pdf / "ask-first-k-2-handouts-ar.pdf")
    assert any(name.startswith("Noto-Sans-Arabic") for name in _fonts(handouts))
    french = PdfReader(pdf / "ask-first-k-2-family-letters-fr.pdf")
    text = "".join(page.extract_text() for page in french.pages)
    assert "Chères familles," in text and "Page 1 sur" in text
    assert "Mes mots pour demander d'abord" in "".join(
        page.extract_text() for page in PdfReader(pdf / "ask-first-k-2-handouts-fr.pdf").pages)


def test_the_print_html_sets_the_direction() -> None:
    from askfirst.pipeline import prepare, render_stage

    project = Project(Path(__file__).parent / "fixtures" / "languages", bundled=False)
    cur, _ = prepare(project)
    rendered = render_stage(cur, BuildOptions(band="k-2", only="pdf"))
    letters = {job.output: job.html for job in rendered.jobs}
    arabic = letters["pdf/k-2/ask-first-k-2-family-letters-ar.pdf"]
    assert '<html lang="ar" dir="rtl">' in arabic
    assert 'lang="ar" dir="rtl" style="page: letter-ar"' in arabic
    assert '<html lang="fr" dir="ltr">' in letters["pdf/k-2/ask-first-k-2-family-letters-fr.pdf"]
