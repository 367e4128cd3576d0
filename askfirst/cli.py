"""The `askfirst` command. Each command parses its options, calls one library function, returns.

Errors that a user can cause are `AskFirstError`s; they are printed here as one line each (or as
`path:line:col:` problems) with exit code 1 or 2, never as a traceback.
"""

from __future__ import annotations

import argparse
import errno
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from askfirst import __version__
from askfirst.errors import (
    AskFirstError,
    InvalidCurriculum,
    Problem,
    Severity,
    UsageError,
    relative,
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see `{self.prog} --help`)")


def _print_problems(problems: list[Problem], stream: TextIO | None = None) -> None:
    out = stream or sys.stdout
    for problem in sorted(problems):
        print(problem.format(), file=out)


def _summary(problems: list[Problem], strict: bool) -> str:
    errors = sum(1 for p in problems if p.severity is Severity.ERROR or strict)
    warnings = len(problems) - errors
    files = len({p.path for p in problems})
    if not problems:
        return "no problems found"
    return f"{errors} error(s), {warnings} warning(s) in {files} file(s)"


def cmd_validate(args: argparse.Namespace) -> int:
    """Check lessons and curriculum data; print every problem as path:line:col.

    Example: askfirst validate --strict lessons/k-2/ask-first.yml
    """
    from askfirst.validate import validate_paths

    problems, checked = validate_paths([Path(p) for p in args.paths])
    shown = sorted(problems)
    _print_problems(shown)
    failing = [p for p in shown if args.strict or p.severity is Severity.ERROR]
    summary = _summary(shown, args.strict)
    print(f"{summary}; {checked} lesson file(s) checked")
    return 1 if failing else 0


def cmd_build(args: argparse.Namespace) -> int:
    """Build the website and the PDFs into the output folder (./build by default).

    Example: askfirst build --band k-2 --paper a4
    """
    from askfirst.pipeline import BuildOptions, build

    options = BuildOptions(out=Path(args.out), only=args.only, band=args.band,
                           paper=args.paper, strict=args.strict, quiet=args.quiet,
                           zip=args.zip, engine=args.engine,
                           ready=Path(args.pdfs_ready_in) if args.pdfs_ready_in else None)
    result = build(options)
    if not args.quiet:
        for line in result.report():
            print(line)
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    """Show which framework topics each band's lessons cover and which they miss.

    Example: askfirst coverage --band grades-6-8 --format json
    """
    import json

    from askfirst.project import find_project
    from askfirst.validate import check
    from askfirst.validate.coverage import coverage, coverage_json, coverage_text

    cur, _ = check(find_project())
    if args.band and cur.band(args.band) is None:
        known = ", ".join(b.id for b in cur.ordered_bands)
        raise UsageError(f"--band {args.band}: no such band; use one of: {known}")
    results = coverage(cur, args.band)
    if args.format == "json":
        print(json.dumps(coverage_json(results), indent=2))
    else:
        print("\n".join(coverage_text(results)))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Write a new lesson that validates and says what to fill in.

    Example: askfirst new lesson --band k-2 --id sharing-and-turns
    """
    from askfirst.project import find_project
    from askfirst.scaffold import new_lesson

    path = new_lesson(find_project(), args.band, args.id)
    print(f"wrote {path}; replace every 'FILL IN:' text, then run `askfirst validate --strict`")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the site on this computer; on every change to a lesson, template or setting, make
    the touched pages again and reload the browser, and the PDFs in the background.

    Example: askfirst serve --port 8000
    """
    from askfirst.pipeline import BuildOptions
    from askfirst.serve import serve

    options = BuildOptions(out=Path(args.out), band=args.band, quiet=True)
    try:
        serve(options, args.host, args.port, pdfs=not args.no_pdf)
    except Terminated:  # kill: the server said it stopped
        return 143
    except KeyboardInterrupt:  # Ctrl+C
        return 130
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    """Create a school project that extends Ask First and builds as it is.

    Example: askfirst init riverside-school --name "Riverside School"
    """
    from askfirst.scaffold import QUESTIONS, ask_all, init_project

    given = {q.key: getattr(args, q.key) for q in QUESTIONS}
    # On a terminal, ask what the flags did not say; in CI (no terminal), use the defaults.
    interactive = sys.stdin.isatty() and not args.no_input
    answers = ask_all(given, input if interactive else None)
    written = init_project(Path(args.dir), args.name, answers)
    print(f"created {len(written)} files in {args.dir}; check askfirst.yml (law, contacts, "
          "the letter to families), then run `askfirst build` there")
    return 0


def cmd_changes(args: argparse.Namespace) -> int:
    """Report what this curriculum changes from the one it extends, as text, a page and a PDF.

    Example: askfirst changes --out changes
    """
    from askfirst.pipeline import changes

    for line in changes(Path(args.out)):
        print(line)
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    """List where each lesson stands with the school's reviewers, or record a review.

    `askfirst review` lists every published lesson as approved, stale (changed since it was
    approved, with the fields that changed), changes requested, or not reviewed;
    `--require-approved` exits 1 unless every lesson is approved (for a school's CI).
    `askfirst review approve` records a review in reviews/, with the fingerprint of each lesson
    as this school teaches it.

    Example: askfirst review approve --lesson yes-no-maybe --reviewer "A. Rivera"
             --role "school counselor"
    """
    import datetime as dt
    import json

    from askfirst.project import find_project
    from askfirst.review import approve, status, status_json, status_lines
    from askfirst.validate import checked

    cur = checked(find_project())
    if args.action == "approve":
        try:
            date = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
        except ValueError:
            raise UsageError(f"--date {args.date}: write the date as YYYY-MM-DD") from None
        if not args.reviewer or not args.role:
            raise UsageError("give the reviewer's --reviewer NAME and --role ROLE")
        written = approve(cur, args.lesson or [], args.band or [], args.reviewer, args.role,
                          args.committee, date, args.decision, args.notes)
        print(f"wrote {relative(written)}")
        return 0
    if args.format == "json":
        print(json.dumps(status_json(cur), indent=2, ensure_ascii=False))
    else:
        print("\n".join(status_lines(cur)))
    if args.require_approved and any(row.state != "approved" for row in status(cur)):
        return 1
    return 0


def _commands() -> dict[str, tuple[Callable[[argparse.Namespace], int],
                                   Callable[[argparse.ArgumentParser], None]]]:
    def validate_opts(p: argparse.ArgumentParser) -> None:
        p.add_argument("paths", nargs="*", metavar="PATH",
                       help="lesson files or folders (default: the whole project)")
        p.add_argument("--strict", action="store_true", help="treat warnings as errors")

    def build_opts(p: argparse.ArgumentParser) -> None:
        p.add_argument("--out", default="build", help="output folder (default: build)")
        p.add_argument("--only", choices=["site", "pdf"], help="build only the site or the PDFs")
        p.add_argument("--band", help="build only this band's lessons and packets")
        p.add_argument("--paper", choices=["letter", "a4"], help="paper size of the PDFs")
        p.add_argument("--engine", choices=["mkdocs", "zensical"],
                       help="what builds the website (default: `site_engine` in askfirst.yml, "
                       "else mkdocs)")
        p.add_argument("--strict", action="store_true", help="treat warnings as errors")
        p.add_argument("--quiet", action="store_true", help="print nothing but errors")
        p.add_argument("--zip", action="store_true",
                       help="also write one archive of the site and all PDFs")
        # For `askfirst serve`: each PDF is copied there as soon as it is made.
        p.add_argument("--pdfs-ready-in", help=argparse.SUPPRESS)

    def coverage_opts(p: argparse.ArgumentParser) -> None:
        p.add_argument("--band", help="show only this band")
        p.add_argument("--format", choices=["text", "json"], default="text",
                       help="output format (default: text)")

    def new_opts(p: argparse.ArgumentParser) -> None:
        p.add_argument("kind", choices=["lesson"], help="what to create")
        p.add_argument("--band", required=True, help="the band's id, e.g. k-2")
        p.add_argument("--id", required=True, help="the lesson's id, e.g. sharing-and-turns")

    def serve_opts(p: argparse.ArgumentParser) -> None:
        p.add_argument("--out", default="build", help="output folder (default: build)")
        p.add_argument("--band", help="build only this band")
        p.add_argument("--no-pdf", action="store_true",
                       help="serve the site alone; make no PDFs in the background")
        p.add_argument("--host", default="127.0.0.1", help="address (default: 127.0.0.1)")
        p.add_argument("--port", type=int, default=8000, help="port (default: 8000)")

    def init_opts(p: argparse.ArgumentParser) -> None:
        from askfirst.scaffold import QUESTIONS

        p.add_argument("dir", help="the new project's folder")
        p.add_argument("--name", help="the school's name (default: from the folder name)")
        for question in QUESTIONS:
            p.add_argument(f"--{question.key.replace('_', '-')}", dest=question.key,
                           metavar="TEXT", help=f"{question.prompt} (asked when not given)")
        p.add_argument("--no-input", action="store_true",
                       help="ask nothing: use the flags given and the defaults")

    def review_opts(p: argparse.ArgumentParser) -> None:
        p.add_argument("action", nargs="?", choices=["approve"],
                       help="approve: record a review (default: list every lesson's status)")
        p.add_argument("--format", choices=["text", "json"], default="text",
                       help="output format of the list (default: text)")
        p.add_argument("--require-approved", action="store_true",
                       help="exit 1 unless every published lesson is approved")
        p.add_argument("--lesson", action="append", metavar="ID", help="a lesson reviewed "
                       "(repeat for more)")
        p.add_argument("--band", action="append", metavar="ID", help="every lesson of a band")
        p.add_argument("--reviewer", help="the reviewer's name")
        p.add_argument("--role", help="the reviewer's role, e.g. 'school counselor'")
        p.add_argument("--committee", help="the committee that decided, e.g. 'Health "
                       "committee'")
        p.add_argument("--decision", choices=["approved", "changes requested"],
                       default="approved", help="the decision (default: approved)")
        p.add_argument("--date", help="the review's date, YYYY-MM-DD (default: today)")
        p.add_argument("--notes", help="what the review found or asked for")

    def changes_opts(p: argparse.ArgumentParser) -> None:
        p.add_argument("--out", default="changes", help="output folder (default: changes)")

    return {"validate": (cmd_validate, validate_opts), "build": (cmd_build, build_opts),
            "init": (cmd_init, init_opts), "changes": (cmd_changes, changes_opts),
            "coverage": (cmd_coverage, coverage_opts), "new": (cmd_new, new_opts),
            "serve": (cmd_serve, serve_opts), "review": (cmd_review, review_opts)}


def make_parser() -> argparse.ArgumentParser:
    """The argument parser, one subcommand per command."""
    parser = _Parser(prog="askfirst", description="Publish the Ask First curriculum: "
                     "a website for families and teachers, and printable teacher packets.")
    parser.add_argument("--version", action="version", version=f"askfirst {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, (func, add_options) in _commands().items():
        doc = (func.__doc__ or "").strip()
        command = sub.add_parser(name, help=doc.splitlines()[0], description=doc,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
        add_options(command)
        command.set_defaults(func=func)
    return parser


class Terminated(KeyboardInterrupt):
    """`kill` (SIGTERM): stopped as Ctrl+C stops, cleaning up as it goes; exit code 143."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    in_main = threading.current_thread() is threading.main_thread()
    before = signal.signal(signal.SIGTERM, _terminate) if in_main else None
    try:
        args = make_parser().parse_args(argv)
        code: int = args.func(args)
        return code
    except InvalidCurriculum as exc:
        _print_problems(exc.problems, sys.stderr)
        print(f"askfirst: stopped: {_summary(exc.problems, True)}; nothing was written",
              file=sys.stderr)
        return exc.exit_code
    except AskFirstError as exc:
        print(f"askfirst: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        print(f"askfirst: error: {_os_error(exc)}", file=sys.stderr)
        return 1
    except Terminated:
        print("askfirst: stopped; nothing was written", file=sys.stderr)
        return 143
    except KeyboardInterrupt:
        print("askfirst: interrupted; nothing was written", file=sys.stderr)
        return 130
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, before)


def _os_error(exc: OSError) -> str:
    """What the machine refused, in one line: the file, the reason, what to do."""
    where = f"{relative(Path(exc.filename))}: " if exc.filename else ""
    reason = exc.strerror or str(exc)
    hints = {errno.ENOSPC: "free some disk space and build again",
             errno.EACCES: "choose a folder you may write to (--out) or change its permissions",
             errno.EPERM: "choose a folder you may write to (--out) or change its permissions",
             errno.EROFS: "the disk is read-only; choose another folder with --out"}
    hint = hints.get(exc.errno or 0, "check the file and the disk, then try again")
    return f"{where}{reason}; {hint}"
