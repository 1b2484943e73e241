"""raw documents -> documents and figures frames. Pure functions, no Prefect, no I/O."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import polars as pl

from tally import progress
from tally.contract import FIGURE_FIELDS, document_polars_schema, figure_polars_schema
from tally.extract import figure_rows
from tally.language import detect_language
from tally.metrics import build_metrics
from tally.reading import RawDocument
from tally.reconcile import Settings, reconcile


def figures_of(doc: RawDocument, lang: str, cache: Any = None) -> list[tuple[object, ...]]:
    """Rows (source, doc_id, figure_id, *FIGURE_FIELDS) of one readable document; from the
    cache when its bytes and the extractor are unchanged."""
    assert doc.text is not None
    rows = cache.get(doc.doc_id, lang) if cache is not None else None
    if rows is None:
        rows = figure_rows(doc.text, lang)
        if cache is not None:
            cache.put(doc.doc_id, lang, rows)
    start_at = FIGURE_FIELDS.index("start")
    return [(doc.source, doc.doc_id, f"{doc.doc_id}:{row[start_at]}", *row) for row in rows]


def build_frames(docs: Iterable[RawDocument], cache: Any = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(documents, figures) frames for a batch of raw documents."""
    doc_rows: list[tuple[object, ...]] = []
    fig_rows: list[tuple[object, ...]] = []
    seen: dict[str, str] = {}
    for doc in docs:
        if doc.ok and doc.doc_id in seen:
            doc = RawDocument(doc.source, doc.doc_id, None, doc.encoding,
                              f"same bytes as `{seen[doc.doc_id]}`: its figures are published once, under that file")
        if not doc.ok:
            doc_rows.append((doc.source, doc.doc_id, 0, 0, 0, "und", doc.encoding, "rejected", doc.reason))
            continue
        assert doc.text is not None
        seen[doc.doc_id] = doc.source
        lang = detect_language(doc.text)
        rows = figures_of(doc, lang, cache)
        fig_rows.extend(rows)
        progress.advance(len(rows))
        doc_rows.append((doc.source, doc.doc_id, len(doc.text), len(rows), 0, lang, doc.encoding, "ok", doc.reason))
    documents = pl.DataFrame(doc_rows, schema=document_polars_schema(), orient="row")
    figures = pl.DataFrame(fig_rows, schema=figure_polars_schema(), orient="row")
    return documents, figures


def reconcile_frames(docs: Iterable[RawDocument], documents: pl.DataFrame, figures: pl.DataFrame,
                     settings: Settings | None = None, cache: Any = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(reconciliations, metrics) for the ok documents of a batch."""
    ok = set(documents.filter(pl.col("status") == "ok")["doc_id"].to_list())
    texts = [(d.doc_id, d.source, d.text) for d in docs if d.ok and d.doc_id in ok and d.text is not None]
    # a document listed twice (same bytes) is reconciled once, under its first source
    first: dict[str, tuple[str, str, str]] = {}
    for t in texts:
        first.setdefault(t[0], t)
    reconciliations = reconcile(list(first.values()), figures, settings, cache)
    return reconciliations, build_metrics(documents, figures, reconciliations)
