"""Validate stage for the school's colours: the site sets its header (with white text on it)
and its links in the primary colour, hover and focus in the accent, and the slides draw their
rule and pictures in the primary colour; each must reach WCAG AA contrast with white, 4.5:1."""

from __future__ import annotations

from askfirst.errors import Problems, Severity
from askfirst.load.curriculum import Curriculum

AA = 4.5


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def luminance(color: str) -> float:
    """The relative luminance of a `#rrggbb` colour (WCAG 2.1)."""
    r, g, b = (_channel(v) for v in _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(color: str) -> float:
    """The contrast ratio of a `#rrggbb` colour with white, from 1 to 21."""
    return 1.05 / (luminance(color) + 0.05)


def darker_until_readable(color: str) -> str:
    """The same hue, darkened in steps of 5% until it reaches 4.5:1 with white."""
    r, g, b = _rgb(color)
    factor = 1.0
    while True:
        shade = "#{:02x}{:02x}{:02x}".format(*(round(v * factor) for v in (r, g, b)))
        if contrast_with_white(shade) >= AA:
            return shade
        factor -= 0.05


def check_colors(cur: Curriculum, problems: Problems) -> None:
    """Warn about a school colour that white text on it, or it as text on white, cannot be
    read in."""
    colors = cur.config.model.school.colors
    for name in ("primary", "accent"):
        color: str = getattr(colors, name)
        ratio = contrast_with_white(color)
        if ratio < AA:
            problems.add(cur.config.problem(
                ("school", "colors", name),
                f"'{color}' has a contrast of {ratio:.1f}:1 with white; the site's header, "
                f"links and slides need at least {AA}:1 (WCAG AA); use a darker shade such as "
                f"'{darker_until_readable(color)}'", severity=Severity.WARNING))
