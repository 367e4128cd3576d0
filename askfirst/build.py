"""The staged build: load and validate, render, build (MkDocs, WeasyPrint), write.

Nothing is rendered before everything is loaded and validated; nothing is written outside
the writer, which swaps the new output in only when every stage has succeeded.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from askfirst.catalog import Catalog
from askfirst.changes import compare, upstream_of
from askfirst.checking import check
from askfirst.curriculum import Curriculum
from askfirst.errors import AskFirstError, InvalidCurriculum, Problem, UsageError
from askfirst.models import Band
from askfirst.pdf import PdfTask, render_all
from askfirst.printing import FONTS_DIR, PrintJob, PrintRenderer
from askfirst.project import PACKAGE_DIR, Project, find_project
from askfirst.render import make_environment, render, template_dirs
from askfirst.site import IFRAME_WORKER, SITE_CSS, SiteRenderer, SiteSource
from askfirst.writer import Writer

SITE_DIR = "site"
VENDOR = PACKAGE_DIR / "vendor"
ZIP_NAME = "offline.zip"


@dataclass
class BuildOptions:
    """What to build and where."""

    out: Path = Path("build")
    only: str | None = None
    band: str | None = None
    paper: str | None = None
    strict: bool = False
    quiet: bool = False
    zip: bool = False
    workers: int | None = None
    project: Project | None = None


@dataclass
class BuildResult:
    """What a build wrote."""

    out: Path
    pdf_pages: dict[str, int] = field(default_factory=dict)
    site_pages: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)

    def report(self) -> list[str]:
        """A few lines saying what was built."""
        lines = [p.format() for p in self.warnings]
        for lang, count in self.site_pages.items():
            lines.append(f"site ({lang}): {count} pages")
        if self.pdf_pages:
            lines.append(f"pdf: {len(self.pdf_pages)} files, "
                         f"{sum(self.pdf_pages.values())} pages")
        lines.append(f"built into {self.out}")
        return lines


def _bands(bands: list[Band], wanted: str | None) -> list[Band]:
    if wanted is None:
        return bands
    chosen = [b for b in bands if b.id == wanted]
    if not chosen:
        known = ", ".join(b.id for b in bands)
        raise UsageError(f"--band {wanted}: no such band; use one of: {known}")
    return chosen


@dataclass
class Rendered:
    """The render stage's result: every PDF's print HTML and every site's pages."""

    jobs: list[PrintJob]
    sites: list[SiteSource]
    css: str


def render_stage(cur: Curriculum, options: BuildOptions) -> Rendered:
    """Render everything the build needs, before anything is built or written."""
    config = cur.config.model
    published = cur.ordered_bands
    if config.bands is not None:
        published = [b for b in published if b.id in config.bands]
    bands = _bands(published, options.band)
    catalog = Catalog(config.title)
    paper = options.paper or config.paper
    env = make_environment(cur.layers)
    upstream = upstream_of(cur)
    report = compare(cur, upstream) if upstream else None
    jobs = []
    if options.only != "site":
        printer = PrintRenderer(cur, env, catalog, paper)
        jobs = printer.jobs(bands)
        if report:
            jobs.append(printer.changes(report))
    pdf_names = {job.output for job in jobs}
    sites = [] if options.only == "pdf" else SiteRenderer(cur, env, bands, catalog,
                                                          pdf_names, report).sites()
    css = render(env, "site/assets/askfirst.css.j2",
                 {"primary": config.school.colors.primary,
                  "accent": config.school.colors.accent})
    return Rendered(jobs, sites, css)


def build(options: BuildOptions) -> BuildResult:
    """Build the site and the PDFs of the project in the working folder."""
    project = options.project or find_project()
    cur, problems = check(project)
    failing = problems.errors(strict=options.strict)
    if failing:
        raise InvalidCurriculum(failing)
    rendered = render_stage(cur, options)
    config = cur.config.model
    result = BuildResult(out=options.out, warnings=problems.sorted())
    allowed = (str(FONTS_DIR), *(str(layer.root / "assets") for layer in cur.layers),
               *map(str, template_dirs(cur.layers)))
    tasks = [PdfTask(job.output, job.html, project.root.as_uri() + "/", allowed)
             for job in rendered.jobs]
    workers = options.workers or min(os.cpu_count() or 1, 4)
    released = dt.datetime.combine(config.released, dt.time(), tzinfo=dt.UTC)
    with Writer(options.out) as writer:
        pdfs = {}
        for output, data, pages in render_all(tasks, workers):
            writer.write(output, data)
            pdfs[output] = data
            result.pdf_pages[output] = pages
        for site in rendered.sites:
            result.site_pages[site.language] = len(site.pages)
            _build_site(site, writer, rendered.css, pdfs, project.root, config.school.logo,
                        int(released.timestamp()))
        if options.zip:
            writer.write(ZIP_NAME, _zip(writer.staging))
    return result


def _build_site(site: SiteSource, writer: Writer, css: str, pdfs: dict[str, bytes],
                root: Path, logo_source: str | None, released_epoch: int) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with tempfile.TemporaryDirectory(prefix="askfirst-docs-") as tmp:
        docs = Path(tmp) / "docs"
        for page in site.pages:
            target = docs / page.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(page.text, encoding="utf-8")
        (docs / SITE_CSS).parent.mkdir(parents=True, exist_ok=True)
        (docs / SITE_CSS).write_text(css, encoding="utf-8")
        (docs / IFRAME_WORKER).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(VENDOR / "iframe-worker" / "shim.js", docs / IFRAME_WORKER)
        fonts = docs / "assets" / "fonts"
        fonts.mkdir(parents=True, exist_ok=True)
        for font in FONTS_DIR.glob("AtkinsonHyperlegible-*.ttf"):
            shutil.copyfile(font, fonts / font.name)
        logo = site.config.get("theme", {}).get("logo")
        if logo and logo_source:
            shutil.copyfile(root / logo_source, docs / logo)
        if not site.prefix:
            for name, data in pdfs.items():
                (docs / name).parent.mkdir(parents=True, exist_ok=True)
                (docs / name).write_bytes(data)
        config = dict(site.config)
        config["docs_dir"] = str(docs)
        config["site_dir"] = str(writer.path(SITE_DIR + "/" + site.prefix))
        config_path = Path(tmp) / "mkdocs.yml"
        config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
                               encoding="utf-8")
        mkdocs_log = logging.getLogger("mkdocs")
        level = mkdocs_log.level
        mkdocs_log.setLevel(logging.WARNING)
        captured = io.StringIO()
        handler = logging.StreamHandler(captured)
        mkdocs_log.addHandler(handler)
        # MkDocs dates the sitemap from SOURCE_DATE_EPOCH: the release date keeps builds equal.
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = epoch or str(released_epoch)
        try:
            mkdocs_build(load_config(str(config_path), strict=True))
        except (MkDocsException, SystemExit) as exc:
            details = captured.getvalue().strip()
            raise AskFirstError(f"the {site.language} site did not build: {exc}"
                                + (f"\n{details}" if details else "")) from None
        finally:
            if epoch is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            mkdocs_log.removeHandler(handler)
            mkdocs_log.setLevel(level)


def _zip(folder: Path) -> bytes:
    """One archive of the site and every PDF, with fixed dates so it is reproducible."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                info = zipfile.ZipInfo(str(path.relative_to(folder)), (2000, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
    return buffer.getvalue()
