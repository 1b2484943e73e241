"""Rows that break their contract leave the published data for a `quarantine` dataset, with
the rule, the reason and where they stand; a broken frame (a missing column, a wrong dtype) is
not data to quarantine but an error that stops the publish."""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from tally.errors import ValidationFailure
from tally.validation import failure_details

QUARANTINE_SCHEMA = pl.Schema({
    "dataset": pl.String(), "source": pl.String(), "doc_id": pl.String(), "row_id": pl.String(),
    "start": pl.Int64(), "end": pl.Int64(), "line": pl.Int64(), "rule": pl.String(), "reason": pl.String(),
    "row": pl.String(),
})


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=QUARANTINE_SCHEMA)


def _row_id(dataset: str, r: dict[str, Any]) -> str:
    if dataset == "figures":
        return str(r.get("figure_id"))
    if dataset == "documents":
        return str(r.get("source"))
    if dataset == "reconciliations":
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
    return pl.DataFrame(out, schema=QUARANTINE_SCHEMA) if out else empty()


def split(dataset: str, frame: pl.DataFrame, model: Any) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(rows that pass, quarantined rows). Raises ValidationFailure when the frame itself is broken."""
    import warnings

    import pandera.errors as pe

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.validate(frame, lazy=True)
        return frame, empty()
    except (pe.SchemaErrors, pe.SchemaError) as exc:
        cases = getattr(exc, "failure_cases", None)
        if not isinstance(cases, pl.DataFrame) or cases["index"].null_count() > 0:
            raise ValidationFailure(dataset, failure_details(exc, frame)) from None
        reasons: dict[int, list[tuple[str, str]]] = {}
        for c in cases.iter_rows(named=True):
            check = str(c["check"])
            rule = check.split(":", 1)[0].split("(", 1)[0]
            col = c.get("column")
            where = f"{col} = {c['failure_case']!r}: " if col and not str(col).endswith("Model") and col != dataset else ""
            reasons.setdefault(int(c["index"]), []).append((rule, where + check))
        bad = sorted(reasons)
        keep = frame.with_row_index("__i").filter(~pl.col("__i").is_in(bad)).drop("__i")
        return keep, rows(dataset, frame, reasons)
