"""The curate job as plain library calls: read raw/, extract, validate, publish."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from tally.cache import FigureCache
from tally.curation import Curated, curate_frames
from tally.lock import out_folder_lock
from tally.publish import DEFAULT_KEEP, new_run_id, publish
from tally.reading import RawDocument, read_corpus, require_texts
from tally.reconcile import Settings


@dataclass
class Summary:
    raw: str
    out: str
    documents: int = 0
    documents_ok: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    figures: int = 0
    quarantined: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    checks: dict[str, int] = field(default_factory=dict)  # reconciliations by severity
    errors: list[tuple[str, int, str, str]] = field(default_factory=list)  # source, line, rule, message
    seconds: float = 0.0
    run_id: str = ""
    snapshot: str = ""
    cache_hits: int = 0
    published: list[str] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        """Published, but some files were rejected or some rows quarantined."""
        return bool(self.rejected) or self.quarantined > 0

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def read_raw(raw: Path) -> list[RawDocument]:
    docs = read_corpus(raw)
    require_texts([d.source for d in docs], raw)
    return docs


def summarise(raw: Path, out: Path, curated: Curated, t0: float, run_id: str = "", snapshot: Path | None = None,
              cache_hits: int = 0) -> Summary:
    documents, figures, reconciliations = curated.documents, curated.figures, curated.reconciliations
    rejected = documents.filter(pl.col("status") == "rejected").select("source", "reason").rows()
    checks = dict(Counter(reconciliations["severity"].to_list()).most_common())
    errors = [tuple(r) for r in reconciliations.filter(pl.col("severity") == "error")
              .select("source", "line", "rule", "message").rows()]
    names = list(curated.frames())
    return Summary(
        raw=str(raw), out=str(out), documents=documents.height,
        documents_ok=documents.height - len(rejected), rejected=[(s, r) for s, r in rejected],
        figures=figures.height, quarantined=curated.quarantine.height,
        by_kind=dict(Counter(figures["kind"].to_list()).most_common()),
        checks=checks, errors=errors, seconds=round(time.perf_counter() - t0, 3),
        run_id=run_id, snapshot=str(snapshot or ""), cache_hits=cache_hits,
        published=[str(out / f"{n}.parquet") for n in names],
    )


def run_local(raw: Path, out: Path, settings: Settings | None = None, keep: int = DEFAULT_KEEP,
              wait: float = 0.0, use_cache: bool = True) -> Summary:
    """The whole job in this process without Prefect: read, extract, audit, publish."""
    t0 = time.perf_counter()
    with out_folder_lock(out, wait):
        docs = read_raw(raw)
        cache = FigureCache(out) if use_cache else None
        curated = curate_frames(docs, settings, cache)
        run_id = new_run_id()
        snap = publish(out, run_id, raw, docs, curated, keep)
        if cache is not None:
            cache.prune_other_versions()
        return summarise(raw, out, curated, t0, run_id, snap, cache.hits if cache else 0)


def curate(raw: Path | str = "raw", out: Path | str = "curated", settings: Settings | None = None,
           keep: int = DEFAULT_KEEP, wait: float = 0.0) -> Summary:
    """Run the `curate` Prefect flow (embedded server unless PREFECT_API_URL is set)."""
    from tally.prefect_env import configure

    configure()
    from flows.curate import run_flow

    return run_flow(Path(raw), Path(out), settings, keep, wait)
