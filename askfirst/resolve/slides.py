"""Resolve stage for the classroom screen: each lesson as a deck of slides, from the same lesson
file as its packet pages, so that the two never drift apart.

A deck in another language holds the steps whose screen the lesson's translation writes.

A slide holds only what students see: the lesson title and class agreements, each step's
screen (written in the lesson, or by default its scenarios, story then questions, and its
discussion questions one at a time), the lesson's words one at a time as a review, the exit
ticket, and where to get help. The teacher's words and notes go only to the presenter's view."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from askfirst.models import Lesson
from askfirst.models.lesson import Handout, Slide, Step


@dataclass(frozen=True)
class SlideView:
    """One slide, and what the presenter sees beside it."""

    kind: str  # opening, vocabulary, step, exit, help
    title: str | None = None
    text: str | None = None
    lines: list[str] = field(default_factory=list)
    step: int | None = None  # the step it belongs to, from 1
    step_title: str | None = None
    minutes: int | None = None
    say: str | None = None
    notes: str | None = None
    icon: str | None = None

    @property
    def label(self) -> str:
        """How the slide is named in the PDF's outline and in warnings."""
        where = f"step {self.step}: " if self.step else ""
        return f"{where}{self.title or self.text or self.kind}"[:80]


def _step_slides(lesson: Lesson, number: int, step: Step,
                 screen: list[Slide] | None = None) -> list[SlideView]:
    base = {"kind": "step", "step": number, "step_title": step.title,
            "minutes": step.minutes, "say": step.say, "notes": step.notes}
    screen = step.screen if screen is None else screen
    if screen is not None:
        return [SlideView(title=s.title, text=s.text, icon=s.icon,
                          **base)  # type: ignore[arg-type]
                for s in screen]
    slides: list[SlideView] = []
    scenarios = {s.title: s for s in lesson.scenarios}
    for title in step.scenarios:
        scenario = scenarios.get(title)
        if scenario is None:
            continue
        slides.append(SlideView(title=scenario.title, text=scenario.story,
                                **base))  # type: ignore[arg-type]
        slides.append(SlideView(title=scenario.title, lines=list(scenario.questions),
                                **base))  # type: ignore[arg-type]
    for question in step.discussion:
        if 1 <= question <= len(lesson.discussion):
            slides.append(SlideView(text=lesson.discussion[question - 1].question,
                                    **base))  # type: ignore[arg-type]
    return slides


def deck(lesson: Lesson, agreements: list[str], help_title: str,
         language: str | None = None) -> list[SlideView]:
    """A lesson's slides, in teaching order; in another `language`, the steps whose screen is
    written in it, between the opening and where to get help."""
    translation = lesson.translations.get(language) if language else None
    if translation is not None:
        slides = [SlideView(kind="opening", title=translation.title or lesson.title,
                            lines=agreements)]
        for number, step in enumerate(lesson.steps, start=1):
            if step.title in translation.screen:
                slides += _step_slides(lesson, number, step, translation.screen[step.title])
        slides += [SlideView(kind="vocabulary", title=term.term, text=term.definition)
                   for term in translation.vocabulary]
        slides += [SlideView(kind="exit", text=item) for item in translation.exit_ticket]
        slides.append(SlideView(kind="help", title=help_title))
        return slides
    slides = [SlideView(kind="opening", title=lesson.title, lines=agreements)]
    for number, step in enumerate(lesson.steps, start=1):
        slides += _step_slides(lesson, number, step)
    # The words come after the steps, as a review: before them they would answer the
    # lesson's own questions before it asks them.
    slides += [SlideView(kind="vocabulary", title=term.term, text=term.definition)
               for term in lesson.vocabulary]
    slides += [SlideView(kind="exit", title=lesson.assessment.title, text=item)
               for item in lesson.assessment.items]  # one question at a time
    slides.append(SlideView(kind="help", title=help_title))
    return slides


@dataclass(frozen=True)
class TeachCard:
    """One page to teach from tomorrow: the timeline, the key lines, what to prepare and
    print, and the answer key."""

    timeline: list[tuple[str, str, int, bool]]  # start (m:ss), step title, minutes, optional
    key_lines: list[str]  # each in quotation marks
    materials: list[str]
    prepare: list[str]
    prints: list[tuple[str, str]]  # handout title, how many / how
    answers: list[tuple[str, str]]  # question, what to look or listen for
    disclosure: str  # what to do at once if a student tells; the lesson has the rest


_TEACHER = re.compile(r"^\s*for the teacher\s*[:.]\s*", re.IGNORECASE)


def _key_line(step: Step) -> str:
    """The line of a step's words to remember: the one the lesson names, or else its first
    sentence of eight words or more, without a quotation mark left open or closed alone."""
    if step.key_line:
        return " ".join(step.key_line.split())
    flat = " ".join((step.say or "").split())
    sentences = re.split(r"(?<=[.!?])\s+", flat)
    line = next((s for s in sentences if len(s.split()) >= 8), sentences[0])
    if sum(line.count(q) for q in '"“”') % 2:
        line = line.strip('"“”')
    return line


def _first(text: str) -> str:
    """The first sentence of a passage; a sentence inside quotation marks does not end it."""
    flat = " ".join(text.split())
    quoted = False
    for i, char in enumerate(flat):
        ends = i + 1 == len(flat) or flat[i + 1] == " "
        if char in '"“”«»':
            closing = char in "”»" or (char == '"' and quoted)
            quoted = not closing
            if closing and ends and i > 0 and flat[i - 1] in ".!?":
                return flat[: i + 1]  # a quoted sentence that ends the sentence
        elif char in ".!?" and not quoted and ends:
            return flat[: i + 1]
    return flat


def quoted(text: str) -> str:
    """A line as said aloud, in quotation marks, unless it opens with its own."""
    return text if text[:1] in '"“«' else f"“{text}”"


def _disclosure(text: str) -> str:
    """What to do if a student tells, for the card: what to say at once and the next
    sentence (talk privately, believe, never promise secrecy), when both are short enough."""
    first = _first(text)
    rest = " ".join(text.split())[len(first):].strip()
    second = _first(rest) if rest else ""
    both = f"{first} {second}".strip()
    return both if len(both.split()) <= 75 else first


def _handout_answers(handout: Handout) -> list[tuple[str, str]]:
    """A handout's answers, one line per part: "1: …; 2: …", numbered as printed."""
    parts: list[tuple[str, list[str]]] = []
    for item, number in zip(handout.items, handout.item_numbers(), strict=True):
        if item.section or not parts:
            parts.append((f"{handout.title}: {item.section}" if item.section else handout.title,
                          []))
        if item.answer:
            label = (f"{quoted(_first(item.text))} → " if handout.layout == "cards"
                     else f"{number}: ")
            parts[-1][1].append(label + " ".join(item.answer.split()))
    return [(title, "; ".join(lines)) for title, lines in parts if lines]


def teach_card(lesson: Lesson, class_size: int, copies_word: str) -> TeachCard:
    """The 'teach it tomorrow' card of a lesson, for a class of `class_size`."""
    timeline, start = [], 0
    for step in lesson.steps:
        timeline.append((f"{start}:00" if not step.optional else "—", step.title,
                         step.minutes, step.optional))
        if not step.optional:
            start += step.minutes
    taught = [step for step in lesson.steps if not step.optional]
    key_lines = [quoted(_key_line(step)) for step in taught if step.say]
    prints = [(h.title, _TEACHER.sub("", _first(h.instructions)) if h.layout == "cards"
               else f"{class_size} {copies_word}") for h in lesson.handouts]
    # The answers in the order the class meets them: each step's stories, its handouts'
    # activities, then its questions.
    scenarios = {s.title: s for s in lesson.scenarios}
    handouts = {h.id: h for h in lesson.handouts}
    answers: list[tuple[str, str]] = []
    for step in taught:
        for title in step.scenarios:
            scenario = scenarios.get(title)
            if scenario is not None and scenario.listen_for:
                answers.append((scenario.title, _first(scenario.listen_for)))
        for handout_id in step.handouts:
            if handout_id in handouts:
                answers += _handout_answers(handouts[handout_id])
        for number in step.discussion:
            if 1 <= number <= len(lesson.discussion):
                question = lesson.discussion[number - 1]
                answers.append((question.question, _first(question.listen_for)))
    answers = list(dict.fromkeys(answers))[:6]
    answers.append((lesson.assessment.title, _first(lesson.assessment.look_for)))
    # What to print is listed already; the materials add what is not a handout.
    materials = [m for m in lesson.materials
                 if not any(h.title.casefold() in m.casefold() for h in lesson.handouts)]
    return TeachCard(timeline, key_lines[:6], materials, list(lesson.preparation),
                     prints, answers, _disclosure(lesson.disclosure_reminder))
