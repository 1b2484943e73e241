"""Check that the figures of a document add up; one row per check in `reconciliations`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import polars as pl

from tally.reconcile import list_total, mentions, parts
from tally.reconcile.base import RECONCILIATION_SCHEMA, Doc, Result, Settings

__all__ = ["RECONCILIATION_SCHEMA", "RULES", "Settings", "reconcile", "reconcile_document"]

RULES: dict[str, Callable[[Doc, Settings], list[Result]]] = {
    "list_total": list_total.check,
    "restatement": mentions.restatement,
    "repeated_mention": mentions.repeated_mention,
    "part_whole": parts.part_whole,
    "subset": parts.subset,
    "percent_of": parts.percent_of,
}


def reconcile_document(doc: Doc, settings: Settings | None = None) -> list[Result]:
    settings = settings or Settings()
    out: list[Result] = []
    for name, rule in RULES.items():
        if settings.rules.get(name, True):
            out.extend(rule(doc, settings))
    out.sort(key=lambda r: (r.line, r.rule))
    return out


def reconcile(texts: Iterable[tuple[str, str, str]], figures: pl.DataFrame,
              settings: Settings | None = None) -> pl.DataFrame:
    """`reconciliations` for documents given as (doc_id, source, text) and their figures."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for row in figures.iter_rows(named=True):
        by_doc.setdefault(row["doc_id"], []).append(row)
    rows = []
    for doc_id, source, text in texts:
        doc = Doc(doc_id, source, text, by_doc.get(doc_id, []))
        for r in reconcile_document(doc, settings):
            rows.append((doc_id, source, r.rule, r.figure_ids, r.stated, r.observed, r.relation, r.holds,
                         r.severity, r.message, r.line))
    return pl.DataFrame(rows, schema=RECONCILIATION_SCHEMA, orient="row")
