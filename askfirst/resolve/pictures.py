"""Pictures for pre-readers: icons from the open icon sets that Material for MkDocs ships
(Material Design Icons by Pictogrammers under the Pictogrammers Free License, Font Awesome
Free under CC BY 4.0, Octicons under MIT; each set's license is in its folder). A lesson names
an icon, such as `material/hand-wave`; the build reads it from the installed package and never
fetches a picture."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from markupsafe import Markup

ICON_NAME = re.compile(r"^(material|octicons|fontawesome/(solid|regular|brands))/[a-z0-9-]+$")


@cache
def icons_dir() -> Path:
    """Where the installed Material for MkDocs keeps its icon sets."""
    import material

    return Path(material.__file__).parent / "templates" / ".icons"


@cache  # the installed icon sets do not change while Ask First runs; lessons repeat icons
def icon_path(name: str) -> Path | None:
    """The SVG file of an icon, or None if there is no such icon."""
    if not ICON_NAME.match(name):
        return None
    path = icons_dir() / f"{name}.svg"
    return path if path.is_file() else None


def icon_svg(name: str) -> Markup:
    """An icon as inline SVG, hidden from screen readers (the words beside it carry the
    meaning)."""
    path = icon_path(name)
    if path is None:
        return Markup("")
    svg = path.read_text(encoding="utf-8")
    if not svg.startswith("<svg"):
        return Markup("")
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" '
                              'class="icon" fill="currentColor" ', 1))
