"""Audit: validate every dataset, move bad rows to quarantine, and balance the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from tally import quarantine
from tally.errors import TallyError
from tally.pipeline import build_frames, reconcile_frames
from tally.reading import RawDocument
from tally.reconcile import Settings
from tally.validation import validate, validate_all


class LedgerError(TallyError):
    """Rows or files went missing between reading and publishing: a bug, never published."""


@dataclass
class Curated:
    documents: pl.DataFrame
    figures: pl.DataFrame
    reconciliations: pl.DataFrame
    metrics: pl.DataFrame
    quarantine: pl.DataFrame
    ledger: dict[str, Any] = field(default_factory=dict)

    def frames(self) -> dict[str, pl.DataFrame]:
        return {"documents": self.documents, "figures": self.figures, "reconciliations": self.reconciliations,
                "metrics": self.metrics, "quarantine": self.quarantine}


@dataclass
class Audited:
    """Documents and figures after their audit, with what was quarantined so far."""

    documents: pl.DataFrame
    candidates: pl.DataFrame
    figures: pl.DataFrame
    quarantined: list[pl.DataFrame]


def audit_extraction(documents: pl.DataFrame, candidates: pl.DataFrame) -> Audited:
    """Quarantine bad document and figure rows, and figures whose document is not ok."""
    from schemas import DocumentsModel, FiguresModel

    documents, q_docs = quarantine.split("documents", documents, DocumentsModel)
    figures, q_figs = quarantine.split("figures", candidates, FiguresModel)
    ok_ids = documents.filter(pl.col("status") == "ok")["doc_id"]
    orphans = figures.with_row_index("__i").filter(~pl.col("doc_id").is_in(ok_ids.implode()))
    if orphans.height:
        reasons = {int(i): [("doc_id_in_documents", "its document was quarantined or rejected")]
                   for i in orphans["__i"]}
        q_orphans = quarantine.rows("figures", figures, reasons)
        figures = figures.with_row_index("__i").filter(~pl.col("__i").is_in(orphans["__i"].implode())).drop("__i")
    else:
        q_orphans = quarantine.empty()
    counts = figures.group_by("source").len("n")
    qcounts = pl.concat([q_figs, q_orphans]).group_by("source").len("q")
    documents = (documents.drop("n_figures", "n_quarantined")
                 .join(counts, on="source", how="left").join(qcounts, on="source", how="left")
                 .with_columns(pl.col("n").fill_null(0).cast(pl.Int64).alias("n_figures"),
                               pl.col("q").fill_null(0).cast(pl.Int64).alias("n_quarantined"))
                 .select(documents.columns))
    return Audited(documents, candidates, figures, [q_docs, q_figs, q_orphans])


def audit_reconciliation(docs: list[RawDocument], audited: Audited, settings: Settings | None = None,
                         cache: Any = None) -> Curated:
    """Reconcile the audited figures, audit the results, check everything and balance the ledger."""
    from schemas import MetricsSchema, QuarantineModel, ReconciliationsModel

    reconciliations, metrics = reconcile_frames(docs, audited.documents, audited.figures, settings, cache)
    reconciliations, q_rec = quarantine.split("reconciliations", reconciliations, ReconciliationsModel)
    metrics, q_met = quarantine.split("metrics", metrics, MetricsSchema)
    quarantined = pl.concat([*audited.quarantined, q_rec, q_met])
    validate_all(audited.documents, audited.figures, reconciliations, metrics)  # what is left must hold, or stop
    validate("quarantine", quarantined, QuarantineModel)
    ledger = _ledger(docs, audited.documents, audited.candidates, audited.figures, quarantined)
    return Curated(audited.documents, audited.figures, reconciliations, metrics, quarantined, ledger)


def curate_frames(docs: list[RawDocument], settings: Settings | None = None, cache: Any = None) -> Curated:
    """Extract, audit, reconcile: everything but publishing."""
    documents, candidates = build_frames(docs, cache)
    return audit_reconciliation(docs, audit_extraction(documents, candidates), settings, cache)


def _ledger(docs: list[RawDocument], documents: pl.DataFrame, candidates: pl.DataFrame, figures: pl.DataFrame,
            quarantined: pl.DataFrame) -> dict[str, Any]:
    q = quarantined["dataset"].value_counts()
    qn = dict(q.rows()) if q.height else {}
    ledger = {
        "raw_files_seen": len(docs),
        "documents_ok": documents.filter(pl.col("status") == "ok").height,
        "documents_rejected": documents.filter(pl.col("status") == "rejected").height,
        "documents_quarantined": qn.get("documents", 0),
        "candidate_figures": candidates.height,
        "figures_published": figures.height,
        "figures_quarantined": qn.get("figures", 0),
    }
    files_ok = ledger["raw_files_seen"] == (ledger["documents_ok"] + ledger["documents_rejected"]
                                            + ledger["documents_quarantined"])
    rows_ok = ledger["candidate_figures"] == ledger["figures_published"] + ledger["figures_quarantined"]
    ledger["balanced"] = files_ok and rows_ok
    if not ledger["balanced"]:
        raise LedgerError(f"the ledger does not balance, nothing was published: {ledger}")
    return ledger
