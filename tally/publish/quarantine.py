"""Rows that break their contract leave the published data for a `quarantine` dataset, with
the rule, the reason and where they stand; a broken frame (a missing column, a wrong dtype) is
not data to quarantine but an error that stops the publish."""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from tally.errors import ValidationFailure
from tally.publish.validation import failure_details
from tally.schemas import MODELS, polars_schema
from tally.schemas import empty as empty_frame
from tally.vocabulary import Dataset


def empty() -> pl.DataFrame:
    return empty_frame(Dataset.QUARANTINE)


def _row_id(dataset: str, r: dict[str, Any]) -> str:
    if dataset == Dataset.FIGURES:
        return str(r.get("figure_id"))
    if dataset == Dataset.DOCUMENTS:
        return str(r.get("source"))
    if dataset == Dataset.RECONCILIATIONS:
        return f"{r.get('doc_id')}:{r.get('rule')}:{r.get('line')}"
    return str(r.get("doc_id") or r.get("source"))


def rows(dataset: str, frame: pl.DataFrame, reasons: dict[int, list[tuple[str, str]]]) -> pl.DataFrame:
    """Quarantine rows of `frame` (by position) with their (rule, reason) pairs."""
    out = []
    for idx, pairs in sorted(reasons.items()):
        r = frame.row(idx, named=True)
        out.append({
            "dataset": dataset, "source": r.get("source"), "doc_id": r.get("doc_id"), "row_id": _row_id(dataset, r),
            "start": r.get("start"), "end": r.get("end"), "line": r.get("line"),
            "rule": "; ".join(sorted({p[0] for p in pairs})), "reason": "; ".join(sorted({p[1] for p in pairs})),
            "row": json.dumps(r, default=str, ensure_ascii=False),
        })
    return pl.DataFrame(out, schema=polars_schema(Dataset.QUARANTINE)) if out else empty()


def split(dataset: Dataset, frame: pl.DataFrame, model: Any = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Validate `frame` once against its model: (rows that pass, quarantined rows). Raises
    ValidationFailure when the frame itself is broken (a missing column, a wrong dtype)."""
    import warnings

    import pandera.errors as pe

    model = model if model is not None else MODELS[dataset]
    try:
        with warnings.catch_warnings():  # metrics whose parts do not add up are reported by part_whole
            warnings.simplefilter("ignore")
            model.validate(frame, lazy=True)
        return frame, empty()
    except (pe.SchemaErrors, pe.SchemaError) as exc:
        cases = getattr(exc, "failure_cases", None)
        if not isinstance(cases, pl.DataFrame) or cases["index"].null_count() > 0:
            raise ValidationFailure(str(dataset), failure_details(exc, frame)) from None
        reasons: dict[int, list[tuple[str, str]]] = {}
        for c in cases.iter_rows(named=True):
            check = str(c["check"])
            rule = check.split(":", 1)[0].split("(", 1)[0]
            col = c.get("column")
            where = f"{col} = {c['failure_case']!r}: " if col and not str(col).endswith("Model") and col != dataset else ""
            reasons.setdefault(int(c["index"]), []).append((rule, where + check))
        bad = sorted(reasons)
        keep = frame.with_row_index("__i").filter(~pl.col("__i").is_in(bad)).drop("__i")
        return keep, rows(str(dataset), frame, reasons)
