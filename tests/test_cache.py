"""The PDF cache: keyed by everything that decides a PDF's bytes, kept across partial builds,
written whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

from askfirst.build.pdf import PdfCache, PdfTask, RenderedPdf
from askfirst.pipeline import BuildOptions, BuildResult, build
from askfirst.project import Project


def _build(project: Path, **options: object) -> BuildResult:
    return build(BuildOptions(out=project / "build", quiet=True,
                              project=Project(project, bundled=False), **options))  # type: ignore[arg-type]


def test_partial_builds_keep_the_cache(mini: Path) -> None:
    full = _build(mini)
    assert full.pdfs_rendered == len(full.pdf_pages) >= 10
    assert _build(mini, band="k-2").pdfs_rendered == 0
    assert _build(mini, only="site").pdfs_rendered == 0
    again = _build(mini)
    assert again.pdfs_rendered == 0 and again.pdf_pages == full.pdf_pages


def test_a_site_template_change_renders_no_pdf(mini: Path) -> None:
    _build(mini, band="k-2")
    folder = mini / "templates/site"
    folder.mkdir(parents=True)
    (folder / "home.md.j2").write_text('{% extends "askfirst/site/home.md.j2" %}\n',
                                       encoding="utf-8")
    assert _build(mini, band="k-2").pdfs_rendered == 0


def test_a_changed_picture_renders_again_even_with_the_same_size_and_time(mini: Path) -> None:
    assets = mini / "assets"
    assets.mkdir()
    logo = assets / "logo.svg"
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
           '<rect width="10" height="10" fill="#{}"/></svg>')
    logo.write_text(svg.format("123456"), encoding="utf-8")
    config = mini / "askfirst.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  name: Mini Test School\n",
        "  name: Mini Test School\n  logo: assets/logo.svg\n  logo_alt: Mini Test School\n"),
        encoding="utf-8")
    first = _build(mini, band="k-2", only="pdf")
    assert first.pdfs_rendered > 0
    stat = logo.stat()
    logo.write_text(svg.format("654321"), encoding="utf-8")
    os.utime(logo, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    # the logo is on the packet's cover, the letters to families (English, Spanish) and the
    # lesson's opening slides (English, Spanish): only those five are made again
    again = _build(mini, band="k-2", only="pdf")
    assert again.pdfs_rendered == 5


def test_a_broken_cache_entry_is_rendered_again(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path / "cache")
    task = PdfTask("pdf/a.pdf", "<p>a</p>", "file:///", (), 0)
    cache.put(task, RenderedPdf("pdf/a.pdf", b"%PDF-1.7 a", 1, ()))
    assert cache.get(task) == (b"%PDF-1.7 a", 1, ())
    later = PdfTask("pdf/a.pdf", "<p>a</p>", "file:///", (), 86400)
    assert cache.get(later) is None, "the release date is part of the key"
    [index] = (tmp_path / "cache").glob("*.json")
    index.write_text('{"key": ', encoding="utf-8")  # as if the machine stopped mid-write
    assert cache.get(task) is None
    assert sorted(p.name[:1] for p in (tmp_path / "cache").iterdir()) != ["."], \
        "no temporary files are left behind"
    assert not [p for p in (tmp_path / "cache").iterdir() if p.name.startswith(".")]


def test_prune_keeps_the_most_recently_used(tmp_path: Path) -> None:
    cache = PdfCache(tmp_path / "cache", limit=10_000)
    tasks = [PdfTask(f"pdf/{i}.pdf", f"<p>{i}</p>", "file:///", (), 0) for i in range(4)]
    for task in tasks:
        cache.put(task, RenderedPdf(task.output, b"x" * 4000, 1, ()))
    for i, path in enumerate(sorted((tmp_path / "cache").iterdir(), key=os.path.getmtime)):
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
    assert cache.get(tasks[0]) is not None  # used now: newest
    assert cache.prune() > 0
    assert cache.get(tasks[0]) is not None
    assert cache.get(tasks[1]) is None
