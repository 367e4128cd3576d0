"""Load stage: read every file of a curriculum project into typed models, keeping their sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from askfirst.errors import AskFirstError, InvalidCurriculum, Problem, Problems, relative
from askfirst.models import (
    Band,
    BandFile,
    FacilitatorGuide,
    Framework,
    Lesson,
    ParentGuide,
    ProjectConfig,
    Topic,
    TopicFile,
)
from askfirst.project import Project
from askfirst.schema_errors import schema_problems
from askfirst.source import Document, FieldPath, load_yaml

M = TypeVar("M", bound=BaseModel)

BANDS_FILE = "bands.yml"
TOPICS_FILE = "topics.yml"
FRAMEWORKS_DIR = "frameworks"
GUIDES_DIR = "guides"
FACILITATOR_FILE = "guides/facilitator.yml"
PARENTS_DIR = "guides/parents"
SCHEMA_DIR = "schema"


@dataclass
class Sourced(Generic[M]):
    """A model together with the file (and the place in it) it was read from."""

    model: M
    doc: Document
    at: FieldPath = ()

    def problem(self, path: FieldPath, message: str, **kw: Any) -> Problem:
        """A problem at a field of this model."""
        return self.doc.problem((*self.at, *path), message, **kw)


@dataclass
class Curriculum:
    """Everything a build needs, loaded and typed; `validate` checks it, `render` reads it."""

    project: Project
    config: Sourced[ProjectConfig]
    bands: list[Sourced[Band]] = field(default_factory=list)
    topics: list[Sourced[Topic]] = field(default_factory=list)
    frameworks: list[Sourced[Framework]] = field(default_factory=list)
    facilitator: Sourced[FacilitatorGuide] | None = None
    parent_guides: list[Sourced[ParentGuide]] = field(default_factory=list)
    lessons: list[Sourced[Lesson]] = field(default_factory=list)

    def band(self, band_id: str) -> Band | None:
        """The band with this id, if there is one."""
        return next((b.model for b in self.bands if b.model.id == band_id), None)

    def lessons_of(self, band_id: str) -> list[Lesson]:
        """The band's lessons in teaching order."""
        found = [s.model for s in self.lessons if s.model.band == band_id]
        return sorted(found, key=lambda lesson: (lesson.order, lesson.id))

    def parent_guide(self, band_id: str) -> ParentGuide | None:
        """The band's parent guide, if there is one."""
        return next((g.model for g in self.parent_guides if g.model.band == band_id), None)

    @property
    def ordered_bands(self) -> list[Band]:
        """Bands from youngest to oldest."""
        return sorted((b.model for b in self.bands), key=lambda band: band.order)


def _typed(doc: Document, model: type[M], problems: Problems, at: FieldPath = ()) -> M | None:
    data = doc.data
    for part in at:
        data = data[part]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(schema_problems(exc, doc, model, prefix=at))
        return None


def _read(path: Path, problems: Problems) -> Document | None:
    doc, found = load_yaml(path, relative(path))
    problems.extend(found)
    if doc is not None and not isinstance(doc.data, dict):
        problems.add(doc.problem((), "expected a mapping of fields ('name: value' lines) at the "
                                 "top of the file"))
        return None
    return doc


def lesson_files(lessons_dir: Path) -> list[Path]:
    """Every lesson file under `lessons/`, leaving out the curriculum's data files."""
    special = {BANDS_FILE, TOPICS_FILE}
    data_dirs = {FRAMEWORKS_DIR, GUIDES_DIR, SCHEMA_DIR}
    found = []
    for path in sorted(lessons_dir.rglob("*")):
        rel = path.relative_to(lessons_dir)
        if path.suffix not in (".yml", ".yaml") or not path.is_file():
            continue
        if str(rel) in special or rel.parts[0] in data_dirs:
            continue
        found.append(path)
    return found


def load_lesson_file(path: Path, problems: Problems) -> Sourced[Lesson] | None:
    """Read and type one lesson file."""
    doc = _read(path, problems)
    if doc is None:
        return None
    lesson = _typed(doc, Lesson, problems)
    return Sourced(lesson, doc) if lesson else None


def load_curriculum(project: Project, extra: list[Path] | None = None) -> tuple[Curriculum,
                                                                              Problems]:
    """Read the whole project; problems found on the way are returned, never raised."""
    problems = Problems()
    config_doc = _read(project.config_path, problems)
    config = _typed(config_doc, ProjectConfig, problems) if config_doc else None
    if config is None or config_doc is None:
        raise_invalid(problems)
    assert config is not None and config_doc is not None
    cur = Curriculum(project=project, config=Sourced(config, config_doc))
    lessons_dir = project.lessons_dir
    if not lessons_dir.is_dir():
        raise AskFirstError(f"{relative(lessons_dir)}: no lessons folder; create it or run "
                            "`askfirst init`")

    bands_doc = _read(lessons_dir / BANDS_FILE, problems)
    if bands_doc and _typed(bands_doc, BandFile, problems):
        for i, _ in enumerate(bands_doc.data["bands"]):
            band = _typed(bands_doc, Band, problems, ("bands", i))
            if band:
                cur.bands.append(Sourced(band, bands_doc, ("bands", i)))
    topics_doc = _read(lessons_dir / TOPICS_FILE, problems)
    if topics_doc and _typed(topics_doc, TopicFile, problems):
        for i, _ in enumerate(topics_doc.data["topics"]):
            topic = _typed(topics_doc, Topic, problems, ("topics", i))
            if topic:
                cur.topics.append(Sourced(topic, topics_doc, ("topics", i)))
    for path in sorted((lessons_dir / FRAMEWORKS_DIR).glob("*.yml")):
        doc = _read(path, problems)
        framework = _typed(doc, Framework, problems) if doc else None
        if framework and doc:
            cur.frameworks.append(Sourced(framework, doc))
    facilitator_path = lessons_dir / FACILITATOR_FILE
    if facilitator_path.is_file():
        doc = _read(facilitator_path, problems)
        guide = _typed(doc, FacilitatorGuide, problems) if doc else None
        if guide and doc:
            cur.facilitator = Sourced(guide, doc)
    for path in sorted((lessons_dir / PARENTS_DIR).glob("*.yml")):
        doc = _read(path, problems)
        parent_guide = _typed(doc, ParentGuide, problems) if doc else None
        if parent_guide and doc:
            cur.parent_guides.append(Sourced(parent_guide, doc))
    for path in [*lesson_files(lessons_dir), *(extra or [])]:
        lesson = load_lesson_file(path, problems)
        if lesson:
            cur.lessons.append(lesson)
    return cur, problems


def raise_invalid(problems: Problems) -> None:
    """Stop with every error found so far."""
    raise InvalidCurriculum(problems.errors() or problems.sorted())
