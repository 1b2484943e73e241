"""The `curate` flow: raw/ -> documents and figures -> validate -> publish to curated/.

Tasks are coarse (one per step, never one per row: each task run costs milliseconds); retries
are set on the I/O tasks only.
"""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.states import Failed, State

from tally.errors import DataError, ValidationFailure
from tally.pipeline import build_frames, reconcile_frames
from tally.publish import publish
from tally.reading import RawDocument
from tally.reconcile import Settings
from tally.run import Summary, read_raw, summarise
from tally.validation import validate_all


@task(name="discover-and-read", retries=2, retry_delay_seconds=1, cache_policy=NONE)
def read_task(raw: Path) -> list[RawDocument]:
    return read_raw(raw)


@task(name="extract", cache_policy=NONE)
def extract_task(docs: list[RawDocument]) -> tuple[pl.DataFrame, pl.DataFrame]:
    return build_frames(docs)


@task(name="reconcile", cache_policy=NONE)
def reconcile_task(docs: list[RawDocument], documents: pl.DataFrame, figures: pl.DataFrame,
                   settings: Settings | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    return reconcile_frames(docs, documents, figures, settings)


@task(name="validate", cache_policy=NONE)
def validate_task(documents: pl.DataFrame, figures: pl.DataFrame, reconciliations: pl.DataFrame,
                  metrics: pl.DataFrame) -> str | None:
    """The validation message, or None when both datasets hold. Bad data is a result of the
    check, not a crash of the task: it is reported once, without a traceback."""
    try:
        validate_all(documents, figures, reconciliations, metrics)
    except ValidationFailure as exc:
        return str(exc)
    return None


@task(name="publish", retries=2, retry_delay_seconds=1, cache_policy=NONE)
def publish_task(out: Path, frames: dict[str, pl.DataFrame]) -> list[str]:
    return [str(p) for p in publish(out, frames)]


@flow(name="curate", log_prints=False, persist_result=False)
def curate(raw: str = "raw", out: str = "curated", reconcile: dict[str, object] | None = None) -> dict[str, object] | State:
    t0 = time.perf_counter()
    raw_path, out_path = Path(raw), Path(out)
    settings = Settings.from_mapping(reconcile or {})
    docs = read_task(raw_path)
    documents, figures = extract_task(docs)
    reconciliations, metrics = reconcile_task(docs, documents, figures, settings)
    problem = validate_task(documents, figures, reconciliations, metrics)
    if problem is not None:
        get_run_logger().info(problem)  # the Failed state carries it; the CLI prints it once
        return Failed(message=problem)
    written = publish_task(out_path, {"documents": documents, "figures": figures,
                                      "reconciliations": reconciliations, "metrics": metrics})
    summary = summarise(raw_path, out_path, documents, figures, t0, reconciliations)
    summary.published = written
    return summary.as_dict()


def run_flow(raw: Path, out: Path, settings: Settings | None = None) -> Summary:
    """Call the flow with the per-flow heartbeat off (it adds ~1.1 s at every flow's end)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        overrides = settings.as_mapping() if settings else None
        state = curate(str(raw), str(out), overrides, return_state=True)
    if state.is_failed() and state.message and "failed validation" in state.message:
        raise DataError(state.message)
    result = state.result()  # re-raises the task's exception for any other failure
    return Summary(**result)  # type: ignore[arg-type]
