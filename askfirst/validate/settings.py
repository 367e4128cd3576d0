"""Validate stage for the site's settings files: a project's `mkdocs.yml` and the words of
every language, `templates/words/<language>.yml` (or one `templates/strings.yml`). Checked like
lessons, with the line of each problem.

A school's `mkdocs.yml` is data, not code: `hooks:` would run Python during the build, and a
plugin other than `search` and `offline` would work in one site engine and be ignored in the
other (Zensical supports only those two), so both are errors.
"""

from __future__ import annotations

from typing import Any

from askfirst.errors import Problems, relative
from askfirst.load.curriculum import Curriculum
from askfirst.load.source import Document, load_yaml
from askfirst.render.environment import RULES_KEY, word_files

ENGINE_PLUGINS = ("search", "offline")


def check_settings(cur: Curriculum, problems: Problems) -> None:
    """Add every problem of the project's `mkdocs.yml` and of every layer's words."""
    path = cur.project.mkdocs_path
    if path.is_file():
        doc = _load(path, problems)
        if doc is not None:
            _check_mkdocs(doc, problems)
    for language, path in word_files(cur.layers):
        doc = _load(path, problems)
        if doc is None:
            continue
        if language is None:
            _check_strings(doc, problems)
        else:
            _check_words(doc, (), problems)


def _load(path: Any, problems: Problems) -> Document | None:
    doc, found = load_yaml(path, relative(path))
    problems.extend(found)
    return doc


def _check_mkdocs(doc: Document, problems: Problems) -> None:
    data = doc.data
    if not isinstance(data, dict):
        problems.add(doc.problem((), "expected a mapping of MkDocs settings, such as "
                                 "`theme:` and `markdown_extensions:`"))
        return
    if "hooks" in data:
        problems.add(doc.problem(("hooks",), "hooks run Python code during the build, which a "
                                 "curriculum project may not do; remove `hooks:` (change "
                                 "pages with templates instead)", key=True))
    for i, plugin in enumerate(_as_list(data.get("plugins"))):
        name = next(iter(plugin), None) if isinstance(plugin, dict) else plugin
        if name not in ENGINE_PLUGINS:
            problems.add(doc.problem(
                ("plugins", i), f"the plugin '{name}' is not allowed: only "
                f"{' and '.join(ENGINE_PLUGINS)} work in both site engines (MkDocs and "
                "Zensical); remove it"))
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, dict):
        problems.add(doc.problem(("theme",), "write the theme as a mapping, for example "
                                 "`theme:` then `  name: material` on the next line"))
    elif isinstance(theme, dict):
        if theme.get("name", "material") != "material":
            problems.add(doc.problem(("theme", "name"), "the site is built with the Material "
                                     "theme; write `name: material`"))
        palette = theme.get("palette")
        if palette is not None and not isinstance(palette, list | dict):
            problems.add(doc.problem(("theme", "palette"), "write the palette as a list of "
                                     "mappings, each with `scheme:` (default or slate)"))
        elif isinstance(palette, list):
            for i, entry in enumerate(palette):
                if not isinstance(entry, dict):
                    problems.add(doc.problem(("theme", "palette", i), "each palette entry "
                                             "must be a mapping with `scheme:`"))
    for key in ("extra_css", "markdown_extensions"):
        if key in data and not isinstance(data[key], list):
            problems.add(doc.problem((key,), f"write `{key}:` as a list (lines starting "
                                     "with '- ')"))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _check_strings(doc: Document, problems: Problems) -> None:
    if not isinstance(doc.data, dict):
        problems.add(doc.problem((), "expected a mapping of language codes (en:, es:), each "
                                 "a mapping of interface words"))
        return
    for language, words in doc.data.items():
        if not isinstance(words, dict):
            problems.add(doc.problem((language,), "expected a mapping of interface words, "
                                     "such as `home: Home`"))
            continue
        _check_words(doc, (language,), problems)


def _check_words(doc: Document, at: tuple[str, ...], problems: Problems) -> None:
    """One language's words: text for each key, and a mapping of spelling rules."""
    words = doc.data
    for part in at:
        words = words[part]
    if not isinstance(words, dict):
        problems.add(doc.problem(at, "expected a mapping of words, such as `home: Home`"))
        return
    for key, text in words.items():
        if key == RULES_KEY:
            if not isinstance(text, dict) or not all(isinstance(v, str) for v in text.values()):
                problems.add(doc.problem((*at, key), "expected a mapping of text to replace, "
                                         "such as `\"a el \": \"al \"`"))
        elif not isinstance(text, str):
            problems.add(doc.problem((*at, key), "expected text; put it in quotes"))
