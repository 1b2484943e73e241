"""The report's content as plain rows: documents, their figures and text, and the checks that
point at them. No HTML here (see `render`); every string is still the raw source text."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from tally.report.data import ReportData
from tally.report.palette import SEVERITY_ORDER
from tally.report.segments import segments
from tally.vocabulary import Kind, Severity, Status


@dataclass
class DocView:
    index: int
    source: str
    doc_id: str
    status: str
    language: str
    reason: str | None
    n_figures: int
    kinds: Counter[str] = field(default_factory=Counter)
    checks: Counter[str] = field(default_factory=Counter)  # severity -> checks of this document
    payload: dict[str, Any] | None = None  # the lazy part: text segments and figure details


@dataclass
class CheckView:
    index: int
    doc: int | None  # the document's index, None when its document is not in the report
    figures: list[int]  # indexes of its figures in their document (shown ones only)
    source: str
    line: int
    rule: str
    severity: str
    message: str
    hidden_figures: int  # figures it names that are not published (quarantined)


def number(value: float | None) -> str:
    """11661.0 -> '11,661'; 1234567.5 -> '1,234,567.5'; 0.25 -> '0.25'; None -> ''."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return format(value, ",.15g")


def figure_value(row: dict[str, Any]) -> str:
    if row.get("kind") == Kind.DATE and row.get("date_iso"):
        return str(row["date_iso"])
    low, high = number(row.get("value")), number(row.get("value_max"))
    return f"{low}–{high}" if high and high != low else low


def _figure_detail(row: dict[str, Any], with_text: bool) -> dict[str, Any]:
    """A figure for the page's script; its text only when the document's text is not shown (the
    page reads it from the highlighted span otherwise). Empty fields are left out."""
    detail = {"k": row["kind"], "v": figure_value(row), "u": row.get("unit") or "", "q": row["qualifier"],
              "c": row.get("counted") or "", "o": row["start"], "l": row["line"], "t": row["text"] if with_text else ""}
    return {k: v for k, v in detail.items() if v != ""}


def _payload(doc_id: str, rows: list[dict[str, Any]], text: str | None, missing: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"d": doc_id, "f": [_figure_detail(r, text is None) for r in rows]}
    if text is not None:
        out["s"] = segments(text, [(r["start"], r["end"]) for r in rows])
    else:
        out["m"] = missing or "its text is not available"
    return out


def build_views(data: ReportData) -> tuple[list[DocView], list[CheckView]]:
    """Every document with its figures (sorted by start) and every check, errors first."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for row in data.figures.sort("doc_id", "start").iter_rows(named=True):
        by_doc.setdefault(row["doc_id"], []).append(row)
    docs: list[DocView] = []
    where: dict[str, tuple[int, int]] = {}  # figure_id -> (document, figure)
    index_of: dict[str, int] = {}
    for i, d in enumerate(data.documents.sort("source").iter_rows(named=True)):
        rows = by_doc.get(d["doc_id"], []) if d["status"] == Status.OK else []
        view = DocView(i, d["source"], d["doc_id"], d["status"], d["language"], d["reason"], len(rows),
                       Counter(r["kind"] for r in rows))
        if d["status"] == Status.OK:
            index_of.setdefault(d["doc_id"], i)
            view.payload = _payload(d["doc_id"], rows, data.texts.get(d["doc_id"]), data.missing.get(d["doc_id"]))
            for j, r in enumerate(rows):
                where[r["figure_id"]] = (i, j)
        docs.append(view)
    rank = {s: n for n, s in enumerate(SEVERITY_ORDER)}
    recs = data.reconciliations.with_columns(
        pl.col("severity").replace_strict(rank, default=len(rank), return_dtype=pl.Int64).alias("__rank"))
    checks: list[CheckView] = []
    for k, r in enumerate(recs.sort("__rank", "source", "line", "rule").iter_rows(named=True)):
        found = [where[f] for f in r["figure_ids"] if f in where]
        doc = index_of.get(r["doc_id"])
        if doc is not None:
            docs[doc].checks[r["severity"]] += 1
        checks.append(CheckView(k, doc, sorted({j for i, j in found if i == doc}), r["source"], r["line"], r["rule"],
                                r["severity"], r["message"], len(r["figure_ids"]) - len(found)))
    return docs, checks


def failing(checks: list[CheckView]) -> int:
    return sum(1 for c in checks if c.severity != Severity.INFO)
