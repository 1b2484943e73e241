"""Audit: validate every dataset once, move bad rows to quarantine, and balance the ledger."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from tally.errors import TallyError
from tally.publish import quarantine
from tally.publish.validation import check_references, validate
from tally.schemas import QuarantineModel
from tally.vocabulary import Dataset, Status


class LedgerError(TallyError):
    """Rows or files went missing between reading and publishing: a bug, never published."""


@dataclass
class Curated:
    """The datasets of a run, audited and ready to publish."""

    documents: pl.DataFrame
    figures: pl.DataFrame
    reconciliations: pl.DataFrame
    metrics: pl.DataFrame
    quarantine: pl.DataFrame
    ledger: dict[str, Any] = field(default_factory=dict)

    def frames(self) -> dict[str, pl.DataFrame]:
        return {str(d): getattr(self, str(d)) for d in Dataset}


@dataclass
class Audited:
    """Documents and figures after their audit, with what was quarantined so far."""

    documents: pl.DataFrame
    candidates: pl.DataFrame
    figures: pl.DataFrame
    quarantined: list[pl.DataFrame]


def _drop_orphans(documents: pl.DataFrame, figures: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Figures whose document was quarantined or rejected go to quarantine too."""
    ok_ids = documents.filter(pl.col("status") == Status.OK)["doc_id"]
    indexed = figures.with_row_index("__i")
    orphans = indexed.filter(~pl.col("doc_id").is_in(ok_ids.implode()))
    if not orphans.height:
        return figures, quarantine.empty()
    reasons = {int(i): [("doc_id_in_documents", "its document was quarantined or rejected")] for i in orphans["__i"]}
    kept = indexed.filter(~pl.col("__i").is_in(orphans["__i"].implode())).drop("__i")
    return kept, quarantine.rows(Dataset.FIGURES, figures, reasons)


def audit_extraction(documents: pl.DataFrame, candidates: pl.DataFrame) -> Audited:
    """Quarantine bad document and figure rows, and figures whose document is not ok."""
    documents, q_docs = quarantine.split(Dataset.DOCUMENTS, documents)
    figures, q_figs = quarantine.split(Dataset.FIGURES, candidates)
    figures, q_orphans = _drop_orphans(documents, figures)
    counts = figures.group_by("source").len("n")
    qcounts = pl.concat([q_figs, q_orphans]).group_by("source").len("q")
    documents = (documents.drop("n_figures", "n_quarantined")
                 .join(counts, on="source", how="left").join(qcounts, on="source", how="left")
                 .with_columns(pl.col("n").fill_null(0).cast(pl.Int64).alias("n_figures"),
                               pl.col("q").fill_null(0).cast(pl.Int64).alias("n_quarantined"))
                 .select(documents.columns))
    return Audited(documents, candidates, figures, [q_docs, q_figs, q_orphans])


def audit_results(audited: Audited, reconciliations: pl.DataFrame, metrics: pl.DataFrame,
                  raw_files_seen: int) -> Curated:
    """Audit the checks and metrics, check the references between datasets and balance the
    ledger; every frame is validated exactly once."""
    reconciliations, q_rec = quarantine.split(Dataset.RECONCILIATIONS, reconciliations)
    metrics, q_met = quarantine.split(Dataset.METRICS, metrics)
    quarantined = pl.concat([*audited.quarantined, q_rec, q_met])
    check_references(audited.documents, audited.figures, reconciliations)
    validate(Dataset.QUARANTINE, quarantined, QuarantineModel)
    ledger = balance(raw_files_seen, audited.documents, audited.candidates, audited.figures, quarantined)
    return Curated(audited.documents, audited.figures, reconciliations, metrics, quarantined, ledger)


def balance(raw_files_seen: int, documents: pl.DataFrame, candidates: pl.DataFrame, figures: pl.DataFrame,
            quarantined: pl.DataFrame) -> dict[str, Any]:
    """The ledger: raw files seen = documents ok + rejected + skipped + quarantined; candidate figures =
    published + quarantined. Raises LedgerError when it does not balance."""
    q = quarantined["dataset"].value_counts()
    qn = dict(q.rows()) if q.height else {}
    ledger: dict[str, Any] = {
        "raw_files_seen": raw_files_seen,
        "documents_ok": documents.filter(pl.col("status") == Status.OK).height,
        "documents_rejected": documents.filter(pl.col("status") == Status.REJECTED).height,
        "documents_skipped": documents.filter(pl.col("status") == Status.SKIPPED).height,
        "documents_quarantined": qn.get(Dataset.DOCUMENTS, 0),
        "candidate_figures": candidates.height,
        "figures_published": figures.height,
        "figures_quarantined": qn.get(Dataset.FIGURES, 0),
    }
    return balanced(ledger)


def balanced(ledger: dict[str, Any]) -> dict[str, Any]:
    """`ledger` (its counts, for one batch or summed over a run's batches) with `balanced` set;
    raises LedgerError when it does not balance."""
    files_ok = ledger["raw_files_seen"] == (ledger["documents_ok"] + ledger["documents_rejected"]
                                            + ledger["documents_skipped"] + ledger["documents_quarantined"])
    rows_ok = ledger["candidate_figures"] == ledger["figures_published"] + ledger["figures_quarantined"]
    ledger = {**ledger, "balanced": files_ok and rows_ok}
    if not ledger["balanced"]:
        raise LedgerError(f"the ledger does not balance, nothing was published: {ledger}")
    return ledger
