"""`askfirst serve`: rebuild when a lesson, template or setting changes, and reload the browser."""

from __future__ import annotations

import sys
from pathlib import Path

from askfirst.errors import AskFirstError, InvalidCurriculum
from askfirst.pipeline import SITE_DIR, BuildOptions, build
from askfirst.project import find_project


def serve(options: BuildOptions, host: str, port: int) -> None:
    """Build, then serve the site and rebuild on every change until interrupted."""
    from mkdocs.livereload import LiveReloadServer

    project = options.project or find_project()
    options.project = project

    def rebuild() -> None:
        try:
            build(options)
            print("askfirst: rebuilt", file=sys.stderr)
        except InvalidCurriculum as exc:
            for problem in exc.problems:
                print(problem.format(), file=sys.stderr)
            print("askfirst: not rebuilt; the last good build is still served", file=sys.stderr)
        except AskFirstError as exc:
            print(f"askfirst: error: {exc}; the last good build is still served",
                  file=sys.stderr)

    build(options)
    root = Path(options.out).resolve() / SITE_DIR
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(root))
    for watched in (project.config_path, project.lessons_dir, project.templates_dir,
                    project.mkdocs_path, project.root / "assets"):
        if watched.exists():
            server.watch(str(watched))
    print(f"askfirst: serving {server.url} — press Ctrl+C to stop", file=sys.stderr)
    try:
        server.serve()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
