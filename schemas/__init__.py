"""Pandera data contracts for the curated datasets (see curated/README.md)."""

from schemas.documents import DocumentsModel
from schemas.figures import FiguresModel
from schemas.metrics import MetricsSchema
from schemas.quarantine import QuarantineModel
from schemas.reconciliations import ReconciliationsModel

__all__ = ["DocumentsModel", "FiguresModel", "MetricsSchema", "QuarantineModel", "ReconciliationsModel"]
