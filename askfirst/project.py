"""Where a curriculum project lives: the folder with `askfirst.yml`, or the bundled curriculum."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from askfirst.errors import AskFirstError

CONFIG_NAME = "askfirst.yml"
CACHE_DIR = ".askfirst-cache"  # what a build or a check keeps for the next one
PACKAGE_DIR = Path(__file__).resolve().parent


def bundled_root() -> Path:
    """The curriculum shipped with the package (inside the wheel, or the repository checkout)."""
    inside_wheel = PACKAGE_DIR / "_bundled"
    if (inside_wheel / CONFIG_NAME).is_file():
        return inside_wheel
    checkout = PACKAGE_DIR.parent
    if (checkout / CONFIG_NAME).is_file():
        return checkout
    raise AskFirstError("the bundled curriculum is missing from this installation; "
                        "reinstall askfirst")


@dataclass(frozen=True)
class Project:
    """A curriculum project: its folder, and whether it is the bundled curriculum itself."""

    root: Path
    bundled: bool

    @property
    def config_path(self) -> Path:
        """The project's `askfirst.yml`."""
        return self.root / CONFIG_NAME

    @property
    def lessons_dir(self) -> Path:
        """The project's lessons and curriculum data."""
        return self.root / "lessons"

    @property
    def templates_dir(self) -> Path:
        """The project's own templates, searched before the built-in ones."""
        return self.root / "templates"

    @property
    def cache_dir(self) -> Path | None:
        """Where checks keep what they measured for the next run; None for the curriculum
        inside an installed package, which is not ours to write into."""
        return None if self.root.is_relative_to(PACKAGE_DIR) else self.root / CACHE_DIR

    @property
    def mkdocs_path(self) -> Path:
        """The project's `mkdocs.yml`, from which the generated site configuration is derived."""
        return self.root / "mkdocs.yml"


def find_project(start: Path | None = None) -> Project:
    """The project holding `start` (or the working folder), else the bundled curriculum."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            bundled = folder == bundled_root().resolve()
            return Project(root=folder, bundled=bundled)
    return Project(root=bundled_root(), bundled=True)
