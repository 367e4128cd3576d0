"""Build stage for PDFs: WeasyPrint in worker processes, fetching only the project's own files.

Each worker process imports WeasyPrint once and renders many documents; WeasyPrint is the slow
part of a build and more cores do not speed up one document, so documents run side by side.
"""

from __future__ import annotations

import mimetypes
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from askfirst.errors import AskFirstError


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
        data = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=b"askfirst",
                                  uncompressed_pdf=False)
    except FatalURLFetchingError as exc:
        raise OutsideFetch(f"{task.output}: {exc}") from None
    assert isinstance(data, bytes)
    return task.output, data, len(document.pages)


def _warm() -> None:
    import weasyprint  # noqa: F401  (imported once per worker, before the first document)


def render_all(tasks: list[PdfTask], workers: int) -> list[tuple[str, bytes, int]]:
    """Make every PDF, in `workers` processes (in this process when there is one task)."""
    if not tasks:
        return []
    if workers <= 1 or len(tasks) == 1:
        return [render_pdf(t) for t in tasks]
    # Big documents first, so the longest job does not start last.
    ordered = sorted(tasks, key=lambda t: len(t.html), reverse=True)
    with ProcessPoolExecutor(max_workers=workers, initializer=_warm,
                             max_tasks_per_child=40) as pool:
        return list(pool.map(render_pdf, ordered))
