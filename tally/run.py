"""The curate job as plain library calls: read raw/, extract, validate, publish."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from tally.errors import RawFolderError
from tally.pipeline import build_frames, reconcile_frames
from tally.publish import publish
from tally.reading import RawDocument, read_corpus
from tally.reconcile import Settings
from tally.validation import validate_all


@dataclass
class Summary:
    raw: str
    out: str
    documents: int = 0
    documents_ok: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    figures: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    checks: dict[str, int] = field(default_factory=dict)  # reconciliations by severity
    errors: list[tuple[str, int, str, str]] = field(default_factory=list)  # source, line, rule, message
    seconds: float = 0.0
    published: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def read_raw(raw: Path) -> list[RawDocument]:
    docs = read_corpus(raw)
    if not docs:
        raise RawFolderError(f"raw folder `{raw}` holds no .txt file: put the texts to curate there")
    return docs


def summarise(raw: Path, out: Path, documents: pl.DataFrame, figures: pl.DataFrame, t0: float,
              reconciliations: pl.DataFrame | None = None) -> Summary:
    rejected = documents.filter(pl.col("status") == "rejected").select("source", "reason").rows()
    checks: dict[str, int] = {}
    errors: list[tuple[str, int, str, str]] = []
    if reconciliations is not None:
        checks = dict(Counter(reconciliations["severity"].to_list()).most_common())
        errors = [tuple(r) for r in reconciliations.filter(pl.col("severity") == "error")
                  .select("source", "line", "rule", "message").rows()]
    return Summary(
        raw=str(raw), out=str(out), documents=documents.height,
        documents_ok=documents.height - len(rejected), rejected=[(s, r) for s, r in rejected],
        figures=figures.height, by_kind=dict(Counter(figures["kind"].to_list()).most_common()),
        checks=checks, errors=errors, seconds=round(time.perf_counter() - t0, 3),
    )


def run_local(raw: Path, out: Path, settings: Settings | None = None) -> Summary:
    """The whole job in this process without Prefect (tests, and what the flow's tasks call)."""
    t0 = time.perf_counter()
    docs = read_raw(raw)
    documents, figures = build_frames(docs)
    reconciliations, metrics = reconcile_frames(docs, documents, figures, settings)
    validate_all(documents, figures, reconciliations, metrics)
    written = publish(out, {"documents": documents, "figures": figures, "reconciliations": reconciliations,
                            "metrics": metrics})
    summary = summarise(raw, out, documents, figures, t0, reconciliations)
    summary.published = [str(p) for p in written]
    return summary


def curate(raw: Path | str = "raw", out: Path | str = "curated", settings: Settings | None = None) -> Summary:
    """Run the `curate` Prefect flow (embedded server unless PREFECT_API_URL is set)."""
    from tally.prefect_env import configure

    configure()
    from flows.curate import run_flow

    return run_flow(Path(raw), Path(out), settings)
