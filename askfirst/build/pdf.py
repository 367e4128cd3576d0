"""Build stage for PDFs: WeasyPrint in worker processes, fetching only the project's own files,
with a content-hash cache so that a PDF whose input did not change is not rendered again.

Each worker process imports WeasyPrint once and renders many documents; WeasyPrint is the slow
part of a build and more cores do not speed up one document, so documents run side by side,
largest first, while the main process builds the website.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import multiprocessing
import os
import resource
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import unquote, urlparse

from askfirst import __version__
from askfirst.build.join import MissingAnchor
from askfirst.build.packet import KeptPart, LaidOut, MadePart, Part, lay_out, make_packet
from askfirst.errors import AskFirstError

# A worker renders this many documents, then is replaced: WeasyPrint keeps caches that grow.
TASKS_PER_WORKER = 12
# The cache is pruned, least recently used first, when it grows past this size.
CACHE_LIMIT_BYTES = 500 * 1024 * 1024
RENDER_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1", "pdf_identifier": b"askfirst"}


class OutsideFetch(AskFirstError):
    """A document asked for a file or address outside the allowed folders."""


@dataclass(frozen=True)
class PdfTask:
    """What a worker needs to make one PDF."""

    output: str
    html: str
    base_url: str
    allowed: tuple[str, ...]
    epoch: int  # the release date: every date inside the PDF, font subsets' included
    one_page: str | None = None  # outline entries starting with this must fit one page
    # A packet laid out in parts (see packet.py), and those parts a previous build made.
    parts: tuple[Part, ...] = ()
    kept: tuple[KeptPart | None, ...] = ()


# The project's own folder in a cache key: a project moved or copied elsewhere keeps its PDFs
# (its output does not depend on the folder it is in; a test builds one in two folders).
PROJECT = "project:/"


def _portable(task: PdfTask, fetched: tuple[str, ...]) -> list[str]:
    """Files a document read, those in the project named from its folder, sorted."""
    return sorted({PROJECT + url[len(task.base_url):] if url.startswith(task.base_url) else url
                   for url in fetched})


def _local(task: PdfTask, url: str) -> str:
    """A file named in a cache entry, where it is for this build."""
    return task.base_url + url[len(PROJECT):] if url.startswith(PROJECT) else url


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


def load_weasyprint() -> ModuleType:
    """WeasyPrint, or an error that says how to install what it needs."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise AskFirstError(
            f"WeasyPrint cannot start ({first}); it needs the Pango library: on Debian or "
            "Ubuntu run `sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0`") from None
    module: ModuleType = weasyprint
    return module


class _Recorder:
    """Notes every file a document fetched, for the cache key."""

    def __init__(self, fetcher: Any) -> None:
        self.fetcher = fetcher
        self.fetched: set[str] = set()

    def __call__(self, url: str, *args: Any, **kwargs: Any) -> Any:
        self.fetched.add(url)
        return self.fetcher.fetch(url, *args, **kwargs)


@dataclass(frozen=True)
class RenderedPdf:
    """One finished PDF and the files its layout read."""

    output: str
    data: bytes
    pages: int
    fetched: tuple[str, ...]
    # For a document whose every page is meant to stand alone (a slide): the outline labels
    # of those that ran onto another page.
    overflow: tuple[str, ...] = ()
    peak_mib: float = 0.0  # the most memory the process that made it had held, in MiB
    parts: tuple[MadePart, ...] = ()  # a packet's parts, for the cache


def _overflowing(document: Any, prefix: str) -> list[str]:
    """The outline entries starting with `prefix` whose part runs past its first page: the next
    entry at the same or a higher level (or the end) starts more than one page later."""
    entries: list[tuple[str, int, int]] = []  # label, page, level, in document order

    def walk(nodes: list[Any], level: int) -> None:
        for label, (page, *_), children, *_ in nodes:
            entries.append((label, page, level))
            walk(children, level + 1)

    walk(document.make_bookmark_tree(), 1)
    found = []
    for i, (label, page, level) in enumerate(entries):
        if label.startswith(prefix):
            end = next((p for _, p, lv in entries[i + 1:] if lv <= level and p > page),
                       len(document.pages))
            if end > page + 1:
                found.append(label)
    return found


def _own_peak_mib() -> float:
    """The most memory this process has held since it started its program, in MiB.

    Not `getrusage`: a worker is forked from the main process before it starts Python again,
    and the kernel counts the main process's memory at that moment into the worker's peak;
    the `VmHWM` of /proc/self/status begins again with the new program."""
    try:
        for line in Path("/proc/self/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def render_pdf(task: PdfTask) -> RenderedPdf:
    """Make one PDF; returns it with its page count and the files it read."""
    # fontTools stamps each embedded font subset with "now" unless SOURCE_DATE_EPOCH is set.
    os.environ["SOURCE_DATE_EPOCH"] = str(task.epoch)
    weasyprint = load_weasyprint()
    from weasyprint.urls import FatalURLFetchingError

    if task.parts:
        return _render_packet(weasyprint, task)
    recorder = _Recorder(_fetcher(task.allowed))
    try:
        document = weasyprint.HTML(string=task.html, base_url=task.base_url,
                                   url_fetcher=recorder).render()
        data = document.write_pdf(**RENDER_OPTIONS)
    except FatalURLFetchingError as exc:
        raise OutsideFetch(f"{task.output}: {exc}") from None
    assert isinstance(data, bytes)
    overflow = [] if task.one_page is None else _overflowing(document, task.one_page)
    return RenderedPdf(task.output, data, len(document.pages), tuple(sorted(recorder.fetched)),
                       tuple(overflow), _own_peak_mib())


def _render_packet(weasyprint: ModuleType, task: PdfTask) -> RenderedPdf:
    """A packet laid out in parts and joined: only the parts not in `task.kept` (or whose page
    numbers moved) are laid out."""
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    fetcher = _fetcher(task.allowed)
    fonts = FontConfiguration()  # each font loaded once for all the parts

    def lay(html: str) -> tuple[LaidOut, tuple[str, ...]]:
        recorder = _Recorder(fetcher)
        laid = lay_out(weasyprint, html, task.base_url, recorder, fonts)
        return laid, tuple(sorted(recorder.fetched))

    def write(laid: LaidOut) -> tuple[bytes, tuple[str, ...]]:
        data = laid.document.write_pdf(**RENDER_OPTIONS)
        assert isinstance(data, bytes)
        overflow = [] if task.one_page is None else _overflowing(laid.document, task.one_page)
        return data, tuple(overflow)

    kept = task.kept or (None,) * len(task.parts)
    try:
        data, made = make_packet(task.parts, kept, lay, write)
    except FatalURLFetchingError as exc:
        raise OutsideFetch(f"{task.output}: {exc}") from None
    except MissingAnchor as exc:
        raise AskFirstError(f"{task.output}: its contents link to #{exc}, which nothing in the "
                            "packet has; check the ids in the packet's template") from None
    fetched = sorted({url for part in made for url in part.kept.fetched})
    overflow = [label for part in made for label in part.kept.overflow]
    pages = sum(part.kept.pages for part in made)
    return RenderedPdf(task.output, data, pages, tuple(fetched), tuple(overflow),
                       _own_peak_mib(), tuple(made))


def _worker_start() -> None:
    # Ctrl-C reaches the whole process group: the main process answers it, once, for everyone.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    load_weasyprint()  # imported once per worker, before the first document


def versions() -> str:
    """The versions of everything that decides a PDF's bytes besides its input."""
    weasyprint = load_weasyprint()
    import pydyf

    pango = "unknown"
    try:
        from weasyprint.text.ffi import pango as pango_lib

        pango = str(pango_lib.pango_version())
    except (ImportError, AttributeError):  # pragma: no cover - depends on WeasyPrint's internals
        pass
    return json.dumps({"askfirst": __version__, "weasyprint": weasyprint.__version__,
                       "pydyf": getattr(pydyf, "__version__", "unknown"), "pango": pango,
                       "options": repr(sorted(RENDER_OPTIONS.items()))})


def _file_url_path(url: str) -> Path | None:
    parsed = urlparse(url)
    return Path(unquote(parsed.path)) if parsed.scheme == "file" else None


class PdfCache:
    """PDFs by the hash of everything that decides their bytes: the print HTML, the release
    date, every file the document read, the render options and the tools' versions.

    An entry is a PDF, its page count and the list of files it read; a lookup hashes the HTML,
    then those files as they are now. Entries outlive builds that do not need them (`--band`,
    `--only site`); the oldest go when the cache passes its size limit."""

    def __init__(self, folder: Path, limit: int = CACHE_LIMIT_BYTES) -> None:
        self.folder = folder
        self.limit = limit
        self._versions: str | None = None
        self._digests: dict[str, str] = {}

    def _base(self, task: PdfTask, html: str | None = None) -> str:
        """The digest of a task's HTML (or of one of its parts', `html`) and what besides its
        files decides its PDF."""
        if self._versions is None:
            self._versions = versions()
        digest = hashlib.sha256()
        text = (task.html if html is None else html).replace(task.base_url, PROJECT)
        for part in (self._versions, str(task.epoch), repr(task.one_page),
                     "whole" if html is None else "part", text):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()

    def get_part(self, task: PdfTask, part: Part) -> KeptPart | None:
        """A packet's part as a previous build made it, if its inputs are unchanged."""
        found = self._find(task, self._base(task, part.html))
        if found is None:
            return None
        entry, data = found
        try:
            fetched = tuple(_local(task, url) for url in entry["fetched"])
            return KeptPart(int(entry["pages"]), {str(k): int(v) for k, v in
                                                  entry["anchors"].items()},
                            str(entry["numbering"]), data, fetched, tuple(entry["overflow"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            return None

    def put_part(self, task: PdfTask, part: Part, kept: KeptPart) -> None:
        """Keep a packet's part for later builds."""
        self._keep(task, self._base(task, part.html), kept.data, kept.fetched,
                   {"pages": kept.pages, "anchors": kept.anchors, "numbering": kept.numbering,
                    "overflow": list(kept.overflow)})

    def _find(self, task: PdfTask, base: str) -> tuple[dict[str, Any], bytes] | None:
        """A cache entry and its PDF, when the files it read are as they were; marked as
        recently used (pruned last)."""
        index = self.folder / f"{base}.json"
        try:
            entry = json.loads(index.read_text(encoding="utf-8"))
            if entry["key"] != self._key(task, base, tuple(entry["fetched"])):
                return None
            pdf = self.folder / f"{entry['key']}.pdf"
            data = pdf.read_bytes()
            now = time.time()
            os.utime(pdf, (now, now))
            os.utime(index, (now, now))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        return entry, data

    def _keep(self, task: PdfTask, base: str, data: bytes, fetched: tuple[str, ...],
              details: dict[str, Any]) -> None:
        """Keep a PDF and its entry; each file is written whole or not at all."""
        key = self._key(task, base, fetched)
        self.folder.mkdir(parents=True, exist_ok=True)
        _atomic_write(self.folder / f"{key}.pdf", data)
        entry = {"key": key, **details, "fetched": _portable(task, fetched)}
        _atomic_write(self.folder / f"{base}.json", json.dumps(entry).encode("utf-8"))

    def _file_digest(self, url: str) -> str:
        if url not in self._digests:
            path = _file_url_path(url)
            data = path.read_bytes() if path is not None and path.is_file() else b"missing"
            self._digests[url] = hashlib.sha256(data).hexdigest()
        return self._digests[url]

    def _key(self, task: PdfTask, base: str, fetched: tuple[str, ...]) -> str:
        """The digest of `base` and of the files a document read, by content and by their
        place (in the project, or elsewhere)."""
        digest = hashlib.sha256(base.encode())
        for url in _portable(task, fetched):
            digest.update(f"{url}\0{self._file_digest(_local(task, url))}\0".encode())
        return digest.hexdigest()

    def get(self, task: PdfTask) -> tuple[bytes, int, tuple[str, ...]] | None:
        """The cached PDF, page count and overflowing pages of a task, if its inputs are
        unchanged."""
        found = self._find(task, self._base(task))
        if found is None:
            return None
        entry, data = found
        try:
            return data, int(entry["pages"]), tuple(entry.get("overflow", ()))
        except (ValueError, KeyError, TypeError):
            return None

    def put(self, task: PdfTask, rendered: RenderedPdf) -> None:
        """Keep a rendered PDF for later builds."""
        self._keep(task, self._base(task), rendered.data, rendered.fetched,
                   {"pages": rendered.pages, "overflow": list(rendered.overflow)})

    def prune(self, limit: int | None = None) -> int:
        """Forget the least recently used entries until the cache is within its size limit
        (or `limit`); returns how many files were removed."""
        limit = self.limit if limit is None else limit
        if not self.folder.is_dir():
            return 0
        files = sorted((p for p in self.folder.iterdir() if p.is_file()),
                       key=lambda p: p.stat().st_mtime)
        total = sum(p.stat().st_size for p in files)
        removed = 0
        for path in files:
            if total <= limit:
                break
            total -= path.stat().st_size
            path.unlink()
            removed += 1
        return removed


def _atomic_write(path: Path, data: bytes) -> None:
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


class PdfRun:
    """Renders a build's PDFs in worker processes while the caller does other work."""

    def __init__(self, tasks: list[PdfTask], workers: int, cache: PdfCache | None,
                 render: Callable[[PdfTask], RenderedPdf] = render_pdf) -> None:
        self.cache = cache
        self.render = render
        self.cached: list[tuple[str, bytes, int]] = []
        self.tasks: dict[str, PdfTask] = {}
        # Outline labels of the pages that ran onto another page, by output (slides).
        self.overflow: dict[str, tuple[str, ...]] = {}
        todo = []
        for task in tasks:
            hit = cache.get(task) if cache else None
            if hit:
                data, pages, overflow = hit
                self.cached.append((task.output, data, pages))
                if overflow:
                    self.overflow[task.output] = overflow
            else:
                if task.parts and cache:
                    task = replace(task, kept=tuple(cache.get_part(task, part)
                                                    for part in task.parts))
                self.tasks[task.output] = task
                todo.append(task)
        # Largest first, so that the longest document does not start last.
        self.todo = sorted(todo, key=lambda t: len(t.html), reverse=True)
        self.workers = max(1, min(workers, len(self.todo)))
        self.queue = list(self.todo)
        self.pool: ProcessPoolExecutor | None = None
        self.pending: dict[Future[RenderedPdf], str] = {}
        self.peak = 0.0
        self.parts = self.parts_laid_out = 0  # of the packets rendered here

    @property
    def rendered(self) -> int:
        """How many PDFs are rendered rather than taken from the cache."""
        return len(self.todo)

    def start(self) -> None:
        """Start rendering in the background (in this process if there is one PDF)."""
        if len(self.todo) > 1 and self.workers > 1:
            self._next_round()

    def _next_round(self) -> None:
        """Start a fresh set of workers on the next documents in the queue.

        Each round is at most TASKS_PER_WORKER documents per worker, then its workers end and
        return their memory (WeasyPrint's caches grow). Rounds replace the executor's own
        `max_tasks_per_child`, which can hang on Python 3.11 when a worker is replaced."""
        if self.pool is not None:
            self.pool.shutdown(wait=True)
        size = self.workers * TASKS_PER_WORKER
        batch, self.queue = self.queue[:size], self.queue[size:]
        # A fresh interpreter per worker ("spawn"): forking a process that has MkDocs and
        # threads loaded is not safe.
        context = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(min(self.workers, len(batch)), mp_context=context,
                                        initializer=_worker_start)
        self.pending = {self.pool.submit(self.render, task): task.output for task in batch}

    def _finished(self) -> Iterator[RenderedPdf]:
        if self.pool is None:
            yield from map(self.render, self.todo)
            return
        while True:
            waiting = set(self.pending)
            while waiting:
                done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=lambda f: self.pending[f]):
                    try:
                        yield future.result()
                    except BrokenProcessPool:
                        raise self._lost(done | waiting) from None
            if not self.queue:
                return
            self._next_round()

    def _lost(self, futures: set[Future[RenderedPdf]]) -> AskFirstError:
        lost = sorted(self.pending[f] for f in futures
                      if not f.done() or f.exception() is not None)
        return AskFirstError(
            f"a PDF worker stopped unexpectedly (killed by the system, perhaps for lack of "
            f"memory) while making {lost[0]}"
            + (f" or one of {len(lost) - 1} other PDF(s)" if len(lost) > 1 else "")
            + "; close other programs or build one band at a time (--band)")

    def results(self) -> Iterator[tuple[str, bytes, int]]:
        """Every PDF, cached ones first, the others as they finish."""
        yield from self.cached
        for rendered in self._finished():
            task = self.tasks[rendered.output]
            if self.cache:
                self.cache.put(task, rendered)
            for part, made in zip(task.parts, rendered.parts, strict=True):
                self.parts += 1
                if made.kept not in task.kept:  # laid out anew, or numbered anew
                    self.parts_laid_out += 1
                    if self.cache:
                        self.cache.put_part(task, part, made.kept)
            if rendered.overflow:
                self.overflow[rendered.output] = rendered.overflow
            self.peak = max(self.peak, rendered.peak_mib)
            yield rendered.output, rendered.data, rendered.pages

    def stop(self, abandon: bool = False) -> None:
        """End the workers; with `abandon` (the build failed or was interrupted) at once,
        without waiting for the documents they are making."""
        if self.pool is None:
            return
        if abandon:
            # The executor has no public way to stop a running task; its processes are ours.
            for process in list(getattr(self.pool, "_processes", {}).values()):
                process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = None

    def peak_mib(self) -> float:
        """The most memory any worker held while making a PDF of this run, in MiB."""
        return self.peak


def render_all(tasks: list[PdfTask], workers: int) -> list[tuple[str, bytes, int]]:
    """Make every PDF, without a cache (for one-off documents such as the changes report)."""
    run = PdfRun(tasks, workers, None)
    run.start()
    try:
        return list(run.results())
    finally:
        run.stop()
