"""`askfirst serve`: the site on this computer, made again on every change to a lesson,
template, setting or asset, with the browser reloaded; the PDFs are made in the background.

A change makes the site alone (`--only site`, into a preview folder of the cache): only the
pages the change touched are rendered and built again, so the browser reloads within about a
second. Then a full build — site and PDFs, as `askfirst build` makes them — runs in the
background into the output folder; the server hands out each PDF from there, so a PDF link
gives the last PDF made until the new one is ready. A change that arrives meanwhile waits for
that build and is built after it.
"""

from __future__ import annotations

import logging
import mimetypes
import posixpath
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from askfirst.errors import AskFirstError, InvalidCurriculum
from askfirst.pipeline import SITE_DIR, BuildOptions, BuildResult, build
from askfirst.project import CACHE_DIR, find_project

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _say(text: str) -> None:
    print(f"askfirst: {text}", file=sys.stderr, flush=True)


def _attempt(options: BuildOptions, what: str) -> BuildResult | None:
    """One build; a mistake in the curriculum is printed, and the last good output stays."""
    try:
        return build(options)
    except InvalidCurriculum as exc:
        for problem in exc.problems:
            print(problem.format(), file=sys.stderr)
        _say(f"{what} not made again; the last good one is still served")
    except AskFirstError as exc:
        _say(f"error: {exc}; {what} not made again, the last good one is still served")
    return None


class BackgroundPdfs:
    """Full builds (site and PDFs) into the output folder, one at a time, in a thread of
    their own: asked for after every change, run once for all the changes made meanwhile."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = replace(options, only=None, pdf_links=False)
        self._wanted = threading.Event()
        self.busy = threading.Event()  # a build is wanted or running
        self._thread = threading.Thread(target=self._run, name="askfirst-pdfs", daemon=True)

    def start(self) -> None:
        """Make the PDFs now, and again whenever `want` is called."""
        self.want()
        self._thread.start()

    def want(self) -> None:
        """Ask for a build after the one running, if any."""
        self.busy.set()
        self._wanted.set()

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            started = time.monotonic()
            result = _attempt(self.options, "the PDFs were")
            if result is not None:
                made = "nothing changed" if result.skipped else (
                    f"{result.pdfs_rendered} made again, the rest unchanged")
                _say(f"PDFs ready in {self.options.out} ({made}; "
                     f"{time.monotonic() - started:.1f} s)")
            if not self._wanted.is_set():
                self.busy.clear()


def with_pdfs(app: WsgiApp, folder: Path, pdfs: BackgroundPdfs | None) -> WsgiApp:
    """The server's app, answering a request for a PDF (`/pdf/…`) from `folder` (the full
    build's site, which offers every PDF): the last one made, or a page saying it is on its
    way."""
    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/pdf/"):
            return app(environ, start_response)
        relative = posixpath.normpath(path).lstrip("/")
        file = folder / relative
        if relative.startswith("pdf/") and file.is_file():
            data = file.read_bytes()
            kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
            start_response("200 OK", [("Content-Type", kind),
                                      ("Content-Length", str(len(data)))])
            return [data]
        if pdfs is not None and pdfs.busy.is_set():
            status, text = "503 Service Unavailable", (
                "This PDF is being made. This page tries again every five seconds.")
            headers = [("Retry-After", "5")]
            refresh = '<meta http-equiv="refresh" content="5">'
        else:
            status, text = "404 Not Found", (
                "No such PDF. `askfirst serve --no-pdf` makes no PDFs; `askfirst build` "
                "makes them all." if pdfs is None else "No such PDF.")
            headers, refresh = [], ""
        page = (f'<!doctype html><html lang="en"><meta charset="utf-8">{refresh}'
                f"<title>{status[4:]}</title><p>{text}</p></html>").encode()
        start_response(status, [("Content-Type", "text/html; charset=utf-8"), *headers])
        return [page]

    return serve


def serve(options: BuildOptions, host: str, port: int, pdfs: bool = True) -> None:
    """Build, then serve the site and build again on every change until interrupted."""
    from mkdocs.livereload import LiveReloadServer

    project = options.project or find_project()
    out = Path(options.out).resolve()
    preview = replace(options, project=project, only="site", pdf_links=pdfs,
                      out=out.parent / CACHE_DIR / "serve" / out.name)
    background = BackgroundPdfs(replace(options, project=project)) if pdfs else None

    def rebuild() -> None:
        started = time.monotonic()
        result = _attempt(preview, "the site was")
        if result is None:
            return
        _say(f"site ready ({time.monotonic() - started:.1f} s)"
             + ("; the PDFs are being made in the background" if background else ""))
        if background:
            background.want()

    started = time.monotonic()
    if _attempt(preview, "the site was") is None:
        raise AskFirstError("the site could not be made; mend the problems above and run "
                            "`askfirst serve` again")
    _say(f"site ready ({time.monotonic() - started:.1f} s)")
    root = Path(preview.out) / SITE_DIR
    # The server logs a request it cannot answer as a warning of MkDocs' own logger, and a
    # strict MkDocs build running meanwhile (ours, in another thread) would count it as its own
    # and stop: the server's log goes nowhere; this module says what happens.
    logging.getLogger("mkdocs.livereload").propagate = False
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(root))
    server.set_app(with_pdfs(server.serve_request, out / SITE_DIR, background))
    for watched in (project.config_path, project.lessons_dir, project.templates_dir,
                    project.mkdocs_path, project.root / "assets", project.root / "overrides",
                    project.root / "reviews"):
        if watched.exists():
            server.watch(str(watched))
    if background:
        background.start()
    _say(f"serving {server.url} — press Ctrl+C to stop"
         + (f"; PDFs are made in the background into {options.out}" if background else ""))
    try:
        server.serve()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
