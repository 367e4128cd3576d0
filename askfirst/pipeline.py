"""The pipeline: every output is made by the same stages, in this order.

    load      askfirst/load/      YAML with line marks → typed models; upstream loaded once
    resolve   askfirst/resolve/   translations and configuration values, per language
    validate  askfirst/validate/  every problem of every file, at once
    render    askfirst/render/    one Jinja environment → site pages and print HTML
    build     askfirst/build/     the site engine → site; WeasyPrint → PDFs (workers, cache)
    write     askfirst/write/     one writer, swapped in only when everything succeeded

`build` makes the site and every PDF; `changes` makes the changes report alone. Adding an output
is a render function and a template; it then goes through the same build and write stages.
Nothing is rendered before everything is loaded and validated; nothing is written outside the
writer.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from askfirst.build.last_build import (
    InputsDigests,
    LastBuild,
    inputs_digests,
    outputs_digest,
    warning_records,
)
from askfirst.build.packet import split_parts
from askfirst.build.pdf import PdfCache, PdfRun, PdfTask
from askfirst.build.site_engine import build_site, engine_missing, sync_docs
from askfirst.cache import trusted_cache
from askfirst.errors import (
    AskFirstError,
    InvalidCurriculum,
    Problem,
    Problems,
    Severity,
    UsageError,
)
from askfirst.load.curriculum import Curriculum, lesson_files, project_chain
from askfirst.load.kept import KeptReadings
from askfirst.models import Band
from askfirst.progress import Progress
from askfirst.project import CACHE_DIR, Project, find_project
from askfirst.render.changes import compare, report_lines
from askfirst.render.environment import make_environment, render, template_dirs
from askfirst.render.memo import RenderMemo, kept_for
from askfirst.render.outputs import OutputPaths
from askfirst.render.print_pages import FONTS_DIR, PrintJob, PrintRenderer, release_epoch
from askfirst.render.site_pages import SiteRenderer, SiteSource
from askfirst.validate import check, reading_levels
from askfirst.validate.kept import CheckedLessons
from askfirst.validate.readability import ReadingLevels
from askfirst.write.writer import Writer

SITE_DIR = "site"
ZIP_NAME = "offline.zip"


@dataclass
class BuildOptions:
    """What to build and where."""

    out: Path = Path("build")
    only: str | None = None
    band: str | None = None
    paper: str | None = None
    engine: str | None = None  # the site engine; None takes `site_engine` from askfirst.yml
    strict: bool = False
    quiet: bool = False
    zip: bool = False
    workers: int | None = None
    project: Project | None = None
    # With `only="site"`: link the pages to the PDFs all the same (`askfirst serve` makes
    # them in the background and serves them beside the site).
    pdf_links: bool = False
    # A folder where each PDF is put as soon as it is ready, before the build is done
    # (`askfirst serve` gives out each PDF from there while its background build runs).
    ready: Path | None = None


@dataclass
class BuildResult:
    """What a build wrote."""

    out: Path
    pdf_pages: dict[str, int] = field(default_factory=dict)
    site_pages: dict[str, int] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    pdfs_rendered: int = 0
    # Of the parts of the teacher packets rendered: how many were laid out, of how many.
    packet_parts: tuple[int, int] = (0, 0)
    pages_rewritten: int = 0
    sites_built: int = 0  # languages whose site engine ran (the others had nothing new)
    site_pages_built: int = 0  # pages the site engine made (only the changed ones, if it can)
    lesson_pages_rendered: int = 0  # lesson pages rendered, not kept from an earlier build
    # Lessons checked (not kept from an earlier build), of how many.
    lessons_checked: tuple[int, int] = (0, 0)
    engine: str = "mkdocs"  # what built the site
    skipped: bool = False  # nothing had changed since the last build: nothing was done
    cache_note: str | None = None  # why the cache could not be used, when it could not
    worker_peak_mib: float = 0.0

    def report(self) -> list[str]:
        """A few lines saying what was built."""
        lines = [p.format() for p in self.warnings]
        if self.skipped:
            return [*lines, "nothing changed since the last build (its inputs and its output "
                    "folder are as it left them): nothing loaded, checked or built",
                    f"built into {self.out}"]
        if self.cache_note:
            lines.append(self.cache_note)
        checked, lessons = self.lessons_checked
        if lessons:
            lines.append(f"validate: {lessons} lessons checked" if checked == lessons else
                         f"validate: {checked} of {lessons} lessons checked, the others as "
                         "the last build checked them (unchanged)")
        for lang, count in self.site_pages.items():
            lines.append(f"site ({lang}): {count} pages")
        if self.site_pages:
            lines.append(f"site: {self.pages_rewritten} source files rewritten, the rest "
                         f"unchanged; {self.sites_built} of {len(self.site_pages)} "
                         f"language(s) built again by {self.engine} "
                         f"({self.site_pages_built} of {sum(self.site_pages.values())} pages)")
        if self.pdf_pages:
            lines.append(f"pdf: {len(self.pdf_pages)} files, "
                         f"{sum(self.pdf_pages.values())} pages "
                         + ("(all rendered)" if self.pdfs_rendered == len(self.pdf_pages)
                            else f"({self.pdfs_rendered} rendered, the rest unchanged)"))
        laid, parts = self.packet_parts
        if parts:
            lines.append(f"pdf: teacher packets: {laid} of {parts} parts laid out"
                         + ("" if laid == parts else ", the others kept from the last build "
                            "(unchanged)"))
        if self.pdfs_rendered:
            lines.append(f"pdf: worker peak {self.worker_peak_mib:.0f} MiB")
        lines.append(f"built into {self.out}")
        return lines


def published_bands(cur: Curriculum) -> list[Band]:
    """The bands this project publishes (`bands:` in askfirst.yml), youngest first."""
    bands = cur.ordered_bands
    chosen = cur.config.model.bands
    return bands if chosen is None else [b for b in bands if b.id in chosen]


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
    # Pages of the source language's site that the site engine does not make (slideshows),
    # by their path inside it.
    pages: list[tuple[str, str]] = field(default_factory=list)


def render_stage(cur: Curriculum, options: BuildOptions, memo: RenderMemo | None = None,
                 cache: Path | None = None, levels: ReadingLevels | None = None) -> Rendered:
    """Render everything the build needs, before anything is built or written; a lesson's
    pages that `memo` kept from an earlier build are not rendered again, templates are
    compiled once into `cache`, and the board packet takes validation's reading `levels`."""
    config = cur.config.model
    bands = _bands(published_bands(cur), options.band)
    outputs = OutputPaths(config.title)
    paper = options.paper or config.paper
    env = make_environment(cur.layers, cache=cache)
    report = compare(cur, cur.upstream) if cur.upstream else None
    printer = PrintRenderer(cur, env, outputs, paper, memo, levels)  # PDFs, slideshows
    jobs = []
    if options.only != "site":
        jobs = printer.jobs(bands)
        if report:
            jobs.append(printer.changes(report))
            jobs.append(printer.board(bands, report))  # a school decides: its board packet
    pdf_names = {job.output for job in jobs}
    if options.pdf_links:  # a site alone that links to PDFs made by another build
        pdf_names = {name for name, _ in printer.planned(bands)}
        if report:
            pdf_names |= {outputs.changes(), outputs.board()}
    pages_env = make_environment(cur.layers, markdown=True, cache=cache)
    sites = [] if options.only == "pdf" else SiteRenderer(cur, pages_env, bands, outputs,
                                                          pdf_names, report, memo, levels).sites()
    css = render(env, "site/assets/askfirst.css.j2",
                 {"primary": config.school.colors.primary,
                  "accent": config.school.colors.accent,
                  "script_fonts": sorted({(f, f.replace(" ", "")) for site in sites
                                          for f in site.script_fonts})})
    pages = []
    if options.only != "pdf":
        pages = [printer.slideshow(band, lesson, lang)
                 for band in bands for lesson in cur.lessons_of(band.id)
                 for lang in printer.slide_languages(lesson)]
    return Rendered(jobs, sites, css, pages)


def pdf_tasks(cur: Curriculum, jobs: list[PrintJob]) -> list[PdfTask]:
    """What the PDF workers need: each document's HTML, the only folders it may read (the
    bundled fonts, the projects' assets and templates), and the date it carries."""
    allowed = (str(FONTS_DIR), *(str(layer.root / "assets") for layer in cur.layers),
               *map(str, template_dirs(cur.layers)))
    epoch = release_epoch(cur.config.model.released)
    base = cur.project.root.as_uri() + "/"
    return [PdfTask(job.output, job.html, base, allowed, epoch, job.one_page,
                    split_parts(job.html) if job.in_parts else ())
            for job in jobs]


def prepare(project: Project, strict: bool = False, levels: ReadingLevels | None = None,
            kept: CheckedLessons | None = None,
            readings: KeptReadings | None = None) -> tuple[Curriculum, list[Problem]]:
    """Load, resolve and validate (with the reading levels measured before, in `levels`, the
    lessons checked before, in `kept`, and the curriculum files read before, in `readings`);
    stop with every problem when any is an error."""
    cur, problems = check(project, levels=levels, kept=kept, readings=readings)
    failing = problems.errors(strict=strict)
    if failing:
        raise InvalidCurriculum(failing)
    return cur, problems.sorted()


def changes(out: Path, project: Project | None = None) -> list[str]:
    """Write the report of what this curriculum changes from the one it extends (a page and a
    PDF) into `out`; returns its text form."""
    cur, _ = prepare(project or find_project())
    if cur.upstream is None:
        raise AskFirstError("this curriculum extends no other (no 'extends' in askfirst.yml); "
                            "there is nothing to compare")
    report = compare(cur, cur.upstream)
    job = PrintRenderer(cur, make_environment(cur.layers), OutputPaths(cur.config.model.title),
                        cur.config.model.paper).changes(report)
    run = PdfRun(pdf_tasks(cur, [job]), 1, None)
    name = job.output.removeprefix("pdf/")
    with Writer(out) as writer:
        for _, data, _ in run.results():
            writer.write(name, data)
        writer.write("index.html", job.html)
    return [*report_lines(report), f"wrote {out / name} and {out / 'index.html'}"]


def _inputs(project: Project, options: BuildOptions) -> InputsDigests | None:
    """The digests of what the build reads (everything; what lesson pages share, see
    RenderMemo; what lessons' checks share, see CheckedLessons); None when the layers cannot
    be found (the real build then reports why)."""
    problems = Problems()
    chain = project_chain(project, problems)
    if problems.items:
        return None
    roots = [layer.root for layer, _ in chain]
    school = [doc.data.get("school") for _, doc in chain if isinstance(doc.data, dict)]
    logos = [layer.root / s["logo"] for (layer, _), s in zip(chain, school, strict=True)
             if isinstance(s, dict) and isinstance(s.get("logo"), str)]
    chosen = {"only": options.only, "band": options.band, "paper": options.paper,
              "engine": options.engine, "strict": options.strict, "zip": options.zip,
              "pdf_links": options.pdf_links}
    lessons = frozenset(path for layer, _ in chain for path in lesson_files(layer.lessons_dir))
    return inputs_digests(roots, {**chosen, "out": Path(options.out).name}, logos, lessons)


def build(options: BuildOptions) -> BuildResult:
    """Build the site and the PDFs of the project in the working folder."""
    project = options.project or find_project()
    missing = engine_missing(options.engine) if options.engine and options.only != "pdf" \
        else None
    if missing:
        raise AskFirstError(missing)  # asked for by name: before anything is read or written
    cache_dir = Path(options.out).resolve().parent / CACHE_DIR / Path(options.out).name
    cache_note = trusted_cache(cache_dir.parent)  # before anything is taken from it
    record = cache_dir / "last-build.json"
    digests = _inputs(project, options)
    inputs = digests.every if digests else None
    last = LastBuild.load(record)
    out = Path(options.out)
    if (inputs and last and last.inputs == inputs and out.is_dir()
            and outputs_digest(out) == last.outputs):
        return BuildResult(out=options.out, warnings=last.problems(), skipped=True,
                           pdf_pages=last.pdf_pages, site_pages=last.site_pages,
                           engine=last.engine)
    record.unlink(missing_ok=True)  # written again only when this build succeeds
    levels = reading_levels(cache_dir)
    kept = CheckedLessons(cache_dir / "checked-lessons.json" if digests else None,
                          digests.checks if digests else "")
    readings = KeptReadings(cache_dir / "file-data" if digests else None)
    cur, warnings = prepare(project, options.strict, levels, kept, readings)
    config = cur.config.model
    engine = options.engine or config.site_engine
    missing = engine_missing(engine) if options.only != "pdf" else None
    if missing:
        raise AskFirstError(missing)  # set in askfirst.yml: before any output is written
    levels.save()
    kept.save()
    readings.prune()
    memo = RenderMemo(cache_dir / "pages" if digests and kept_for(cur) else None,
                      digests.shared if digests else "", cur)
    rendered = render_stage(cur, options, memo, cache_dir, levels)
    result = BuildResult(out=options.out, warnings=warnings, engine=engine,
                         lesson_pages_rendered=memo.rendered,
                         lessons_checked=(kept.checked, kept.lessons), cache_note=cache_note)
    epoch = release_epoch(config.released)
    tasks = pdf_tasks(cur, rendered.jobs)
    workers = options.workers or min(os.cpu_count() or 1, 4)
    cache = PdfCache(cache_dir / "pdf")
    logo = config.school.logo
    with Writer(options.out) as writer, Progress(len(tasks), options.quiet) as progress:
        run = PdfRun(tasks, workers, cache)
        result.pdfs_rendered = run.rendered
        run.start()  # the PDFs render in worker processes while the site builds here
        if options.ready:
            Path(options.ready).mkdir(parents=True, exist_ok=True)
            (Path(options.ready) / "count").write_text(str(len(tasks)), encoding="utf-8")
            for output, data, _ in run.cached:  # the same as before: ready at once
                _put_ready(Path(options.ready), output, data)
        try:
            for site in rendered.sites:
                result.site_pages[site.language] = len(site.pages)
                docs = cache_dir / f"docs-{site.language}"
                logo_file = (project.root / logo, site.config["theme"]["logo"]) if logo else None
                result.pages_rewritten += sync_docs(site, docs, rendered.css, logo_file)
                built = cache_dir / f"site-{site.language}" if engine == "mkdocs" else \
                    cache_dir / f"site-{site.language}-{engine}"
                made = build_site(site, docs, built, epoch, engine)
                result.sites_built += made > 0
                result.site_pages_built += made
                for path in sorted(built.rglob("*")):
                    if path.is_file():
                        relative = path.relative_to(built).as_posix()
                        writer.write(f"{SITE_DIR}/{site.prefix}{relative}", path.read_bytes())
                progress.note(f"site ({site.language}) built")
            for page_path, html in rendered.pages:
                writer.write(f"{SITE_DIR}/{page_path}", html)
            for output, data, pages in run.results():
                if options.ready:
                    _put_ready(Path(options.ready), output, data)
                writer.write(output, data)
                if rendered.sites:
                    writer.write(f"{SITE_DIR}/{output}", data)  # the site offers every PDF
                result.pdf_pages[output] = pages
                progress.advance(output)
        except BaseException:
            run.stop(abandon=True)
            raise
        run.stop()
        slide_decks = {task.output for task in tasks if task.one_page == ""}
        for output, labels in sorted(run.overflow.items()):
            for label in labels:  # measured in the layout, not guessed from the text
                result.warnings.append(Problem(output, 1, 1, "", (
                    f"the slide '{label}' is too long for one slide; write a shorter screen "
                    "for its step (`screen:` in the lesson)") if output in slide_decks else (
                    f"'{label}' runs onto a second page; shorten the lesson's preparation or "
                    "materials, or name shorter key lines (`key_line:` in a step)"),
                    Severity.WARNING))
        result.worker_peak_mib = run.peak_mib()
        result.packet_parts = run.parts_laid_out, run.parts
        if options.zip:
            writer.write(ZIP_NAME, _zip(writer.staging))
    cache.prune()
    memo.prune()
    if inputs:
        LastBuild(inputs, outputs_digest(out), result.pdf_pages, result.site_pages,
                  warning_records(result.warnings), result.engine).save(record)
    return result


def _put_ready(folder: Path, output: str, data: bytes) -> None:
    """A PDF where `askfirst serve` looks for it while the build goes on, written whole."""
    path = folder / output
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    partial.write_bytes(data)
    partial.replace(path)


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
