"""The local runner in bounded batches (issue 13): read, extract, audit, reconcile and validate
a batch of documents at a time, in a pool of worker processes, and append each batch's rows to
the staging snapshot as it comes, in batch order. The corpus's texts and rows are never held
together: peak memory is a few batches, whatever the corpus's size.

A batch is processed on its own (`curate_batch`): a file with the same bytes as a file of an
earlier batch is found by the parent, which then processes that batch again in-process with the
earlier documents known, so any number of workers publishes exactly what one worker publishes.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from tally import pipeline, progress
from tally.publish import inputs, parquet_metadata, publish_stream
from tally.publish.audit import Curated, balanced
from tally.publish.batches import BatchCache, CachedBatch, batch_key
from tally.publish.cache import StageCache
from tally.report.run import REPORT_FILE, staged_report
from tally.settings import Settings
from tally.vocabulary import Dataset, Severity, Status

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


def curate_batch(paths: list[Path], settings: Settings, caches: tuple[StageCache, StageCache] | None,
                 seen: dict[str, str] | None = None) -> BatchResult:
    """Read, extract, audit, reconcile and validate one batch (in a worker or in this process); a
    batch the batch cache holds comes back whole, without reading its files' texts."""
    batch_cache = BatchCache(settings.out) if caches is not None else None
    key = batch_key(paths, settings, seen) if batch_cache is not None else None
    if batch_cache is not None and key is not None:
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
    if batch_cache is not None and key is not None:
        batch_cache.store(key, CachedBatch(curated, result.inputs, part.sources))
        batch_cache.close()
    return result


def workers_for(settings: Settings) -> int:
    return settings.workers or os.cpu_count() or 1


def results(paths: list[Path], settings: Settings, caches: tuple[StageCache, StageCache] | None,
            workers: int) -> Iterator[BatchResult]:
    """The batches' results in batch order, at most `2 * workers` batches in flight."""
    chunks = list(pipeline.batches(paths))
    seen: dict[str, str] = {}
    if workers <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            r = curate_batch(chunk, settings, caches, seen)
            r.hits = r.cache_hits(seen)
            seen.update(r.ok_ids)
            yield r
        return
    # spawn, not fork: the parent may run Prefect's threads, and a forked lock stays locked
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: list[Future[BatchResult]] = []
        todo = iter(chunks)
        done = 0
        for chunk in todo:
            pending.append(pool.submit(curate_batch, chunk, settings, caches))
            if len(pending) >= 2 * workers:
                break
        while pending:
            r = pending.pop(0).result()
            chunk = chunks[done]
            done += 1
            nxt = next(todo, None)
            if nxt is not None:
                pending.append(pool.submit(curate_batch, nxt, settings, caches))
            if seen.keys() & r.ok_ids.keys():  # same bytes as an earlier batch's file: again, knowing it
                hit_ids = r.hit_ids  # the worker's: the batch again reads what the worker just wrote
                r = curate_batch(chunk, settings, caches, seen)
                r.hit_ids = hit_ids
            else:
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
        self.errors += c.reconciliations.filter(pl.col("severity") == Severity.ERROR).select(
            "source", "line", "rule", "message").rows()
        self.documents += c.documents.height
        self.figures += c.figures.height
        self.quarantined += q.height
        self.cache_hits += r.hits
        self.ok_ids += list(r.ok_ids)
        self.batch_keys += [r.key] if r.key else []

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


def run(settings: Settings, paths: list[Path], t0: float, use_cache: bool = True) -> pipeline.Summary:
    """Curate `paths` batch by batch and publish (the caller holds the out folder's lock and has
    run `pipeline.preflight_out`)."""
    caches = pipeline.caches_for(settings.out) if use_cache else None
    totals = Totals()
    run_id = pipeline.new_run_id()

    def batches() -> Iterator[dict[str, pl.DataFrame]]:
        for r in results(paths, settings, caches, workers_for(settings)):
            totals.add(r)
            yield r.curated.frames()

    def report(staging: Path) -> dict[str, bytes]:
        return {REPORT_FILE: staged_report(settings, run_id, staging)}

    snapshot = publish_stream(settings.out, run_id, batches(), parquet_metadata(run_id),
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
