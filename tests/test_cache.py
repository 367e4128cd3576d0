"""The PDF cache: keyed by everything that decides a PDF's bytes, kept across partial builds,
written whole or not at all; the cache folder trusted only when this machine made it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from askfirst.build.pdf import PdfCache, PdfTask, RenderedPdf
from askfirst.cache import MARK, secret_path, trusted_cache
from askfirst.errors import AskFirstError
from askfirst.pipeline import CACHE_DIR, BuildOptions, BuildResult, build
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


def test_a_cache_folder_is_kept_only_with_this_machines_mark(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    folder = tmp_path / ".askfirst-cache"
    (folder / "build").mkdir(parents=True)
    (folder / "build/page.html").write_text("planted", encoding="utf-8")
    (folder / MARK).write_text("not this machine's", encoding="utf-8")
    assert trusted_cache(folder) == (
        f"cache: {folder} was not made on this machine (or its secret, in "
        f"{tmp_path}/home-cache/askfirst, is new); emptied it, so this build starts from "
        "nothing")
    assert sorted(p.name for p in folder.iterdir()) == [MARK], "emptied, then marked"
    assert secret_path().stat().st_mode & 0o777 == 0o600
    (folder / "build").mkdir()
    (folder / "build/page.html").write_text("kept", encoding="utf-8")
    assert trusted_cache(folder) is None
    assert (folder / "build/page.html").read_text(encoding="utf-8") == "kept"
    # Another machine (another secret) does not trust it.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "other-machine"))
    assert trusted_cache(folder) and not (folder / "build").exists()
    assert trusted_cache(tmp_path / "new" / ".askfirst-cache") is None, "a new one: no news"


def test_a_cache_folder_that_is_a_link_is_removed_not_followed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("mine", encoding="utf-8")
    folder = tmp_path / ".askfirst-cache"
    folder.symlink_to(elsewhere)
    assert trusted_cache(folder)  # emptied: said
    assert not folder.is_symlink() and folder.is_dir()
    assert (elsewhere / "precious.txt").read_text(encoding="utf-8") == "mine"


def test_without_a_secret_the_cache_folder_is_emptied_every_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the user's cache folder should be", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    folder = tmp_path / ".askfirst-cache"
    folder.mkdir()
    (folder / "page.html").write_text("planted", encoding="utf-8")
    assert trusted_cache(folder) == (
        f"cache: {folder} is not used: no secret can be kept in {blocked}/askfirst to mark it "
        "as made here; every build starts from nothing")
    assert not folder.exists()


def test_a_project_moved_to_another_folder_keeps_its_pdfs(tmp_path: Path) -> None:
    fixtures = Path(__file__).parent / "fixtures"
    for name in ("mini", "school"):
        shutil.copytree(fixtures / name, tmp_path / "a" / name)
    first = _build(tmp_path / "a/school", band="year-3")
    assert first.pdfs_rendered == len(first.pdf_pages)
    shutil.copytree(tmp_path / "a", tmp_path / "b", symlinks=True)
    moved = tmp_path / "b/school"
    assert _build(moved, band="year-3").pdfs_rendered == 0
    kept = {p: p.read_bytes() for p in sorted((moved / "build/pdf").rglob("*.pdf"))}
    # The school's logo, edited in the new folder only: the PDFs that show it are made again.
    logo = moved / "assets/logo.svg"
    logo.write_text(logo.read_text(encoding="utf-8").replace("<svg", "<svg data-edited='1'", 1),
                    encoding="utf-8")
    edited = _build(moved, band="year-3")
    assert 0 < edited.pdfs_rendered <= len(edited.pdf_pages)
    logo.write_text((tmp_path / "a/school/assets/logo.svg").read_text(encoding="utf-8"),
                    encoding="utf-8")
    shutil.rmtree(moved / CACHE_DIR)
    fresh = _build(moved, band="year-3")
    assert fresh.pdfs_rendered == len(fresh.pdf_pages)
    assert {p: p.read_bytes() for p in kept} == kept, "the same bytes as made in the new folder"


def test_a_cache_folder_that_cannot_be_emptied_stops_the_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home-cache"))
    folder = tmp_path / ".askfirst-cache"
    folder.mkdir()
    (folder / "page.html").write_text("planted", encoding="utf-8")
    monkeypatch.setattr("askfirst.cache.shutil.rmtree", lambda *a, **k: None)  # as if locked
    with pytest.raises(AskFirstError) as caught:
        trusted_cache(folder)
    assert str(caught.value) == (
        f"{folder}: this cache folder was not made on this machine and cannot be emptied; "
        "remove it by hand, then build again")
    assert not (folder / MARK).exists()
