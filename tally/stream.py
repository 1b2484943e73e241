"""A run in bounded batches (issue 13), for both runners: read, extract, audit, reconcile and
validate a batch of documents at a time, and append each batch's rows to the staging snapshot as
it comes, in batch order. The corpus's texts and rows are never held together: peak memory is a
few batches, whatever the corpus's size.

    run: batches -> executor (curate_batch each) -> results, in order -> Totals + publish_stream

The runners differ only in their `Executor`, which executes `curate_batch`: the local runner's
(`local_executor`) runs it in this process or in a pool of worker processes; the Prefect runner's
(`tally.flows.curate`) runs it as a task of the flow's task runner (Dask's included). A batch is
processed on its own: a file with the same bytes as a file of an earlier batch is found by
`results`, which then processes that batch again inline with the earlier documents known, so any
executor publishes exactly what one process publishes.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import polars as pl

from tally import pipeline, progress
from tally.publish import frames, inputs, parquet_metadata, publish_stream
from tally.publish.audit import Curated, balanced
from tally.publish.batches import BatchCache, CachedBatch, StoredBatch, batch_key_and_ids
from tally.publish.cache import StageCache
from tally.report.run import REPORT_FILE, staged_report
from tally.schemas import empty, polars_schema
from tally.settings import Settings
from tally.vocabulary import Dataset, Severity, Status

# Failing checks and quarantined rows a run keeps for the flow's artifact table, and errors for
# its summary (each): keeping them all held every failing check of the corpus in memory (1.2 GB
# and growing at a third of a 1 GB corpus).
ARTIFACT_ROWS = 1_000
LEDGER_SUMS = ("raw_files_seen", "documents_ok", "documents_rejected", "documents_skipped", "documents_quarantined",
               "candidate_figures", "figures_published", "figures_quarantined")


@dataclass
class BatchResult:
    """One batch, curated: its datasets, its files' manifest rows and what the parent needs."""

    curated: Curated
    inputs: list[dict[str, Any]]
    ok_ids: dict[str, str]  # doc_id -> source of the batch's ok documents
    hit_ids: set[str]  # doc_ids whose figures came from the cache
    hits: int = 0  # set by `results`: `cache_hits` of the documents before this batch
    key: str | None = None  # its key in the batch cache (`tally.publish.batches`)

    def cache_hits(self, seen: dict[str, str]) -> int:
        """Documents of this batch read from the cache, but for copies of earlier batches' files."""
        return len(self.hit_ids - seen.keys())

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (from a worker to the run's process) with its frames as the cache's payloads
        (`tally.publish.frames`): faster than polars' own pickling, and the form a stored batch's
        entries already have (`Shipped`)."""
        encoded = {name: frames.encode(frame) for name, frame in self.curated.frames().items()}
        return _rebuilt, (encoded, self.curated.ledger, self.inputs, self.ok_ids, self.hit_ids, self.hits, self.key)


def _rebuilt(encoded: dict[str, bytes], ledger: dict[str, Any], inputs: list[dict[str, Any]], ok_ids: dict[str, str],
             hit_ids: set[str], hits: int, key: str | None) -> BatchResult:
    # made by `frames.encode` in the worker, or checked there (`StageCache.get_payloads`)
    decoded = {name: frames.decode(b, polars_schema(Dataset(name)), validate=False) for name, b in encoded.items()}
    return BatchResult(Curated(**decoded, ledger=ledger), inputs, ok_ids, hit_ids, hits, key)


@dataclass
class Shipped:
    """A batch the batch cache holds, as a worker returns it: its entries' bytes, checked but not
    decoded, in an object that unpickles as its `BatchResult` in the process that receives it (an
    unchanged batch crosses the process boundary without being decoded and encoded again)."""

    stored: StoredBatch
    key: str

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuilt, self._parts()

    def _parts(self) -> tuple[Any, ...]:
        s = self.stored
        return s.payloads, s.ledger, s.inputs, s.ok_ids, set(s.ok_ids), 0, self.key

    def batch(self) -> BatchResult:
        """The BatchResult, where an executor handed this over without pickling it."""
        return _rebuilt(*self._parts())


def received(r: BatchResult | Shipped) -> BatchResult:
    return r.batch() if isinstance(r, Shipped) else r


def curate_batch(paths: list[Path], settings: Settings, caches: tuple[StageCache, StageCache] | None,
                 seen: dict[str, str] | None = None, ship: bool = False) -> BatchResult | Shipped:
    """Read, extract, audit, reconcile and validate one batch (in a worker or in this process); a
    batch the batch cache holds comes back whole, without reading its files' texts. `ship`: the
    result leaves this process (a worker's), so a stored batch is returned as its entries' bytes,
    a `Shipped`, which unpickles as its BatchResult there (`received` makes it one otherwise)."""
    batch_cache = BatchCache(settings.out) if caches is not None else None
    keyed = batch_key_and_ids(paths, settings, seen) if batch_cache is not None else None
    key = keyed[0] if keyed is not None else None
    if batch_cache is not None and key is not None:
        if ship:
            stored = batch_cache.load_payloads(key)
            batch_cache.close()
            if stored is not None:
                return Shipped(stored, key)
        else:
            hit = batch_cache.load(key)
            batch_cache.close()
            if hit is not None:
                return BatchResult(hit.curated, hit.inputs, hit.ok_ids, set(hit.ok_ids), key=key)
    docs = pipeline.read_batch(paths, settings.raw, settings.max_file_bytes)
    figures_cache, reconcile_cache = caches or (None, None)
    before = len(figures_cache.hit_keys) if figures_cache is not None else 0
    part = pipeline.extract_batch(docs, seen or {}, figures_cache)
    hits = {k.split(".", 1)[0] for k in figures_cache.hit_keys[before:]} if figures_cache is not None else set()
    audited = pipeline.audit([part])
    reconciliations, metrics = pipeline.reconcile_step(docs, audited, settings.reconcile, reconcile_cache)
    curated = pipeline.finish(audited, reconciliations, metrics, len(docs))
    for c in caches or ():
        c.close()
    result = BatchResult(curated, inputs(docs, curated), part.sources, hits, key=key)
    if batch_cache is not None and keyed is not None and [d.doc_id for d in docs] == keyed[1]:
        batch_cache.store(keyed[0], CachedBatch(curated, result.inputs, part.sources))
        batch_cache.close()
    return result


def workers_for(settings: Settings) -> int:
    return settings.workers or os.cpu_count() or 1


class Pending(Protocol):
    """A batch handed to an executor: `result()` waits for it and raises what it raised."""

    def result(self) -> BatchResult | Shipped: ...


class Executor(Protocol):
    """How a batch is executed; the rest of a run (the order, duplicates across batches, the ledger,
    the publish) is `run`'s, whatever the executor. `window` batches are in flight at a time, each
    `submit`ted without the earlier batches' documents; a window of 0 runs each batch `inline`, in
    this process and in order, knowing them. `remote`: a submitted batch runs in another process
    (its progress is counted here)."""

    window: int
    remote: bool

    def submit(self, chunk: list[Path]) -> Pending: ...

    def inline(self, chunk: list[Path], seen: dict[str, str]) -> BatchResult: ...


@dataclass
class Local:
    """This process, one batch after the other (`workers = 1`, or a single batch)."""

    settings: Settings
    caches: tuple[StageCache, StageCache] | None
    window: int = 0
    remote: bool = False

    def submit(self, chunk: list[Path]) -> Pending:  # run now, with a window: not knowing the earlier batches
        done: Future[BatchResult | Shipped] = Future()
        done.set_result(curate_batch(chunk, self.settings, self.caches))
        return done

    def inline(self, chunk: list[Path], seen: dict[str, str]) -> BatchResult:
        return received(curate_batch(chunk, settings=self.settings, caches=self.caches, seen=seen))


@dataclass
class Pool(Local):
    """A pool of `workers` processes, `2 * workers` batches in flight."""

    pool: ProcessPoolExecutor | None = None
    remote: bool = True

    def submit(self, chunk: list[Path]) -> Pending:
        assert self.pool is not None
        return self.pool.submit(curate_batch, chunk, self.settings, self.caches, None, True)


@contextlib.contextmanager
def local_executor(settings: Settings, caches: tuple[StageCache, StageCache] | None,
                   n_batches: int) -> Iterator[Executor]:
    """The local runner's executor: a process pool when there are workers and batches for them."""
    workers = workers_for(settings)
    if workers <= 1 or n_batches <= 1:
        yield Local(settings, caches)
        return
    # spawn, not fork: the parent may run Prefect's threads, and a forked lock stays locked
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield Pool(settings, caches, window=2 * workers, pool=pool)


# (settings, caches or None, the number of batches) -> the executor, open for the run
ExecutorOf = Callable[[Settings, tuple[StageCache, StageCache] | None, int], AbstractContextManager[Executor]]


def results(chunks: list[list[Path]], executor: Executor) -> Iterator[BatchResult]:
    """The batches' results in batch order. A batch run without the earlier batches' documents that
    holds a file with the same bytes as one of theirs is run again inline, knowing them: any
    executor publishes exactly what one process publishes."""
    seen: dict[str, str] = {}
    pending: deque[Pending] = deque()
    ahead = iter(chunks)

    def refill() -> None:
        while len(pending) < executor.window and (chunk := next(ahead, None)) is not None:
            pending.append(executor.submit(chunk))

    refill()
    for chunk in chunks:
        if not executor.window:
            r = executor.inline(chunk, seen)
        else:
            r = received(pending.popleft().result())
            refill()
            if seen.keys() & r.ok_ids.keys():  # same bytes as an earlier batch's file: again, knowing it
                hit_ids = r.hit_ids  # the first run's: the batch again reads what that run just wrote
                r = executor.inline(chunk, seen)
                r.hit_ids = hit_ids
            elif executor.remote:
                for n in r.curated.documents["n_figures"].to_list():
                    progress.advance(n)
        r.hits = r.cache_hits(seen)
        seen.update(r.ok_ids)
        yield r


@dataclass
class Totals:
    """What the manifest and the summary need of the batches already written."""

    inputs: list[dict[str, Any]] = field(default_factory=list)
    ledger: Counter[str] = field(default_factory=Counter)
    quarantined_documents: list[str] = field(default_factory=list)
    by_rule: Counter[tuple[str, str]] = field(default_factory=Counter)
    severity: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    errors: list[tuple[str, int, str, str]] = field(default_factory=list)
    documents: int = 0
    figures: int = 0
    quarantined: int = 0
    cache_hits: int = 0
    ok_ids: list[str] = field(default_factory=list)
    batch_keys: list[str] = field(default_factory=list)
    failing: list[pl.DataFrame] = field(default_factory=list)  # the first checks that do not hold (not `info`)
    quarantine: list[pl.DataFrame] = field(default_factory=list)  # the first quarantined rows

    def add(self, r: BatchResult) -> None:
        c = r.curated
        self.inputs += r.inputs
        self.ledger.update({k: c.ledger[k] for k in LEDGER_SUMS})
        q = c.quarantine
        self.quarantined_documents += q.filter(pl.col("dataset") == Dataset.DOCUMENTS)["source"].to_list()
        if q.height:
            self.by_rule.update({(d, rule): n for d, rule, n in q.group_by("dataset", "rule").len().rows()})
        self.severity.update(c.reconciliations["severity"].to_list())
        self.by_kind.update(c.figures["kind"].to_list())
        self.rejected += c.documents.filter(pl.col("status") == Status.REJECTED).select("source", "reason").rows()
        self.skipped += c.documents.filter(pl.col("status") == Status.SKIPPED).select("source", "reason").rows()
        if (room := ARTIFACT_ROWS - len(self.errors)) > 0:  # the summary's first errors; `severity` counts all
            self.errors += c.reconciliations.filter(pl.col("severity") == Severity.ERROR).select(
                "source", "line", "rule", "message").head(room).rows()
        self.documents += c.documents.height
        self.figures += c.figures.height
        self.quarantined += q.height
        self.cache_hits += r.hits
        self.ok_ids += list(r.ok_ids)
        self.batch_keys += [r.key] if r.key else []
        # the flow's artifact table keeps the first rows only: the corpus's are in the datasets
        failing = c.reconciliations.filter(pl.col("severity") != Severity.INFO)
        if (room := ARTIFACT_ROWS - sum(f.height for f in self.failing)) > 0 and failing.height:
            self.failing.append(failing.head(room))
        if (room := ARTIFACT_ROWS - sum(f.height for f in self.quarantine)) > 0 and q.height:
            self.quarantine.append(q.head(room))

    def failures(self) -> Curated:
        """The first `ARTIFACT_ROWS` failing checks and quarantined rows of the run (for the flow's
        artifacts); the other datasets empty."""
        def whole(frames: list[pl.DataFrame], dataset: Dataset) -> pl.DataFrame:
            return pl.concat(frames) if frames else empty(dataset)

        return Curated(empty(Dataset.DOCUMENTS), empty(Dataset.FIGURES), whole(self.failing, Dataset.RECONCILIATIONS),
                       empty(Dataset.METRICS), whole(self.quarantine, Dataset.QUARANTINE))

    def ledger_dict(self) -> dict[str, Any]:
        return balanced({k: self.ledger[k] for k in LEDGER_SUMS})

    def manifest(self, run_id: str, raw: Path) -> dict[str, Any]:
        from tally.publish import manifest_head

        by_rule = sorted((d, rule, n) for (d, rule), n in self.by_rule.items())
        return {
            **manifest_head(run_id, raw),
            "inputs": self.inputs,
            "validation": {
                "quarantined_rows": self.quarantined,
                "quarantined_documents": self.quarantined_documents,
                "quarantined_by_rule": [{"dataset": d, "rule": r, "rows": n} for d, r, n in by_rule],
                "reconciliation_severity": dict(self.severity),
            },
            "ledger": self.ledger_dict(),
        }

    def summary(self, settings: Settings, t0: float, run_id: str, snapshot: Path) -> pipeline.Summary:
        return pipeline.Summary(
            raw=str(settings.raw), out=str(settings.out), documents=self.documents,
            documents_ok=self.documents - len(self.rejected) - len(self.skipped), rejected=self.rejected,
            skipped=self.skipped, figures=self.figures,
            quarantined=self.quarantined, by_kind=dict(self.by_kind.most_common()),
            checks=dict(self.severity.most_common()), errors=self.errors,
            seconds=round(time.perf_counter() - t0, 3), run_id=run_id, snapshot=str(snapshot),
            cache_hits=self.cache_hits, published=[str(settings.out / f"{d}.parquet") for d in Dataset],
            report=str(snapshot / REPORT_FILE) if (snapshot / REPORT_FILE).is_file() else "")


def run(settings: Settings, paths: list[Path], t0: float, use_cache: bool = True,
        executor_of: ExecutorOf = local_executor, totals: Totals | None = None) -> pipeline.Summary:
    """Curate `paths` batch by batch with the executor `executor_of(settings, caches, batches)`
    makes, and publish (the caller holds the out folder's lock and has run
    `pipeline.preflight_out`). `totals` collects what the batches add up to."""
    caches = pipeline.caches_for(settings.out) if use_cache else None
    totals = totals if totals is not None else Totals()
    run_id = pipeline.new_run_id()
    chunks = list(pipeline.batches(paths))

    def batches() -> Generator[dict[str, pl.DataFrame], None, None]:
        with executor_of(settings, caches, len(chunks)) as executor:
            for r in results(chunks, executor):
                totals.add(r)
                yield r.curated.frames()

    def report(staging: Path) -> dict[str, bytes]:
        return {REPORT_FILE: staged_report(settings, run_id, staging)}

    # closed whatever happens: a publish that fails between two batches leaves the generator paused
    # in the executor's `with` (the pool's processes, the flow's frozen collector) until closed
    with contextlib.closing(batches()) as stream_of_batches:
        snapshot = publish_stream(settings.out, run_id, stream_of_batches, parquet_metadata(run_id),
                                  lambda: totals.manifest(run_id, settings.raw), settings.keep,
                                  report if settings.report else None)
    if caches is not None:
        for c in caches:
            c.prune_other_versions()
            c.prune(totals.ok_ids)
        batch_cache = BatchCache(settings.out)
        batch_cache.prune_other_versions()
        batch_cache.prune(totals.batch_keys)
    return totals.summary(settings, t0, run_id, snapshot)
