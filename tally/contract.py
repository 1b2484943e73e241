"""The published data contract: column names, polars dtypes and closed value sets.

Later versions add columns; they never rename, retype or drop one. `SCHEMA_VERSION` goes into
every parquet file's key-value metadata.
"""

from __future__ import annotations

import polars as pl

SCHEMA_VERSION = "1.1"

KINDS = ("count", "percent", "money", "duration", "date", "year", "ordinal", "measure", "other")
QUALIFIERS = ("exact", "at_least", "at_most", "approximate")
STATUSES = ("ok", "rejected")
LANGUAGES = ("en", "fr", "und")

# Columns the extractor fills, in order.
FIGURE_FIELDS = (
    "start", "end", "text", "value", "value_max", "kind", "unit", "qualifier", "counted", "head",
    "date_start", "date_end", "date_iso", "line", "sentence", "heading",
)
_FIGURE_DTYPES: dict[str, pl.DataType] = {
    "source": pl.String(), "doc_id": pl.String(), "figure_id": pl.String(),
    "start": pl.Int64(), "end": pl.Int64(), "text": pl.String(), "value": pl.Float64(),
    "value_max": pl.Float64(), "kind": pl.String(), "unit": pl.String(), "qualifier": pl.String(),
    "counted": pl.String(), "head": pl.String(), "date_start": pl.Date(), "date_end": pl.Date(),
    "date_iso": pl.String(), "line": pl.Int64(), "sentence": pl.String(),
    "heading": pl.String(),
}
FIGURE_COLUMNS = ("source", "doc_id", "figure_id", *FIGURE_FIELDS)

DOCUMENT_COLUMNS = ("source", "doc_id", "n_chars", "n_figures", "n_quarantined", "language", "encoding", "status",
                    "reason")
_DOCUMENT_DTYPES: dict[str, pl.DataType] = {
    "source": pl.String(), "doc_id": pl.String(), "n_chars": pl.Int64(), "n_figures": pl.Int64(),
    "n_quarantined": pl.Int64(),
    "language": pl.String(), "encoding": pl.String(), "status": pl.String(), "reason": pl.String(),
}


def figure_polars_schema(*, with_source: bool = True) -> pl.Schema:
    cols = FIGURE_COLUMNS if with_source else FIGURE_FIELDS
    return pl.Schema({c: _FIGURE_DTYPES[c] for c in cols})


def document_polars_schema() -> pl.Schema:
    return pl.Schema({c: _DOCUMENT_DTYPES[c] for c in DOCUMENT_COLUMNS})
