"""Regenerate lessons/schema/lesson.schema.json from the lesson models.

Run after changing askfirst/models/; tests/test_schema.py fails while the file is out of date.
"""

from pathlib import Path

from askfirst.models.json_schema import SCHEMA_FILE, lesson_schema

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    target = ROOT / "lessons" / SCHEMA_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(lesson_schema(), encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")
