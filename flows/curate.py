"""The Prefect runner: the steps of `tally.pipeline` as tasks of the `curate` flow.

    preflight -> [read -> extract] per batch of 50 -> audit -> reconcile -> finish -> publish -> artifacts

Tasks are coarse (a batch of documents per task, never a task per row: each task run costs
milliseconds); retries with exponential backoff are set on the I/O tasks only, and never for
Tally's own errors (they are not transient). Tally's exceptions leave the flow as themselves:
`state.result()` re-raises them. Each run leaves two artifacts: a markdown summary and a table of
failing checks and quarantined rows.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote_to_bytes

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NONE
from prefect.tasks import exponential_backoff

from tally import pipeline
from tally.errors import OutFolderError, OutFolderLayoutError, TallyError
from tally.publish.audit import Audited, Curated
from tally.publish.cache import StageCache
from tally.publish.lock import out_folder_lock
from tally.read.files import RawDocument
from tally.settings import ReconcileSettings, Settings
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


@task(name="read", cache_policy=NONE, **IO_RETRIES)
def read_task(paths: list[Path], raw: Path, max_bytes: int) -> list[RawDocument]:
    return pipeline.read_batch(paths, raw, max_bytes)


@task(name="extract", cache_policy=NONE)
def extract_task(docs: list[RawDocument], seen: dict[str, str], cache: StageCache) -> pipeline.Extracted:
    return pipeline.extract_batch(docs, seen, cache)


@task(name="audit", cache_policy=NONE)
def audit_task(parts: list[pipeline.Extracted]) -> Audited:
    return pipeline.audit(parts)


@task(name="reconcile", cache_policy=NONE)
def reconcile_task(docs: list[RawDocument], audited: Audited, settings: ReconcileSettings,
                   cache: StageCache) -> tuple[pl.DataFrame, pl.DataFrame]:
    return pipeline.reconcile_step(docs, audited, settings, cache)


@task(name="validate", cache_policy=NONE)
def finish_task(audited: Audited, reconciliations: pl.DataFrame, metrics: pl.DataFrame, n_files: int) -> Curated:
    return pipeline.finish(audited, reconciliations, metrics, n_files)


@task(name="publish", cache_policy=NONE, **IO_RETRIES)
def publish_task(settings: Settings, docs: list[RawDocument], curated: Curated) -> tuple[str, Path]:
    return pipeline.publish_step(settings, docs, curated)


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
                          description="checks that do not hold, and quarantined rows")


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
        figures_cache, reconcile_cache = pipeline.caches_for(settings.out)
        docs: list[RawDocument] = []
        parts: list[pipeline.Extracted] = []
        seen: dict[str, str] = {}
        for batch in pipeline.batches(paths):
            read = read_task(batch, settings.raw, settings.max_file_bytes)
            part = extract_task(read, seen, figures_cache)
            seen.update(part.sources)
            docs += read
            parts.append(part)
        hits = sum(p.cache_hits for p in parts)
        log.info("read %d files, %d from cache", len(docs), hits)
        audited = audit_task(parts)
        reconciliations, metrics = reconcile_task(docs, audited, settings.reconcile, reconcile_cache)
        curated = finish_task(audited, reconciliations, metrics, len(docs))
        run_id, snapshot = publish_task(settings, docs, curated)
        pipeline.prune_caches((figures_cache, reconcile_cache), docs)
    summary = pipeline.summarise(settings, curated, t0, run_id, snapshot, hits)
    log.info("published %s: %d figures, %d quarantined, checks %s", run_id, summary.figures, summary.quarantined,
             summary.checks)
    artifacts_task(summary, curated)
    return summary


def encode_paths(paths: list[Path]) -> list[str]:
    """Paths as ASCII text that survives JSON whatever bytes the names hold (decoded in `curate`)."""
    return [quote(os.fsencode(p), safe="/") for p in paths]


def run_flow(settings: Settings | None = None, wait: float = 0.0, paths: list[Path] | None = None) -> pipeline.Summary:
    """Run the flow in this process: usage errors are found before any server starts, the out
    folder is locked once for the whole run, a Prefect API is reached (or the embedded server
    started) before the flow is called, and the flow's heartbeat is off (it adds ~1.1 s at every
    flow's end). Raises Tally's own exceptions as themselves, and `tally.flows.errors` for Prefect
    failures it can foresee; a run that fails before publishing leaves no out folder it created."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from tally.flows.connect import ensure_api, prefect_errors

    settings = settings or Settings()
    paths = paths if paths is not None else pipeline.preflight(settings)
    with out_folder_lock(settings.out, wait):
        pipeline.preflight_out(settings)  # before the server starts
        ensure_api()
        with prefect_errors(), temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            state = curate(settings, wait, encode_paths(paths), return_state=True)
            result: pipeline.Summary = state.result()  # re-raises the exception the flow raised
    return result
