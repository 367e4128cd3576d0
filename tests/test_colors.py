"""The school's colours: readable with white, or a warning naming a darker shade."""

from __future__ import annotations

from pathlib import Path

import pytest

from askfirst.cli import main
from askfirst.validate.colors import contrast_with_white


def test_contrast_is_wcag_21() -> None:
    assert round(contrast_with_white("#000000"), 1) == 21.0
    assert round(contrast_with_white("#767676"), 2) == 4.54  # the lightest grey that passes AA


def test_a_school_colour_too_light_to_read_is_a_warning_with_a_darker_shade(
        mini: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = mini / "askfirst.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        'primary: "#5b2a86"', 'primary: "#ffcc00"'), encoding="utf-8")
    assert main(["validate"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "askfirst.yml:10:14: warning: school.colors.primary: '#ffcc00' has a contrast of 1.5:1 "
        "with white; the site's header, links and slides need at least 4.5:1 (WCAG AA); use a "
        "darker shade such as '#8c7000'")
    assert main(["validate", "--strict"]) == 1
