"""What the golden files hold: the mini fixture's rendered pages, with machine paths masked."""

from __future__ import annotations

from pathlib import Path

from askfirst.pipeline import BuildOptions, render_stage
from askfirst.project import Project
from askfirst.render.print_pages import FONTS_DIR
from askfirst.validate import checked

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden" / "mini"
MINI = HERE / "fixtures" / "mini"


def rendered_files() -> dict[str, str]:
    """Every rendered page of the mini curriculum, by a stable relative name."""
    cur = checked(Project(MINI, bundled=False), strict=True)
    rendered = render_stage(cur, BuildOptions())
    files: dict[str, str] = {}
    for site in rendered.sites:
        for page in site.pages:
            files[f"site-{site.language}/{page.path}"] = page.text
    for job in rendered.jobs:
        files[f"print/{job.output.removeprefix('pdf/').replace('.pdf', '.html')}"] = job.html
    files["site-assets/askfirst.css"] = rendered.css
    return {name: text.replace(FONTS_DIR.as_uri(), "FONTS") for name, text in files.items()}
