"""Build stage for the website: finished Markdown pages → a site, by MkDocs with the Material
theme or by Zensical (from Material's makers, reading the same configuration).

The pages of each language live in a docs folder kept between builds, and a page is rewritten
only when its text changed; the engine then builds that language's site into a folder of its
own, which the writer copies in. Nothing runs when nothing the engine reads has changed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import logging
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from askfirst.errors import AskFirstError
from askfirst.project import PACKAGE_DIR
from askfirst.render.print_pages import FONTS_DIR
from askfirst.render.site_pages import IFRAME_WORKER, SITE_CSS, THEME_DIR, SiteSource

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

VENDOR = PACKAGE_DIR / "vendor"
SEARCH_INDEX = "search/search_index.json"
_PACKAGES = {"mkdocs": ("mkdocs", "mkdocs-material"), "zensical": ("zensical",)}


def _put(path: Path, data: bytes) -> bool:
    """Write a file only if its bytes differ; returns whether it was written."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def sync_docs(site: SiteSource, docs: Path, css: str, logo: tuple[Path, str] | None) -> int:
    """Bring the docs folder up to date with the rendered pages; returns files rewritten."""
    wanted: dict[str, bytes] = {page.path: page.text.encode("utf-8") for page in site.pages}
    wanted[SITE_CSS] = css.encode("utf-8")
    wanted[IFRAME_WORKER] = (VENDOR / "iframe-worker" / "shim.js").read_bytes()
    for family in ("Atkinson Hyperlegible", *site.script_fonts):
        for font in sorted(FONTS_DIR.glob(f"{family.replace(' ', '')}-*.ttf")):
            wanted[f"assets/fonts/{font.name}"] = font.read_bytes()
    if logo:
        wanted[logo[1]] = logo[0].read_bytes()
    written = sum(_put(docs / name, data) for name, data in wanted.items())
    for path in sorted(docs.rglob("*"), reverse=True):
        rel = str(path.relative_to(docs))
        if path.is_file() and rel not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return written


def _manifest(docs: Path, config_text: bytes, epoch: str, engine: str) -> dict[str, Any]:
    """Everything that decides a built site: its configuration, the date, the theme override,
    the engine and its version (`base`), and each file of the docs folder by its digest."""
    digest = hashlib.sha256(config_text)
    digest.update(f"{epoch}\0{engine}\0".encode())
    for package in _PACKAGES[engine]:
        digest.update(f"{package}={metadata.version(package)}\0".encode())
    for path in sorted(THEME_DIR.rglob("*")):
        if path.is_file():
            digest.update(f"{path.relative_to(THEME_DIR)}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    files = {path.relative_to(docs).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
             for path in sorted(docs.rglob("*")) if path.is_file()}
    return {"base": digest.hexdigest(), "files": files}


def _changed_pages(before: dict[str, Any] | None, now: dict[str, Any]) -> list[str] | None:
    """The pages to build again when only some pages' text changed since `before` (same
    configuration, theme, engine, files and assets); None when the whole site must be built."""
    if before is None or before.get("base") != now["base"]:
        return None
    old, new = before.get("files", {}), now["files"]
    if old.keys() != new.keys():
        return None  # a page added or removed changes every page's navigation
    changed = sorted(name for name in new if old[name] != new[name])
    return changed if all(name.endswith(".md") for name in changed) else None


def engine_missing(engine: str) -> str | None:
    """Why an engine cannot run here, or None when it can."""
    if engine == "zensical" and importlib.util.find_spec("zensical") is None:
        return ("the zensical site engine is not installed; install it with "
                "`pip install 'askfirst[zensical]'`, or build with `--engine mkdocs`")
    return None


def build_site(site: SiteSource, docs: Path, site_dir: Path, released_epoch: int,
               engine: str) -> int:
    """Run the site engine (`engine_missing` says it can run) on a docs folder, unless
    nothing it reads changed since it last built into `site_dir`; returns how many pages it
    made (0: it did not run). When only some pages' text changed, MkDocs makes those pages
    alone (see `_build_pages`). A failure is an error that names the language."""
    config = dict(site.config)
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(site_dir)
    config_path = docs.parent / f"{engine}-{site.language}.yml"
    if engine == "zensical":  # Material's look, where the school's colours apply
        config["theme"] = {**config["theme"], "variant": "classic"}
        # Zensical 0.0.73 stops on an absolute docs_dir: both relative to the configuration.
        config["docs_dir"] = os.path.relpath(docs, config_path.parent)
        config["site_dir"] = os.path.relpath(site_dir, config_path.parent)
    config_text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False).encode()
    _put(config_path, config_text)
    stamp_path = site_dir.parent / f"{site_dir.name}.stamp"
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or str(released_epoch)
    manifest = _manifest(docs, config_text, epoch, engine)
    before = _read_manifest(stamp_path) if site_dir.is_dir() else None
    if before == manifest:
        return 0
    stamp_path.unlink(missing_ok=True)  # written again only when this build succeeds
    pages = _changed_pages(before, manifest)
    made = len(site.pages)
    if engine == "zensical":
        _zensical(config_path, site_dir, site.language, epoch)
    elif pages is not None and (site_dir / SEARCH_INDEX).is_file():
        made = _mkdocs(config_path, site.language, epoch, pages) or made
    else:
        _mkdocs(config_path, site.language, epoch)
    stamp_path.write_text(json.dumps(manifest, sort_keys=True), encoding="utf-8")
    return made


def _read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _zensical(config_path: Path, site_dir: Path, language: str, epoch: str) -> None:
    """Zensical, in a process of its own (its core is native code); it keeps its own cache
    beside the configuration, so a page it built before is not built again."""
    shutil.rmtree(site_dir, ignore_errors=True)  # a page removed from the docs leaves the site
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch}
    run = subprocess.run([sys.executable, "-m", "zensical", "build", "--strict",
                          "--config-file", str(config_path)], cwd=config_path.parent, env=env,
                         capture_output=True, text=True, check=False)
    if run.returncode != 0 or not (site_dir / "index.html").is_file():
        details = (run.stdout + run.stderr).strip()
        raise AskFirstError(f"the {language} site did not build (zensical exited with "
                            f"{run.returncode})" + (f"\n{details}" if details else ""))


def _mkdocs(config_path: Path, language: str, epoch: str, pages: list[str] | None = None) -> int:
    """MkDocs with Material, in this process, strict: a warning is a failure. With `pages`,
    only those pages are built again when that can be done (see `_build_pages`); returns
    how many pages were made (0: all of them)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    mkdocs_log = logging.getLogger("mkdocs")
    level = mkdocs_log.level
    mkdocs_log.setLevel(logging.WARNING)
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    mkdocs_log.addHandler(handler)
    # MkDocs dates the sitemap from SOURCE_DATE_EPOCH: the release date keeps builds equal.
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch
    try:
        if pages is not None and _build_pages(_config(config_path), pages):
            return len(pages)
        mkdocs_build(_config(config_path))
        return 0
    except (MkDocsException, SystemExit) as exc:
        details = captured.getvalue().strip()
        raise AskFirstError(f"the {language} site did not build: {exc}"
                            + (f"\n{details}" if details else "")) from None
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        mkdocs_log.removeHandler(handler)
        mkdocs_log.setLevel(level)


def _config(config_path: Path) -> MkDocsConfig:
    """MkDocs' configuration, strict, with the theme's templates compiled once and kept beside
    it (Jinja checks each against its source)."""
    from jinja2 import FileSystemBytecodeCache
    from mkdocs.config import load_config

    config = load_config(str(config_path), strict=True)
    compiled = config_path.parent / "theme-templates"
    compiled.mkdir(exist_ok=True)
    theme = config.theme
    make_env = theme.get_env

    def get_env() -> Any:
        env = make_env()
        env.bytecode_cache = FileSystemBytecodeCache(str(compiled))
        return env

    theme.get_env = get_env  # type: ignore[method-assign]
    return config


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def _build_pages(config: MkDocsConfig, pages: list[str]) -> bool:
    """Build only `pages` with MkDocs' `dirty` build (made to build exactly those pages, not
    the ones whose file times differ), then give the search index back the entries of every
    other page, in the order a full build writes them; returns False, having changed nothing
    a full build does not write again, when the index cannot be put back in that order.

    Safe only when no page was added or removed, nothing but pages' text changed, and no
    page takes its title from its text: every page's navigation and neighbours stay the same
    (`_changed_pages` and the site's navigation, which names every page, see to that). A test
    compares such a build with a full one, byte for byte."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.structure.files import File

    index_path = Path(config.site_dir) / SEARCH_INDEX
    before = json.loads(index_path.read_text(encoding="utf-8"))
    wanted = set(pages)
    original = File.is_modified
    File.is_modified = lambda self: self.src_uri in wanted  # type: ignore[method-assign]
    # MkDocs warns that a dirty build may leave navigation stale: not here, where it cannot.
    build_log = logging.getLogger("mkdocs.commands.build")
    build_log.addFilter(_not_dirty_warning)
    try:
        mkdocs_build(config, dirty=True)
    finally:
        File.is_modified = original  # type: ignore[method-assign]
        build_log.removeFilter(_not_dirty_warning)
    fresh = json.loads(index_path.read_text(encoding="utf-8"))
    rebuilt: dict[str, list[Any]] = {}
    for entry in fresh["docs"]:
        rebuilt.setdefault(entry["location"].split("#")[0], []).append(entry)
    urls = {File(page, "", "", use_directory_urls=False).url for page in pages}
    docs: list[Any] = []
    for entry in before["docs"]:
        url = entry["location"].split("#")[0]
        if url not in urls:
            docs.append(entry)
        elif url in rebuilt:
            docs.extend(rebuilt.pop(url))
    if rebuilt:  # a page with no entries before: its place in a full build is not known
        return False
    # Written as Material's search plugin writes it, and inlined as its offline plugin does.
    data = json.dumps({**fresh, "docs": docs}, separators=(",", ":"), default=str)
    index_path.write_text(data, encoding="utf-8")
    index_path.with_suffix(".js").write_text(f"var __index = {data}", encoding="utf-8")
    return True
