"""The typed curriculum: every YAML file the tool reads has a model here."""

from askfirst.models.band import Band
from askfirst.models.framework import Framework, FrameworkEntry
from askfirst.models.guides import FacilitatorGuide, ParentGuide
from askfirst.models.lesson import FamilyGuide, Handout, Lesson
from askfirst.models.project import CurriculumSettings
from askfirst.models.topic import Topic

__all__ = [
    "Band",
    "CurriculumSettings",
    "FacilitatorGuide",
    "FamilyGuide",
    "Framework",
    "FrameworkEntry",
    "Handout",
    "Lesson",
    "ParentGuide",
    "Topic",
]
