"""Pages of one lesson rendered by an earlier build — its site pages, its slideshows, and the
print HTML of its own PDF and slides — kept and given again when nothing they are made from
changed: a rebuild after editing one lesson renders that lesson's pages, not every lesson's
(a band's packet, handouts and letters hold every lesson of the band and are rendered again).

A lesson's page is made from the lesson as loaded, resolved and validated (its file, its
translations, a school's overrides: all in the lesson's model), the ids of its band's lessons
in order, and what every page shares — templates, settings, words, reviews, Ask First's own
code and the libraries' versions, the build's options — given here as one digest of every
input file except the lesson files (`inputs_digests`, from the same reading as the no-op check, in
askfirst/pipeline.py). Ask First's own templates show nothing else on a lesson's pages; a test
builds after an edit and compares the output, byte for byte, with a build from nothing. A
school's own templates could show more (another lesson's text, say), so with them nothing is
kept (`kept_for`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from askfirst.cache import keep_file
from askfirst.load.curriculum import Curriculum
from askfirst.models import Lesson


def kept_for(cur: Curriculum) -> bool:
    """Whether lesson pages can be kept: no layer but Ask First's own brings templates."""
    return not any(path.suffix == ".j2" for layer in cur.layers if not layer.bundled
                   and layer.templates_dir.is_dir()
                   for path in layer.templates_dir.rglob("*"))


class RenderMemo:
    """Rendered lesson pages by what they are made from, in a folder kept between builds
    (None keeps nothing: every page is rendered)."""

    def __init__(self, folder: Path | None, shared: str, cur: Curriculum) -> None:
        self.folder = folder
        self.shared = shared
        self._bands = {band.id: ",".join(lesson.id for lesson in cur.lessons_of(band.id))
                       for band in cur.ordered_bands}
        self._lessons: dict[str, str] = {}
        self.used: set[str] = set()
        self.rendered = 0

    def _lesson(self, lesson: Lesson) -> str:
        if lesson.id not in self._lessons:
            self._lessons[lesson.id] = lesson.model_dump_json()
        return self._lessons[lesson.id]

    def page(self, lesson: Lesson, name: str, make: Callable[[], str]) -> str:
        """The page `name` (its path and template) of `lesson`: kept, or made and kept."""
        if self.folder is None:
            self.rendered += 1
            return make()
        digest = hashlib.sha256(f"{self.shared}\0{name}\0{self._bands.get(lesson.band, '')}\0"
                                .encode())
        digest.update(self._lesson(lesson).encode())
        key = digest.hexdigest()
        self.used.add(key)
        path = self.folder / f"{key}.html"
        try:
            return path.read_text(encoding="utf-8")
        except OSError:
            pass
        text = make()
        self.rendered += 1
        keep_file(path, text)  # the writer reports an unwritable output
        return text

    def prune(self) -> None:
        """Forget the pages this build did not use (lessons edited or removed since)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.stem not in self.used:
                path.unlink(missing_ok=True)

