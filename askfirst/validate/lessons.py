"""Validate stage: cross-file checks, policy, configuration references and reading level.

Schema problems are found while loading; this stage adds what needs the whole curriculum.
Every check adds problems and goes on, so one run reports everything.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from itertools import accumulate
from pathlib import Path
from typing import Any

from askfirst.errors import Problems, Severity
from askfirst.load.curriculum import Curriculum, Sourced
from askfirst.load.source import FieldPath
from askfirst.models import Lesson
from askfirst.models.base import FILL_IN
from askfirst.resolve.pictures import icon_path
from askfirst.resolve.placeholders import PLACEHOLDER, TEMPLATE_SYNTAX, config_values, unknown_names
from askfirst.validate.kept import CheckedLessons
from askfirst.validate.readability import (
    ReadingLevels,
    has_formula,
    student_text,
    translated_student_text,
)

# A US-style phone number, or a sentence that states an age of consent: both belong in
# configuration, where a school sets them for its place.
PHONE = re.compile(r"(?<!\d)(\+?1[-. ]?)?\(?\d{3}\)?[-. ]\d{3}[-. ]\d{4}(?!\d)|\b(911|988)\b")
STATED_AGE = re.compile(r"\b(age of consent|edad de consentimiento)\b[^.{}]{0,40}?\b\d{2}\b",
                        re.IGNORECASE)
# Every match of PHONE holds three digits in a row, and of STATED_AGE two: searching for those
# first is much quicker than the full patterns in text without them.
THREE_DIGITS = re.compile(r"\d\d\d")
TWO_DIGITS = re.compile(r"\d\d")
SUSPECT = re.compile(r"[{<\[]|\d\d")
CLOSER_LOOK = re.compile(r"[{<\[\d]")  # in every text SUSPECT finds, and cheaper to look for
HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!][A-Za-z0-9-]*(?=[\s/>])[^>]*>")
# Markdown that lesson text may not use: it is printed as the characters written. Each with a
# character that every match holds, so that text without it is not searched.
MARKDOWN = (
    (re.compile(r"!\[[^\]\n]*\]\s*(\((?:[^()\n]|\([^()\n]*\))*\)?|\[[^\]\n]*\]?)"), "an image",
     "["),
    (re.compile(r"\[[^\]\n]*\]\s*(\((?:[^()\n]|\([^()\n]*\))*\)?|\[[^\]\n]*\]?)"), "a link",
     "["),
    (re.compile(r"(?m)^\s*\[[^\]\n]+\]:[ \t]*\S[^\n]*"), "a link definition", "["),
    (re.compile(r"<[A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*>"), "an autolink", "<"),
    (re.compile(r"(?<!\{)\{(?![{%#])[^{}\n]*\}(?!\})"), "an attribute list", "{"),
)
TRANSLATED_FIELDS = ("learned", "why", "starters", "activity", "help")


def text_fields(data: Any, root: FieldPath = ()) -> Iterator[tuple[FieldPath, str]]:
    """Every piece of text in a file's data, with its field path (walked without recursion)."""
    stack: list[tuple[FieldPath, Any]] = [(root, data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            stack.extend(((*path, key), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend(((*path, i), item) for i, item in enumerate(value))


def suspect_text(data: Any, skip: tuple[str, ...] = ()) -> Iterator[tuple[FieldPath, str]]:
    """The pieces of text in a file's data that SUSPECT finds or that start with FILL_IN, with
    their field paths, leaving out the top-level fields in `skip`. One search over all the text
    finds them: searching each piece, most of which is plain prose, took most of the time."""
    if isinstance(data, str):
        if SUSPECT.search(data) or data.startswith(FILL_IN):
            yield (), data
        return
    texts: list[str] = []
    parents: list[FieldPath] = []  # the path of the mapping or list each piece is in
    keys: list[Any] = []  # and its key or index there
    if isinstance(data, dict) and skip:
        data = {key: value for key, value in data.items() if key not in skip}
    stack: list[tuple[FieldPath, Any]] = [((), data)] if isinstance(data, dict | list) else []
    while stack:
        path, value = stack.pop()
        for key, item in value.items() if isinstance(value, dict) else enumerate(value):
            if isinstance(item, str):
                texts.append(item)
                parents.append(path)
                keys.append(key)
            elif isinstance(item, dict | list):
                stack.append(((*path, key), item))
    joined = "\n".join(texts)  # no match of SUSPECT or CLOSER_LOOK spans a line break
    starts = list(accumulate((len(text) + 1 for text in texts), initial=0))
    found: set[int] = set()
    at = 0
    while match := CLOSER_LOOK.search(joined, at):
        i = bisect_right(starts, match.start()) - 1
        if SUSPECT.search(texts[i]):
            found.add(i)
        at = starts[i + 1]  # on to the next piece
    if FILL_IN in joined:
        found.update(i for i, text in enumerate(texts) if text.startswith(FILL_IN))
    for i in sorted(found):
        yield (*parents[i], keys[i]), texts[i]


def validate(cur: Curriculum, problems: Problems, levels: ReadingLevels | None = None,
             kept: CheckedLessons | None = None) -> None:
    """Add every cross-file, policy and reading-level problem of the curriculum (reading
    levels measured before are taken from `levels`, lessons checked before from `kept`)."""
    levels = levels or ReadingLevels()
    kept = kept or CheckedLessons(None, "")
    values = config_values(cur.config.model, cur.config.model.languages[0])
    _check_bands(cur, problems)
    _check_topics(cur, problems)
    seen: dict[str, Sourced[Lesson]] = {}
    for item in cur.lessons:
        lesson = item.model
        first = seen.setdefault(lesson.id, item)
        if first is not item:
            problems.add(item.problem(("id",), f"the id '{lesson.id}' is already used by "
                                      f"{first.doc.shown}; give this lesson another id"))
        key, found = kept.problems(item)
        if found is None:
            mine = Problems()
            _check_lesson(cur, item, mine, values)
            kept.keep(key, mine.items)
            found = mine.items
        problems.extend(found)
        _check_reading_level(cur, item, problems, levels)
    _check_guides(cur, problems, values)
    _check_config_text(cur, problems)
    _check_inherited_contacts(cur, problems)
    _check_reviews(cur, problems)
    _check_files(cur, problems)


def _check_reviews(cur: Curriculum, problems: Problems) -> None:
    """Every lesson a review names is a lesson of this curriculum."""
    known = {item.model.id for item in cur.lessons}
    for record in cur.reviews:
        for i, reviewed in enumerate(record.model.lessons):
            if reviewed.id not in known:
                problems.add(record.problem(
                    ("lessons", i, "id"), f"no lesson '{reviewed.id}' in this curriculum: it was "
                    "renamed or removed; remove it from this review or review the new lesson"))


def _check_bands(cur: Curriculum, problems: Problems) -> None:
    for i, band_id in enumerate(cur.config.model.bands or []):
        if cur.band(band_id) is None:
            problems.add(cur.config.problem(("bands", i), _no_band(cur, band_id)))
    ids: set[str] = set()
    for item in cur.bands:
        if item.model.id in ids:
            problems.add(item.problem(("id",), f"the band id '{item.model.id}' appears twice"))
        ids.add(item.model.id)
        for framework_id, level in item.model.frameworks.items():
            framework = next((f.model for f in cur.frameworks if f.model.id == framework_id), None)
            if framework is None:
                problems.add(item.problem(("frameworks", framework_id),
                                          f"no framework '{framework_id}' in lessons/frameworks/"))
            elif level not in framework.levels:
                problems.add(item.problem(
                    ("frameworks", framework_id),
                    f"'{level}' is not a level of {framework_id}; use one of: "
                    + ", ".join(framework.levels)))


def _check_topics(cur: Curriculum, problems: Problems) -> None:
    ids: set[str] = set()
    for item in cur.topics:
        if item.model.id in ids:
            problems.add(item.problem(("id",), f"the topic id '{item.model.id}' appears twice"))
        ids.add(item.model.id)
        if cur.band(item.model.youngest_band) is None:
            problems.add(item.problem(("youngest_band",), _no_band(cur, item.model.youngest_band)))


def _no_band(cur: Curriculum, band_id: str) -> str:
    known = ", ".join(b.model.id for b in cur.bands)
    return f"no band '{band_id}' in lessons/bands.yml; use one of: {known}"


def _check_lesson(cur: Curriculum, item: Sourced[Lesson], problems: Problems,
                  values: dict[str, str]) -> None:
    """The checks of one lesson against itself and what every lesson shares (kept between
    builds, see CheckedLessons): nothing here may read another lesson."""
    lesson = item.model
    if Path(item.doc.path).stem != lesson.id:
        problems.add(item.problem(("id",), f"the file is named '{Path(item.doc.path).name}' "
                                  f"but the id is '{lesson.id}'; rename one to match",
                                  severity=Severity.WARNING))
    band = cur.band(lesson.band)
    if band is None:
        problems.add(item.problem(("band",), _no_band(cur, lesson.band)))
    total = sum(step.minutes for step in lesson.steps if not step.optional)
    if total != lesson.minutes:
        problems.add(item.problem(("minutes",), f"the steps add up to {total} minutes, not "
                                  f"{lesson.minutes}; change a step's minutes or the lesson's"))
    _check_step_uses(item, problems)
    _check_pictures(item, problems)
    if lesson.review.status == "reviewed" and not lesson.review.reviewed_by:
        problems.add(item.problem(("review", "reviewed_by"), "a reviewed lesson must name its "
                                  "reviewer; otherwise keep the status 'draft'"))
    if not lesson.scenarios:
        problems.add(item.problem(("scenarios",), "no scenarios; add at least one story told "
                                  "one step removed", severity=Severity.WARNING))
    _check_alignment(cur, item, problems)
    _check_lesson_topics(cur, item, problems)
    translated = frozenset(language for language in cur.config.model.languages[1:]
                           if language in lesson.translations)
    _check_prose(cur, item, problems, values, translated)
    _check_translations(cur, item, problems)


def _check_reading_level(cur: Curriculum, item: Sourced[Lesson], problems: Problems,
                         levels: ReadingLevels) -> None:
    """The lesson's student-facing text, in each language, against its band's target."""
    lesson = item.model
    band = cur.band(lesson.band)
    if band is not None:
        level = levels.measure(student_text(lesson), cur.config.model.languages[0])
        if level.grade > band.reading_grade:
            problems.add(item.problem(
                ("handouts",), f"student-facing text reads at grade {level.grade} "
                f"({level.formula}), above this band's target of {band.reading_grade}; use "
                "shorter sentences and words", severity=Severity.WARNING))
        for language in sorted(filter(has_formula, lesson.translations)):
            text = translated_student_text(lesson, language)
            local = levels.measure(text, language) if text else None
            if local is not None and local.grade > band.reading_grade:
                problems.add(item.problem(
                    ("translations", language), f"student-facing text in '{language}' (its "
                    f"screens and handouts) reads at grade {local.grade} ({local.formula}), "
                    f"above this band's target of {band.reading_grade}; use shorter sentences "
                    "and words", severity=Severity.WARNING))


def _check_pictures(item: Sourced[Lesson], problems: Problems) -> None:
    """Every picture a lesson names is an icon the installed icon sets have."""
    lesson = item.model
    named: list[tuple[tuple[str | int, ...], str]] = []
    for i, step in enumerate(lesson.steps):
        for j, slide in enumerate(step.screen or []):
            if slide.icon:
                named.append((("steps", i, "screen", j, "icon"), slide.icon))
    for language, translation in lesson.translations.items():
        for title, screen in translation.screen.items():
            for j, slide in enumerate(screen):
                if slide.icon:
                    named.append((("translations", language, "screen", title, j, "icon"),
                                  slide.icon))
    for i, handout in enumerate(lesson.handouts):
        for j, handout_item in enumerate(handout.items):
            if handout_item.icon:
                named.append((("handouts", i, "items", j, "icon"), handout_item.icon))
    for path, name in named:
        if icon_path(name) is None:
            problems.add(item.problem(path, f"no picture '{name}': name an icon of Material for "
                                      "MkDocs' sets, such as material/hand-wave or "
                                      "material/stop-circle"))


def _check_step_uses(item: Sourced[Lesson], problems: Problems) -> None:
    """Every handout, scenario and question a step names exists; every scenario and question
    is used by a step or marked optional; card sheets hold cards only."""
    lesson = item.model
    handouts = {h.id for h in lesson.handouts}
    scenarios = {s.title for s in lesson.scenarios}
    used_scenarios: set[str] = set()
    used_questions: set[int] = set()
    for i, step in enumerate(lesson.steps):
        for j, handout_id in enumerate(step.handouts):
            if handout_id not in handouts:
                problems.add(item.problem(
                    ("steps", i, "handouts", j), f"no handout '{handout_id}' in this lesson; "
                    "use one of: " + ", ".join(sorted(handouts))))
        for j, title in enumerate(step.scenarios):
            used_scenarios.add(title)
            if title not in scenarios:
                known = "; ".join(sorted(scenarios)) or "(none)"
                problems.add(item.problem(("steps", i, "scenarios", j), f"no scenario titled "
                                          f"'{title}' in this lesson; use one of: {known}"))
        for j, number in enumerate(step.discussion):
            used_questions.add(number)
            if not 1 <= number <= len(lesson.discussion):
                problems.add(item.problem(
                    ("steps", i, "discussion", j), f"there is no discussion question {number}; "
                    f"number them from 1 to {len(lesson.discussion)}"))
        if step.key_line and _flat(step.key_line) not in _flat(step.say or ""):
            problems.add(item.problem(
                ("steps", i, "key_line"), "the key line is not in the step's `say`; copy the "
                "line word for word from what the teacher says"))
    for i, scenario in enumerate(lesson.scenarios):
        if scenario.title not in used_scenarios and not scenario.optional:
            problems.add(item.problem(
                ("scenarios", i), f"no step uses the scenario '{scenario.title}'; name it in a "
                "step's `scenarios` or mark it `optional: true`", severity=Severity.WARNING))
    for i, question in enumerate(lesson.discussion):
        if i + 1 not in used_questions and not question.optional:
            problems.add(item.problem(
                ("discussion", i), f"no step uses discussion question {i + 1}; name it in a "
                "step's `discussion` or mark it `optional: true`", severity=Severity.WARNING))
    named = {h for step in lesson.steps for h in step.handouts}
    for i, handout in enumerate(lesson.handouts):
        if handout.id not in named:
            problems.add(item.problem(
                ("handouts", i), f"no step uses the handout '{handout.id}'; name it in the "
                "`handouts` of the step where students use it", severity=Severity.WARNING))
        if handout.layout != "cards":
            continue
        for j, card in enumerate(handout.items):
            if card.section:
                problems.add(item.problem(
                    ("handouts", i, "items", j, "section"), "a card sheet has no sections; "
                    "make a second card sheet, or use `layout: sheet`"))
            if card.lines or card.draw or card.choices:
                problems.add(item.problem(
                    ("handouts", i, "items", j), "a card has no writing lines, drawing box or "
                    "choices; use `layout: sheet` for a page to fill in"))


def _flat(text: str) -> str:
    """Text compared as read: spacing, line breaks and the kind of quotation marks ignored."""
    return " ".join(re.sub(r"[“”„«»]", '"', re.sub(r"[‘’]", "'", text)).split())


def _check_alignment(cur: Curriculum, item: Sourced[Lesson], problems: Problems) -> None:
    band = cur.band(item.model.band)
    frameworks = {f.model.id: f.model for f in cur.frameworks}
    for i, code in enumerate(item.model.alignment):
        framework_id, _, local = code.partition(":")
        framework = frameworks.get(framework_id)
        if not local or framework is None:
            known = ", ".join(sorted(frameworks))
            problems.add(item.problem(("alignment", i), f"'{code}' must be written as "
                                      f"framework:code, with a framework among: {known}"))
            continue
        entry = next((e for e in framework.entries if e.code == local), None)
        if entry is None:
            problems.add(item.problem(("alignment", i), f"'{local}' is not a code of "
                                      f"{framework_id} (lessons/frameworks/{framework_id}.yml); "
                                      "align only to codes listed there"))
        elif not entry.verified:
            problems.add(item.problem(("alignment", i), f"'{code}' is marked unverified; "
                                      "align only to verified codes"))
        elif band and entry.levels and band.frameworks.get(framework_id) not in entry.levels:
            problems.add(item.problem(
                ("alignment", i), f"'{code}' is for level {', '.join(entry.levels)}, but band "
                f"'{band.id}' maps to {framework_id} level "
                f"{band.frameworks.get(framework_id, '(none)')}"))


def _check_lesson_topics(cur: Curriculum, item: Sourced[Lesson], problems: Problems) -> None:
    topics = {t.model.id: t.model for t in cur.topics}
    band = cur.band(item.model.band)
    for i, topic_id in enumerate(item.model.topics):
        topic = topics.get(topic_id)
        if topic is None:
            problems.add(item.problem(("topics", i), f"no topic '{topic_id}' in "
                                      "lessons/topics.yml; add it there or pick a listed one"))
            continue
        youngest = cur.band(topic.youngest_band)
        if band and youngest and band.order < youngest.order:
            problems.add(item.problem(
                ("topics", i), f"'{topic_id}' may be taught from band '{youngest.id}' on "
                f"(lessons/topics.yml), not in '{band.id}'"))


def _check_prose(cur: Curriculum, item: Sourced[Any], problems: Problems,
                 values: dict[str, str], languages: frozenset[str] = frozenset()) -> None:
    """The checks of a file's text, in one walk: placeholders, HTML, Markdown, phone numbers,
    stated ages, text not filled in; and, in its translations into `languages`, contacts that
    answer in the language. `values` are the configuration values text may name."""
    data = item.doc.data
    for part in item.at:
        data = data[part]
    # Most text has no braces, tags or numbers: it needs none of the checks below.
    for path, text in suspect_text(data, skip=("id", "alignment", "band", "topics")):
        if text.startswith(FILL_IN):
            problems.add(item.problem(path, "not filled in yet: replace this text",
                                      severity=Severity.WARNING))
            if not SUSPECT.search(text):
                continue
        if path[:1] == ("translations",) and path[1] in languages:
            _check_contact_languages(cur, item, path, text, problems)
        if "<" in text and HTML_TAG.search(text):
            problems.add(item.problem(path, "HTML is not allowed in lesson text; write plain "
                                      "text (**bold**, *italic* and '- ' lists are allowed)"))
        markdown = _markdown_syntax(text)
        if markdown:
            problems.add(item.problem(
                path, f"this looks like Markdown ({markdown}); it is printed as text, as "
                "written (only **bold**, *italic*, paragraphs and '- ' lists are formatted)",
                severity=Severity.WARNING))
        for name in unknown_names(text, values):
            problems.add(item.problem(path, f"'{{{{ {name} }}}}' is not a configuration value; "
                                      "use one such as {{ contacts.counsellor.name }} or "
                                      "{{ jurisdiction.age_of_consent }}"))
        if TEMPLATE_SYNTAX.search(text):
            problems.add(item.problem(path, "only {{ name }} placeholders are allowed in lesson "
                                      "text; remove '{%' or '{#'"))
        if THREE_DIGITS.search(text) and PHONE.search(text):
            problems.add(item.problem(path, "a phone number is written into the lesson; name a "
                                      "configured contact instead, such as "
                                      "{{ contacts.child-abuse-line }}"))
        if TWO_DIGITS.search(text) and STATED_AGE.search(text):
            problems.add(item.problem(path, "the lesson states an age of consent; use "
                                      "{{ jurisdiction.age_of_consent }} so each school's law "
                                      "is shown"))


def _markdown_syntax(text: str) -> str:
    """What Markdown syntax a text holds, as `a link '[x](y)'; …`, or an empty string."""
    found: list[tuple[str, str]] = []
    for pattern, what, needed in MARKDOWN:
        match = pattern.search(text) if needed in text else None
        if match and not any(match.group(0).strip() in seen for seen, _ in found):
            found.append((match.group(0).strip(), what))
    return "; ".join(f"{what} '{snippet}'" for snippet, what in found)


def _check_translations(cur: Curriculum, item: Sourced[Lesson], problems: Problems) -> None:
    for language in cur.config.model.languages[1:]:
        translation = item.model.translations.get(language)
        if translation is None:
            problems.add(item.problem(("translations",), f"no '{language}' translation of the "
                                      "family guide; the English text is shown instead",
                                      severity=Severity.WARNING))
            continue
        missing = [name for name in TRANSLATED_FIELDS
                   if getattr(translation.family_guide, name) is None]
        if missing:
            problems.add(item.problem(
                ("translations", language, "family_guide"),
                f"untranslated into '{language}': {', '.join(missing)}; English is shown",
                severity=Severity.WARNING))
        _check_handout_translations(item, language, problems)
        _check_deck_translations(item, language, problems)
        _check_screen_translations(item, language, problems)


def _check_screen_translations(item: Sourced[Lesson], language: str,
                               problems: Problems) -> None:
    """A translated screen belongs to a step of the lesson, named by its title."""
    titles = [step.title for step in item.model.steps]
    for title in item.model.translations[language].screen:
        if title not in titles:
            problems.add(item.problem(
                ("translations", language, "screen", title),
                f"no step '{title}'; name a step by its title as written in English: "
                + ", ".join(f"'{t}'" for t in titles)))


def _check_contact_languages(cur: Curriculum, item: Sourced[Any], path: FieldPath, text: str,
                             problems: Problems) -> None:
    """Text in a language (at translations.<language>) names only contacts that answer in it."""
    config = cur.config.model
    language = path[1]
    for match in PLACEHOLDER.finditer(text):
        name = match.group(1)
        if not name.startswith("contacts."):
            continue
        key = name.split(".")[1]
        contact = config.contacts.get(key)
        if contact and contact.languages is not None and language not in contact.languages:
            problems.add(item.problem(
                path, f"'{{{{ {name} }}}}' answers only in {', '.join(contact.languages)}, "
                f"not in '{language}'; name a contact that does, or say so in the text",
                severity=Severity.WARNING))


def _check_deck_translations(item: Sourced[Lesson], language: str,
                             problems: Problems) -> None:
    """A translated word list and exit ticket match the English ones, one for one."""
    lesson, translation = item.model, item.model.translations[language]
    for name, theirs, ours, what in (
            ("vocabulary", translation.vocabulary, lesson.vocabulary, "word"),
            ("exit_ticket", translation.exit_ticket, lesson.assessment.items, "prompt")):
        if theirs and len(theirs) != len(ours):
            problems.add(item.problem(
                ("translations", language, name), f"{len(theirs)} {what}(s), but the English "
                f"lesson has {len(ours)}; translate each {what}, in the same order"))


def _check_handout_translations(item: Sourced[Lesson], language: str,
                                problems: Problems) -> None:
    """A translated handout matches the English one item for item, choice for choice."""
    translation = item.model.translations[language]
    originals = {h.id: h for h in item.model.handouts}
    for handout_id, local in translation.handouts.items():
        where: tuple[str | int, ...] = ("translations", language, "handouts", handout_id)
        original = originals.get(handout_id)
        if original is None:
            problems.add(item.problem(where, f"no handout '{handout_id}' in this lesson; use "
                                      "one of: " + ", ".join(sorted(originals))))
            continue
        if len(local.items) != len(original.items):
            problems.add(item.problem((*where, "items"), f"{len(local.items)} item(s), but the "
                                      f"English handout has {len(original.items)}; translate "
                                      "each item, in the same order"))
            continue
        for i, (theirs, ours) in enumerate(zip(local.items, original.items, strict=True)):
            if ours.section and not theirs.section:
                problems.add(item.problem((*where, "items", i), "the English item starts a "
                                          "section; give its heading in `section`"))
            elif theirs.section and not ours.section:
                problems.add(item.problem((*where, "items", i, "section"), "the English item "
                                          "starts no section; remove `section`"))
            if len(theirs.choices) != len(ours.choices):
                problems.add(item.problem(
                    (*where, "items", i, "choices"), f"{len(theirs.choices)} choice(s), but "
                    f"the English item has {len(ours.choices)}; translate each choice"))
    missing = [h.id for h in item.model.handouts if h.id not in translation.handouts]
    if missing:
        problems.add(item.problem(("translations", language), f"handouts not translated into "
                                  f"'{language}': {', '.join(missing)}; the English ones are "
                                  "printed instead", severity=Severity.WARNING))


def _check_inherited_contacts(cur: Curriculum, problems: Problems) -> None:
    """A contact the school did not set is the upstream one: say so, so a school elsewhere
    replaces it with its own service."""
    for key in cur.inherited_contacts:
        contact = cur.config.model.contacts[key]
        problems.add(cur.config.problem(
            ("contacts",), f"the contact '{key}' ({contact.name}) is not set here, so the one "
            "of the curriculum this extends is used; add it under `contacts:` with the service "
            "that fits your place", key=True, severity=Severity.WARNING))


def _check_config_text(cur: Curriculum, problems: Problems) -> None:
    """Settings' text reaches the site as text too: say so where it looks like Markdown."""
    for path, text in text_fields(cur.config.doc.data):
        if path[:1] in (("extends",), ("languages",)) or "url" in path:
            continue
        markdown = _markdown_syntax(text) if SUSPECT.search(text) else ""
        if markdown:
            problems.add(cur.config.doc.problem(
                path, f"this looks like Markdown ({markdown}); it is printed as text, as "
                "written", severity=Severity.WARNING))


def _check_guides(cur: Curriculum, problems: Problems, values: dict[str, str]) -> None:
    if cur.facilitator:
        _check_prose(cur, cur.facilitator, problems, values)
    for guide in cur.parent_guides:
        _check_prose(cur, guide, problems, values)
        if cur.band(guide.model.band) is None:
            problems.add(guide.problem(("band",), _no_band(cur, guide.model.band)))
        for language in cur.config.model.languages[1:]:
            if language not in guide.model.translations:
                problems.add(guide.problem(("translations",), f"no '{language}' translation of "
                                           "this parent guide", severity=Severity.WARNING))
    for band in cur.bands:
        if cur.parent_guide(band.model.id) is None:
            problems.add(band.problem(("id",), f"band '{band.model.id}' has no parent guide in "
                                      "lessons/guides/parents/", severity=Severity.WARNING))
    if cur.facilitator is None:
        problems.add(cur.config.problem((), "no facilitator guide at "
                                        "lessons/guides/facilitator.yml",
                                        severity=Severity.WARNING))


def _check_files(cur: Curriculum, problems: Problems) -> None:
    root = cur.project.root.resolve()
    refs: list[tuple[Sourced[Any], FieldPath, str]] = []
    if cur.config.model.school.logo:
        refs.append((cur.config, ("school", "logo"), cur.config.model.school.logo))
    for item in cur.lessons:
        for i, handout in enumerate(item.model.handouts):
            if handout.picture:
                refs.append((item, ("handouts", i, "picture", "path"), handout.picture.path))
    for owner, path, ref in refs:
        target = (root / ref).resolve()
        if Path(ref).is_absolute() or not target.is_relative_to(root):
            problems.add(owner.problem(path, f"'{ref}' points outside the project; use a path "
                                       "inside it, such as assets/logo.png"))
        elif not target.is_file():
            problems.add(owner.problem(path, f"'{ref}' does not exist in the project"))
