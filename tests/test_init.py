"""`askfirst init` asks what a school must fill in, the way Copier asks its questions; every
question is also a flag, so that it runs unattended in CI."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from askfirst.cli import main
from askfirst.scaffold import QUESTIONS, ask_all


def test_flags_fill_in_askfirst_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "oak"), "--name", "Oak School", "--no-input",
                 "--counselor-name", "Ms. Lee", "--counselor-room", "Room 12",
                 "--counselor-hours", "Mon–Fri 8–3", "--title-ix", "Mr. Diaz (office 3)",
                 "--law-name", "Oregon", "--policy", "opt-in", "--languages", "en,es"]) == 0
    capsys.readouterr()
    config = yaml.safe_load((tmp_path / "oak/askfirst.yml").read_text(encoding="utf-8"))
    assert config["school"]["name"] == "Oak School"
    assert config["contacts"]["counsellor"]["name"] == "Ms. Lee"
    assert config["contacts"]["counsellor"]["how"] == "Room 12, Mon–Fri 8–3"
    assert config["contacts"]["title-ix"]["name"] == "Mr. Diaz (office 3)"
    assert config["jurisdiction"]["name"] == "Oregon"
    assert config["notification"]["policy"] == "opt-in"
    monkeypatch.chdir(tmp_path / "oak")
    assert main(["validate"]) == 0
    assert main(["build", "--band", "k-2", "--only", "pdf", "--quiet"]) == 0
    letter = (tmp_path / "oak/build/pdf/k-2/ask-first-k-2-notification-en.pdf").read_bytes()
    assert letter.startswith(b"%PDF")


def test_a_wrong_choice_is_refused(tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", str(tmp_path / "oak"), "--no-input", "--policy", "maybe"]) == 2
    assert capsys.readouterr().err.strip() == (
        "askfirst: error: --policy maybe: use one of: opt-out, opt-in, notify-only")


def test_questions_are_asked_in_order_with_defaults() -> None:
    replies = iter(["Ms. Lee", "", "", "", "", "", "Oregon", "", "", "",
                    "sometimes", "opt-in", ""])
    asked: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return next(replies)

    answers = ask_all({"nurse": "Mr. Park"}, ask)
    assert answers["counselor_name"] == "Ms. Lee"
    assert answers["nurse"] == "Mr. Park", "a flag is not asked again"
    assert answers["law_name"] == "Oregon"
    assert answers["policy"] == "opt-in", "a wrong choice is asked again"
    assert answers["languages"] == "en,es"
    assert asked[0] == "School counselor's name [your school counselor]: "
    assert "Notification policy (opt-out/opt-in/notify-only) [opt-out]: " in asked
    assert len(asked) == len(QUESTIONS) - 1 + 1  # nurse not asked; policy asked twice
