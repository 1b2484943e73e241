"""Publish a validated run: a new snapshot with its manifest, then `current` switched to it."""

from __future__ import annotations

import secrets
import time
from pathlib import Path
from typing import Any

import polars as pl

from tally.errors import OutFolderError
from tally.publish.audit import Curated
from tally.publish.snapshots import prune, switch_current, write_snapshot
from tally.read.files import RawDocument
from tally.schemas import SCHEMA_VERSION
from tally.version import __version__


def parquet_metadata() -> dict[str, str]:
    return {"tally.schema_version": SCHEMA_VERSION, "tally.version": __version__}


def new_run_id() -> str:
    """Sortable by time to the microsecond: 20261122T003512.104233Z-3fa9c1."""
    now = time.time()
    return (time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f".{int(now % 1 * 1e6):06d}Z-"
            + secrets.token_hex(3))


def manifest(run_id: str, raw: Path, docs: list[RawDocument], curated: Curated) -> dict[str, Any]:
    q = curated.quarantine
    by_rule = q.group_by("dataset", "rule").len().sort("dataset", "rule").rows() if q.height else []
    sev = curated.reconciliations["severity"].value_counts().rows() if curated.reconciliations.height else []
    return {
        "run_id": run_id,
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "tally_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "raw": str(raw),
        "inputs": [{"source": d.source, "sha256": d.doc_id or None, "status": "ok" if d.ok else "rejected",
                    "encoding": d.encoding, "note": d.reason} for d in docs],
        "validation": {
            "quarantined_rows": q.height,
            "quarantined_by_rule": [{"dataset": d, "rule": r, "rows": n} for d, r, n in by_rule],
            "reconciliation_severity": dict(sev),
        },
        "ledger": curated.ledger,
    }


def publish(out: Path, run_id: str, raw: Path, docs: list[RawDocument], curated: Curated,
            keep: int = 5) -> Path:
    """Write the snapshot, switch `current`, prune old snapshots. Hold the out folder's lock."""
    frames: dict[str, pl.DataFrame] = curated.frames()
    try:
        snap = write_snapshot(out, run_id, frames, parquet_metadata(), manifest(run_id, raw, docs, curated))
        switch_current(out, snap, list(frames))
        prune(out, keep)
    except OSError as exc:
        raise OutFolderError(f"cannot publish to `{out}`: {exc.strerror or exc}; the previous publish is "
                             "still in place") from None
    return snap
