"""Library functions behind the CLI commands that are more than one call."""

from __future__ import annotations

from pathlib import Path

from askfirst.checking import check
from askfirst.curriculum import lesson_files
from askfirst.errors import AskFirstError, Problem, relative
from askfirst.project import find_project


def validate_paths(paths: list[Path]) -> tuple[list[Problem], int]:
    """Validate the project holding `paths` (or the working folder); problems of those paths."""
    for path in paths:
        if not path.exists():
            raise AskFirstError(f"{path}: no such file or folder")
    start = paths[0] if paths else Path.cwd()
    project = find_project(start if start.is_dir() else start.parent)
    in_project = {p.resolve() for p in lesson_files(project.lessons_dir)}
    lessons_dir = project.lessons_dir.resolve()
    extra = [p for p in _yaml_files(paths)
             if p.resolve() not in in_project and not p.resolve().is_relative_to(lessons_dir)]
    cur, problems = check(project, extra)
    if not paths:
        return problems.sorted(), cur.files_read
    wanted = {relative(p) for p in _yaml_files(paths)} | {relative(p) for p in paths}
    folders = [relative(p) + "/" for p in paths if p.is_dir()]
    mine = [p for p in problems.sorted()
            if p.path in wanted or any(p.path.startswith(f) for f in folders)]
    return mine, len(_yaml_files(paths))


def _yaml_files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yml", ".yaml")))
        else:
            found.append(path)
    return found


def changes_report(out: Path) -> list[str]:
    """Write the changes report (an HTML page and a PDF) into `out`; returns its text form."""
    from askfirst.build import pdf_tasks
    from askfirst.catalog import Catalog
    from askfirst.changes import compare, report_lines, upstream_of
    from askfirst.checking import checked
    from askfirst.pdf import render_all
    from askfirst.printing import PrintRenderer
    from askfirst.render import make_environment
    from askfirst.writer import Writer

    cur = checked(find_project())
    upstream = upstream_of(cur)
    if upstream is None:
        raise AskFirstError("this curriculum extends no other (no 'extends' in askfirst.yml); "
                            "there is nothing to compare")
    report = compare(cur, upstream)
    job = PrintRenderer(cur, make_environment(cur.layers), Catalog(cur.config.model.title),
                        cur.config.model.paper).changes(report)
    [(_, data, _)] = render_all(pdf_tasks(cur, [job]), 1)
    name = job.output.removeprefix("pdf/")
    with Writer(out) as writer:
        writer.write(name, data)
        writer.write("index.html", job.html)
    return [*report_lines(report), f"wrote {out / name} and {out / 'index.html'}"]
