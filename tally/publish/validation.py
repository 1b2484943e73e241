"""Check the frames against their pandera contracts before anything is published."""

from __future__ import annotations

from typing import Any

import polars as pl

from tally.errors import ValidationFailure
from tally.vocabulary import Status

# Frames are validated as DataFrames, never LazyFrames: on a LazyFrame pandera checks only the
# schema unless PANDERA_VALIDATION_DEPTH is set (../shared/STACK_NOTES.md).


def failure_details(exc: Exception, frame: pl.DataFrame) -> list[dict[str, object]]:
    cases = getattr(exc, "failure_cases", None)
    if not isinstance(cases, pl.DataFrame):
        return [{"check": type(exc).__name__, "column": None, "index": None, "failure_case": str(exc)}]
    out = []
    for row in cases.head(50).iter_rows(named=True):
        where = ""
        idx = row.get("index")
        if idx is not None and 0 <= idx < frame.height and "source" in frame.columns:
            r = frame.row(idx, named=True)
            if "text" in r:
                where = (f"{r['source']}:{r['line']} {r['text']!r} (kind {r['kind']}, value {r['value']}, "
                         f"qualifier {r['qualifier']}, figure_id {r['figure_id']})")
            else:
                where = f"{r['source']} (status {r.get('status')})"
            if row.get("column") and not str(row.get("column")).endswith("Model"):
                where += f": {row['column']} = {row.get('failure_case')!r}"
        column = row.get("column")
        if isinstance(column, str) and column.endswith("Model"):
            column = None  # a frame-level check: pandera names the model, not a column
        out.append({"check": row.get("check"), "column": column, "index": idx,
                    "failure_case": row.get("failure_case"), "where": where})
    return out


def validate(name: str, frame: pl.DataFrame, model: Any) -> pl.DataFrame:
    """Validate `frame` against a pandera model or schema, collecting every failure (lazy)."""
    import pandera.errors as pe

    try:
        return model.validate(frame, lazy=True)
    except (pe.SchemaErrors, pe.SchemaError) as exc:
        raise ValidationFailure(name, failure_details(exc, frame)) from None


def check_references(documents: pl.DataFrame, figures: pl.DataFrame, reconciliations: pl.DataFrame) -> None:
    """What no single dataset's model can see: every figure belongs to an ok document and every
    check names published figures. Each frame itself was validated once, when it was split
    into published and quarantined rows."""
    named = reconciliations.select(pl.col("figure_ids").explode().alias("figure_id")).drop_nulls().unique()
    unknown = named.join(figures.select("figure_id"), on="figure_id", how="anti")
    if unknown.height:
        raise ValidationFailure("reconciliations", [
            {"check": "figure_ids_in_figures", "column": "figure_ids", "index": None,
             "failure_case": f"{unknown.height} figure ids not in figures, first {unknown['figure_id'][0]}"}])
    orphans = figures.join(documents.filter(pl.col("status") == Status.OK), on="doc_id", how="anti")
    if orphans.height:
        raise ValidationFailure("figures", [
            {"check": "doc_id_in_documents", "column": "doc_id", "index": None,
             "failure_case": f"{orphans.height} figures whose doc_id is not an ok document, first "
                             f"{orphans['source'][0]}:{orphans['line'][0]}"}
        ])
