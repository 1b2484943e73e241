"""Check that the figures of a document add up; one row per check in `reconciliations`."""

from __future__ import annotations

import hashlib
import json
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
              settings: Settings | None = None, cache: Any = None) -> pl.DataFrame:
    """`reconciliations` for documents given as (doc_id, source, text) and their figures; with a
    cache (tally.cache.FigureCache), the results of an unchanged document under the same
    settings are reused (its figures, and so its checks, depend only on its bytes and the code)."""
    settings = settings or Settings()
    key = hashlib.sha256(json.dumps(settings.as_mapping(), sort_keys=True).encode()).hexdigest()[:12]
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for row in figures.iter_rows(named=True):
        by_doc.setdefault(row["doc_id"], []).append(row)
    frames = []
    for doc_id, source, text in texts:
        cached = cache.get_frame(f"{doc_id}.rec-{key}") if cache is not None else None
        if cached is not None:
            frames.append(cached.with_columns(pl.lit(source).alias("source")))
            continue
        doc = Doc(doc_id, source, text, by_doc.get(doc_id, []))
        rows = [(doc_id, source, r.rule, r.figure_ids, r.stated, r.observed, r.relation, r.holds, r.severity,
                 r.message, r.line) for r in reconcile_document(doc, settings)]
        frame = pl.DataFrame(rows, schema=RECONCILIATION_SCHEMA, orient="row")
        if cache is not None:
            cache.put_frame(f"{doc_id}.rec-{key}", frame)
        frames.append(frame)
    return pl.concat(frames) if frames else pl.DataFrame(schema=RECONCILIATION_SCHEMA)
