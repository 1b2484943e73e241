"""What the review report shows, gathered from a run in memory or from a published curated folder.

The snapshot holds the datasets, not the texts: a run passes the texts it read; a report of a
publish reads each text again from the raw folder its manifest records, through the same safe
reader as a run, and uses it only if its bytes still hash to the published `doc_id`. A text that
is gone or changed is reported as such on the page, with its figures listed without their text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from tally.publish.reader import published
from tally.read.files import read_document
from tally.vocabulary import Dataset, Severity, Status

# The most figures one report shows: its page (and the memory to build it) stays bounded however
# large the corpus; documents with failing checks come first (about 1 s of rendering per 30,000 on this machine).
REPORT_FIGURES = 50_000


@dataclass
class ReportData:
    """The datasets of one publish, the texts found for its documents and where they came from."""

    documents: pl.DataFrame
    figures: pl.DataFrame
    reconciliations: pl.DataFrame
    quarantine: pl.DataFrame
    texts: dict[str, str]  # doc_id -> text
    missing: dict[str, str] = field(default_factory=dict)  # doc_id -> why its text is not shown
    info: dict[str, str] = field(default_factory=dict)  # run id, created, raw folder, versions


def from_frames(frames: Mapping[str, pl.DataFrame], texts: Mapping[str, str], info: Mapping[str, str]) -> ReportData:
    """A report of datasets in memory (a run, before it publishes) and the texts it read."""
    documents = frames[Dataset.DOCUMENTS]
    ok = documents.filter(pl.col("status") == Status.OK)
    missing = {d: "the run did not keep this text" for d in ok["doc_id"].to_list() if d not in texts}
    return ReportData(documents, frames[Dataset.FIGURES], frames[Dataset.RECONCILIATIONS], frames[Dataset.QUARANTINE],
                      {d: texts[d] for d in ok["doc_id"].to_list() if d in texts}, missing, dict(info))


def _read_texts(documents: pl.DataFrame, raw: Path) -> tuple[dict[str, str], dict[str, str]]:
    texts: dict[str, str] = {}
    missing: dict[str, str] = {}
    ok = documents.filter(pl.col("status") == Status.OK).select("source", "doc_id").rows()
    if not raw.is_dir():
        return {}, {d: f"the raw folder `{raw}` is not there any more: pass --raw DIR" for _, d in ok}
    for source, doc_id in ok:
        if "\\x" in source:  # the name was not UTF-8: the stored name cannot be opened again
            missing[doc_id] = "its file name is not UTF-8, so it cannot be found again by name"
            continue
        doc = read_document(raw / source, raw)
        if doc.text is None:
            missing[doc_id] = f"`{raw / source}` cannot be read now: {doc.reason}"
        elif doc.doc_id != doc_id:
            missing[doc_id] = f"`{raw / source}` changed since this publish (its sha256 differs)"
        else:
            texts[doc_id] = doc.text
    return texts, missing


def from_published(curated: Path, raw: Path | None = None) -> ReportData:
    """A report of the publish `curated/current` points at, with the texts read from `raw`
    (default: the raw folder its manifest records, relative to the current folder or, failing
    that, to the curated folder's parent)."""
    with published(curated) as pub:
        frames = {name: pub.read(name) for name in (Dataset.DOCUMENTS, Dataset.FIGURES, Dataset.RECONCILIATIONS,
                                                   Dataset.QUARANTINE)}
        manifest: dict[str, Any] = pub.manifest
    if raw is None:  # as the run named it: relative to the folder it ran in, else beside the curated folder
        recorded = Path(str(manifest.get("raw", "raw")))
        beside = Path(curated).parent / recorded
        raw = beside if not recorded.is_absolute() and not recorded.is_dir() and beside.is_dir() else recorded
    info = {"run_id": str(manifest.get("run_id", "")), "created": str(manifest.get("created", "")),
            "raw": str(raw), "tally_version": str(manifest.get("tally_version", ""))}
    return from_datasets(frames, raw, info)


def shown_documents(documents: pl.DataFrame, reconciliations: pl.DataFrame, budget: int = REPORT_FIGURES) -> set[str]:
    """The doc_ids of the read documents a report shows: those with a failing check first, then
    the others, each group in source order, while their figures fit in `budget` (the first
    document is always shown)."""
    failing = set(reconciliations.filter(pl.col("severity") != Severity.INFO)["doc_id"].to_list())
    ok = documents.filter(pl.col("status") == Status.OK).select("doc_id", "source", "n_figures")
    ranked = ok.with_columns(pl.col("doc_id").is_in(list(failing)).not_().alias("__later")).sort("__later", "source")
    shown: set[str] = set()
    total = 0
    for doc_id, n in ranked.select("doc_id", "n_figures").iter_rows():
        if shown and total + n > budget:
            break
        shown.add(doc_id)
        total += n
    return shown


def within_budget(frames: Mapping[Dataset, pl.DataFrame], info: Mapping[str, str],
                  budget: int = REPORT_FIGURES) -> tuple[dict[Dataset, pl.DataFrame], dict[str, str]]:
    """The datasets cut to the documents `shown_documents` picks (rejected and skipped files all
    stay), with a line for the report's header saying what was left out; unchanged when all fit."""
    documents, figures = frames[Dataset.DOCUMENTS], frames[Dataset.FIGURES]
    if figures.height <= budget:
        return dict(frames), dict(info)
    checks = frames[Dataset.RECONCILIATIONS]
    shown = shown_documents(documents, checks, budget)
    failing = checks.filter(pl.col("severity") != Severity.INFO).select("doc_id")
    return _cut(frames, shown), {**info, "shown": _shown_note(documents, shown, figures.height, failing)}


def _cut(frames: Mapping[Dataset, pl.DataFrame], shown: set[str]) -> dict[Dataset, pl.DataFrame]:
    keep = list(shown)
    out = dict(frames)
    out[Dataset.DOCUMENTS] = frames[Dataset.DOCUMENTS].filter(
        (pl.col("status") != Status.OK) | pl.col("doc_id").is_in(keep))
    for name in (Dataset.FIGURES, Dataset.RECONCILIATIONS):
        out[name] = frames[name].filter(pl.col("doc_id").is_in(keep))
    return out


def _shown_note(documents: pl.DataFrame, shown: set[str], n_figures: int, failing: pl.DataFrame) -> str:
    """What a cut report shows of the whole: documents, figures and failing checks (`failing`:
    the doc_id of every failing check of the run)."""
    ok = documents.filter(pl.col("status") == Status.OK)
    keep = list(shown)
    figs = int(ok.filter(pl.col("doc_id").is_in(keep))["n_figures"].sum())
    fails = failing.filter(pl.col("doc_id").is_in(keep)).height
    return (f"{len(shown):,} of {ok.height:,} documents, {figs:,} of {n_figures:,} figures and {fails:,} of "
            f"{failing.height:,} failing checks (documents with failing checks first); every row is in the datasets")


def from_datasets(frames: Mapping[Dataset, pl.DataFrame], raw: Path, info: Mapping[str, str],
                  budget: int = REPORT_FIGURES) -> ReportData:
    """A report of written datasets (a publish, or a streamed run's staging folder), with the
    texts read again from `raw` (or the reason each one cannot be), cut to `budget` figures."""
    frames, shown_info = within_budget(frames, info, budget)
    texts, missing = _read_texts(frames[Dataset.DOCUMENTS], raw)
    return ReportData(frames[Dataset.DOCUMENTS], frames[Dataset.FIGURES], frames[Dataset.RECONCILIATIONS],
                      frames[Dataset.QUARANTINE], texts, missing, shown_info)


def from_staged(folder: Path, raw: Path, info: Mapping[str, str], budget: int = REPORT_FIGURES) -> ReportData:
    """`from_datasets` of a folder of written datasets, reading only the figures and checks of
    the documents shown: the memory it takes is bounded by the budget, not by the corpus."""
    documents = pl.read_parquet(folder / f"{Dataset.DOCUMENTS}.parquet")
    quarantine = pl.read_parquet(folder / f"{Dataset.QUARANTINE}.parquet")
    figures = pl.scan_parquet(folder / f"{Dataset.FIGURES}.parquet")
    checks = pl.scan_parquet(folder / f"{Dataset.RECONCILIATIONS}.parquet")
    n_figures = int(documents["n_figures"].sum())
    if n_figures <= budget:
        frames = {Dataset.DOCUMENTS: documents, Dataset.QUARANTINE: quarantine, Dataset.FIGURES: figures.collect(),
                  Dataset.RECONCILIATIONS: checks.collect()}
        return from_datasets(frames, raw, info, budget)
    failing = checks.filter(pl.col("severity") != Severity.INFO).select("doc_id", "severity").collect()
    shown = shown_documents(documents, failing, budget)
    keep = list(shown)
    frames = _cut({Dataset.DOCUMENTS: documents, Dataset.QUARANTINE: quarantine,
                   Dataset.FIGURES: figures.filter(pl.col("doc_id").is_in(keep)).collect(),
                   Dataset.RECONCILIATIONS: checks.filter(pl.col("doc_id").is_in(keep)).collect()}, shown)
    texts, missing = _read_texts(frames[Dataset.DOCUMENTS], raw)
    note = _shown_note(documents, shown, n_figures, failing)
    return ReportData(frames[Dataset.DOCUMENTS], frames[Dataset.FIGURES], frames[Dataset.RECONCILIATIONS],
                      frames[Dataset.QUARANTINE], texts, missing, {**info, "shown": note})
