"""Which framework topics each band's lessons cover, and which they miss."""

from __future__ import annotations

from dataclasses import dataclass

from askfirst.load.curriculum import Curriculum
from askfirst.models import Band


@dataclass(frozen=True)
class BandCoverage:
    """Covered and missing framework codes of one band, qualified as `framework:code`."""

    band: Band
    covered: list[str]
    missing: list[str]


def band_coverage(cur: Curriculum, band: Band) -> BandCoverage:
    """Coverage of one band: topics and this band's indicators of every framework."""
    aligned = {code for lesson in cur.lessons_of(band.id) for code in lesson.alignment}
    covered: list[str] = []
    missing: list[str] = []
    for item in cur.frameworks:
        framework = item.model
        level = band.frameworks.get(framework.id)
        parents_hit = set()
        for entry in framework.entries:
            if f"{framework.id}:{entry.code}" in aligned and entry.parent:
                parents_hit.add(entry.parent)
        for entry in framework.entries:
            if entry.kind == "concept" or not entry.verified:
                continue
            if entry.levels and level not in entry.levels:
                continue
            code = f"{framework.id}:{entry.code}"
            hit = code in aligned or (entry.kind == "topic" and entry.code in parents_hit)
            (covered if hit else missing).append(code)
    return BandCoverage(band, covered, missing)


def coverage(cur: Curriculum, band_id: str | None = None) -> list[BandCoverage]:
    """Coverage of every band, youngest first (or of one band)."""
    return [band_coverage(cur, band) for band in cur.ordered_bands
            if band_id is None or band.id == band_id]


def coverage_json(results: list[BandCoverage]) -> dict[str, object]:
    """The JSON form: `{"bands": {"<band id>": {"covered": [...], "missing": [...]}}}`."""
    return {"bands": {r.band.id: {"covered": r.covered, "missing": r.missing}
                      for r in results}}


def coverage_text(results: list[BandCoverage]) -> list[str]:
    """The text form, a few lines per band."""
    lines = []
    for r in results:
        total = len(r.covered) + len(r.missing)
        lines.append(f"{r.band.id} ({r.band.title}, ages {r.band.ages}): "
                     f"{len(r.covered)} of {total} covered")
        lines.append("  covered: " + (", ".join(r.covered) or "-"))
        lines.append("  missing: " + (", ".join(r.missing) or "-"))
    return lines
