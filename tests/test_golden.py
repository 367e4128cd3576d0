"""Golden output: the mini fixture renders exactly as committed (scripts/update_golden.py)."""

from __future__ import annotations

from tests.golden import GOLDEN, rendered_files


def test_rendered_pages_match_golden_files() -> None:
    rendered = rendered_files()
    committed = {str(p.relative_to(GOLDEN)): p.read_text(encoding="utf-8")
                 for p in GOLDEN.rglob("*") if p.is_file()}
    assert sorted(rendered) == sorted(committed), "run scripts/update_golden.py"
    for name, text in rendered.items():
        assert text == committed[name], f"{name} differs; run scripts/update_golden.py"
