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
from tally.vocabulary import Dataset, Status


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


def from_datasets(frames: Mapping[Dataset, pl.DataFrame], raw: Path, info: Mapping[str, str]) -> ReportData:
    """A report of written datasets (a publish, or a streamed run's staging folder), with the
    texts read again from `raw` (or the reason each one cannot be)."""
    texts, missing = _read_texts(frames[Dataset.DOCUMENTS], raw)
    return ReportData(frames[Dataset.DOCUMENTS], frames[Dataset.FIGURES], frames[Dataset.RECONCILIATIONS],
                      frames[Dataset.QUARANTINE], texts, missing, dict(info))
