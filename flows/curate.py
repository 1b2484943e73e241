"""The `curate` flow: raw/ -> documents and figures -> reconcile -> audit -> publish to curated/.

Tasks are coarse (one per step, never one per row: each task run costs milliseconds); retries
are set on the I/O tasks only. The out folder's lock is held around the whole flow run.
"""

from __future__ import annotations

import time
from pathlib import Path

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NONE
from prefect.states import Failed, State

from tally.cache import FigureCache
from tally.curation import Curated, curate_frames
from tally.errors import DataError, ValidationFailure
from tally.lock import out_folder_lock
from tally.publish import DEFAULT_KEEP, new_run_id, publish
from tally.reading import RawDocument
from tally.reconcile import Settings
from tally.run import Summary, read_raw, summarise


@task(name="discover-and-read", retries=2, retry_delay_seconds=1, cache_policy=NONE)
def read_task(raw: Path) -> list[RawDocument]:
    return read_raw(raw)


@task(name="extract-reconcile-audit", cache_policy=NONE)
def audit_task(docs: list[RawDocument], settings: Settings, out: Path) -> tuple[Curated, int] | str:
    """Extract (cached by content), reconcile and validate; bad rows go to quarantine. A broken
    dataset is a result of the audit, not a crash: its message comes back, without a traceback."""
    cache = FigureCache(out)
    try:
        return curate_frames(docs, settings, cache), cache.hits
    except ValidationFailure as exc:
        return str(exc)


@task(name="publish", retries=2, retry_delay_seconds=1, cache_policy=NONE)
def publish_task(out: Path, run_id: str, raw: Path, docs: list[RawDocument], curated: Curated, keep: int) -> str:
    return str(publish(out, run_id, raw, docs, curated, keep))


@flow(name="curate", log_prints=False, persist_result=False)
def curate(raw: str = "raw", out: str = "curated", reconcile: dict[str, object] | None = None,
           keep: int = DEFAULT_KEEP) -> dict[str, object] | State:
    t0 = time.perf_counter()
    raw_path, out_path = Path(raw), Path(out)
    settings = Settings.from_mapping(reconcile or {})
    docs = read_task(raw_path)
    audited = audit_task(docs, settings, out_path)
    if isinstance(audited, str):
        get_run_logger().info(audited)  # the Failed state carries it; the CLI prints it once
        return Failed(message=audited)
    curated, hits = audited
    run_id = new_run_id()
    snapshot = publish_task(out_path, run_id, raw_path, docs, curated, keep)
    return summarise(raw_path, out_path, curated, t0, run_id, Path(snapshot), hits).as_dict()


def run_flow(raw: Path, out: Path, settings: Settings | None = None, keep: int = DEFAULT_KEEP,
             wait: float = 0.0) -> Summary:
    """Call the flow with the per-flow heartbeat off (it adds ~1.1 s at every flow's end)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with out_folder_lock(out, wait), temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        overrides = settings.as_mapping() if settings else None
        state = curate(str(raw), str(out), overrides, keep, return_state=True)
    if state.is_failed() and state.message and "failed validation" in state.message:
        raise DataError(state.message)
    result = state.result()  # re-raises the task's exception for any other failure
    return Summary(**result)  # type: ignore[arg-type]
