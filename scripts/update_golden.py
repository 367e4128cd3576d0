"""Regenerate tests/golden/mini: the rendered site pages and print HTML of the mini fixture.

Run after an intended change to templates or rendering; review the diff before committing.
tests/test_golden.py fails while these files differ from what the code renders.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.golden import GOLDEN, rendered_files  # noqa: E402

if __name__ == "__main__":
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for name, text in rendered_files().items():
        target = GOLDEN / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"wrote {len(rendered_files())} files under {GOLDEN.relative_to(ROOT)}")
