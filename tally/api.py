"""The public verbs: `extract` a text, `check` a raw folder, `curate` a raw folder into a curated
one, and read a publish whole (`published`, `read_published`).

All of them run in this process with no Prefect: the Prefect runner is `tally.flows.curate` (what
`tally run` uses).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tally.extract import extract
from tally.gate import Report, run_check
from tally.pipeline import Summary, run
from tally.publish.reader import Published, published, read_published
from tally.settings import Settings

__all__ = ["Published", "check", "curate", "extract", "published", "read_published"]


def _settings(settings: Settings | None, **given: Any) -> Settings:
    base = settings or Settings()
    updates = {k: v for k, v in given.items() if v is not None}
    return Settings.model_validate({**base.model_dump(), **updates}) if updates else base


def curate(raw: Path | str | None = None, out: Path | str | None = None, settings: Settings | None = None,
           keep: int | None = None, wait: float = 0.0) -> Summary:
    """Read `raw`, extract, reconcile, validate and publish to `out` (the local runner)."""
    s = _settings(settings, raw=Path(raw) if raw is not None else None, out=Path(out) if out is not None else None,
                  keep=keep)
    return run(s, wait)


def check(raw: Path | str | None = None, settings: Settings | None = None, against: Path | str | None = None) -> Report:
    """Extract, reconcile and validate `raw` without publishing: the findings of `tally check`."""
    s = _settings(settings, raw=Path(raw) if raw is not None else None)
    return run_check(s, Path(against) if against is not None else None)
