"""Every command is documented: in the README's command table and in its own --help."""

from __future__ import annotations

from pathlib import Path

from askfirst.cli import _commands

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    for name in _commands():
        assert f"| `askfirst {name}" in README, name


def test_every_command_has_help_with_an_example() -> None:
    for name, (func, _) in _commands().items():
        doc = func.__doc__ or ""
        assert "Example: askfirst " + name in doc, name


def test_readme_names_the_two_commands_ci_runs() -> None:
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "./scripts/test.sh" in README and "./scripts/test.sh" in ci
    assert "./scripts/build.sh" in README
