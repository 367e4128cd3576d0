"""Shared fixtures: a small curriculum project copied into a temporary folder, and its build."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from askfirst.pipeline import CACHE_DIR, BuildOptions, BuildResult, build
from askfirst.project import Project

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).resolve().parent.parent


def copy_project(name: str, target: Path) -> Path:
    """Copy a fixture project into `target` and return its folder."""
    folder = target / name
    shutil.copytree(FIXTURES / name, folder)
    return folder


@pytest.fixture
def mini(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh copy of the mini curriculum, as the working folder."""
    folder = copy_project("mini", tmp_path)
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, BuildResult]]:
    """The mini curriculum built once (site and PDFs), shared by the read-only tests."""
    root = tmp_path_factory.mktemp("built")
    folder = copy_project("mini", root)
    out = root / "out"
    result = build(BuildOptions(out=out, quiet=True, project=Project(folder, bundled=False)))
    yield out, result


@pytest.fixture(scope="session")
def built_zensical(built: tuple[Path, BuildResult]) -> tuple[Path, BuildResult]:
    """The same curriculum with its site built by Zensical: the PDFs come from the cache of
    the shared build (the same project, so the same cache keys), the site is Zensical's."""
    out, _ = built
    cache = out.parent / CACHE_DIR
    shutil.copytree(cache / out.name / "pdf", cache / "out-zensical" / "pdf")
    zensical_out = out.parent / "out-zensical"
    result = build(BuildOptions(out=zensical_out, quiet=True, engine="zensical",
                                project=Project(out.parent / "mini", bundled=False)))
    assert result.pdfs_rendered == 0, "every PDF came from the cache"
    return zensical_out, result


@pytest.fixture(scope="session", params=["mkdocs", "zensical"])
def site_build(request: pytest.FixtureRequest) -> tuple[Path, BuildResult]:
    """The built site under each engine: the browser tests run against both."""
    name = "built" if request.param == "mkdocs" else "built_zensical"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]
