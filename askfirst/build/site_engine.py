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
import logging
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import yaml

from askfirst.errors import AskFirstError
from askfirst.project import PACKAGE_DIR
from askfirst.render.print_pages import FONTS_DIR
from askfirst.render.site_pages import IFRAME_WORKER, SITE_CSS, THEME_DIR, SiteSource

VENDOR = PACKAGE_DIR / "vendor"
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


def _stamp(docs: Path, config_text: bytes, epoch: str, engine: str) -> str:
    """Everything that decides a built site: its pages and files, its configuration, the
    date, the theme override, the engine and its version."""
    digest = hashlib.sha256(config_text)
    digest.update(f"{epoch}\0{engine}\0".encode())
    for package in _PACKAGES[engine]:
        digest.update(f"{package}={metadata.version(package)}\0".encode())
    for folder in (docs, THEME_DIR):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(f"{path.relative_to(folder)}\0".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def engine_missing(engine: str) -> str | None:
    """Why an engine cannot run here, or None when it can."""
    if engine == "zensical" and importlib.util.find_spec("zensical") is None:
        return ("the zensical site engine is not installed; install it with "
                "`pip install 'askfirst[zensical]'`, or build with `--engine mkdocs`")
    return None


def build_site(site: SiteSource, docs: Path, site_dir: Path, released_epoch: int,
               engine: str) -> bool:
    """Run the site engine (`engine_missing` says it can run) on a docs folder, unless
    nothing it reads changed since it last built into `site_dir`; returns whether it ran. A
    failure is an error that names the language."""
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
    stamp = _stamp(docs, config_text, epoch, engine)
    if site_dir.is_dir() and stamp_path.is_file() and stamp_path.read_text() == stamp:
        return False
    stamp_path.unlink(missing_ok=True)  # written again only when this build succeeds
    if engine == "zensical":
        _zensical(config_path, site_dir, site.language, epoch)
    else:
        _mkdocs(config_path, site.language, epoch)
    stamp_path.write_text(stamp, encoding="ascii")
    return True


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


def _mkdocs(config_path: Path, language: str, epoch: str) -> None:
    """MkDocs with Material, in this process, strict: a warning is a failure."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
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
        mkdocs_build(load_config(str(config_path), strict=True))
    except (MkDocsException, SystemExit) as exc:
        details = captured.getvalue().strip()
        raise AskFirstError(f"the {language} site did not build: {exc}"
                            + (f"\n{details}" if details else "")) from None
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        mkdocs_log.removeHandler(handler)
        mkdocs_log.setLevel(level)
