"""Benchmark the build on the bundled curriculum and on a generated one ten times larger.

Prints one JSON object per curriculum with: lessons and PDF pages; the cold build (empty
cache); the rebuild after editing one lesson; a rebuild with nothing changed (`noop_over_cold`);
a site-only build and the site-only preview after editing one lesson
(`preview_over_cold_site`); the same two site builds by Zensical (`zensical_over_mkdocs`: its
cold site build over MkDocs'); the floor — MkDocs alone on the generated pages
plus WeasyPrint alone on the generated print HTML, one process — and the ratios; validation of
1,000 lessons against the C YAML loader parsing the same files; and the peak memory of a PDF
worker. Usage: python scripts/bench.py [--scale 10] [--skip-large]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from askfirst.load.curriculum import lesson_files  # noqa: E402

ASKFIRST = [sys.executable, "-m", "askfirst"]


def make_project(target: Path, copies: int) -> int:
    """The bundled curriculum, with every band repeated `copies` times; returns its lessons."""
    for name in ("askfirst.yml", "mkdocs.yml"):
        shutil.copy(ROOT / name, target / name)
    shutil.copytree(ROOT / "lessons", target / "lessons")
    if copies == 1:
        return len(lesson_files(target / "lessons"))
    bands_file = target / "lessons" / "bands.yml"
    bands = yaml.safe_load(bands_file.read_text(encoding="utf-8"))["bands"]
    extra = []
    count = 0
    for band in bands:
        base_order = band["order"]
        band["order"] = base_order * 100
        lessons = sorted((target / "lessons" / band["id"]).glob("*.yml"))
        guide = (target / "lessons/guides/parents" / f"{band['id']}.yml").read_text("utf-8")
        count += len(lessons)
        for k in range(2, copies + 1):
            new_id = f"{band['id']}-copy{k}"
            extra.append({**band, "id": new_id, "title": f"{band['title']} ({k})",
                          "order": base_order * 100 + k})
            folder = target / "lessons" / new_id
            folder.mkdir()
            for path in lessons:
                text = path.read_text(encoding="utf-8")
                lesson_id = yaml.safe_load(text)["id"]
                text = text.replace(f"id: {lesson_id}\n", f"id: {lesson_id}-copy{k}\n", 1)
                text = text.replace(f"band: {band['id']}\n", f"band: {new_id}\n", 1)
                # a sentence of its own, so that no copy is the same text as another
                text = text.replace("summary: >-\n", f"summary: >-\n  Copy {k}.\n", 1)
                (folder / f"{lesson_id}-copy{k}.yml").write_text(text, encoding="utf-8")
                count += 1
            (target / "lessons/guides/parents" / f"{new_id}.yml").write_text(
                guide.replace(f"band: {band['id']}", f"band: {new_id}", 1), encoding="utf-8")
    bands_file.write_text(yaml.safe_dump({"bands": bands + extra}, allow_unicode=True,
                                         sort_keys=False), encoding="utf-8")
    return count


def edit_one_step(text: str) -> str:
    """Change the directions of a lesson's first step (shown in its PDF and the packet)."""
    for old, new in (("    directions: >-\n", "    directions: >-\n      Now.\n"),
                     ("    directions: ", "    directions: Now. ")):
        if old in text and not (old.endswith(": ") and f"{old}>" in text):
            return text.replace(old, new, 1)
    raise SystemExit("no step to edit")


def timed(command: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout


FLOOR = r"""
import sys, time, subprocess
from pathlib import Path
import weasyprint
start = time.perf_counter()
for path in sorted(Path(sys.argv[1]).glob("*.html")):
    weasyprint.HTML(filename=str(path)).render().write_pdf(pdf_variant="pdf/ua-1")
pdf = time.perf_counter() - start
start = time.perf_counter()
for config in sorted(Path(sys.argv[2]).glob("mkdocs-*.yml")):
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config),
                    "-d", str(Path(sys.argv[3]) / config.stem)], check=True)
print(pdf, time.perf_counter() - start)
"""


def floor(project: Path, work: Path) -> float:
    """MkDocs alone on the generated pages plus WeasyPrint alone on the print HTML."""
    sys.path.insert(0, str(ROOT))
    from askfirst.pipeline import BuildOptions, render_stage
    from askfirst.project import Project
    from askfirst.validate import checked

    cur = checked(Project(project, bundled=False))
    html = work / "html"
    html.mkdir()
    for i, job in enumerate(render_stage(cur, BuildOptions(only="pdf")).jobs):
        (html / f"{i:04}.html").write_text(job.html, encoding="utf-8")
    cache = project / ".askfirst-cache" / "build"
    _, out = timed([sys.executable, "-c", FLOOR, str(html), str(cache), str(work / "sites")],
                   project)
    pdf_s, site_s = (float(x) for x in out.split())
    return pdf_s + site_s


def validate_over_parse(work: Path) -> dict[str, float]:
    """Load and validate 1,000 lessons, against the C YAML loader only parsing them."""
    project = work / "thousand"
    project.mkdir()
    make_project(project, 25)
    files = sorted(p for p in (project / "lessons").rglob("*.yml")
                   if p.parent.name not in ("frameworks", "parents", "guides", "lessons"))
    script = r"""
import sys, time, yaml
from pathlib import Path
from askfirst.validate.readability import measure
from askfirst.validate import check
from askfirst.project import Project
measure("Warm the dictionaries once.")
files = [Path(p) for p in sys.argv[2:]]
start = time.perf_counter()
for path in files:
    yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
parse = time.perf_counter() - start
start = time.perf_counter()
cur, problems = check(Project(Path(sys.argv[1]), bundled=False))
validate = time.perf_counter() - start
print(len(cur.lessons), parse, validate)
"""
    _, out = timed([sys.executable, "-c", script, str(project), *map(str, files)], ROOT)
    lessons, parse_s, validate_s = out.split()
    return {"validate_lessons": int(lessons), "parse_s": round(float(parse_s), 3),
            "validate_s": round(float(validate_s), 3),
            "validate_over_parse": round(float(validate_s) / float(parse_s), 2)}


def bench(copies: int) -> dict[str, Any]:
    """Measure one curriculum size."""
    with tempfile.TemporaryDirectory(prefix="askfirst-bench-") as tmp:
        work = Path(tmp)
        project = work / "project"
        project.mkdir()
        lessons = make_project(project, copies)
        cold_s, out = timed([*ASKFIRST, "build"], project)
        pages = int(re.search(r"pdf: \d+ files, (\d+) pages", out).group(1))  # type: ignore[union-attr]
        peak = float(re.search(r"worker peak ([\d.]+) MiB", out).group(1))  # type: ignore[union-attr]
        lesson = sorted((project / "lessons" / "k-2").glob("*.yml"))[0]
        lesson.write_text(edit_one_step(lesson.read_text(encoding="utf-8")), encoding="utf-8")
        warm_s, warm_out = timed([*ASKFIRST, "build"], project)
        counted = re.search(r"pdf: (\d+) files, \d+ pages \((\d+|all) rendered", warm_out)
        assert counted, warm_out
        rendered = int(counted.group(1) if counted.group(2) == "all" else counted.group(2))
        parts = re.search(r"teacher packets: (\d+) of (\d+) parts", warm_out)
        noop_s, _ = timed([*ASKFIRST, "build"], project)  # nothing changed since
        site_out = ["--only", "site", "--out", "preview"]
        cold_site_s, _ = timed([*ASKFIRST, "build", *site_out], project)
        lesson.write_text(edit_one_step(lesson.read_text(encoding="utf-8")), encoding="utf-8")
        preview_s, _ = timed([*ASKFIRST, "build", *site_out], project)
        # The same two site builds by the second engine, into a folder of their own.
        zensical_out = ["--only", "site", "--out", "preview-zensical", "--engine", "zensical"]
        cold_zensical_s, _ = timed([*ASKFIRST, "build", *zensical_out], project)
        lesson.write_text(edit_one_step(lesson.read_text(encoding="utf-8")), encoding="utf-8")
        preview_zensical_s, _ = timed([*ASKFIRST, "build", *zensical_out], project)
        floor_s = floor(project, work)
        return {
            "copies": copies,
            "lessons": lessons,
            "pdf_pages": pages,
            "cold_s": round(cold_s, 1),
            "warm_one_lesson_s": round(warm_s, 1),
            "warm_pdfs_rendered": rendered,
            "warm_packet_parts_laid_out": f"{parts.group(1)} of {parts.group(2)}" if parts else "",
            "floor_s": round(floor_s, 1),
            "cold_over_floor": round(cold_s / floor_s, 2),
            "warm_over_cold": round(warm_s / cold_s, 3),
            "worker_peak_mib": peak,
            "noop_s": round(noop_s, 1),
            "noop_over_cold": round(noop_s / cold_s, 3),
            "cold_site_s": round(cold_site_s, 1),
            "preview_s": round(preview_s, 1),
            "preview_over_cold_site": round(preview_s / cold_site_s, 2),
            "cold_site_zensical_s": round(cold_zensical_s, 1),
            "zensical_over_mkdocs": round(cold_zensical_s / cold_site_s, 2),
            "preview_zensical_s": round(preview_zensical_s, 1),
            "preview_zensical_over_cold_site": round(preview_zensical_s / cold_site_s, 2),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=10, help="size of the generated "
                        "curriculum, in copies of the bundled one (default: 10)")
    parser.add_argument("--skip-large", action="store_true", help="only the bundled size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="askfirst-bench-") as tmp:
        ratio = validate_over_parse(Path(tmp))
    results = [bench(1)] if args.skip_large else [bench(1), bench(args.scale)]
    for result in results:
        print(json.dumps({**result, **ratio}))


if __name__ == "__main__":
    main()
