"""The YAML loader: line marks, safe types only, limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from askfirst.load.source import MAX_NODES, load_yaml, parse_yaml

P = Path("x.yml")


def test_marks_point_at_values_and_keys() -> None:
    doc, problems = parse_yaml("id: a\nsteps:\n  - title: One\n    minutes: 5\n", P, "x.yml")
    assert problems == []
    assert doc is not None
    assert doc.locate(("steps", 0, "minutes")) == (4, 14)
    assert doc.locate(("steps", 0, "minutes"), key=True) == (4, 5)
    assert doc.locate(("steps", 0, "missing")) == (3, 5)


def test_python_tags_are_refused_not_built() -> None:
    text = "id: !!python/object/apply:os.system ['echo hacked']\n"
    doc, problems = parse_yaml(text, P, "x.yml")
    assert [p.format() for p in problems] == [
        "x.yml:1:5: id: the YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not "
        "allowed; remove it and write plain text, numbers, lists and mappings"]
    assert doc is not None
    assert doc.data == {"id": ["echo hacked"]}, "read as plain data, never called"


def test_a_value_its_own_tag_cannot_read_is_a_problem_not_a_crash() -> None:
    doc, problems = parse_yaml("id: a\nflag: !!bool maybe\ncount: !!int ten\n", P, "x.yml")
    assert [p.format() for p in problems] == [
        "x.yml:2:7: flag: 'maybe' is meant as a YAML bool but cannot be read as one; put it in "
        "quotes to keep it as text (and remove any '!!bool' tag)",
        "x.yml:3:8: count: 'ten' is meant as a YAML int but cannot be read as one; put it in "
        "quotes to keep it as text (and remove any '!!int' tag)"]
    assert doc is not None and doc.data == {"id": "a", "flag": "maybe", "count": "ten"}


def test_duplicate_keys_are_reported() -> None:
    _, problems = parse_yaml("id: a\nid: b\n", P, "x.yml")
    assert [p.format() for p in problems] == ["x.yml:2:1: id: 'id' appears twice; keep one"]


def test_alias_bomb_is_stopped() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        refs = ", ".join([f"*a{i - 1}"] * 10)
        lines.append(f"a{i}: &a{i} [{refs}]")
    doc, problems = parse_yaml("\n".join(lines) + "\n", P, "x.yml")
    assert doc is None
    assert problems[0].message.startswith(f"the file expands to more than {MAX_NODES} values")


def test_syntax_error_has_line_and_column() -> None:
    _, problems = parse_yaml("id: a\ntitle: [unclosed\nband: k-2\n", P, "x.yml")
    assert len(problems) == 1
    assert problems[0].line == 3
    assert "YAML syntax error" in problems[0].message


def test_too_large_file(tmp_path: Path) -> None:
    big = tmp_path / "big.yml"
    big.write_text("a: " + "x" * (1024 * 1024 + 1), encoding="utf-8")
    doc, problems = load_yaml(big, "big.yml")
    assert doc is None
    assert problems[0].message == ("the file is 1048580 bytes, more than the 1048576 allowed; "
                                   "split it into smaller files")


def test_not_utf8(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_bytes(b"title: caf\xe9\n")
    doc, problems = load_yaml(bad, "bad.yml")
    assert doc is None
    assert problems[0].format().startswith("bad.yml:1:1: the file is not UTF-8 text")


def test_marks_worked_out_later_are_the_ones_read_carefully() -> None:
    # A file with nothing to report is read without marks; a tag elsewhere makes the loader
    # read it the careful way at once. Both give the same data and the same places.
    text = ("id: a\nminutes: 35\nsteps:\n  - title: One\n    minutes: 5\n    optional: true\n"
            "  - {title: Two, minutes: 10}\nreview: {status: draft, date: 2024-05-01}\n"
            "empty:\nlist: [1, 2.5, null, ~, 'x']\n")
    quick, problems = parse_yaml(text, P, "x.yml")
    careful, tagged = parse_yaml(text + "tag: !!str text\nother: !custom x\n", P, "x.yml")
    assert problems == [] and quick is not None and careful is not None
    assert [p.format() for p in tagged] == [
        "x.yml:12:8: other: the YAML tag '!custom' is not allowed; remove it and write plain "
        "text, numbers, lists and mappings"]
    assert quick.data == {k: v for k, v in careful.data.items() if k not in ("tag", "other")}
    assert quick.data["review"]["date"] == "2024-05-01", "dates stay text"
    assert quick.values == {p: at for p, at in careful.values.items()
                            if p[:1] not in (("tag",), ("other",))}
    assert quick.keys == {p: at for p, at in careful.keys.items()
                          if p[:1] not in (("tag",), ("other",))}
    assert quick.locate(("steps", 1, "minutes")) == (7, 27)


def test_duplicate_key_deep_in_a_file_is_reported_where_it_is() -> None:
    text = ("id: a\nsteps:\n  - title: One\n    minutes: 5\n  - title: Two\n    say: Hi.\n"
            "    say: Hello.\n")
    doc, problems = parse_yaml(text, P, "x.yml")
    assert [p.format() for p in problems] == [
        "x.yml:7:5: steps[1].say: 'say' appears twice; keep one"]
    assert doc is not None and doc.data["steps"][1] == {"title": "Two", "say": "Hi."}


def test_marks_come_from_the_file_after_its_data_changed() -> None:
    doc, problems = parse_yaml("id: a\norder: 3\nsteps: []\n", P, "x.yml")
    assert problems == [] and doc is not None
    doc.data["order"] = 1  # as a school's selection renumbers lessons
    doc.data["steps"].append({"title": "New"})
    assert doc.problem(("order",), "wrong").format() == "x.yml:2:8: order: wrong"
    assert doc.problem(("steps", 0, "title"), "wrong").format() == (
        "x.yml:3:8: steps[0].title: wrong")


@pytest.mark.parametrize(("text", "data", "problems"), [
    ("", {}, []),
    ("---\n", None, []),
    ("plain text\n", "plain text", []),
    ("a: &x [1, 2]\nb: *x\n", {"a": [1, 2], "b": [1, 2]}, []),
    ("a: !!str 5\nb: !!int '6'\n", {"a": "5", "b": 6}, []),
    ("<<: {a: 1}\nwhen: 2024-05-01\n", {"<<": {"a": 1}, "when": "2024-05-01"}, []),
    ("a: 1\n? [b]\n: 2\n", {"a": 1},
     ["x.yml:2:3: a key must be plain text, not a list or mapping"]),
    ("a: 1\n---\nb: 2\n", None, ["x.yml:3:1: the file holds more than one YAML document "
                                 "(a '---' line); keep one document per file"]),
    ("a: 0b_\n", {"a": "0b_"}, ["x.yml:1:4: a: '0b_' is meant as a YAML int but cannot be read "
                               "as one; put it in quotes to keep it as text (and remove any "
                               "'!!int' tag)"]),
])
def test_what_the_quick_reading_leaves_reads_as_before(text: str, data: object,
                                                      problems: list[str]) -> None:
    doc, found = parse_yaml(text, P, "x.yml")
    assert [p.format() for p in found] == problems
    if doc is None:
        assert data is None and problems
    else:
        assert doc.data == data
