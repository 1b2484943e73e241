"""Shorthands the tests share."""

from __future__ import annotations

from pathlib import Path

from tally.pipeline import Summary, run
from tally.settings import ReconcileSettings, Settings


def settings_for(raw: Path, out: Path, reconcile: ReconcileSettings | None = None, keep: int = 5) -> Settings:
    return Settings(raw=raw, out=out, keep=keep, reconcile=reconcile or ReconcileSettings())


def run_local(raw: Path, out: Path, reconcile: ReconcileSettings | None = None, keep: int = 5,
              use_cache: bool = True, wait: float = 0.0) -> Summary:
    """The local runner on `raw` -> `out`."""
    return run(settings_for(Path(raw), Path(out), reconcile, keep), wait, use_cache)
