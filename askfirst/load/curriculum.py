"""Load stage: read every file of a curriculum project into typed models, keeping their sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from askfirst.errors import AskFirstError, InvalidCurriculum, Problem, Problems, relative
from askfirst.load.kept import KeptReadings
from askfirst.load.overlay import AppliedChange, apply, fork
from askfirst.load.schema_errors import schema_problems
from askfirst.load.source import Document, FieldPath, load_yaml
from askfirst.models import (
    Band,
    CurriculumSettings,
    FacilitatorGuide,
    Framework,
    Lesson,
    ParentGuide,
    Topic,
)
from askfirst.models.overlay import Override, Selection
from askfirst.models.project import POLICY_FIELDS
from askfirst.models.review import ReviewRecord
from askfirst.project import CONFIG_NAME, Project, bundled_root

M = TypeVar("M", bound=BaseModel)

BANDS_FILE = "bands.yml"
TOPICS_FILE = "topics.yml"
FRAMEWORKS_DIR = "frameworks"
GUIDES_DIR = "guides"
FACILITATOR_FILE = "guides/facilitator.yml"
PARENTS_DIR = "guides/parents"
SCHEMA_DIR = "schema"
OVERRIDES_DIR = "overrides"
REVIEWS_DIR = "reviews"  # a school's review records, one file per review


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
    config: Sourced[CurriculumSettings]
    bands: list[Sourced[Band]] = field(default_factory=list)
    topics: list[Sourced[Topic]] = field(default_factory=list)
    frameworks: list[Sourced[Framework]] = field(default_factory=list)
    facilitator: Sourced[FacilitatorGuide] | None = None
    parent_guides: list[Sourced[ParentGuide]] = field(default_factory=list)
    lessons: list[Sourced[Lesson]] = field(default_factory=list)
    layers: list[Project] = field(default_factory=list)
    changes: list[AppliedChange] = field(default_factory=list)
    files_read: int = 0
    # Contacts this project does not set, taken from the curriculum it extends.
    inherited_contacts: list[str] = field(default_factory=list)
    # The curriculum this one extends, loaded on its own, for the changes report.
    upstream: Curriculum | None = None
    # The school's reviews of its lessons, oldest first.
    reviews: list[Sourced[ReviewRecord]] = field(default_factory=list)

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


def _read(path: Path, problems: Problems,
          readings: KeptReadings | None = None) -> Document | None:
    shown = relative(path)
    doc, found = readings.load(path, shown) if readings else load_yaml(path, shown)
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


def project_chain(project: Project, problems: Problems) -> list[tuple[Project, Document]]:
    """The project and the curricula it extends, base first, with their configuration files."""
    chain: list[tuple[Project, Document]] = []
    seen = {project.root.resolve()}
    current = project
    while True:
        doc = _read(current.config_path, problems)
        if doc is None:
            raise_invalid(problems)
        assert doc is not None
        chain.append((current, doc))
        extends = doc.data.get("extends")
        if not extends or not isinstance(extends, str):
            break
        root = bundled_root() if extends == "askfirst" else (current.root / extends).resolve()
        if not (root / CONFIG_NAME).is_file():
            problems.add(doc.problem(("extends",), f"no curriculum at '{extends}' (no "
                                     f"{CONFIG_NAME} there); use 'askfirst' for the bundled "
                                     "curriculum or a folder path"))
            break
        if root.resolve() in seen:
            problems.add(doc.problem(("extends",), f"'{extends}' extends this curriculum in "
                                     "turn; remove the loop"))
            break
        seen.add(root.resolve())
        current = Project(root=root, bundled=root.resolve() == bundled_root().resolve())
    return list(reversed(chain))


def _entries(doc: Document | None, key: str, problems: Problems) -> list[tuple[int, dict[str,
                                                                                     Any]]]:
    """The mappings listed under `key` in a bands or topics file, each with its index."""
    if doc is None:
        return []
    items = doc.data.get(key)
    if not isinstance(items, list):
        problems.add(doc.problem((key,), f"expected a list of {key} under '{key}:'"))
        return []
    out = []
    for i, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            out.append((i, item))
        else:
            problems.add(doc.problem((key, i), "each entry needs an 'id'"))
    return out


def _merge(found: dict[str, tuple[dict[str, Any], Document, FieldPath]], doc: Document | None,
           key: str, problems: Problems) -> None:
    """Add or update entries by id: a later curriculum changes only the fields it names."""
    if doc is not None and set(doc.data) - {key}:
        extra = sorted(set(doc.data) - {key})[0]
        problems.add(doc.problem((extra,), f"unknown field '{extra}'; check its spelling "
                                 f"(allowed here: {key})", key=True))
    for i, item in _entries(doc, key, problems):
        assert doc is not None
        earlier = found.get(item["id"])
        merged = {**earlier[0], **item} if earlier else dict(item)
        found[item["id"]] = (merged, doc, (key, i))


def _typed_entries(found: dict[str, tuple[dict[str, Any], Document, FieldPath]],
                   model: type[M], problems: Problems) -> list[Sourced[M]]:
    out = []
    for data, doc, at in found.values():
        try:
            out.append(Sourced(model.model_validate(data), doc, at))
        except ValidationError as exc:
            problems.extend(schema_problems(exc, doc, model, prefix=at))
    return out


def _inherit(config: CurriculumSettings, bases: list[Document]) -> list[str]:
    """Policy texts and contacts a school leaves unset come from the curriculum it extends
    (nearest first), so that an upstream lesson naming one still reads in the school's build;
    returns the ids of the contacts taken that way, for validation to point out."""
    inherited: list[str] = []
    for doc in reversed(bases):
        base = _typed(doc, CurriculumSettings, Problems())
        if base is None:
            continue
        for name in POLICY_FIELDS:
            if getattr(config.jurisdiction, name) is None:
                setattr(config.jurisdiction, name, getattr(base.jurisdiction, name))
            for language, law in config.jurisdiction_translations.items():
                theirs = base.jurisdiction_translations.get(language)
                if getattr(law, name) is None and theirs is not None:
                    setattr(law, name, getattr(theirs, name))
        for key, contact in base.contacts.items():
            if key in config.contacts:
                continue
            config.contacts[key] = contact
            inherited.append(key)
            for language, contacts in base.contact_translations.items():
                if language in config.languages and key in contacts:
                    config.contact_translations.setdefault(language, {})[key] = contacts[key]
    return inherited


def load_curriculum(project: Project, extra: list[Path] | None = None,
                    readings: KeptReadings | None = None) -> tuple[Curriculum, Problems]:
    """Read the project and every curriculum it extends; problems are returned, never raised.
    Curriculum files read before are taken from `readings` when their text is the same."""
    problems = Problems()
    chain = project_chain(project, problems)
    top_doc = chain[-1][1]
    config = _typed(top_doc, CurriculumSettings, problems)
    if config is None:
        raise_invalid(problems)
    assert config is not None
    inherited = _inherit(config, [doc for _, doc in chain[:-1]])
    cur = Curriculum(project=project, config=Sourced(config, top_doc),
                     layers=[layer for layer, _ in chain], inherited_contacts=inherited)
    if not project.lessons_dir.is_dir():
        raise AskFirstError(f"{relative(project.lessons_dir)}: no lessons folder; create it or "
                            "run `askfirst init`")
    bands: dict[str, tuple[dict[str, Any], Document, FieldPath]] = {}
    topics: dict[str, tuple[dict[str, Any], Document, FieldPath]] = {}
    frameworks: dict[str, Sourced[Framework]] = {}
    parents: dict[str, Sourced[ParentGuide]] = {}
    lessons: list[Document] = []
    upstream_ids: dict[str, int] = {}
    for depth, (layer, config_doc) in enumerate(chain):
        base = depth == 0
        folder = layer.lessons_dir
        for name, store, key in ((BANDS_FILE, bands, "bands"), (TOPICS_FILE, topics, "topics")):
            path = folder / name
            if base or path.is_file():
                _merge(store, _read(path, problems, readings), key, problems)
        for path in sorted((folder / FRAMEWORKS_DIR).glob("*.yml")):
            doc = _read(path, problems, readings)
            framework = _typed(doc, Framework, problems) if doc else None
            if framework and doc:
                frameworks[framework.id] = Sourced(framework, doc)
        if (folder / FACILITATOR_FILE).is_file():
            doc = _read(folder / FACILITATOR_FILE, problems, readings)
            guide = _typed(doc, FacilitatorGuide, problems) if doc else None
            if guide and doc:
                cur.facilitator = Sourced(guide, doc)
        for path in sorted((folder / PARENTS_DIR).glob("*.yml")):
            doc = _read(path, problems, readings)
            parent = _typed(doc, ParentGuide, problems) if doc else None
            if parent and doc:
                parents[parent.band] = Sourced(parent, doc)
        files = lesson_files(folder) if folder.is_dir() else []
        if layer is project:
            files += extra or []
        layer_ids: dict[str, int] = {}
        for path in files:
            doc = _read(path, problems, readings)
            if doc is None:
                continue
            lesson_id = doc.data.get("id")
            if isinstance(lesson_id, str) and lesson_id in upstream_ids:
                first = lessons[upstream_ids[lesson_id]]
                problems.add(doc.problem(("id",), f"the id '{lesson_id}' is an upstream lesson "
                                         f"({first.shown}); change it with a file in overrides/, "
                                         "or give this lesson another id"))
                continue
            if isinstance(lesson_id, str):
                layer_ids.setdefault(lesson_id, len(lessons))
            lessons.append(doc)
        if not base:
            _apply_overrides(cur, layer, lessons, upstream_ids, problems)
        upstream_ids.update(layer_ids)
        layer_config = _typed(config_doc, CurriculumSettings, Problems()) if not base else None
        if layer_config and layer_config.selection:
            lessons = _select(lessons, layer_config.selection, config_doc, problems)
            upstream_ids = {d.data.get("id"): i for i, d in enumerate(lessons)
                            if isinstance(d.data.get("id"), str)}
    cur.bands = _typed_entries(bands, Band, problems)
    cur.topics = _typed_entries(topics, Topic, problems)
    cur.frameworks = list(frameworks.values())
    cur.parent_guides = list(parents.values())
    cur.files_read = len(lessons)
    for doc in lessons:
        lesson = _typed(doc, Lesson, problems)
        if lesson:
            cur.lessons.append(Sourced(lesson, doc))
    for path in sorted((project.root / REVIEWS_DIR).glob("*.yml")):
        doc = _read(path, problems)
        record = _typed(doc, ReviewRecord, problems) if doc else None
        if record and doc:
            cur.reviews.append(Sourced(record, doc))
    cur.reviews.sort(key=lambda item: (item.model.date, item.doc.shown))
    if len(chain) > 1:
        # The curriculum this one extends, on its own: what the changes report compares with.
        # Its errors are this build's errors too; its warnings are its authors' business.
        cur.upstream, upstream_problems = load_curriculum(chain[-2][0], readings=readings)
        problems.extend(upstream_problems.errors())
    return cur, problems


def _apply_overrides(cur: Curriculum, layer: Project, lessons: list[Document],
                     upstream_ids: dict[str, int], problems: Problems) -> None:
    for path in sorted((layer.root / OVERRIDES_DIR).glob("*.yml")):
        doc = _read(path, problems)
        override = _typed(doc, Override, problems) if doc else None
        if override is None or doc is None:
            continue
        index = upstream_ids.get(override.lesson)
        if index is None:
            problems.add(doc.problem(("lesson",), f"no upstream lesson '{override.lesson}': it "
                                     "was renamed or removed upstream; update or remove this "
                                     "override"))
            continue
        forked = fork(lessons[index])
        found: list[Problem] = []
        cur.changes.extend(apply(forked, override, doc, found))
        problems.extend(found)
        lessons[index] = forked


def _position(doc: Document) -> int:
    order = doc.data.get("order")
    return order if isinstance(order, int) else 0


def _select(lessons: list[Document], selection: dict[str, Selection], config_doc: Document,
            problems: Problems) -> list[Document]:
    """Keep, drop and reorder each band's lessons as the school's configuration says."""
    by_band: dict[str, list[Document]] = {}
    for doc in lessons:
        by_band.setdefault(str(doc.data.get("band")), []).append(doc)
    for band_id, choice in selection.items():
        docs = sorted(by_band.get(band_id, []), key=_position)
        ids = [d.data.get("id") for d in docs]
        at = ("selection", band_id)
        if band_id not in by_band:
            problems.add(config_doc.problem(at, f"no lessons in band '{band_id}'; check the "
                                            "band id", key=True))
            continue
        for field_name in ("only", "exclude", "order"):
            for i, lesson_id in enumerate(getattr(choice, field_name) or []):
                if lesson_id not in ids:
                    problems.add(config_doc.problem(
                        (*at, field_name, i), f"no lesson '{lesson_id}' in band '{band_id}': "
                        "it was renamed or removed upstream; update this list"))
        kept = [d for d in docs if (choice.only is None or d.data.get("id") in choice.only)
                and d.data.get("id") not in choice.exclude]
        first = [d for lesson_id in choice.order for d in kept if d.data.get("id") == lesson_id]
        ordered = first + [d for d in kept if d not in first]
        for position, doc in enumerate(ordered, start=1):
            doc.data["order"] = position
        by_band[band_id] = ordered
    return [doc for docs in by_band.values() for doc in docs]


def raise_invalid(problems: Problems) -> None:
    """Stop with every error found so far."""
    raise InvalidCurriculum(problems.errors() or problems.sorted())
