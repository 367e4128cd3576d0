"""What `askfirst serve` answers, asked directly: a PDF while the background build makes it
again, with `--no-pdf`, and a page while the last change could not be built."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from askfirst.pipeline import BuildOptions
from askfirst.project import Project
from askfirst.serve import BackgroundPdfs, Preview, serving

PAGE = b"<!doctype html><html><body class=\"x\"><h1>Lesson</h1></body></html>"


def site(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", "99")])
    return [PAGE]


def ask(app: Callable[..., Iterable[bytes]], path: str,
        query: str = "") -> tuple[str, dict[str, str], bytes]:
    answer: list[Any] = []
    body = b"".join(app({"PATH_INFO": path, "QUERY_STRING": query},
                        lambda status, headers: answer.append((status, dict(headers)))))
    return answer[0][0], answer[0][1], body


def test_a_pdf_is_given_only_when_no_build_is_making_it_again(tmp_path: Path) -> None:
    pdf = tmp_path / "pdf/k-2/lesson.pdf"
    pdf.parent.mkdir(parents=True)
    pdf.write_bytes(b"%PDF-1.7 the last one made")
    pdfs = BackgroundPdfs(Project(tmp_path, bundled=False), BuildOptions(out=tmp_path))
    app = serving(site, tmp_path, pdfs, Preview(BuildOptions()))
    pdfs.busy.set()  # a change was saved: the build that makes it again runs
    status, headers, body = ask(app, "/pdf/k-2/lesson.pdf")
    assert (status, headers["Retry-After"]) == ("503 Service Unavailable", "5")
    assert "<title>Being made — Ask First</title>".encode() in body
    assert b"This PDF is being made. This page tries again every five seconds." in body
    # each PDF is given as soon as the running build has made it (or found it unchanged)
    made = pdfs.ready / "pdf/k-2/lesson.pdf"
    made.parent.mkdir(parents=True)
    made.write_bytes(b"%PDF-1.7 made by the build running")
    assert ask(app, "/pdf/k-2/lesson.pdf")[::2] == ("200 OK",
                                                    b"%PDF-1.7 made by the build running")
    (pdfs.ready / "count").write_text("3", encoding="utf-8")
    status, _, body = ask(app, "/pdf/k-2/packet.pdf")
    assert status == "503 Service Unavailable"
    assert (b"This PDF is being made. This page tries again every five seconds. 1 of 3 "
            b"PDFs are ready so far.") in body
    made.unlink()
    pdfs.busy.clear()
    assert ask(app, "/pdf/k-2/lesson.pdf")[::2] == ("200 OK", b"%PDF-1.7 the last one made")
    assert ask(app, "/pdf/../../etc/passwd")[0] == "404 Not Found"
    assert ask(app, "/pdf/k-2/other.pdf")[2].count(b"No such PDF.") == 1


def test_no_pdf_gives_no_pdf_made_before(tmp_path: Path) -> None:
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf/old.pdf").write_bytes(b"%PDF- older than the lessons")
    status, _, body = ask(serving(site, tmp_path, None, Preview(BuildOptions())), "/pdf/old.pdf")
    assert status == "404 Not Found"
    assert (b"<code>askfirst serve --no-pdf</code> makes no PDFs, and does not give out PDFs "
            b"made before, which may be older than your lessons.") in body


def test_a_pdf_from_before_a_change_that_was_not_built_says_so(tmp_path: Path) -> None:
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf/lesson.pdf").write_bytes(b"%PDF- from before the change")
    preview = Preview(BuildOptions())
    preview.problems = ["lessons/k-2/lesson.yml:4:5: YAML syntax error"]
    pdfs = BackgroundPdfs(Project(tmp_path, bundled=False), BuildOptions(out=tmp_path))
    app = serving(site, tmp_path, pdfs, preview)
    status, _, body = ask(app, "/pdf/lesson.pdf")
    assert status == "409 Conflict" and (
        b"Your last change was not built, so this PDF is from before it. Mend the problem "
        b"shown at the top of the site's pages and save, or <a href=\"?as-it-was\">open the "
        b"PDF from before the change</a>.") in body
    assert ask(app, "/pdf/lesson.pdf", "as-it-was")[::2] == (
        "200 OK", b"%PDF- from before the change")


def test_every_page_says_the_last_change_was_not_built(tmp_path: Path) -> None:
    preview = Preview(BuildOptions())
    app = serving(site, tmp_path, None, preview)
    assert ask(app, "/teachers/k-2/lesson.html")[2] == PAGE
    preview.problems = ["lessons/k-2/lesson.yml:4:5: YAML syntax error: <did not> find"]
    status, headers, body = ask(app, "/teachers/k-2/lesson.html")
    assert status == "200 OK" and headers["Content-Length"] == str(len(body))
    assert body.startswith(b'<!doctype html><html><body class="x"><div role="alert"')
    assert (b"<strong>Your last change was not built.</strong> This page is the last good "
            b"version. Mend this and save:<ul><li><code>lessons/k-2/lesson.yml:4:5: YAML "
            b"syntax error: &lt;did not&gt; find</code></li></ul></div><h1>Lesson</h1>") in body
    assert ask(app, "/assets/site.css")[2] == PAGE, "only pages carry the banner"
