"""The JSON Schema of lesson files, generated from the models, for editors' autocompletion."""

from __future__ import annotations

import json
from pathlib import Path

from askfirst.models import Lesson

SCHEMA_FILE = Path("schema") / "lesson.schema.json"
MODELINE = "# yaml-language-server: $schema=../schema/lesson.schema.json"


def lesson_schema() -> str:
    """The lesson JSON Schema as text, stable from run to run."""
    schema = Lesson.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Ask First lesson"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
