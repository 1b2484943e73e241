"""Pandera data contracts for the curated datasets (see curated/README.md).

These models are the one source of every published column's name and dtype: the polars schemas
the library builds frames with are derived from them (`polars_schema`). Later versions add
columns; they never rename, retype or drop one. `SCHEMA_VERSION` goes into every parquet file's
key-value metadata.

In the repository this is the top-level `schemas/` folder; installed, it is `tally.schemas`.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import polars as pl

from tally.schemas.documents import DocumentsModel
from tally.schemas.figures import FiguresModel
from tally.schemas.metrics import MetricsSchema
from tally.schemas.quarantine import QuarantineModel
from tally.schemas.reconciliations import ReconciliationsModel
from tally.vocabulary import Dataset

SCHEMA_VERSION = "1.3"  # 1.3: documents.format/reader/reader_version, figures.source_line/page

MODELS: dict[Dataset, Any] = {
    Dataset.DOCUMENTS: DocumentsModel,
    Dataset.FIGURES: FiguresModel,
    Dataset.RECONCILIATIONS: ReconciliationsModel,
    Dataset.METRICS: MetricsSchema,
    Dataset.QUARANTINE: QuarantineModel,
}

# Columns of `figures` that identify the document and the figure; the extractor fills the rest.
FIGURE_KEYS = ("source", "doc_id", "figure_id")


@cache
def polars_schema(dataset: Dataset | str) -> pl.Schema:
    """The polars schema (column names, order and dtypes) of a published dataset, from its model."""
    model = MODELS[Dataset(dataset)]
    schema = model.to_schema() if hasattr(model, "to_schema") else model
    return pl.Schema({name: col.dtype.type for name, col in schema.columns.items()})


@cache
def figure_fields() -> tuple[str, ...]:
    """The columns of `figures` the extractor fills, in order (all but FIGURE_KEYS)."""
    return tuple(c for c in polars_schema(Dataset.FIGURES) if c not in FIGURE_KEYS)


def extracted_schema() -> pl.Schema:
    """The schema of one text's figures as the extractor returns them (no source or ids)."""
    full = polars_schema(Dataset.FIGURES)
    return pl.Schema({c: full[c] for c in figure_fields()})


def empty(dataset: Dataset | str) -> pl.DataFrame:
    return pl.DataFrame(schema=polars_schema(dataset))


__all__ = [
    "FIGURE_KEYS", "MODELS", "SCHEMA_VERSION", "DocumentsModel", "FiguresModel", "MetricsSchema", "QuarantineModel",
    "ReconciliationsModel", "empty", "extracted_schema", "figure_fields", "polars_schema",
]
