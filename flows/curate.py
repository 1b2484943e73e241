"""The `curate` flow: discover -> read -> extract (in batches) -> audit -> reconcile -> publish.

Tasks are coarse (a batch of documents per task, never a task per row: each task run costs
milliseconds); retries with exponential backoff are set on the I/O tasks only. Extraction is
cached on the content of each raw file (`tally.cache`). The out folder's lock is held for the
whole flow run. Each run leaves two artifacts: a markdown summary and a table of failing checks.
"""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NONE
from prefect.states import Failed, State
from prefect.tasks import exponential_backoff

from tally.cache import FigureCache
from tally.curation import Audited, Curated, audit_extraction, audit_reconciliation
from tally.errors import DataError, RawFolderError, ValidationFailure
from tally.lock import out_folder_lock
from tally.pipeline import build_frames
from tally.publish import DEFAULT_KEEP, new_run_id, publish
from tally.reading import RawDocument, discover, read_document, require_texts
from tally.reconcile import Settings
from tally.run import Summary, summarise

BATCH = 50  # documents per extraction task
IO_RETRIES = dict(retries=3, retry_delay_seconds=exponential_backoff(backoff_factor=1), retry_jitter_factor=0.2)


@task(name="discover", cache_policy=NONE, **IO_RETRIES)  # type: ignore[call-overload]
def discover_task(raw: Path) -> list[Path]:
    return discover(raw)


@task(name="read", cache_policy=NONE, **IO_RETRIES)  # type: ignore[call-overload]
def read_task(paths: list[Path], raw: Path) -> list[RawDocument]:
    return [read_document(p, raw) for p in paths]


@task(name="extract", cache_policy=NONE)
def extract_task(docs: list[RawDocument], out: Path) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """One batch; figures of unchanged files come from the content-hash cache."""
    cache = FigureCache(out)
    documents, candidates = build_frames(docs, cache)
    return documents, candidates, cache.hits


@task(name="audit", cache_policy=NONE)
def audit_task(documents: pl.DataFrame, candidates: pl.DataFrame) -> Audited:
    return audit_extraction(documents, candidates)


@task(name="reconcile-and-validate", cache_policy=NONE)
def reconcile_task(docs: list[RawDocument], audited: Audited, settings: Settings, out: Path) -> Curated | str:
    """A broken dataset is a result of the audit, not a crash: its message comes back."""
    try:
        return audit_reconciliation(docs, audited, settings, FigureCache(out))
    except ValidationFailure as exc:
        return str(exc)


@task(name="publish", cache_policy=NONE, **IO_RETRIES)  # type: ignore[call-overload]
def publish_task(out: Path, run_id: str, raw: Path, docs: list[RawDocument], curated: Curated, keep: int) -> str:
    return str(publish(out, run_id, raw, docs, curated, keep))


@task(name="artifacts", cache_policy=NONE)
def artifacts_task(summary: Summary, curated: Curated) -> None:
    kinds = "\n".join(f"| {k} | {n} |" for k, n in summary.by_kind.items())
    checks = ", ".join(f"{n} {s}" for s, n in summary.checks.items()) or "none"
    create_markdown_artifact(key="tally-curate-summary", description="tally curate run", markdown=(
        f"# tally curate {summary.run_id}\n\n"
        f"- documents: {summary.documents} ({summary.documents_ok} ok, {len(summary.rejected)} rejected)\n"
        f"- figures: {summary.figures} published, {summary.quarantined} quarantined\n"
        f"- checks: {checks}\n- from cache: {summary.cache_hits} documents\n- seconds: {summary.seconds}\n"
        f"- published to: `{summary.out}` (snapshot `{summary.snapshot}`)\n\n"
        f"| kind | figures |\n|---|---|\n{kinds}\n"))
    failing = curated.reconciliations.filter(pl.col("severity") != "info").select(
        "source", "line", "rule", "severity", "message").to_dicts()
    failing += [{"source": q["source"], "line": q["line"], "rule": f"schema:{q['rule']}", "severity": "quarantined",
                 "message": q["reason"]} for q in curated.quarantine.to_dicts()]
    create_table_artifact(key="tally-failing-checks", table=failing or [{"source": "", "line": None, "rule": "",
                          "severity": "", "message": "every check holds"}],
                          description="checks that do not hold, and quarantined rows")


@flow(name="curate", log_prints=False, persist_result=False)
def curate(raw: str = "raw", out: str = "curated", reconcile: dict[str, object] | None = None,
           keep: int = DEFAULT_KEEP, wait: float = 0.0) -> dict[str, object] | State:
    t0 = time.perf_counter()
    log = get_run_logger()
    raw_path, out_path = Path(raw), Path(out)
    settings = Settings.from_mapping(reconcile or {})
    with out_folder_lock(out_path, wait):
        paths = discover_task(raw_path)
        try:
            require_texts([p.name for p in paths], raw_path)
        except RawFolderError as exc:
            return Failed(message=str(exc))
        docs: list[RawDocument] = []
        parts, hits = [], 0
        for i in range(0, len(paths), BATCH):
            batch = read_task(paths[i : i + BATCH], raw_path)
            documents, candidates, h = extract_task(batch, out_path)
            docs += batch
            parts.append((documents, candidates))
            hits += h
        log.info("read %d files, %d from cache", len(docs), hits)
        audited = audit_task(pl.concat([d for d, _ in parts]), pl.concat([c for _, c in parts]))
        curated = reconcile_task(docs, audited, settings, out_path)
        if isinstance(curated, str):
            log.info(curated)  # the Failed state carries it; the CLI prints it once
            return Failed(message=curated)
        run_id = new_run_id()
        snapshot = publish_task(out_path, run_id, raw_path, docs, curated, keep)
        FigureCache(out_path).prune_other_versions()
    summary = summarise(raw_path, out_path, curated, t0, run_id, Path(snapshot), hits)
    log.info("published %s: %d figures, %d quarantined, checks %s", run_id, summary.figures, summary.quarantined,
             summary.checks)
    artifacts_task(summary, curated)
    return summary.as_dict()


def run_flow(raw: Path, out: Path, settings: Settings | None = None, keep: int = DEFAULT_KEEP,
             wait: float = 0.0) -> Summary:
    """Call the flow with the per-flow heartbeat off (it adds ~1.1 s at every flow's end)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    discover(raw)  # a missing raw folder is a usage error before any server starts
    with out_folder_lock(out, wait):
        pass  # another run holds the out folder: say so before any server starts (the flow locks again)
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        overrides = settings.as_mapping() if settings else None
        state = curate(str(raw), str(out), overrides, keep, wait, return_state=True)
    if state.is_failed() and state.message and "failed validation" in state.message:
        raise DataError(state.message)
    if state.is_failed() and state.message and "holds no .txt file" in state.message:
        raise RawFolderError(state.message)
    result = state.result()  # re-raises the task's exception (a lock held elsewhere, ...)
    return Summary(**result)  # type: ignore[arg-type]
