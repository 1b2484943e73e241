"""Consultation metrics pivoted per document: participants, proposals, votes, ... as whole numbers,
with the sum of their stated parts when the text gives them."""

from __future__ import annotations

from typing import Any

import polars as pl

from tally.reconcile.base import is_rounded
from tally.schemas import empty, polars_schema
from tally.vocabulary import METRICS, Dataset, Kind, Qualifier, Rule, Status

CLOSE = 0.25  # a precise figure this close to the largest statement restates it


def _best(figs: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The metric's value: the largest statement of it ("~200 attendees" over "Four attendees"),
    replaced by a precise exact figure close to it ("11,661" over "over 11,000")."""
    figs = [f for f in figs if f["value_max"] is None and f["value"] is not None and f["qualifier"] != Qualifier.AT_MOST]
    if not figs:
        return None
    top = max(figs, key=lambda f: f["value"])
    precise = [f for f in figs if f["qualifier"] == Qualifier.EXACT and not is_rounded(f)
               and abs(f["value"] - top["value"]) <= CLOSE * top["value"]]
    return max(precise, key=lambda f: f["value"]) if precise else top


def build_metrics(documents: pl.DataFrame, figures: pl.DataFrame, reconciliations: pl.DataFrame) -> pl.DataFrame:
    parts_of: dict[str, float] = {}
    for r in reconciliations.filter(pl.col("rule") == Rule.PART_WHOLE).iter_rows(named=True):
        parts_of[r["figure_ids"][0]] = r["observed"]
    counts: dict[str, list[dict[str, Any]]] = {}  # doc_id -> its counts: one pass, not a filter per document
    for f in figures.filter(pl.col("kind") == Kind.COUNT).iter_rows(named=True):
        counts.setdefault(f["doc_id"], []).append(f)
    rows = []
    for doc in documents.filter(pl.col("status") == Status.OK).iter_rows(named=True):
        doc_figs = counts.get(doc["doc_id"], [])
        row: dict[str, Any] = {"source": doc["source"], "doc_id": doc["doc_id"]}
        for metric, heads in METRICS.items():
            best = _best([f for f in doc_figs if f["head"] in heads])
            row[metric] = int(best["value"]) if best and float(best["value"]).is_integer() else None
            parts = parts_of.get(best["figure_id"]) if best else None
            row[f"{metric}_parts"] = round(parts) if parts is not None else None
        if any(row[m] is not None for m in METRICS):
            rows.append(row)
    return pl.DataFrame(rows, schema=polars_schema(Dataset.METRICS), orient="row") if rows else empty(Dataset.METRICS)
