"""The built site in a real browser: pages load, PDFs resolve, nothing leaves the site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from askfirst.pipeline import BuildResult
from tests.browser import ARGS, chromium_or_skip, serve


@pytest.fixture(scope="module")
def browser_site(site_build: tuple[Path, BuildResult]) -> Iterator[tuple[Any, str]]:
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    out, _ = site_build
    with serve(out / "site") as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=ARGS)
        try:
            yield browser, base
        finally:
            browser.close()


def test_lesson_page_loads_and_its_pdf_resolves(browser_site: tuple[Any, str]) -> None:
    browser, base = browser_site
    page = browser.new_page()
    response = page.goto(base + "teachers/k-2/yes-no-maybe.html")
    assert response is not None and response.ok
    assert page.locator("h1").count() == 1
    assert page.locator("h1").inner_text() == "Yes, No, Maybe: Asking First"
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Draft" in page.locator(".af-status").inner_text()
    link = page.locator("a", has_text="This lesson as a PDF")
    href = link.get_attribute("href")
    assert href == "../../pdf/k-2/lessons/ask-first-yes-no-maybe.pdf"
    pdf = page.request.get(base + "pdf/k-2/lessons/ask-first-yes-no-maybe.pdf")
    assert pdf.ok and pdf.body()[:5] == b"%PDF-"
    page.close()


def test_pages_request_nothing_outside_the_site(browser_site: tuple[Any, str]) -> None:
    browser, base = browser_site
    page = browser.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
    for path in ("index.html", "teachers/k-2/yes-no-maybe.html", "families/k-2/index.html",
                 "es/index.html", "es/families/k-2/yes-no-maybe.html", "about/index.html"):
        page.goto(base + path, wait_until="networkidle")
    assert outside == []
    page.close()


def test_language_switcher_goes_to_spanish(browser_site: tuple[Any, str]) -> None:
    browser, base = browser_site
    page = browser.new_page()
    page.goto(base + "index.html")
    page.locator(".md-select").first.hover()
    page.locator("a[hreflang='es']").first.click()
    page.wait_for_load_state()
    assert page.url == base + "es/index.html"
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h2", has_text="Para las familias").count() == 1
    page.close()


@pytest.fixture
def engine(site_build: tuple[Path, BuildResult], request: pytest.FixtureRequest) -> str:
    """The engine that built the site under test."""
    return str(request.node.callspec.params["site_build"])


def _search(page: Any, engine: str, word: str) -> str:
    """Type a word into the site's search and return the text of what it finds."""
    if engine == "zensical":  # a search dialog, opened by a button
        page.locator(".md-search__button").first.click()
        box = page.get_by_role("combobox", name="Search")
        results = page.get_by_role("listbox").get_by_role("option")
    else:
        box = page.locator("input.md-search__input")
        results = page.locator(".md-search-result__item")
    # The search index loads after the page; a query typed before it is ready is not run
    # again, so type again until it answers (at most 20 seconds).
    for _ in range(20):
        box.click()
        box.fill("")
        box.type(word, delay=20)
        page.wait_for_timeout(1000)
        if results.count():
            break
    return " ".join(results.all_inner_texts())


@pytest.mark.parametrize("where", ["served", "disk"])
def test_search_finds_a_lesson_by_a_word_from_its_text(
        browser_site: tuple[Any, str], site_build: tuple[Path, BuildResult], engine: str,
        where: str) -> None:
    browser, base = browser_site
    page = browser.new_page()
    home = base + "index.html" if where == "served" else (
        site_build[0] / "site/index.html").as_uri()  # offline, from a folder or a USB stick
    page.goto(home, wait_until="networkidle")
    assert "Yes, No, Maybe" in _search(page, engine, "puppet")
    page.goto(home.replace("index.html", "es/index.html"), wait_until="networkidle")
    assert "Sí, no, tal vez" in _search(page, engine, "cosquillas")
    page.close()


AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
WCAG = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']"


def _pages(site_build: tuple[Path, BuildResult]) -> list[str]:
    site = site_build[0] / "site"
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html") if p.name != "404.html")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_passes_axe_wcag_21_aa(browser_site: tuple[Any, str],
                                          site_build: tuple[Path, BuildResult],
                                          scheme: str) -> None:
    browser, base = browser_site
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    pages = _pages(site_build)
    assert any(p.startswith("es/") for p in pages) and "index.html" in pages
    violations = {}
    for path in pages:
        page.goto(base + path)
        assert page.locator("h1").count() == 1, path
        assert page.locator("html").get_attribute("lang") in ("en", "es"), path
        page.add_script_tag(content=AXE)
        found = page.evaluate(f"async () => (await axe.run(document, {{runOnly: {WCAG}}}))"
                              ".violations.map(v => v.id + ' ' + v.nodes.length)")
        if found:
            violations[path] = found
    context.close()
    assert violations == {}


def test_phone_sized_window(browser_site: tuple[Any, str]) -> None:
    browser, base = browser_site
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.goto(base + "es/families/k-2/yes-no-maybe.html")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on a phone"
    page.locator("label.md-header__button[for='__drawer']").click()
    drawer = page.locator("nav.md-nav--primary")
    drawer.get_by_text("Para las familias").first.wait_for()
    assert drawer.is_visible()
    context.close()


def test_keyboard_alone_reaches_content(browser_site: tuple[Any, str]) -> None:
    browser, base = browser_site
    page = browser.new_page()
    page.goto(base + "index.html")
    page.keyboard.press("Tab")
    skip = page.evaluate("document.activeElement.textContent.trim()")
    assert skip.lower().startswith("skip to content")
    page.keyboard.press("Enter")
    for _ in range(60):
        page.keyboard.press("Tab")
        href = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if href.endswith("families/k-2/index.html"):
            break
    else:
        pytest.fail("no keyboard path to the K–2 family guide")
    page.keyboard.press("Enter")
    page.wait_for_url("**/families/k-2/index.html")
    page.close()


def test_slideshow_moves_with_the_keyboard_and_has_a_presenter_view(
        browser_site: tuple[Any, str], site_build: tuple[Path, BuildResult]) -> None:
    browser, base = browser_site
    out, _ = site_build
    for url in (f"{base}teachers/k-2/yes-no-maybe-slides.html",
                (out / "site/teachers/k-2/yes-no-maybe-slides.html").as_uri()):  # and from disk
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda request, seen=requests: seen.append(request.url))
        page.goto(url)
        counter = page.locator("#counter")
        total = int(counter.inner_text().split(" / ")[1])
        assert counter.inner_text() == f"1 / {total}"
        for key in ("ArrowRight", "Space", "PageDown"):
            page.keyboard.press(key)
        assert counter.inner_text() == f"4 / {total}"
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("PageUp")
        assert counter.inner_text() == f"2 / {total}"
        page.keyboard.press("End")
        assert counter.inner_text() == f"{total} / {total}"
        assert page.locator(".slide:not([hidden]) h2").inner_text() == "Where to get help"
        with page.expect_popup() as popup:
            page.locator("#present").click()
        presenter = popup.value
        presenter.wait_for_load_state()
        presenter.wait_for_function("document.querySelector('#counter').textContent"
                                    f" === '{total} / {total}'")
        page.keyboard.press("Home")
        presenter.wait_for_function("document.querySelector('#counter').textContent"
                                    f" === '1 / {total}'")
        presenter.keyboard.press("ArrowRight")
        page.wait_for_function(f"document.querySelector('#counter').textContent === '2 / {total}'")
        assert presenter.locator("#notes").is_visible()
        # slide 2 is the first of step 2 (8 minutes) of the mini lesson: step 1 shows nothing
        notes = presenter.locator("#notes-body").inner_text()
        assert notes.startswith("Step 2: Pip's story (8 minutes)") and "Say:" in notes
        presenter.wait_for_function("/^\\d+:\\d\\d \\/ 8:00$/.test("
                                    "document.querySelector('#timer').textContent)")
        assert "Pip" not in page.locator(".slide:not([hidden])").inner_text(), \
            "the teacher's words stay on the presenter's screen"
        presenter.keyboard.press("ArrowRight")
        presenter.wait_for_function("/^\\d+:\\d\\d \\/ 10:00$/.test("
                                    "document.querySelector('#timer').textContent)")
        notes = presenter.locator("#notes-body").inner_text()
        assert notes.startswith("Step 3: Yes, no, maybe game (10 minutes)")
        local = (base, "file://")
        assert [r for r in requests if not r.startswith(local)] == []
        presenter.close()
        page.close()
