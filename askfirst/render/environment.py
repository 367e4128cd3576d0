"""Render stage: one Jinja environment turns the curriculum into site pages and print HTML.

Templates hold layout; everything they show is prepared here. The environment is sandboxed
with strict undefined variables, autoescapes everything, and searches the project's own
`templates/` before the built-in ones; `askfirst/...` always names a built-in template, so an
override can extend the template it replaces.
"""

from __future__ import annotations

import hashlib
import posixpath
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    FileSystemBytecodeCache,
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
from askfirst.load.source import load_yaml
from askfirst.project import Project, bundled_root
from askfirst.render.text import escape, inline, plain, prose
from askfirst.resolve.pictures import icon_svg
from askfirst.resolve.placeholders import config_values

BUILTIN_PREFIX = "askfirst"


def template_dirs(layers: list[Project]) -> list[Path]:
    """The template folders searched, first match wins: the project's, those of the curricula
    it extends, then the built-in ones."""
    builtin = (bundled_root() / "templates").resolve()
    dirs = [layer.templates_dir for layer in reversed(layers)
            if layer.templates_dir.is_dir() and layer.templates_dir.resolve() != builtin]
    return [*dirs, builtin]


WORDS_DIR = "words"  # templates/words/<language>.yml: interface words and page copy
LEGACY_STRINGS = "strings.yml"  # every language in one file (schools' older overrides)
RULES_KEY = "contractions"  # a language's spelling rules after names are filled in


def word_files(layers: list[Project]) -> list[tuple[str | None, Path]]:
    """Every file of words, built-in first and the project's last, with its language (None for
    a file that holds several languages)."""
    found: list[tuple[str | None, Path]] = []
    for folder in reversed(template_dirs(layers)):
        if (folder / LEGACY_STRINGS).is_file():
            found.append((None, folder / LEGACY_STRINGS))
        found.extend((path.stem, path) for path in sorted((folder / WORDS_DIR).glob("*.yml")))
    return found


@dataclass(frozen=True)
class Words:
    """The words of every language: interface strings and page copy, and spelling rules."""

    strings: dict[str, dict[str, str]]
    rules: dict[str, dict[str, str]]


def load_words(layers: list[Project]) -> Words:
    """Every language's words, the project's over the built-in ones (read anew each time, so
    that `serve` sees edits; validation reports a malformed file)."""
    strings: dict[str, dict[str, str]] = {}
    rules: dict[str, dict[str, str]] = {}
    for language, path in word_files(layers):
        doc, problems = load_yaml(path, relative(path))
        data = doc.data if doc is not None else None
        if problems or not isinstance(data, dict):
            where = problems[0].format() if problems else f"{relative(path)}:1:1"
            raise AskFirstError(f"{where}: run `askfirst validate` for every problem")
        by_language = {language: data} if language else data
        for lang, words in by_language.items():
            if not isinstance(words, dict):
                continue
            for key, value in words.items():
                if key == RULES_KEY and isinstance(value, dict):
                    rules.setdefault(str(lang), {}).update(
                        {str(k): str(v) for k, v in value.items()})
                elif isinstance(value, str):
                    strings.setdefault(str(lang), {})[str(key)] = value
    return Words(strings, rules)


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


def _rules(ctx: Context, language: str | None) -> dict[str, str]:
    rules: dict[str, dict[str, str]] = ctx.get("language_rules") or {}
    return rules.get(language or ctx["lang"], {})


@pass_context
def _prose(ctx: Context, text: str, language: str | None = None) -> Markup:
    return prose(text, _values(ctx, language), _markdown(ctx), _rules(ctx, language))


@pass_context
def _inline(ctx: Context, text: str, language: str | None = None) -> Markup:
    return inline(text, _values(ctx, language), _markdown(ctx), _rules(ctx, language))


@pass_context
def _words(ctx: Context, key: str, language: str | None = None, **fill: Any) -> Markup:
    """A passage of page copy from the words files, as paragraphs, with configuration values
    and the page's own `{name}` values (given as arguments) filled in; a passage not yet
    written in the page's language is shown in English, marked as English."""
    lang = language or ctx["lang"]
    own = key in ctx["strings"].get(lang, {})
    text = _t(ctx, key, lang if own else "en")
    for name, value in fill.items():
        text = text.replace("{" + name + "}", str(value))
    html = _prose(ctx, text, lang if own else "en")
    return html if own else Markup(f'<div lang="en" dir="ltr">{html}</div>')


def _inert(value: Any) -> Any:
    """Every value a Markdown page prints, escaped for HTML and for Markdown alike; markup that
    a filter or macro made is already safe."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return Markup(escape(value, markdown=True))


@pass_context
def _plain(ctx: Context, text: str, language: str | None = None) -> str:
    return plain(text, _values(ctx, language), _rules(ctx, language))


@pass_context
def _t(ctx: Context, key: str, language: str | None = None) -> str:
    words = ctx["strings"]
    found = words.get(language or ctx["lang"], {}).get(key) or words.get("en", {}).get(key)
    if found is None:
        raise AskFirstError(f"templates/{WORDS_DIR}/en.yml: no words for '{key}'; add them")
    return str(found)


def _tel(phone: str) -> str:
    """A `tel:` address for a phone number as written ("1-800-422-4453" → "tel:18004224453")."""
    return "tel:" + "".join(c for c in phone if c.isdigit() or c == "+")


def _web(url: str) -> str | None:
    """A web address that may be a link: http or https only, anything else is not linked."""
    return url if url.startswith(("https://", "http://")) else None


def _upper_first(text: str) -> str:
    """Capitalise the first letter only (Jinja's `capitalize` lowercases the rest)."""
    return text[:1].upper() + text[1:]


@pass_context
def _rel(ctx: Context, target: str) -> str:
    """A link from the page being rendered to another output path."""
    here = posixpath.dirname(ctx["page_path"])
    return posixpath.relpath(target, here or ".")


def make_environment(layers: list[Project], markdown: bool = False,
                     cache: Path | None = None) -> PageEnvironment:
    """The Jinja environment of a build, with every filter registered here: for HTML pages,
    or with `markdown` for the site's Markdown pages, where every printed value is also made
    inert for Markdown. With `cache`, templates compiled by an earlier build are kept there
    (Jinja checks each against its source), in a folder of this kind of environment and of
    this file, which sets how templates compile."""
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
        bytecode_cache=_compiled(cache, markdown),
    )
    env.markdown = markdown
    env.filters.update(prose=_prose, inline=_inline, plain=_plain, t=_t, words=_words,
                       rel=_rel, upper_first=_upper_first, tel=_tel, web=_web, icon=icon_svg)
    return env


def _compiled(cache: Path | None, markdown: bool) -> FileSystemBytecodeCache | None:
    """Where compiled templates are kept; None (compile every time) without a cache folder
    or when it cannot be made (the output folder's own errors are the writer's to give)."""
    if cache is None:
        return None
    version = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    folder = cache / f"templates-{'markdown' if markdown else 'html'}-{version}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


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
