"""The committed JSON Schema matches the models, and every lesson file names it."""

from __future__ import annotations

from pathlib import Path

from askfirst.load.curriculum import lesson_files
from askfirst.models.json_schema import MODELINE, SCHEMA_FILE, lesson_schema

REPO = Path(__file__).resolve().parent.parent


def test_committed_schema_is_up_to_date() -> None:
    committed = (REPO / "lessons" / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == lesson_schema(), "run scripts/update_schema.py"


def test_every_lesson_names_the_schema_in_its_modeline() -> None:
    files = lesson_files(REPO / "lessons")
    assert len(files) >= 40
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == MODELINE, path


def test_schema_describes_every_field() -> None:
    import json

    schema = json.loads(lesson_schema())
    for name, definition in [("Lesson", schema), *schema["$defs"].items()]:
        for field, spec in definition.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{field} has no description"
        assert definition.get("additionalProperties") is False, name
