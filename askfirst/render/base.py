"""What every renderer of the render stage starts from: the curriculum, the one environment, the
output paths, every language's words, the school's approvals, the sensitive-topics policy and
the lesson pages kept from an earlier build."""

from __future__ import annotations

from askfirst.load.curriculum import Curriculum
from askfirst.models import Lesson
from askfirst.render.environment import PageEnvironment, load_words
from askfirst.render.memo import RenderMemo
from askfirst.render.outputs import OutputPaths
from askfirst.resolve.approvals import StatusText, approvals, status_text
from askfirst.validate.readability import ReadingLevels


class Renderer:
    """Shared by the site's and the print renderers."""

    def __init__(self, cur: Curriculum, env: PageEnvironment, outputs: OutputPaths,
                 memo: RenderMemo | None = None, levels: ReadingLevels | None = None) -> None:
        self.cur = cur
        self.memo = memo or RenderMemo(None, "", cur)  # a lesson's pages kept from before
        self.levels = levels or ReadingLevels()  # reading levels validation measured
        self.env = env
        self.outputs = outputs
        self.config = cur.config.model
        self.source = self.config.languages[0]
        self.words = load_words(cur.layers)
        self.strings = self.words.strings
        self.approvals = approvals(cur)
        self.topics: dict[str, list[str]] = {
            t.model.id: [str(mark) for mark in t.model.sensitive] for t in cur.topics}

    def words_in(self, language: str) -> dict[str, str]:
        """Every word in `language`, English where it has none yet."""
        return {**self.strings.get("en", {}), **self.strings.get(language, {})}

    def word(self, key: str, language: str) -> str:
        """One word or passage in `language`."""
        return self.words_in(language)[key]

    def status(self, lesson: Lesson, language: str) -> StatusText:
        """How a lesson's status reads: approved by the school, or a draft and why."""
        return status_text(self.approvals[lesson.id], lesson.review.status,
                           self.words_in(language))
