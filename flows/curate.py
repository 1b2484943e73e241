"""The Prefect runner: the batched run of `tally.stream` as tasks of the `curate` flow.

    preflight -> publish [ batch, batch, ... (each a task on the flow's task runner) ] -> artifacts

The `publish` task streams: batches of 50 files are submitted to the flow's task runner (a
process pool, Dask's `DaskTaskRunner`, or the flow's own process), and each batch's rows are
appended to the staging snapshot in batch order as they come, so the flow holds a few batches,
never the corpus. Tasks are coarse (a batch of documents per task, never a task per row: each
task run costs milliseconds); retries with exponential backoff are set on the I/O tasks only
(the raw folder's listing; the publish, retried whole with a fresh staging folder), and never
for Tally's own errors (they are not transient). Tally's exceptions leave the flow as themselves:
`state.result()` re-raises them. Each run leaves two artifacts: a markdown summary and a table of
failing checks and quarantined rows.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote_to_bytes

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NONE
from prefect.context import FlowRunContext
from prefect.task_runners import ProcessPoolTaskRunner
from prefect.tasks import exponential_backoff

from tally import pipeline, stream
from tally.errors import OutFolderError, OutFolderLayoutError, TallyError
from tally.publish.audit import Curated
from tally.publish.cache import StageCache
from tally.publish.lock import out_folder_lock
from tally.settings import Settings
from tally.vocabulary import Severity


def _transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry I/O failures, not Tally's own errors (a missing folder stays missing)."""
    exc = state.result(raise_on_failure=False)
    return not isinstance(exc, TallyError) or (isinstance(exc, OutFolderError)
                                                and not isinstance(exc, OutFolderLayoutError))


IO_RETRIES: dict[str, Any] = dict(retries=3, retry_delay_seconds=exponential_backoff(backoff_factor=1),
                                  retry_jitter_factor=0.2, retry_condition_fn=_transient)


@task(name="preflight", cache_policy=NONE, **IO_RETRIES)
def preflight_task(settings: Settings) -> list[Path]:
    return pipeline.preflight(settings)


@task(name="batch", cache_policy=NONE)
def batch_task(paths: list[Path], settings: Settings, caches: tuple[StageCache, StageCache] | None,
               seen: dict[str, str] | None = None, ship: bool = False) -> stream.BatchResult | stream.Shipped:
    """Read, extract, audit, reconcile and validate one batch (`stream.curate_batch`), wherever the
    flow's task runner runs it: this process, a process pool, a Dask worker (`ship`: its result
    is sent back to the flow's process)."""
    return stream.curate_batch(paths, settings, caches, seen, ship)


class Collected:
    """A batch task's future whose result, once taken, is freed with the batch. Prefect's future and
    the future it wraps refer to each other (a done callback), so the batch's rows in its final
    state waited for Python's cyclic collector, which counts Python objects and not the gigabytes
    of rows behind a few of them: the flow process grew by one batch's rows per batch (30 MB at
    20 kB files, 1.4 GB at 30 MB). Each taken result runs the collector over what the run made
    (`uncollected` froze everything older, so a collection costs ~2 ms, not 300)."""

    def __init__(self, future: Any) -> None:
        self.future = future

    def result(self) -> stream.BatchResult | stream.Shipped:
        future, self.future = self.future, None
        try:
            result: stream.BatchResult | stream.Shipped = future.result()
            return result
        finally:
            del future
            gc.collect()


@contextlib.contextmanager
def uncollected() -> Iterator[None]:
    """Everything alive now left out of the collector's work until the block ends (`gc.freeze`)."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@dataclass
class TaskExecutor:
    """`stream.Executor` for the flow: each batch a `batch` task, submitted to the flow's task
    runner (`window` in flight), or called in the flow's process (`inline`)."""

    settings: Settings
    caches: tuple[StageCache, StageCache] | None
    window: int
    remote: bool = True

    def submit(self, chunk: list[Path]) -> stream.Pending:
        return Collected(batch_task.submit(chunk, self.settings, self.caches, None, True))

    def inline(self, chunk: list[Path], seen: dict[str, str]) -> stream.BatchResult:
        return stream.received(batch_task(chunk, self.settings, self.caches, seen))


@contextlib.contextmanager
def task_executor(settings: Settings, caches: tuple[StageCache, StageCache] | None,
                  n_batches: int) -> Iterator[stream.Executor]:
    """Batches to the flow's task runner: a process pool or Dask, `2 *` its slots in flight; in the
    flow's process, in order, when the runner runs tasks in threads of this process, or when a
    process pool would get a single batch."""
    runner = FlowRunContext.get().task_runner  # type: ignore[union-attr]
    slots = task_slots(runner, settings)
    inline = slots == 0 or (isinstance(runner, ProcessPoolTaskRunner) and n_batches <= 1)
    with uncollected():
        yield TaskExecutor(settings, caches, window=0 if inline else 2 * slots)


def task_slots(runner: Any, settings: Settings) -> int:
    """Tasks the runner executes at once in other processes; 0 when it runs them in this process."""
    if isinstance(runner, ProcessPoolTaskRunner):  # made by `task_runner_for` with the settings' workers
        return stream.workers_for(settings)
    prefect_dask = sys.modules.get("prefect_dask")  # imported only when asked for
    if prefect_dask is not None and isinstance(runner, prefect_dask.DaskTaskRunner):
        from tally.flows.dask import cluster_slots

        return cluster_slots(runner)
    return 0


def _publish_retry(task: Any, task_run: Any, state: Any) -> bool:
    """A streamed publish is retried whole (fresh run id and staging folder) on I/O failures only:
    not on Tally's other errors, nor on a batch's failure that is no I/O error."""
    exc = state.result(raise_on_failure=False)
    if isinstance(exc, OutFolderError):
        return not isinstance(exc, OutFolderLayoutError)
    return isinstance(exc, OSError)


@task(name="publish", cache_policy=NONE, **{**IO_RETRIES, "retry_condition_fn": _publish_retry})
def publish_task(settings: Settings, paths: list[Path], t0: float) -> tuple[pipeline.Summary, Curated]:
    """The run in batches, each a `batch` task, its rows appended to the staging snapshot as it
    comes (`tally.stream.run`); then the manifest, the rename and the switch of `current`.
    Returns the summary and the failing checks and quarantined rows (for the artifacts)."""
    totals = stream.Totals()
    summary = stream.run(settings, paths, t0, executor_of=task_executor, totals=totals)
    return summary, totals.failures()


def _report_link(summary: pipeline.Summary) -> str:
    if not summary.report:
        return "not written (`report = false`)"
    return f"[{Path(summary.report).name}]({Path(summary.report).resolve().as_uri()})"


@task(name="artifacts", cache_policy=NONE)
def artifacts_task(summary: pipeline.Summary, curated: Curated) -> None:
    kinds = "\n".join(f"| {k} | {n} |" for k, n in summary.by_kind.items())
    checks = ", ".join(f"{n} {s}" for s, n in summary.checks.items()) or "none"
    create_markdown_artifact(key="tally-curate-summary", description="tally curate run", markdown=(
        f"# tally curate {summary.run_id}\n\n"
        f"- documents: {summary.documents} ({summary.documents_ok} ok, {len(summary.rejected)} rejected)\n"
        f"- figures: {summary.figures} published, {summary.quarantined} quarantined\n"
        f"- checks: {checks}\n- from cache: {summary.cache_hits} documents\n- seconds: {summary.seconds}\n"
        f"- published to: `{summary.out}` (snapshot `{summary.snapshot}`)\n"
        f"- review report: {_report_link(summary)}\n\n"
        f"| kind | figures |\n|---|---|\n{kinds}\n"))
    if summary.report:
        create_link_artifact(key="tally-review-report", link=Path(summary.report).resolve().as_uri(),
                             link_text="review report (HTML)", description="every figure in its text, every check")
    failing = curated.reconciliations.filter(pl.col("severity") != Severity.INFO).select(
        "source", "line", "rule", "severity", "message").to_dicts()
    failing += [{"source": q["source"], "line": q["line"], "rule": f"schema:{q['rule']}", "severity": "quarantined",
                 "message": q["reason"]} for q in curated.quarantine.to_dicts()]
    create_table_artifact(key="tally-failing-checks", table=failing or [{"source": "", "line": None, "rule": "",
                          "severity": "", "message": "every check holds"}],
                          description=f"checks that do not hold, and quarantined rows (the first "
                                      f"{stream.ARTIFACT_ROWS:,} of each; every one is in the datasets)")


@flow(name="curate", log_prints=False, persist_result=False)
def curate(settings: Settings | None = None, wait: float = 0.0, files: list[str] | None = None) -> pipeline.Summary:
    """Read RAW, extract, audit, reconcile, validate and publish to OUT (see `tally.pipeline`).

    `files` are the raw files to read, as the runner found them in its preflight, percent-encoded
    bytes (`encode_paths`: a file name need not be UTF-8, flow parameters are JSON); a scheduled
    run leaves it empty and lists the raw folder itself."""
    settings = settings or Settings()
    t0 = time.perf_counter()
    log = get_run_logger()
    paths = [Path(os.fsdecode(unquote_to_bytes(f))) for f in files] if files is not None else preflight_task(settings)
    with out_folder_lock(settings.out, wait):
        pipeline.preflight_out(settings)
        summary, failures = publish_task(settings, paths, t0)
    log.info("published %s: %d documents (%d from cache), %d figures, %d quarantined, checks %s", summary.run_id,
             summary.documents, summary.cache_hits, summary.figures, summary.quarantined, summary.checks)
    artifacts_task(summary, failures)
    return summary


def encode_paths(paths: list[Path]) -> list[str]:
    """Paths as ASCII text that survives JSON whatever bytes the names hold (decoded in `curate`)."""
    return [quote(os.fsencode(p), safe="/") for p in paths]


TASK_RUNNERS = ("default", "dask")


def task_runner_for(settings: Settings, name: str = "default", dask_address: str | None = None) -> Any:
    """The flow's task runner: `default`, a pool of `workers` processes (the flow's own threads
    with one worker); `dask`, prefect-dask's DaskTaskRunner (`tally.flows.dask`)."""
    from prefect.task_runners import ThreadPoolTaskRunner

    workers = stream.workers_for(settings)
    if name == "dask":
        from tally.flows.dask import dask_runner

        return dask_runner(workers, dask_address)
    if name != "default":
        raise ValueError(f"unknown task runner {name!r}: use one of {', '.join(TASK_RUNNERS)}")
    return ProcessPoolTaskRunner(max_workers=workers) if workers > 1 else ThreadPoolTaskRunner()


def run_flow(settings: Settings | None = None, wait: float = 0.0, paths: list[Path] | None = None,
             task_runner: str = "default", dask_address: str | None = None) -> pipeline.Summary:
    """Run the flow in this process: usage errors are found before any server starts (a Dask
    scheduler at `dask_address` is reached first), the out folder is locked once for the whole
    run, a Prefect API is reached (or the embedded server started) before the flow is called, and
    the flow's heartbeat is off (it adds ~1.1 s at every flow's end). Raises Tally's own exceptions
    as themselves, and `tally.flows.errors` for Prefect and Dask failures it can foresee; a run
    that fails before publishing leaves no out folder it created."""
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from tally.flows.connect import ensure_api, prefect_errors

    settings = settings or Settings()
    paths = paths if paths is not None else pipeline.preflight(settings)
    with out_folder_lock(settings.out, wait):
        pipeline.preflight_out(settings)  # before the server starts
        runner = task_runner_for(settings, task_runner, dask_address)
        url = ensure_api()
        # the URL in the settings: the task runner hands them to its worker processes, which would
        # otherwise each start an embedded server of their own (two more servers on two cores)
        with prefect_errors(), temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None,
                                                           PREFECT_API_URL: url}):
            state = curate.with_options(task_runner=runner)(settings, wait, encode_paths(paths), return_state=True)
            result: pipeline.Summary = state.result()  # re-raises the exception the flow raised
    return result
