"""Shorthands the tests share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from tally.pipeline import Summary, run
from tally.settings import ReconcileSettings, Settings


def edited_samples(raw_dir: Path, raw: Path, n: int,
                   edit: Callable[[int], str] = lambda i: f"Edit {i}: {i + 10} speakers and {3 * i} of the "
                                                        f"{5 * i} projects.") -> Path:
    """`n` files `doc-000.txt`... in `raw` (made here): the sample texts in turn, each with the line
    `edit(i)` added, so that every file differs (the batched runners' corpora: `2 * BATCH + 10`
    files are three batches)."""
    raw.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted(raw_dir.glob("*.txt"))]
    for i in range(n):
        (raw / f"doc-{i:03d}.txt").write_text(f"{texts[i % len(texts)]}\n{edit(i)}\n", encoding="utf-8")
    return raw


def settings_for(raw: Path, out: Path, reconcile: ReconcileSettings | None = None, keep: int = 5) -> Settings:
    return Settings(raw=raw, out=out, keep=keep, reconcile=reconcile or ReconcileSettings())


def run_local(raw: Path, out: Path, reconcile: ReconcileSettings | None = None, keep: int = 5,
              use_cache: bool = True, wait: float = 0.0) -> Summary:
    """The local runner on `raw` -> `out`."""
    return run(settings_for(Path(raw), Path(out), reconcile, keep), wait, use_cache)


def break_candidates(monkeypatch: Any, change: Callable[[pl.DataFrame], pl.DataFrame]) -> None:
    """Make the extraction step hand `change(candidates)` to the audit, in both runners. It stands
    for a change of the code, which the batch cache's key holds: no batch comes from that cache."""
    from tally import pipeline
    from tally.publish.batches import BatchCache

    monkeypatch.setattr(BatchCache, "load", lambda self, key: None)
    real = pipeline.extract_batch

    def broken(docs: Any, seen: Any = None, cache: Any = None) -> Any:
        part = real(docs, seen, cache)
        part.candidates = change(part.candidates)
        return part

    monkeypatch.setattr(pipeline, "extract_batch", broken)
