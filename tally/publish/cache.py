"""Incremental runs: what a stage computed for a document is kept under a key made of the
document's bytes (its doc_id), the stage's settings and the fingerprint of exactly the code the
stage runs (`tally.publish.fingerprint`), so an unchanged file is not processed again, yields
identical rows, and a changed rule can never publish stale results.

    <out>/.cache/<stage>-<fingerprint>/<doc_id>.<settings>.parquet
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import polars as pl

from tally.publish.fingerprint import stage_fingerprint

CACHE_DIR = ".cache"
# cached stage -> the entry module whose import closure is its code
STAGES = {"figures": "tally.extract", "reconcile": "tally.reconcile"}


class StageCache:
    """Frames of one stage, one parquet file per document and settings."""

    def __init__(self, out: Path, stage: str, fingerprint: str | None = None) -> None:
        self.stage = stage
        self.base = out / CACHE_DIR
        self.root = self.base / f"{stage}-{fingerprint or stage_fingerprint(STAGES[stage])}"
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> pl.DataFrame | None:
        try:
            frame = pl.read_parquet(self.root / f"{key}.parquet")
        except (OSError, pl.exceptions.PolarsError):
            self.misses += 1
            return None
        self.hits += 1
        return frame

    def put(self, key: str, frame: pl.DataFrame) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            path = self.root / f"{key}.parquet"
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            frame.write_parquet(tmp)
            os.replace(tmp, path)
        except OSError:
            return  # a cache that cannot be written only costs time

    def prune_other_versions(self) -> None:
        """Remove this stage's entries made by other versions of its code, and folders of no
        known stage (the one-folder cache of tally 0.5)."""
        if not self.base.is_dir():
            return
        for d in self.base.iterdir():
            ours = d.name.startswith(f"{self.stage}-")
            known = any(d.name.startswith(f"{stage}-") for stage in STAGES)
            if d != self.root and d.is_dir() and (ours or not known):
                with contextlib.suppress(OSError):
                    shutil.rmtree(d)
