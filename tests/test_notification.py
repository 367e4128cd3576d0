"""The letter that tells families about the lessons before they are taught: one sheet with its
return slip, in every language, for each policy a school may have."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from askfirst.build.pdf import render_pdf
from askfirst.pipeline import BuildResult, pdf_tasks, prepare
from askfirst.project import Project
from askfirst.render.environment import make_environment
from askfirst.render.outputs import OutputPaths
from askfirst.render.print_pages import PrintRenderer

from .conftest import FIXTURES

TICKS = {
    ("opt-out", "en"): ["I do not want my child to take part in these lessons."],
    ("opt-in", "en"): ["Yes, my child may take part in these lessons.",
                       "No, my child may not take part in these lessons."],
    ("notify-only", "en"): ["I have read this letter."],
    ("opt-out", "es"): ["No deseo que mi hijo o hija participe en estas lecciones."],
    ("opt-in", "es"): ["Sí, mi hijo o hija puede participar en estas lecciones.",
                       "No, mi hijo o hija no puede participar en estas lecciones."],
    ("notify-only", "es"): ["Leí esta carta."],
}


@pytest.mark.parametrize(("policy", "language"), sorted(TICKS))
def test_one_sheet_with_the_slip(policy: str, language: str) -> None:
    cur, _ = prepare(Project(FIXTURES / "mini", bundled=False))
    cur.config.model.notification.policy = policy  # type: ignore[assignment]
    printer = PrintRenderer(cur, make_environment(cur.layers),
                            OutputPaths(cur.config.model.title), cur.config.model.paper)
    band = cur.band("k-2")
    assert band is not None
    job = printer.notification(band, cur.lessons_of("k-2"), language)
    [task] = pdf_tasks(cur, [job])
    rendered = render_pdf(task)
    assert rendered.pages == 1
    reader = PdfReader(io.BytesIO(rendered.data))
    assert reader.trailer["/Root"]["/Lang"] == language
    text = " ".join(reader.pages[0].extract_text().split())
    for tick in TICKS[(policy, language)]:
        assert tick in text
    lesson = "Yes, No, Maybe: Asking First." if language == "en" else \
        "Sí, no, tal vez: pedir permiso primero."
    assert lesson in text
    assert ("Return slip" if language == "en" else "Talón para devolver") in text


def test_built_letters_and_page(built: tuple[Path, BuildResult]) -> None:
    out, result = built
    for language in ("en", "es"):
        name = f"pdf/k-2/ask-first-k-2-notification-{language}.pdf"
        assert result.pdf_pages[name] == 1
    page = (out / "site/es/families/k-2/notification.html").read_text(encoding="utf-8")
    assert "Carta a las familias antes de las lecciones" in page
    assert "ask-first-k-2-notification-es.pdf" in page
    assert 'href="notification.html"' in (out / "site/families/k-2/index.html").read_text(
        encoding="utf-8")


def test_a_school_with_other_lessons_gets_a_letter_that_lists_them() -> None:
    cur, _ = prepare(Project(FIXTURES / "school", bundled=False))
    printer = PrintRenderer(cur, make_environment(cur.layers),
                            OutputPaths(cur.config.model.title), cur.config.model.paper)
    listed: list[str] = []
    for band in cur.ordered_bands:
        job = printer.notification(band, cur.lessons_of(band.id), "en")
        items = re.findall(r"<li><strong>(.*?)\.</strong>", job.html)
        assert items == [html.escape(lesson.title) for lesson in cur.lessons_of(band.id)]
        listed += items
    assert "Puppet Day: Asking First" in listed, "the school's own lesson"
    assert "Yes, No, Maybe with Dot" in listed, "the school's override of an upstream lesson"
    assert "My Body Belongs to Me" not in listed, "a lesson the school does not teach"
