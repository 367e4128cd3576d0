"""`askfirst serve`: the site on this computer, made again on every change to a lesson,
template, setting or asset, with the browser reloaded; the PDFs are made in the background.

A change makes the site alone (`--only site`, into a preview folder of the cache): only the
pages the change touched are rendered and built again, so the browser reloads within about a
second. Then `askfirst build` — site and PDFs — runs in a process of its own into the output
folder, and the server hands out each PDF from there. While that build runs, a PDF link says
the PDF is being made rather than give one from before the change; a change that arrives
meanwhile is built after it. When the site cannot be made (a mistake in a lesson), the last
good site stays and every page carries a banner with the problems.
"""

from __future__ import annotations

import html
import logging
import mimetypes
import posixpath
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from askfirst.cache import trusted_cache
from askfirst.errors import AskFirstError, InvalidCurriculum
from askfirst.pipeline import SITE_DIR, BuildOptions, BuildResult, build
from askfirst.project import CACHE_DIR, Project, find_project

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _say(text: str) -> None:
    print(f"askfirst: {text}", file=sys.stderr, flush=True)


class BackgroundPdfs:
    """`askfirst build` (site and PDFs) into the output folder, in a process of its own, one
    at a time: asked for after every change, run once for all the changes made meanwhile, and
    interrupted (it then cleans up after itself) when the server stops."""

    def __init__(self, project: Project, options: BuildOptions) -> None:
        self.project = project
        self.out = str(options.out)  # as the user wrote it; the build gets the whole path
        out = Path(options.out).resolve()
        # Each PDF of the build running, as soon as it is made (the output folder changes
        # only when the whole build is done).
        self.ready = out.parent / CACHE_DIR / "serve" / f"{out.name}-pdfs-ready"
        self.command = [sys.executable, "-m", "askfirst", "build", "--out", str(out),
                        "--pdfs-ready-in", str(self.ready)]
        if options.band:
            self.command += ["--band", options.band]
        self._wanted = threading.Event()
        self.busy = threading.Event()  # a build is wanted or running
        self._stopping = threading.Event()
        self._process: subprocess.Popen[str] | None = None
        self._thread = threading.Thread(target=self._run, name="askfirst-pdfs", daemon=True)

    def made(self, relative: str) -> bool:
        """Whether the build running has made this PDF (`pdf/…`) already, or found it
        unchanged."""
        return relative.startswith("pdf/") and (self.ready / relative).is_file()

    def progress(self) -> str:
        """How far the build running has got, in a sentence ("" before it knows)."""
        try:
            count = int((self.ready / "count").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return ""
        made = sum(1 for _ in (self.ready / "pdf").rglob("*.pdf"))
        return f" {made} of {count} PDFs are ready so far."

    def start(self) -> None:
        """Make the PDFs now, and again whenever `want` is called."""
        self.want()
        self._thread.start()

    def want(self) -> None:
        """Ask for a build after the one running, if any."""
        self.busy.set()
        self._wanted.set()

    def stop(self) -> None:
        """Stop a build that is running (`kill`, which it handles as Ctrl+C: it cleans up);
        the output folder keeps the last complete build."""
        self._stopping.set()
        self._wanted.set()
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                finished = process.wait(timeout=20) == 0
            except subprocess.TimeoutExpired:
                process.kill()
                finished = False
            if not finished:
                _say(f"the PDFs were not finished: {self.out} holds the last complete "
                     "build, from before the latest changes; run `askfirst build` to finish it")
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            if self._stopping.is_set():
                return
            self.busy.set()
            started = time.monotonic()
            shutil.rmtree(self.ready, ignore_errors=True)
            self._process = subprocess.Popen(self.command, cwd=self.project.root, text=True,
                                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            out, err = self._process.communicate()
            if self._stopping.is_set():
                return
            if self._process.returncode == 0:
                made = re.search(r"pdf: (\d+) files, \d+ pages \((\d+) rendered", out)
                what = "nothing had changed" if made is None else (
                    f"all {made.group(1)} made" if made.group(1) == made.group(2) else
                    f"{made.group(2)} made again, the others unchanged")
                _say(f"PDFs ready in {self.out} ({what}; "
                     f"{time.monotonic() - started:.1f} s)")
            else:
                sys.stderr.write(err)
                _say("the PDFs were not made; the site shows the problems")
            if not self._wanted.is_set():
                self.busy.clear()


class Preview:
    """The site alone, made again after each change; remembers the problems of a change that
    could not be made, for the banner."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.problems: list[str] = []

    def make(self) -> BuildResult | None:
        """One build; a mistake is printed and kept for the banner, and the last good site
        stays."""
        try:
            result = build(self.options)
        except InvalidCurriculum as exc:
            self.problems = [problem.format() for problem in exc.problems]
        except AskFirstError as exc:
            self.problems = [f"error: {exc}"]
        else:
            self.problems = []
            return result
        for line in self.problems:
            print(line, file=sys.stderr)
        _say("the site was not made again; the last good one is still served")
        return None


_TITLES = {"503": "Being made", "409": "Not up to date", "404": "No PDF"}


def _pdf_page(status: str, text: str, refresh: bool) -> bytes:
    meta = '<meta http-equiv="refresh" content="5">' if refresh else ""
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8">{meta}'
            f"<title>{_TITLES[status[:3]]} — Ask First</title></head>"
            '<body style="font: 1.2rem/1.5 sans-serif; max-width: 40rem; margin: 3rem auto">'
            f'<p>{text}</p><p><a href="/">Back to the site</a></p></body></html>').encode()


def _banner(problems: list[str]) -> bytes:
    shown = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems[:10])
    more = f"<p>… and {len(problems) - 10} more (see the terminal).</p>" \
        if len(problems) > 10 else ""
    return ('<div role="alert" style="position: sticky; top: 0; z-index: 10; padding: 1rem; '
            'background: #fff4e5; color: #222; border-bottom: 3px solid #b45309; font: '
            '1rem/1.4 sans-serif"><strong>Your last change was not built.</strong> This page '
            f"is the last good version. Mend this and save:<ul>{shown}</ul>{more}</div>"
            ).encode()


def serving(app: WsgiApp, folder: Path, pdfs: BackgroundPdfs | None,
            preview: Preview) -> WsgiApp:
    """The server's app: a PDF (`/pdf/…`) from `folder` (the full build's site, which offers
    every PDF) when no build is making it again, else a page saying it is being made; every
    HTML page with a banner of the problems while the last change could not be built."""
    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/pdf/"):
            return _pdf(path, environ.get("QUERY_STRING", ""), start_response)
        if not preview.problems or not (path.endswith((".html", "/")) or path == ""):
            return app(environ, start_response)
        kept: list[Any] = []

        def keep(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            kept.append((status, [(k, v) for k, v in headers if k.lower() != "content-length"]))
            return lambda data: None

        body = b"".join(app(environ, keep))
        status, headers = kept[0]
        body = re.sub(rb"(<body[^>]*>)", lambda m: m.group(1) + _banner(preview.problems),
                      body, count=1)
        start_response(status, [*headers, ("Content-Length", str(len(body)))])
        return [body]

    def _pdf(path: str, query: str, start_response: Callable[..., Any]) -> Iterable[bytes]:
        relative = posixpath.normpath(path).lstrip("/")
        file = folder / relative
        if pdfs is None:
            status, text, refresh = "404 Not Found", (
                "<code>askfirst serve --no-pdf</code> makes no PDFs, and does not give out "
                "PDFs made before, which may be older than your lessons. Run "
                "<code>askfirst build</code> to make them."), False
        elif pdfs.busy.is_set() and pdfs.made(relative):
            return _file(pdfs.ready / relative, start_response)
        elif pdfs.busy.is_set():
            status, text, refresh = "503 Service Unavailable", (
                "This PDF is being made. This page tries again every five seconds."
                + pdfs.progress()), True
        elif preview.problems and query != "as-it-was":
            status, text, refresh = "409 Conflict", (
                "Your last change was not built, so this PDF is from before it. Mend the "
                "problem shown at the top of the site's pages and save, or "
                '<a href="?as-it-was">open the PDF from before the change</a>.'), False
        elif relative.startswith("pdf/") and file.is_file():
            return _file(file, start_response)
        else:
            status, text, refresh = "404 Not Found", "No such PDF.", False
        start_response(status, [("Content-Type", "text/html; charset=utf-8"),
                                *([("Retry-After", "5")] if refresh else [])])
        return [_pdf_page(status, text, refresh)]

    return serve


def _file(file: Path, start_response: Callable[..., Any]) -> Iterable[bytes]:
    data = file.read_bytes()
    kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    start_response("200 OK", [("Content-Type", kind), ("Content-Length", str(len(data)))])
    return [data]


def serve(options: BuildOptions, host: str, port: int, pdfs: bool = True) -> None:
    """Build, then serve the site and build again on every change until interrupted."""
    from mkdocs.livereload import LiveReloadServer

    project = options.project or find_project()
    out = Path(options.out).resolve()
    cache_note = trusted_cache(out.parent / CACHE_DIR)  # previews and PDFs being made go there
    if cache_note:
        _say(cache_note)
    preview = Preview(replace(options, project=project, only="site", pdf_links=pdfs,
                              out=out.parent / CACHE_DIR / "serve" / out.name))
    background = BackgroundPdfs(project, options) if pdfs else None

    def rebuild() -> None:
        started = time.monotonic()
        if preview.make() is None:
            return
        _say(f"site ready ({time.monotonic() - started:.1f} s)"
             + ("; the PDFs are being made in the background" if background else ""))
        if background:
            background.want()

    started = time.monotonic()
    if preview.make() is None:
        raise AskFirstError("the site could not be made; mend the problems above and run "
                            "`askfirst serve` again")
    _say(f"site ready ({time.monotonic() - started:.1f} s)")
    root = Path(preview.options.out) / SITE_DIR
    # The server logs a request it cannot answer as a warning of MkDocs' own logger, and a
    # strict MkDocs build running meanwhile (ours) would count it as its own and stop: the
    # server's log goes nowhere; this module says what happens.
    server_log = logging.getLogger("mkdocs.livereload")
    server_log.propagate = False
    server_log.addHandler(logging.NullHandler())
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(root))
    server.set_app(serving(server.serve_request, out / SITE_DIR, background, preview))
    for watched in (project.config_path, project.lessons_dir, project.templates_dir,
                    project.mkdocs_path, project.root / "assets", project.root / "overrides",
                    project.root / "reviews"):
        if watched.exists():
            server.watch(str(watched))
    if background:
        background.start()
    _say(f"serving {server.url} — press Ctrl+C to stop"
         + (f"; PDFs are made in the background into {options.out}" if background else ""))
    try:  # Ctrl+C or `kill` (see askfirst.cli) ends this, and stops the background build
        server.serve()  # type: ignore[no-untyped-call]
    finally:
        server.shutdown()
        if background:
            background.stop()
        _say("stopped")

