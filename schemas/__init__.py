"""Pandera data contracts for the curated datasets (see curated/README.md)."""

from schemas.documents import DocumentsModel
from schemas.figures import FiguresModel

__all__ = ["DocumentsModel", "FiguresModel"]
