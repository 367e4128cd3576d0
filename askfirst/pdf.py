"""Build stage for PDFs: WeasyPrint in worker processes, fetching only the project's own files,
with a content-hash cache so that a PDF whose input did not change is not rendered again.

Each worker process imports WeasyPrint once and renders many documents; WeasyPrint is the slow
part of a build and more cores do not speed up one document, so documents run side by side,
largest first, while the main process builds the website.
"""

from __future__ import annotations

import hashlib
import mimetypes
import multiprocessing
import resource
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from askfirst import __version__
from askfirst.errors import AskFirstError

# A worker renders this many documents, then is replaced: WeasyPrint keeps caches that grow.
TASKS_PER_WORKER = 12


class OutsideFetch(AskFirstError):
    """A document asked for a file or address outside the allowed folders."""


@dataclass(frozen=True)
class PdfTask:
    """What a worker needs to make one PDF."""

    output: str
    html: str
    base_url: str
    allowed: tuple[str, ...]


def _fetcher(allowed: tuple[str, ...]) -> Any:
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    roots = [Path(a).resolve() for a in allowed]

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        """Serves files inside the allowed folders; refuses everything else, and stops."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            parsed = urlparse(url)
            path = Path(unquote(parsed.path)).resolve() if parsed.scheme == "file" else None
            if path is None or not any(path.is_relative_to(r) for r in roots):
                raise FatalURLFetchingError(f"refused to fetch {url}: only files inside the "
                                            "project's assets and the bundled fonts are used")
            if not path.is_file():
                raise FatalURLFetchingError(f"missing file {path}")
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(),
                                      headers={"Content-Type": mime})

    return LocalOnly()


def render_pdf(task: PdfTask) -> tuple[str, bytes, int]:
    """Make one PDF; returns its output path, bytes and page count."""
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError

    try:
        document = weasyprint.HTML(string=task.html, base_url=task.base_url,
                                   url_fetcher=_fetcher(task.allowed)).render()
        data = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=b"askfirst")
    except FatalURLFetchingError as exc:
        raise OutsideFetch(f"{task.output}: {exc}") from None
    assert isinstance(data, bytes)
    return task.output, data, len(document.pages)


def _warm() -> None:
    import weasyprint  # noqa: F401  (imported once per worker, before the first document)


class PdfCache:
    """PDFs by the hash of everything that makes them: HTML, files it uses, tool versions."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()
        self._files: dict[tuple[str, ...], str] = {}

    def _files_digest(self, allowed: tuple[str, ...]) -> str:
        """A digest of every file a document may use (fonts, pictures, logo)."""
        if allowed not in self._files:
            digest = hashlib.sha256()
            for root in allowed:
                for path in sorted(Path(root).rglob("*")) if Path(root).is_dir() else []:
                    if path.is_file():
                        stat = path.stat()
                        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\0".encode())
            self._files[allowed] = digest.hexdigest()
        return self._files[allowed]

    def key(self, task: PdfTask) -> str:
        """The content hash of one task."""
        import weasyprint

        digest = hashlib.sha256()
        for part in (__version__, weasyprint.__version__, task.base_url, task.html,
                     self._files_digest(task.allowed)):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()

    def get(self, key: str) -> tuple[bytes, int] | None:
        """A cached PDF and its page count, if there is one."""
        pdf, pages = self.folder / f"{key}.pdf", self.folder / f"{key}.pages"
        if pdf.is_file() and pages.is_file():
            self.used.add(key)
            return pdf.read_bytes(), int(pages.read_text(encoding="ascii"))
        return None

    def put(self, key: str, data: bytes, pages: int) -> None:
        """Keep a rendered PDF for the next build."""
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"{key}.pdf").write_bytes(data)
        (self.folder / f"{key}.pages").write_text(str(pages), encoding="ascii")
        self.used.add(key)

    def prune(self) -> None:
        """Forget PDFs that this build no longer makes."""
        for path in self.folder.glob("*.*") if self.folder.is_dir() else []:
            if path.stem not in self.used:
                path.unlink()


class PdfRun:
    """Renders a build's PDFs in worker processes while the caller does other work."""

    def __init__(self, tasks: list[PdfTask], workers: int, cache: PdfCache | None) -> None:
        self.cache = cache
        self.cached: list[tuple[str, bytes, int]] = []
        self.keys: dict[str, str] = {}
        todo = []
        for task in tasks:
            key = cache.key(task) if cache else ""
            hit = cache.get(key) if cache else None
            if hit:
                self.cached.append((task.output, *hit))
            else:
                self.keys[task.output] = key
                todo.append(task)
        # Largest first, so that the longest document does not start last.
        self.todo = sorted(todo, key=lambda t: len(t.html), reverse=True)
        self.workers = max(1, min(workers, len(self.todo)))
        self.pool: Pool | None = None
        self.pending: list[AsyncResult[tuple[str, bytes, int]]] = []

    @property
    def rendered(self) -> int:
        """How many PDFs are rendered rather than taken from the cache."""
        return len(self.todo)

    def start(self) -> None:
        """Start rendering in the background (in this process if there is one PDF)."""
        if len(self.todo) > 1 and self.workers > 1:
            # A fresh interpreter per worker ("spawn"): forking a process that has MkDocs and
            # threads loaded is not safe, and workers are recycled to return their memory.
            context = multiprocessing.get_context("spawn")
            self.pool = context.Pool(self.workers, initializer=_warm,
                                     maxtasksperchild=TASKS_PER_WORKER)
            self.pending = [self.pool.apply_async(render_pdf, (task,)) for task in self.todo]

    def results(self) -> Iterator[tuple[str, bytes, int]]:
        """Every PDF, cached ones first, the others as they finish."""
        yield from self.cached
        try:
            done = (r.get() for r in self.pending) if self.pool else map(render_pdf, self.todo)
            for output, data, pages in done:
                if self.cache:
                    self.cache.put(self.keys[output], data, pages)
                yield output, data, pages
            if self.pool:
                self.pool.close()
                self.pool.join()
        finally:
            if self.pool:
                self.pool.terminate()

    @staticmethod
    def peak_mib() -> float:
        """The largest resident memory of any finished worker process, in MiB."""
        return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def render_all(tasks: list[PdfTask], workers: int) -> list[tuple[str, bytes, int]]:
    """Make every PDF, without a cache (for one-off documents such as the changes report)."""
    run = PdfRun(tasks, workers, None)
    run.start()
    return list(run.results())
