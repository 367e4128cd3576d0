"""The command line: exact messages, line numbers and exit codes for a user's mistakes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from askfirst.cli import main

LESSON = "lessons/k-2/yes-no-maybe.yml"
EARLY = "lessons/early-years/my-body-belongs-to-me.yml"


def edit(folder: Path, rel: str, old: str, new: str) -> None:
    path = folder / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_clean_project_validates(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate", "--strict")
    assert code == 0
    assert out == "no problems found; 2 lesson file(s) checked\n"


def test_wrong_type_reports_file_and_line(mini: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini, LESSON, "minutes: 35\n", "minutes: thirty-five\n")
    code, out, err = run(capsys, "validate")
    assert code == 1
    assert out.splitlines() == [
        f"{LESSON}:6:10: minutes: expected a whole number, got text 'thirty-five'",
        "1 error(s), 0 warning(s) in 1 file(s); 2 lesson file(s) checked",
    ]
    assert "Traceback" not in err


def test_every_problem_is_reported_sorted(mini: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini, LESSON, "band: k-2\n", "band: k-3\n")
    edit(mini, LESSON, "  - unesco:5.3\n", "  - unesco:9.9\n")
    edit(mini, LESSON, "  - title: Pip's story\n    minutes: 8\n",
         "  - title: Pip's story\n    minutes: 9\n")
    edit(mini, EARLY, "topics: [", "topics: [consent-basics, ")
    code, out, _ = run(capsys, "validate")
    assert code == 1
    assert out.splitlines() == [
        f"{EARLY}:27:10: topics[0]: 'consent-basics' may be taught from band 'k-2' on "
        "(lessons/topics.yml), not in 'early-years'",
        f"{LESSON}:4:7: band: no band 'k-3' in lessons/bands.yml; use one of: early-years, k-2",
        f"{LESSON}:6:10: minutes: the steps add up to 36 minutes, not 35; change a step's "
        "minutes or the lesson's",
        f"{LESSON}:26:5: alignment[1]: '9.9' is not a code of unesco "
        "(lessons/frameworks/unesco.yml); align only to codes listed there",
        "4 error(s), 0 warning(s) in 2 file(s); 2 lesson file(s) checked",
    ]


def test_schema_errors_name_the_field(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini, LESSON, "    text: Say in their own words", "    txt: Say in their own words")
    edit(mini, LESSON, "  status: draft\n", "  status: final\n")
    code, out, _ = run(capsys, "validate")
    assert code == 1
    assert out.splitlines() == [
        f"{LESSON}:12:11: review.status: must be 'draft' or 'reviewed', not 'final'",
        f"{LESSON}:30:5: objectives[0].text: required field 'text' is missing; add it",
        f"{LESSON}:31:5: objectives[0].txt: unknown field 'txt'; check its spelling (allowed "
        "here: domain, text)",
        "3 error(s), 0 warning(s) in 1 file(s); 2 lesson file(s) checked",
    ]


def test_phone_numbers_and_unknown_values_in_prose(mini: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini, LESSON, "{{ contacts.child-abuse-line }} for advice",
         "1-800-422-4453 for advice, or {{ contacts.hotline }}")
    code, out, _ = run(capsys, "validate", LESSON)
    assert code == 1
    assert out.splitlines()[:2] == [
        f"{LESSON}:216:9: family_guide.help: '{{{{ contacts.hotline }}}}' is not a "
        "configuration value; use one such as {{ contacts.counsellor.name }} or "
        "{{ jurisdiction.age_of_consent }}",
        f"{LESSON}:216:9: family_guide.help: a phone number is written into the lesson; name a "
        "configured contact instead, such as {{ contacts.child-abuse-line }}",
    ]


def test_strict_turns_warnings_into_errors(mini: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    edit(mini, LESSON, "translations:\n  es:", "unused_translations:\n  fr:")
    path = mini / LESSON
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("unused_translations:")], encoding="utf-8")
    code, out, _ = run(capsys, "validate")
    assert code == 0
    assert out.splitlines()[0] == (f"{LESSON}:2:1: warning: translations: no 'es' translation "
                                   "of the family guide; the English text is shown instead")
    code, _, _ = run(capsys, "validate", "--strict")
    assert code == 1


def test_bad_option_is_a_usage_error(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "build", "--paper", "legal")
    assert code == 2
    assert err == ("askfirst: error: argument --paper: invalid choice: 'legal' (choose from "
                   "'letter', 'a4') (see `askfirst build --help`)\n")


def test_unknown_band_option(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "build", "--band", "k-9", "--out", str(mini / "out"))
    assert code == 2
    assert err == ("askfirst: error: --band k-9: no such band; use one of: early-years, k-2\n")


def test_missing_path(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate", "lessons/nope.yml")
    assert code == 1
    assert err == "askfirst: error: lessons/nope.yml: no such file or folder\n"


def test_new_lesson_validates_and_says_what_to_fill(
        mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "new", "lesson", "--band", "k-2", "--id", "sharing-turns")
    assert code == 0
    assert out.startswith("wrote ")
    code, out, _ = run(capsys, "validate", "lessons/k-2/sharing-turns.yml")
    assert code == 0
    lines = out.splitlines()
    assert "lessons/k-2/sharing-turns.yml:7:8: warning: title: not filled in yet: replace "\
        "this text" in lines
    code, _, _ = run(capsys, "validate", "--strict", "lessons/k-2/sharing-turns.yml")
    assert code == 1
    code, _, err = run(capsys, "new", "lesson", "--band", "k-2", "--id", "sharing-turns")
    assert code == 1
    assert err == "askfirst: error: a lesson with id 'sharing-turns' already exists\n"


def test_coverage_json(mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    code, out, _ = run(capsys, "coverage", "--format", "json", "--band", "k-2")
    assert code == 0
    data = json.loads(out)
    assert list(data["bands"]) == ["k-2"]
    assert "unesco:4.2" in data["bands"]["k-2"]["covered"]
    assert "unesco:2.1" in data["bands"]["k-2"]["missing"]


def test_serve_rebuilds_when_a_lesson_changes(mini: Path) -> None:
    """The page changes within seconds of the lesson; the PDFs follow from the background
    build, and until one is ready its link says so."""
    import io
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    from pypdf import PdfReader

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (mini.parent / "serve.log").open("wb")  # read on failure; a pipe could fill up
    server = subprocess.Popen([sys.executable, "-m", "askfirst", "serve", "--port", str(port)],
                              cwd=mini, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"

    def get(path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(base + path, timeout=5) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def page() -> str:
        return get("teachers/k-2/yes-no-maybe.html")[1].decode("utf-8")

    def until(ready: Callable[[], bool], seconds: float, what: str) -> float:
        start = time.monotonic()
        while time.monotonic() - start < seconds:
            try:
                if ready():
                    return time.monotonic() - start
            except OSError:
                pass
            time.sleep(0.2)
        pytest.fail(f"{what}; the server said:\n"
                    + (mini.parent / "serve.log").read_text(encoding="utf-8")[-3000:])

    pdf = "pdf/k-2/lessons/ask-first-yes-no-maybe.pdf"
    try:
        until(lambda: "livereload" in page(), 60, "the server did not start")
        first = page()
        assert "Asking First Today" not in first and f'href="../../{pdf}"' in first
        status, body = get(pdf)
        assert (status, body[:5]) == (200, b"%PDF-") or (
            status == 503 and b"This PDF is being made" in body)
        until(lambda: get(pdf)[0] == 200, 180, "the PDFs were not made in the background")
        edit(mini, LESSON, 'title: "Yes, No, Maybe: Asking First"',
             'title: "Yes, No, Maybe: Asking First Today"')
        until(lambda: "Asking First Today" in page(), 30,
              "the site was not rebuilt after the lesson changed")

        def pdf_has_new_title() -> bool:
            status, body = get(pdf)
            return status == 200 and "Asking First Today" in PdfReader(
                io.BytesIO(body)).pages[0].extract_text()

        # given as soon as it is made, before the background build (a full one) is done
        until(pdf_has_new_title, 180, "the lesson's PDF was not made again")
        until(lambda: "Asking First Today" in PdfReader(mini / "build" / pdf).pages[0]
              .extract_text(), 180, "the background build did not finish")
        until(lambda: get("pdf/k-2/no-such.pdf")[0] == 404, 30, "no 404 once it is done")
        # Ctrl+C: one line, exit 130, no process and no half-written folder left behind
        edit(mini, LESSON, "Asking First Today", "Asking First Again")
        until(lambda: "Asking First Again" in page(), 30, "not rebuilt a second time")
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=30) == 130
        said = (mini.parent / "serve.log").read_text(encoding="utf-8").splitlines()
        assert said[-1] == "askfirst: stopped"
        assert not [p.name for p in mini.iterdir() if p.name.startswith(".build")]
    finally:
        if server.poll() is None:
            server.terminate()
            server.wait(timeout=20)
        log.close()
