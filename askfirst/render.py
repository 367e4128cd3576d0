"""Render stage: one Jinja environment turns the curriculum into site pages and print HTML.

Templates hold layout; everything they show is prepared here. The environment is sandboxed
with strict undefined variables, autoescapes everything, and searches the project's own
`templates/` before the built-in ones; `askfirst/...` always names a built-in template, so an
override can extend the template it replaces.
"""

from __future__ import annotations

import posixpath
import traceback
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    pass_context,
)
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from askfirst.errors import AskFirstError, relative
from askfirst.localize import config_values
from askfirst.project import Project, bundled_root
from askfirst.source import load_yaml
from askfirst.text import escape, inline, plain, prose

BUILTIN_PREFIX = "askfirst"


def template_dirs(layers: list[Project]) -> list[Path]:
    """The template folders searched, first match wins: the project's, those of the curricula
    it extends, then the built-in ones."""
    builtin = (bundled_root() / "templates").resolve()
    dirs = [layer.templates_dir for layer in reversed(layers)
            if layer.templates_dir.is_dir() and layer.templates_dir.resolve() != builtin]
    return [*dirs, builtin]


def ui_strings(layers: list[Project]) -> dict[str, dict[str, str]]:
    """Interface words by language, the project's `strings.yml` over the built-in one (read
    anew each time, so that `serve` sees edits; validation reports a malformed file)."""
    merged: dict[str, dict[str, str]] = {}
    for path in reversed([d / "strings.yml" for d in template_dirs(layers)]):
        if not path.is_file():
            continue
        doc, problems = load_yaml(path, relative(path))
        data = doc.data if doc is not None else None
        if problems or not isinstance(data, dict):
            where = problems[0].format() if problems else f"{relative(path)}:1:1"
            raise AskFirstError(f"{where}: run `askfirst validate` for every problem")
        for language, words in data.items():
            if isinstance(words, dict):
                merged.setdefault(str(language), {}).update(
                    {str(k): str(v) for k, v in words.items()})
    return merged


def _values(ctx: Context, language: str | None) -> dict[str, str]:
    """Configuration values in the page's language, or in the language a part is written in."""
    if language is None:
        return dict(ctx["values"])
    return dict(config_values(ctx["config"], language))


class PageEnvironment(ImmutableSandboxedEnvironment):
    """The sandboxed environment, knowing whether its pages are Markdown (site pages, which
    MkDocs reads again) or HTML (print pages, which WeasyPrint reads)."""

    markdown: bool = False


def _markdown(ctx: Context) -> bool:
    return isinstance(ctx.environment, PageEnvironment) and ctx.environment.markdown


@pass_context
def _prose(ctx: Context, text: str, language: str | None = None) -> Markup:
    return prose(text, _values(ctx, language), _markdown(ctx))


@pass_context
def _inline(ctx: Context, text: str, language: str | None = None) -> Markup:
    return inline(text, _values(ctx, language), _markdown(ctx))


def _inert(value: Any) -> Any:
    """Every value a Markdown page prints, escaped for HTML and for Markdown alike; markup that
    a filter or macro made is already safe."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markup(escape(value, markdown=True))


@pass_context
def _plain(ctx: Context, text: str, language: str | None = None) -> str:
    return plain(text, _values(ctx, language))


@pass_context
def _t(ctx: Context, key: str, language: str | None = None) -> str:
    words = ctx["strings"]
    found = words.get(language or ctx["lang"], {}).get(key) or words.get("en", {}).get(key)
    if found is None:
        raise AskFirstError(f"templates/strings.yml: no interface text '{key}'")
    return str(found)


def _upper_first(text: str) -> str:
    """Capitalise the first letter only (Jinja's `capitalize` lowercases the rest)."""
    return text[:1].upper() + text[1:]


@pass_context
def _rel(ctx: Context, target: str) -> str:
    """A link from the page being rendered to another output path."""
    here = posixpath.dirname(ctx["page_path"])
    return posixpath.relpath(target, here or ".")


def make_environment(layers: list[Project], markdown: bool = False) -> PageEnvironment:
    """The Jinja environment of a build, with every filter registered here: for HTML pages,
    or with `markdown` for the site's Markdown pages, where every printed value is also made
    inert for Markdown."""
    builtin = bundled_root() / "templates"
    loaders: list[BaseLoader] = [FileSystemLoader(d) for d in template_dirs(layers)]
    loaders.append(PrefixLoader({BUILTIN_PREFIX: FileSystemLoader(builtin)}))
    env = PageEnvironment(
        loader=ChoiceLoader(loaders),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_inert if markdown else None,
    )
    env.markdown = markdown
    env.filters.update(prose=_prose, inline=_inline, plain=_plain, t=_t, rel=_rel,
                       upper_first=_upper_first)
    return env


def render(env: PageEnvironment, name: str, context: dict[str, Any]) -> str:
    """Render one template; a template mistake becomes an error naming the template."""
    try:
        return env.get_template(name).render(context)
    except AskFirstError:
        raise
    except TemplateError as exc:
        where = getattr(exc, "filename", None) or name
        line = getattr(exc, "lineno", None)
        at = f"{relative(Path(where))}:{line}:1" if line else where
        raise AskFirstError(f"{at}: template error: {exc.message or exc}") from None
    except Exception as exc:  # a template's expression failed: name the template and line
        at = _template_line(exc) or name
        raise AskFirstError(f"{at}: template error: {type(exc).__name__}: {exc}") from None


def _template_line(exc: BaseException) -> str | None:
    """Where in a template an error was raised (Jinja puts template lines in tracebacks)."""
    found = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = f"{relative(Path(filename))}:{line}:1"
    return found
