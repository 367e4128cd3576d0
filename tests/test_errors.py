"""One error boundary: every failure a user or their machine can cause prints one line (or the
path:line:col list), exits 1 (130 on Ctrl-C), leaves the previous output as it was and no
staging folder behind."""

from __future__ import annotations

import builtins
import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import askfirst.build.pdf
from askfirst.build.pdf import PdfRun, PdfTask, RenderedPdf
from askfirst.cli import main
from askfirst.errors import AskFirstError
from askfirst.write.writer import Writer

from .test_build import tree_digest

BUILD = ["build", "--only", "pdf", "--band", "early-years", "--quiet"]


@pytest.fixture
def built_once(mini: Path) -> tuple[Path, dict[str, str]]:
    """The mini project with a finished build, which every failure must leave alone."""
    assert main(BUILD) == 0
    return mini, tree_digest(mini / "build")


def _failed(capsys: pytest.CaptureFixture[str], project: Path,
            before: dict[str, str]) -> list[str]:
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert tree_digest(project / "build") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".build")] == []
    return err.splitlines()


def test_disk_full(built_once: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch,
                   capsys: pytest.CaptureFixture[str]) -> None:
    project, before = built_once

    def full(self: Writer, relative: str, data: bytes | str) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device", str(self.staging / relative))

    monkeypatch.setattr(Writer, "write", full)
    assert main([*BUILD, "--paper", "a4"]) == 1
    [line] = _failed(capsys, project, before)
    assert line.startswith("askfirst: error: .build.")
    assert line.endswith(": No space left on device; free some disk space and build again")


def test_output_folder_that_cannot_be_written(mini: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*BUILD, "--out", "/proc/askfirst-build"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines() == ["askfirst: error: /proc/askfirst-build: cannot write the output "
                                "here (No such file or directory); choose another folder with "
                                "--out"]


def test_permission_denied_while_reading(built_once: tuple[Path, dict[str, str]],
                                         monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    project, before = built_once
    real = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "Andika-Regular.ttf":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert main([*BUILD, "--paper", "a4"]) == 1
    [line] = _failed(capsys, project, before)
    assert line.endswith("Andika-Regular.ttf: Permission denied; choose a folder you may write "
                         "to (--out) or change its permissions")


def test_missing_pango(built_once: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch,
                       capsys: pytest.CaptureFixture[str]) -> None:
    project, before = built_once
    real_import = builtins.__import__

    def no_pango(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': libpango-1.0-0: cannot open "
                          "shared object file: No such file or directory")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_pango)
    assert main([*BUILD, "--paper", "a4"]) == 1
    assert _failed(capsys, project, before) == [
        "askfirst: error: WeasyPrint cannot start (cannot load library 'libpango-1.0-0': "
        "libpango-1.0-0: cannot open shared object file: No such file or directory); it needs "
        "the Pango library: on Debian or Ubuntu run `sudo apt-get install libpango-1.0-0 "
        "libpangoft2-1.0-0`"]


def test_school_template_that_raises(built_once: tuple[Path, dict[str, str]],
                                     capsys: pytest.CaptureFixture[str]) -> None:
    project, before = built_once
    folder = project / "templates/print"
    folder.mkdir(parents=True)
    (folder / "handouts.html.j2").write_text(
        '{% extends "askfirst/print/handouts.html.j2" %}\n'
        '{% block extra_css %}{{ 1 + "one" }}{% endblock %}\n', encoding="utf-8")
    assert main(BUILD) == 1
    assert _failed(capsys, project, before) == [
        "askfirst: error: templates/print/handouts.html.j2:2:1: template error: TypeError: "
        "unsupported operand type(s) for +: 'int' and 'str'"]


def test_malformed_strings_file(built_once: tuple[Path, dict[str, str]],
                                capsys: pytest.CaptureFixture[str]) -> None:
    project, before = built_once
    (project / "templates").mkdir()
    (project / "templates/strings.yml").write_text("en:\n  home: [Home\nes: {}\n",
                                                   encoding="utf-8")
    assert main(BUILD) == 1
    lines = _failed(capsys, project, before)
    assert lines[0].startswith("templates/strings.yml:3:3: YAML syntax error: ")
    (project / "templates/strings.yml").write_text("en:\n  - Home\n", encoding="utf-8")
    assert main(BUILD) == 1
    assert _failed(capsys, project, before)[0] == (
        "templates/strings.yml:2:3: en: expected a mapping of interface words, such as "
        "`home: Home`")


@pytest.mark.parametrize(("settings", "message"), [
    ("theme: material\n", "mkdocs.yml:1:8: theme: write the theme as a mapping, for example "
     "`theme:` then `  name: material` on the next line"),
    ("theme:\n  name: material\n  palette: dark\n", "mkdocs.yml:3:12: theme.palette: write the "
     "palette as a list of mappings, each with `scheme:` (default or slate)"),
    ("hooks:\n  - hooks.py\n", "mkdocs.yml:1:1: hooks: hooks run Python code during the build, "
     "which a curriculum project may not do; remove `hooks:` (change pages with templates "
     "instead)"),
    ("plugins:\n  - search\n  - tags\n", "mkdocs.yml:3:5: plugins[1]: the plugin 'tags' is not "
     "allowed: only search and offline work in both site engines (MkDocs and Zensical); "
     "remove it"),
])
def test_school_mkdocs_settings_are_checked(built_once: tuple[Path, dict[str, str]],
                                            capsys: pytest.CaptureFixture[str],
                                            settings: str, message: str) -> None:
    project, before = built_once
    (project / "mkdocs.yml").write_text(settings, encoding="utf-8")
    assert main(["validate"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == message
    assert main(["build", "--only", "site", "--quiet"]) == 1
    assert _failed(capsys, project, before)[0] == message


def test_palette_as_one_mapping_builds(mini: Path) -> None:
    (mini / "mkdocs.yml").write_text("theme:\n  name: material\n  palette:\n    scheme: slate\n",
                                     encoding="utf-8")
    assert main(["build", "--only", "site", "--quiet"]) == 0
    assert 'data-md-color-scheme="slate"' in (mini / "build/site/index.html").read_text("utf-8")


@pytest.mark.parametrize(("stop", "code", "said"), [
    (signal.SIGINT, 130, "askfirst: interrupted; nothing was written"),  # Ctrl-C
    (signal.SIGTERM, 143, "askfirst: stopped; nothing was written"),  # kill
])
def test_ctrl_c_and_kill_stop_quietly(built_once: tuple[Path, dict[str, str]],
                                      stop: signal.Signals, code: int, said: str) -> None:
    project, before = built_once
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from askfirst.cli import main; "
         "sys.exit(main(sys.argv[1:]))", "build", "--quiet", "--paper", "a4"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    deadline = time.monotonic() + 60
    while not any(p.name.startswith(".build.") for p in project.iterdir()):
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(1.0)  # the site is building and the PDF workers are rendering
    # Ctrl-C: a terminal sends it to every process; kill: to the one named
    if stop == signal.SIGINT:
        os.killpg(process.pid, stop)
    else:
        process.send_signal(stop)
    out, err = process.communicate(timeout=60)
    assert process.returncode == code
    assert err.splitlines() == [said]
    assert out == ""
    assert tree_digest(project / "build") == before
    assert [p.name for p in project.iterdir() if p.name.startswith(".build")] == []


def die(task: PdfTask) -> RenderedPdf:
    """A worker killed by the kernel, as when memory runs out."""
    if task.output.endswith("b.pdf"):
        os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(0.2)
    return RenderedPdf(task.output, b"%PDF", 1, ())


def test_a_worker_that_dies_is_an_error_within_seconds() -> None:
    tasks = [PdfTask(f"pdf/{name}.pdf", "<p>x</p>" * (10 - i), "file:///", (), 0)
             for i, name in enumerate("abc")]
    run = PdfRun(tasks, 2, None, render=die)
    started = time.monotonic()
    run.start()
    with pytest.raises(AskFirstError) as caught:
        try:
            list(run.results())
        finally:
            run.stop(abandon=True)
    assert time.monotonic() - started < 30
    assert str(caught.value).startswith("a PDF worker stopped unexpectedly (killed by the "
                                        "system, perhaps for lack of memory) while making pdf/")
    assert "pdf/b.pdf" in str(caught.value) or "other PDF" in str(caught.value)


def quick(task: PdfTask) -> RenderedPdf:
    """A document that takes no time, to count rounds of workers."""
    return RenderedPdf(task.output, f"%PDF {os.getpid()}".encode(), 1, ())


def test_workers_are_replaced_in_rounds_and_every_pdf_arrives(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import askfirst.build.pdf

    monkeypatch.setattr(askfirst.build.pdf, "TASKS_PER_WORKER", 2)
    tasks = [PdfTask(f"pdf/{i}.pdf", "<p>x</p>" * (20 - i), "file:///", (), 0)
             for i in range(9)]
    run = PdfRun(tasks, 2, None, render=quick)
    run.start()
    try:
        done = list(run.results())
    finally:
        run.stop()
    assert sorted(output for output, _, _ in done) == sorted(t.output for t in tasks)
    workers = {data for _, data, _ in done}
    assert len(workers) >= 5, "3 rounds of up to 2 workers, then one more"


def measured(task: PdfTask) -> RenderedPdf:
    """A document that reports the memory of the process that made it."""
    return RenderedPdf(task.output, b"%PDF", 1, (), (), askfirst.build.pdf._own_peak_mib())


def test_the_worker_peak_is_the_workers_own_memory() -> None:
    # A worker starts as a copy of the main process; the kernel counts the main process's
    # memory at that moment into the worker's getrusage peak, which made a large curriculum
    # look like a hungry worker. The peak reported is what the worker itself held.
    ballast = bytearray(400 * 1024 * 1024)  # the main process holds 400 MiB
    ballast[::4096] = b"x" * len(ballast[::4096])  # really resident
    tasks = [PdfTask(f"pdf/{i}.pdf", "<p>x</p>", "file:///", (), 0) for i in range(4)]
    run = PdfRun(tasks, 2, None, render=measured)
    run.start()
    try:
        assert len(list(run.results())) == 4
    finally:
        run.stop()
    assert 0 < run.peak_mib() < 300
    del ballast


def test_a_colon_inside_a_value_says_to_quote_it(mini: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    lesson = mini / "lessons/k-2/yes-no-maybe.yml"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace('title: "Yes, No, Maybe: Asking First"',
                                   "title: Yes, No, Maybe: Asking First", 1), encoding="utf-8")
    assert main(["validate"]) == 1
    assert capsys.readouterr().out.splitlines()[0] == (
        "lessons/k-2/yes-no-maybe.yml:3:22: YAML syntax error: mapping values are not allowed "
        "in this context; a colon followed by a space inside a value starts a new field: put "
        "the whole value in quotes, or check the indentation and quoting on this line and the "
        "one before")
