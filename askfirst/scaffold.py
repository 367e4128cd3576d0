"""New files from the curriculum's own parts: a lesson to fill in."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class Question:
    """One thing a school fills in when it starts a project: a flag, a question, a default."""

    key: str
    prompt: str
    default: str
    choices: tuple[str, ...] = ()


# What a school must fill in, in the order `askfirst init` asks. Every one is also a flag
# (`--counselor-name`, ...), so that init runs unattended in CI.
QUESTIONS = (
    Question("counselor_name", "School counselor's name", "your school counselor"),
    Question("counselor_room", "Counselor's room", ""),
    Question("counselor_hours", "Counselor's hours", ""),
    Question("nurse", "School nurse's name", "your school nurse"),
    Question("title_ix", "Title IX coordinator (name, and how to reach them)",
             "your school's Title IX coordinator"),
    Question("child_protection", "Local child-protection agency",
             "your local child-protection agency"),
    Question("child_protection_how", "How to reach it (phone or website)",
             "Find its number on your state's or county's website, or ask the school office."),
    Question("law_name", "Where the law applies (state or country)",
             "Check the law where you live"),
    Question("age_of_consent", "What your state's law says about the age of consent", ""),
    Question("image_sharing", "What your state's law says about sharing sexual images", ""),
    Question("reporting", "Who must report suspected abuse, and to whom", ""),
    Question("policy", "Notification policy", "opt-out", ("opt-out", "opt-in", "notify-only")),
    Question("languages", "Languages (codes, comma-separated)", "en,es"),
)


def ask_all(given: dict[str, str | None], ask: Callable[[str], str] | None) -> dict[str, str]:
    """Every answer: the flag's value if given, else the question asked (when `ask` is given:
    on a terminal), else its default. An empty answer keeps the default."""
    answers: dict[str, str] = {}
    for question in QUESTIONS:
        value = given.get(question.key)
        while value is None and ask is not None:
            shown = f" [{question.default}]" if question.default else ""
            options = f" ({'/'.join(question.choices)})" if question.choices else ""
            reply = ask(f"{question.prompt}{options}{shown}: ").strip()
            value = reply or question.default
            if question.choices and value not in question.choices:
                value = None
        answers[question.key] = question.default if value is None else value
        if question.choices and answers[question.key] not in question.choices:
            raise UsageError(f"--{question.key.replace('_', '-')} {answers[question.key]}: use "
                             f"one of: {', '.join(question.choices)}")
    return answers


def _apply_answers(config: dict[str, Any], answers: dict[str, str]) -> None:
    contacts = config["contacts"]
    where = ", ".join(x for x in (answers["counselor_room"], answers["counselor_hours"]) if x)
    contacts["counsellor"]["name"] = answers["counselor_name"]
    if where:
        contacts["counsellor"]["how"] = where
    contacts["nurse"]["name"] = answers["nurse"]
    contacts["title-ix"]["name"] = answers["title_ix"]
    contacts["child-protection"]["name"] = answers["child_protection"]
    contacts["child-protection"]["how"] = answers["child_protection_how"]
    law = config["jurisdiction"]
    law["name"] = answers["law_name"]
    for key in ("age_of_consent", "image_sharing", "reporting"):
        if answers[key]:
            law[key] = answers[key]
    config["notification"]["policy"] = answers["policy"]
    languages = [code.strip() for code in answers["languages"].split(",") if code.strip()]
    config["languages"] = languages or ["en"]


def init_project(folder: Path, name: str | None = None,
                 answers: dict[str, str] | None = None) -> list[Path]:
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
                                  "jurisdiction_translations", "notification", "contacts",
                                  "contact_translations")},
        "selection": {},
    }
    _apply_answers(config, answers or ask_all({}, None))
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
        ".gitignore": "# What `askfirst build` makes, and what it keeps to build faster next time\n"
                      "/build/\n/.askfirst-cache/\n",
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
