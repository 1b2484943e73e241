"""Check that the figures of a document add up; one row per check in `reconciliations`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

import polars as pl

from tally.reconcile import (
    ballots,
    bases,
    budget,
    columns,
    combined,
    funding,
    gaps,
    itemised,
    list_total,
    mentions,
    named,
    named_wholes,
    parts,
    rates,
    results,
    shares,
    spans,
)
from tally.reconcile.base import Doc, Result
from tally.schemas import empty, polars_schema
from tally.settings import ReconcileSettings
from tally.vocabulary import Dataset, Rule

__all__ = ["RULES", "FrameCache", "reconcile", "reconcile_document"]

Check = Callable[[Doc, ReconcileSettings], list[Result]]


def _all(*checks: Check) -> Check:
    """One rule made of several families of checks. Two families that find the same check (the
    same first figure, relation, stated and observed values) give it once, as the first one words it."""
    def run(doc: Doc, settings: ReconcileSettings) -> list[Result]:
        out, seen = [], set()
        for check in checks:
            for r in check(doc, settings):
                key = (r.rule, r.figure_ids[0], r.relation, None if r.stated is None else round(r.stated, 3),
                       None if r.observed is None else round(r.observed, 3))
                if key not in seen:
                    seen.add(key)
                    out.append(r)
        return out
    return run


RULES: dict[Rule, Check] = {
    Rule.LIST_TOTAL: _all(list_total.check, columns.row_counts, named.named_items),
    Rule.RESTATEMENT: _all(mentions.restatement, rates.in_words, rates.durations_restated),
    Rule.REPEATED_MENTION: mentions.repeated_mention,
    Rule.PART_WHOLE: _all(parts.part_whole, columns.column_totals, ballots.ballot_arithmetic, itemised.item_sums,
                          combined.combined_totals, funding.funding_sources,
                          combined.channel_breakdowns, columns.named_column_totals),
    Rule.SUBSET: _all(parts.subset, named_wholes.named_wholes, itemised.answers_within, funding.shares_within),
    Rule.PERCENT_OF: _all(parts.percent_of, columns.row_rates, shares.shares_of_one_whole, bases.percents_of_stated_wholes,
                             funding.funded_shares),
    Rule.PRODUCT: rates.product,
    Rule.DIFFERENCE: _all(results.difference, budget.budget, spans.anniversaries, gaps.age_gaps),
}


class FrameCache(Protocol):
    """Where the checks of an unchanged document are kept between runs (`tally.publish.cache`)."""

    def get(self, key: str) -> pl.DataFrame | None: ...

    def put(self, key: str, frame: pl.DataFrame) -> None: ...


def reconcile_document(doc: Doc, settings: ReconcileSettings | None = None) -> list[Result]:
    settings = settings or ReconcileSettings()
    out: list[Result] = []
    for name, rule in RULES.items():
        if settings.enabled(name):
            out.extend(rule(doc, settings))
    out.sort(key=lambda r: (r.line, r.rule))
    return out


def _document_frame(doc: Doc, settings: ReconcileSettings) -> pl.DataFrame:
    rows = [(doc.doc_id, doc.source, r.rule, r.figure_ids, r.stated, r.observed, r.relation, r.holds, r.severity,
             r.message, r.line) for r in reconcile_document(doc, settings)]
    return pl.DataFrame(rows, schema=polars_schema(Dataset.RECONCILIATIONS), orient="row")


def reconcile(texts: Iterable[tuple[Any, ...]], figures: pl.DataFrame,
              settings: ReconcileSettings | None = None, cache: FrameCache | None = None) -> pl.DataFrame:
    """`reconciliations` for documents given as (doc_id, source, text) or (doc_id, source, text, the
    lines a reader parsed, `tally.read.formats`) and their figures. With a
    cache, the checks of a document are kept under its doc_id and the settings (the cache's own
    key adds the fingerprint of this stage's code)."""
    settings = settings or ReconcileSettings()
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for row in figures.iter_rows(named=True):
        by_doc.setdefault(row["doc_id"], []).append(row)
    frames = []
    for doc_id, source, text, *layout in texts:
        key = f"{doc_id}.{settings.key()}"
        cached = cache.get(key) if cache is not None else None
        if cached is not None:
            frames.append(cached.with_columns(pl.lit(source).alias("source")))
            continue
        frame = _document_frame(Doc(doc_id, source, text, by_doc.get(doc_id, []), layout[0] if layout else None), settings)
        if cache is not None:
            cache.put(key, frame)
        frames.append(frame)
    return pl.concat(frames) if frames else empty(Dataset.RECONCILIATIONS)
