"""Publish a validated run: a new snapshot with its manifest, then `current` switched to it."""

from __future__ import annotations

import contextlib
import logging
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import polars as pl

from tally.errors import OutFolderError
from tally.publish.audit import Curated
from tally.publish.snapshots import (
    PublishStepError,
    check_out_folder,
    current_snapshot,
    discard,
    io_cause,
    prune,
    switch_current,
    write_snapshot,
)
from tally.read.files import RawDocument, utf8_name
from tally.schemas import SCHEMA_VERSION
from tally.storage import is_remote
from tally.version import __version__
from tally.vocabulary import Dataset

log = logging.getLogger("tally.publish")

QUARANTINED = "quarantined"  # a document row that broke its contract: in quarantine.parquet


def parquet_metadata(run_id: str = "") -> dict[str, str]:
    meta = {"tally.schema_version": SCHEMA_VERSION, "tally.version": __version__}
    if run_id:
        meta["tally.run_id"] = run_id
    return meta


def new_run_id() -> str:
    """Sortable by time to the microsecond: 20261122T003512.104233Z-3fa9c1."""
    now = time.time()
    return (time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f".{int(now % 1 * 1e6):06d}Z-"
            + secrets.token_hex(3))


def inputs(docs: list[RawDocument], curated: Curated) -> list[dict[str, Any]]:
    """Every raw file with the status `documents.parquet` gives it (a duplicate is `rejected`
    there and here), or `quarantined` when its documents row went to quarantine."""
    rows = {r["source"]: r for r in curated.documents.select("source", "status", "encoding", "reason").iter_rows(named=True)}
    q = curated.quarantine.filter(pl.col("dataset") == Dataset.DOCUMENTS)
    why = dict(q.select("source", "reason").iter_rows())
    out = []
    for d in docs:
        row = rows.get(d.source)
        out.append({"source": d.source, "sha256": d.doc_id or None,
                    "status": row["status"] if row else QUARANTINED,
                    "encoding": row["encoding"] if row else d.encoding,
                    "note": row["reason"] if row else why.get(d.source, d.reason)})
    return out


def manifest_head(run_id: str, raw: Path) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "tally_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "raw": utf8_name(str(raw)),
    }


def manifest(run_id: str, raw: Path, docs: list[RawDocument], curated: Curated) -> dict[str, Any]:
    q = curated.quarantine
    by_rule = q.group_by("dataset", "rule").len().sort("dataset", "rule").rows() if q.height else []
    sev = curated.reconciliations["severity"].value_counts().rows() if curated.reconciliations.height else []
    return {
        **manifest_head(run_id, raw),
        "inputs": inputs(docs, curated),
        "validation": {
            "quarantined_rows": q.height,
            "quarantined_documents": q.filter(pl.col("dataset") == Dataset.DOCUMENTS)["source"].to_list(),
            "quarantined_by_rule": [{"dataset": d, "rule": r, "rows": n} for d, r, n in by_rule],
            "reconciliation_severity": dict(sev),
        },
        "ledger": curated.ledger,
    }


def publish_stream(out: Path, run_id: str, batches: Iterable[dict[str, pl.DataFrame]], metadata: dict[str, str],
                   manifest_of: Callable[[], dict[str, Any]], keep: int = 5,
                   files_of: Callable[[Path], dict[str, bytes]] | None = None) -> Path:
    """`publish` for a run that comes in batches (`tally.stream`): each batch's frames are appended
    to the staging snapshot as they come; once the last is written, the manifest (`manifest_of()`,
    called then), the rename into snapshots/ and the switch of `current`, with the same guarantees
    and errors as `publish`. Anything raised while the batches are computed (a broken dataset,
    Ctrl-C) removes the staging folder and leaves `current` where it was. To an s3 `out`, the
    same publish is made in a local staging folder and uploaded (`tally.publish.remote`)."""
    from tally.publish.parts import SnapshotWriter

    if is_remote(out):
        from tally.publish import remote

        return remote.publish_via(out, run_id, keep, lambda stage: publish_stream(
            stage, run_id, batches, metadata, manifest_of, 1, files_of))
    check_out_folder(out)
    writer: SnapshotWriter | None = None

    def abort() -> None:  # the writer's open files, once it exists
        if writer is not None:
            writer.abort()

    with _publishing(out, run_id, abort):
        writer = SnapshotWriter(out, run_id, metadata)
        for frames in batches:
            for name, frame in frames.items():
                writer.append(name, frame)
        snap = writer.finish(manifest_of(), files_of)
        switch_current(out, snap, [str(d) for d in Dataset], tuple(writer.files))
    _prune(out, keep)
    return snap


@contextlib.contextmanager
def _publishing(out: Path, run_id: str, abort: Callable[[], None] = lambda: None) -> Iterator[None]:
    """Around the steps of a publish: on any failure, `abort()`, remove what this run wrote and
    re-raise; a failed step (PublishStepError) becomes one OutFolderError that says whether the
    previous publish is still in place."""
    before = current_snapshot(out)
    try:
        yield
    except PublishStepError as exc:
        abort()
        discard(out, run_id)
        kept = "the previous publish is still in place" if before is not None else "nothing was published"
        raise OutFolderError(f"cannot publish to `{out}`: {exc}; {kept}") from None
    except BaseException:
        abort()
        discard(out, run_id)
        raise


def _prune(out: Path, keep: int) -> None:
    try:
        prune(out, keep)
    except OSError as exc:  # published; old snapshots stay until the next run
        log.warning("published, but removing old snapshots of `%s` failed: %s", out, io_cause(exc))


def publish(out: Path, run_id: str, raw: Path, docs: list[RawDocument], curated: Curated,
            keep: int = 5, files: dict[str, bytes] | None = None) -> Path:
    """Write the snapshot, switch `current`, prune old snapshots. Hold the out folder's lock.

    An I/O error on the way (disk full, read-only or missing folder, too many open files, ...)
    is one OutFolderError naming the step, the path and the cause; what this run wrote is
    removed and `current` still points at the previous publish. `files` (name -> bytes) are
    written into the snapshot too, listed in the manifest and linked from the out folder. To an s3
    `out`, the same publish is made in a local staging folder and uploaded (`tally.publish.remote`)."""
    if is_remote(out):
        from tally.publish import remote

        return remote.publish_via(out, run_id, keep, lambda stage: publish(stage, run_id, raw, docs, curated, 1, files))
    check_out_folder(out)
    frames: dict[str, pl.DataFrame] = curated.frames()
    with _publishing(out, run_id):
        snap = write_snapshot(out, run_id, frames, parquet_metadata(run_id), manifest(run_id, raw, docs, curated),
                              files)
        switch_current(out, snap, list(frames), tuple(files or ()))
    _prune(out, keep)
    return snap
