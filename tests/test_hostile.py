"""Hostile and broken lessons: a clear path:line:col message, exit 1, no traceback, the previous
build intact; generated YAML never crashes the loader; no network; nothing outside the project."""

from __future__ import annotations

import hashlib
import shutil
import socket
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from askfirst.cache import secret_path
from askfirst.cli import main
from askfirst.errors import AskFirstError
from askfirst.load.curriculum import Sourced
from askfirst.load.schema_errors import schema_problems
from askfirst.load.source import parse_yaml
from askfirst.models import Lesson
from askfirst.pipeline import BuildOptions, build
from askfirst.project import Project, bundled_root
from askfirst.render.environment import make_environment, render
from askfirst.write.writer import Writer

HOSTILE = Path(__file__).parent / "hostile"
CASES = sorted(HOSTILE.glob("*.yml"))


def expected(case: Path, shown: str) -> list[str]:
    header = case.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("# expect: ")
    # several expected lines share the one header line, so that line numbers stay put
    return [part.replace("{file}", shown)
            for part in header.removeprefix("# expect: ").split(" ||| ")]


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def previous_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The mini curriculum built once; every hostile case must leave this output as it is."""
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(Path(__file__).parent / "fixtures" / "mini", root / "mini")
    build(BuildOptions(out=root / "mini" / "build", only="pdf", band="early-years",
                       quiet=True, project=Project(root / "mini", bundled=False)))
    return root / "mini", digest(root / "mini" / "build")


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_hostile_lesson(case: Path, previous_build: tuple[Path, dict[str, str]],
                        monkeypatch: pytest.MonkeyPatch,
                        capsys: pytest.CaptureFixture[str]) -> None:
    project, before = previous_build
    shown = f"lessons/k-2/{case.name}"
    target = project / shown
    shutil.copyfile(case, target)
    monkeypatch.chdir(project)
    try:
        assert main(["validate", shown]) == 1
        out, err = capsys.readouterr()
        assert out.splitlines()[:-1] == expected(case, shown)
        assert "Traceback" not in out + err
        assert main(["build", "--only", "pdf", "--band", "early-years", "--quiet"]) == 1
        out, err = capsys.readouterr()
        assert expected(case, shown)[0] in err.splitlines()
        assert "Traceback" not in out + err
        assert digest(project / "build") == before
    finally:
        target.unlink()
    assert not Path("/tmp/askfirst-pwned").exists()


def test_lesson_text_cannot_inject_markup(mini: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    lesson = mini / "lessons/k-2/yes-no-maybe.yml"
    text = lesson.read_text(encoding="utf-8")
    text = text.replace('title: "Yes, No, Maybe: Asking First"',
                        'title: "Yes </title><script>alert(1)</script> <img src=x>"')
    text = text.replace("summary: >-\n", "summary: >-\n  <iframe src='file:///etc/passwd'>"
                        "</iframe> **bold** & 3 < 5 ok.\n", 1)
    lesson.write_text(text, encoding="utf-8")
    assert main(["validate", "lessons/k-2/yes-no-maybe.yml"]) == 1
    assert capsys.readouterr().out.splitlines()[:2] == [
        "lessons/k-2/yes-no-maybe.yml:3:8: title: HTML is not allowed in lesson text; write "
        "plain text (**bold**, *italic* and '- ' lists are allowed)",
        "lessons/k-2/yes-no-maybe.yml:7:10: summary: HTML is not allowed in lesson text; write "
        "plain text (**bold**, *italic* and '- ' lists are allowed)"]
    # Even unvalidated, the renderer escapes everything it takes from a lesson.
    from askfirst.load.curriculum import load_curriculum
    from askfirst.pipeline import render_stage

    cur, _ = load_curriculum(Project(mini, bundled=False))
    rendered = render_stage(cur, BuildOptions(band="k-2"))
    page = next(p.text for s in rendered.sites for p in s.pages
                if p.path == "teachers/k-2/yes-no-maybe.md")
    assert "<script>" not in page and "&lt;/title&gt;&lt;script&gt;alert&#40;1&#41;" in page
    assert "<iframe" not in page and "<strong>bold</strong> &amp; 3 &lt; 5 ok." in page
    nav = str(rendered.sites[0].config["nav"])
    assert "<" not in nav and "‹/title›‹script›alert(1)" in nav
    packet = next(j.html for j in rendered.jobs if j.output.endswith("teacher-packet.pdf"))
    assert "<script>" not in packet and "<iframe" not in packet


def test_templates_cannot_reach_python_internals(mini: Path) -> None:
    (mini / "templates/print").mkdir(parents=True)
    (mini / "templates/print/lesson.html.j2").write_text(
        "{{ ''.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8")
    with pytest.raises(AskFirstError) as caught:
        render(make_environment([Project(mini, bundled=False)]), "print/lesson.html.j2", {})
    assert str(caught.value).endswith("template error: access to attribute '__class__' of "
                                      "'str' object is unsafe.")


def test_print_html_cannot_fetch_from_outside(mini: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    (mini / "templates/print").mkdir(parents=True)
    (mini / "templates/print/lesson.html.j2").write_text(
        '{% extends "askfirst/print/lesson.html.j2" %}{% block extra_css %}'
        'body { background: url("https://example.com/evil.png"); }{% endblock %}', encoding="utf-8")
    assert main(["build", "--only", "pdf", "--band", "k-2", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("askfirst: error: pdf/k-2/lessons/ask-first-yes-no-maybe.pdf: refused "
                          "to fetch https://example.com/evil.png: only files inside the project's "
                          "assets and the bundled fonts are used")
    assert not (mini / "build").exists()


def test_writer_stays_inside_the_output(tmp_path: Path) -> None:
    writer = Writer(tmp_path / "out")
    for bad in ("../escape.txt", "/etc/passwd", "a/../../b"):
        with pytest.raises(AskFirstError, match="outside the output folder"):
            writer.write(bad, b"x")
    writer.abort()
    assert list(tmp_path.iterdir()) == []


def test_build_makes_no_network_connection(mini: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network is off in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    build(BuildOptions(out=mini / "out", band="k-2", workers=1, quiet=True,
                       project=Project(mini, bundled=False)))
    assert attempts == []
    assert (mini / "out/pdf/k-2/ask-first-k-2-teacher-packet.pdf").is_file()


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=20)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_gives_problems_never_a_traceback(text: str) -> None:
    doc, problems = parse_yaml(text, Path("x.yml"), "x.yml")
    for problem in problems:
        assert problem.path == "x.yml" and problem.line >= 1 and problem.col >= 1
    if doc is not None and isinstance(doc.data, dict):
        _type_or_problems(doc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["id", "title", "band", "minutes", "steps", "review",
                                         "handouts", "translations", "x"]), yaml_values))
def test_generated_lessons_give_problems_never_a_traceback(data: dict[str, object]) -> None:
    import yaml

    text = yaml.safe_dump(data, allow_unicode=True)
    doc, problems = parse_yaml(text, Path("x.yml"), "x.yml")
    assert problems == [] and doc is not None
    _type_or_problems(doc)


def _type_or_problems(doc: object) -> None:
    from pydantic import ValidationError

    from askfirst.load.source import Document

    assert isinstance(doc, Document)
    try:
        Sourced(Lesson.model_validate(doc.data), doc)
    except ValidationError as exc:
        for problem in schema_problems(exc, doc, Lesson):
            assert problem.format().startswith("x.yml:")


prose = st.lists(st.sampled_from([*"ab {}<>[]\n.:19٣٤", "FILL IN:"]), max_size=12).map("".join)
prose_data = st.recursive(
    prose | st.integers() | st.none(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["id", "band", "say", "steps", "notes"]), inner, max_size=4),
    max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(prose_data)
def test_prose_checks_look_at_every_suspect_text(data: object) -> None:
    # The prose checks search all of a file's text at once for what may need a closer look;
    # they must find every text that searching each one would.
    from askfirst.models.base import FILL_IN
    from askfirst.validate.lessons import SUSPECT, suspect_text, text_fields

    skip = ("id", "band")
    wanted = sorted((path, text) for path, text in text_fields(data)
                    if path[:1] not in (("id",), ("band",))
                    and (SUSPECT.search(text) or text.startswith(FILL_IN)))
    assert sorted(suspect_text(data, skip)) == wanted


def test_a_cache_folder_this_machine_did_not_make_is_not_trusted(
        mini: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A pull request can carry a `.askfirst-cache/` folder of its own: compiled templates in it
    # would run as Python code, kept pages and PDFs would reach the output unchecked.
    cache = mini / ".askfirst-cache" / "build"
    env = make_environment([Project(bundled_root(), bundled=True), Project(mini, bundled=False)],
                           cache=cache)
    name = "site/assets/askfirst.css.j2"
    assert env.loader is not None and env.bytecode_cache is not None
    source, filename, _ = env.loader.get_source(env, name)
    bucket = env.bytecode_cache.get_bucket(env, name, filename or name, source)
    ran = tmp_path / "planted-code-ran"
    bucket.code = compile(f"open({str(ran)!r}, 'w').close()", "planted", "exec")
    env.bytecode_cache.set_bucket(bucket)
    (mini / ".askfirst-cache" / "made-here").write_text("0" * 64, encoding="utf-8")
    assert main(["build", "--only", "site", "--band", "k-2"]) == 0
    assert not ran.exists(), "a compiled template planted in the cache ran"
    assert capsys.readouterr().out.startswith(
        "cache: .askfirst-cache was not made on this machine (or its secret, in "
        f"{secret_path().parent}, is new); emptied it, so this build starts from nothing\n")
    assert (mini / "build/site/index.html").is_file()
