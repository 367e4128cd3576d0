"""New files from the curriculum's own parts: a lesson to fill in."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from askfirst.errors import AskFirstError, UsageError, relative
from askfirst.load.curriculum import Sourced
from askfirst.models import Framework
from askfirst.models.base import FILL_IN, SLUG_PATTERN
from askfirst.models.json_schema import MODELINE, SCHEMA_FILE, lesson_schema
from askfirst.project import Project, bundled_root
from askfirst.render.environment import make_environment, render
from askfirst.validate import check

SLUG = re.compile(SLUG_PATTERN)


def new_lesson(project: Project, band_id: str, lesson_id: str) -> Path:
    """Write `lessons/<band>/<id>.yml`: a lesson that validates and says what to fill in."""
    if not SLUG.match(lesson_id):
        raise UsageError(f"--id {lesson_id}: use lower-case letters, digits and hyphens, "
                         "such as 'asking-first'")
    cur, _ = check(project)
    band = cur.band(band_id)
    if band is None:
        known = ", ".join(b.model.id for b in cur.bands)
        raise UsageError(f"--band {band_id}: no such band; use one of: {known}")
    if any(item.model.id == lesson_id for item in cur.lessons):
        raise AskFirstError(f"a lesson with id '{lesson_id}' already exists")
    target = project.lessons_dir / band_id / f"{lesson_id}.yml"
    if target.exists():
        raise AskFirstError(f"{relative(target)}: already exists")
    allowed = [t.model for t in cur.topics
               if (youngest := cur.band(t.model.youngest_band)) and youngest.order <= band.order]
    topic = next((t.id for t in allowed if t.thread == "home"), allowed[0].id if allowed else "")
    code = _first_code(cur.frameworks, band.frameworks)
    steps = _split(band.minutes)
    text = render(make_environment(cur.layers), "scaffold/lesson.yml.j2", {
        "modeline": MODELINE, "id": lesson_id, "band": band, "topic": topic, "code": code,
        "order": len(cur.lessons_of(band_id)) + 1, "steps": steps, "fill": FILL_IN,
        "languages": cur.config.model.languages[1:],
    })
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def _split(minutes: int) -> list[int]:
    """Opening, main activity and closing minutes that add up to the lesson's length."""
    opening = max(1, minutes // 6)
    closing = max(1, minutes // 6)
    return [opening, minutes - opening - closing, closing]


def _first_code(frameworks: list[Sourced[Framework]], levels: dict[str, str]) -> str:
    for item in frameworks:
        framework = item.model
        for entry in framework.entries:
            if entry.kind == "topic" and entry.verified and (
                    not entry.levels or levels.get(framework.id) in entry.levels):
                return f"{framework.id}:{entry.code}"
    raise AskFirstError("no verified framework topic to align a new lesson to; add framework "
                        "data under lessons/frameworks/")


SCHOOL_HEADER = """\
# {name}: the school's Ask First curriculum. It extends the Ask First curriculum installed with
# the askfirst command and keeps only what the school changes. Check and replace the law
# (jurisdiction) and help contacts before teaching: lessons show what is written here.
"""


def init_project(folder: Path, name: str | None = None) -> list[Path]:
    """Create a school project in `folder` that builds as it is; returns the files written."""
    folder = folder.resolve()
    if folder.exists() and any(folder.iterdir()):
        raise AskFirstError(f"{folder}: the folder is not empty; choose a new folder")
    upstream = Project(bundled_root(), bundled=True)
    cur, _ = check(upstream)
    school = name or folder.name.replace("-", " ").replace("_", " ").title()
    config = yaml.safe_load(upstream.config_path.read_text(encoding="utf-8"))
    config = {
        "extends": "askfirst",
        "title": config["title"],
        "version": "1.0.0",
        "released": config["released"],
        "license": config["license"],
        "school": {"name": school, "colors": config["school"]["colors"]},
        **{k: config[k] for k in ("languages", "paper", "jurisdiction",
                                  "jurisdiction_translations", "contacts",
                                  "contact_translations")},
        "selection": {},
    }
    env = make_environment(cur.layers)
    files = {
        "askfirst.yml": SCHOOL_HEADER.format(name=school)
        + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=96),
        "mkdocs.yml": upstream.mkdocs_path.read_text(encoding="utf-8"),
        "README.md": render(env, "scaffold/school/README.md.j2", {"name": school}),
        "overrides/README.md": _builtin("scaffold/school/overrides-README.md"),
        "templates/README.md": _builtin("scaffold/school/templates-README.md"),
        f"lessons/{SCHEMA_FILE}": lesson_schema(),
        "assets/README.md": "Put the school's logo and pictures here.\n",
    }
    written = []
    for rel, text in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written


def _builtin(name: str) -> str:
    return (bundled_root() / "templates" / name).read_text(encoding="utf-8")
