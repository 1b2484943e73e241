"""The curate job as typed steps, and the local runner that chains them.

    preflight -> read_batch -> extract_batch (per batch) -> audit -> reconcile -> finish -> publish

Each step is a plain function: the local runner (`run`) calls them in this process, and the
Prefect runner (`tally.flows.curate`) wraps the same functions as tasks. Errors are Tally's own
exceptions (`tally.errors`), raised as themselves by both runners.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from tally import progress
from tally.extract import figure_rows
from tally.publish import new_run_id as new_run_id  # the runners call it here, where tests replace it
from tally.publish.audit import Audited, Curated, audit_extraction, audit_results
from tally.publish.cache import StageCache
from tally.publish.lock import out_folder_lock
from tally.publish.snapshots import check_out_folder, remove_unpublished
from tally.read.files import MAX_BYTES, RawDocument, discover, read_documents, require_texts
from tally.read.language import detect_language
from tally.read.structure import Line
from tally.reconcile import reconcile
from tally.reconcile.metrics import build_metrics
from tally.schemas import extracted_schema, polars_schema
from tally.settings import ReconcileSettings, Settings
from tally.vocabulary import Dataset, Language, Status

BATCH = 50  # files per batch (a Prefect task each), unless they are short (`batch_size`):
BATCH_BYTES = 256 * 1024  # batches of short files take more of them, up to this many bytes
BATCH_MAX = 1_000  # or this many files


@dataclass
class Summary:
    """What a run did, for the CLI, the flow's artifacts and callers."""

    raw: str
    out: str
    documents: int = 0
    documents_ok: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # files no reader knows: listed, not an error
    figures: int = 0
    quarantined: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    checks: dict[str, int] = field(default_factory=dict)  # reconciliations by severity
    # source, line, rule, message; a streamed run keeps the first 1,000 (`checks` counts every one)
    errors: list[tuple[str, int, str, str]] = field(default_factory=list)
    seconds: float = 0.0
    run_id: str = ""
    snapshot: str = ""
    cache_hits: int = 0
    published: list[str] = field(default_factory=list)
    report: str = ""  # the review report in the snapshot, when the run wrote one

    @property
    def partial(self) -> bool:
        """Published, but some files were rejected or some rows quarantined (skipped files are not
        counted: a README.md or an image beside the texts must not make every run partial)."""
        return bool(self.rejected) or self.quarantined > 0


@dataclass
class Extracted:
    """One batch after extraction: its documents and candidate figures."""

    documents: pl.DataFrame
    candidates: pl.DataFrame
    sources: dict[str, str]  # doc_id -> source of the ok documents first seen in this batch
    cache_hits: int = 0


# -- steps -------------------------------------------------------------------------------------
def preflight(settings: Settings) -> list[Path]:
    """The raw files to read; raises RawFolderError before anything starts when there is none."""
    paths = discover(settings.raw)
    require_texts([p.name for p in paths], settings.raw)
    return paths


def batches(paths: list[Path], size: int | None = None) -> Iterable[list[Path]]:
    """Consecutive runs of `size` files, or of `batch_size(paths)`."""
    size = size or batch_size(paths)
    for i in range(0, len(paths), size):
        yield paths[i : i + size]


def batch_size(paths: list[Path]) -> int:
    """`BATCH` files, doubled (at most `BATCH_MAX`) while that many files of the corpus's median size
    hold less than `BATCH_BYTES`: 50,000 notes of a line each make 50 batches, not 1,000 (every
    batch costs a validation of each dataset, cache writes, a task). From the median, in steps, so
    that a file that grows or shrinks moves no batch boundary (and misses no batch in the cache)."""
    if not paths:
        return BATCH
    median = sorted(_size(p) for p in paths)[len(paths) // 2]
    size = BATCH
    while size < BATCH_MAX and size * median < BATCH_BYTES:
        size = min(2 * size, BATCH_MAX)
    return size


def _size(path: Path) -> int:
    """A file's size for batching; a file that cannot be stat'ed here (gone, or an object in s3)
    counts as a full batch's share, so such files are batched by `BATCH`."""
    try:
        return os.stat(path).st_size
    except (OSError, ValueError):
        return BATCH_BYTES // BATCH + 1


def preflight_out(settings: Settings) -> None:
    """With the out folder's lock held, before anything is read: raises OutFolderLayoutError when
    the out folder cannot take a publish (its `current` is not a link), and removes what earlier
    runs left unpublished (staging folders, snapshots never switched to)."""
    check_out_folder(settings.out)
    remove_unpublished(settings.out)


def read_batch(paths: list[Path], raw: Path, max_bytes: int = MAX_BYTES) -> list[RawDocument]:
    return read_documents(paths, raw, max_bytes)  # objects of an s3 raw location fetched together


def _figures_key(doc: RawDocument, lang: str) -> str:
    """The cache key of a document's figures: its bytes, its language and the reader of its layout."""
    return f"{doc.doc_id}.{lang}" + (f".{doc.reader}.{doc.reader_version}" if doc.layout is not None else "")


def _figures_of(doc: RawDocument, lang: str, cache: StageCache | None) -> list[tuple[object, ...]]:
    """Rows (source, doc_id, figure_id, *figure fields) of one readable document."""
    assert doc.text is not None
    key = _figures_key(doc, lang)
    frame = cache.get(key) if cache is not None else None
    if frame is not None:
        rows = frame.rows()
    else:
        rows = figure_rows(doc.text, lang, doc.layout)
        if cache is not None:
            cache.put(key, pl.DataFrame(rows, schema=extracted_schema(), orient="row"))
    start_at = extracted_schema().names().index("start")
    return [(doc.source, doc.doc_id, f"{doc.doc_id}:{row[start_at]}", *row) for row in rows]


def _duplicate(doc: RawDocument, first: str) -> RawDocument:
    return RawDocument(doc.source, doc.doc_id, None, doc.encoding,
                       f"same bytes as `{first}`: its figures are published once, under that file",
                       doc.format, doc.reader, doc.reader_version)


def extract_batch(docs: list[RawDocument], seen: Mapping[str, str] | None = None,
                  cache: StageCache | None = None) -> Extracted:
    """Documents and candidate figures of a batch. `seen` maps the doc_id of every ok document of
    earlier batches to its source: a file with the same bytes is rejected as a duplicate."""
    known = dict(seen or {})
    hits = cache.hits if cache is not None else 0
    doc_rows: list[tuple[object, ...]] = []
    fig_rows: list[tuple[object, ...]] = []
    new: dict[str, str] = {}
    langs = {d.doc_id: detect_language(d.text) for d in docs if d.ok and d.text is not None}  # once per text
    if cache is not None:  # the batch's entries in one query
        cache.prefetch(_figures_key(d, langs[d.doc_id]) for d in docs if d.doc_id in langs and d.doc_id not in known)
    for doc in docs:
        if doc.ok and doc.doc_id in known:
            doc = _duplicate(doc, known[doc.doc_id])
        if not doc.ok:
            doc_rows.append((doc.source, doc.doc_id, 0, 0, 0, Language.UNDETERMINED, doc.encoding,
                             Status.SKIPPED if doc.skipped else Status.REJECTED, doc.reason, doc.format, doc.reader,
                             doc.reader_version))
            progress.advance(0)
            continue
        assert doc.text is not None
        known[doc.doc_id] = new[doc.doc_id] = doc.source
        lang = langs[doc.doc_id]
        rows = _figures_of(doc, lang, cache)
        fig_rows.extend(rows)
        progress.advance(len(rows))
        doc_rows.append((doc.source, doc.doc_id, len(doc.text), len(rows), 0, lang, doc.encoding, Status.OK, doc.reason,
                         doc.format, doc.reader, doc.reader_version))
    if cache is not None:
        cache.flush()  # the batch's new entries in one transaction
    documents = pl.DataFrame(doc_rows, schema=polars_schema(Dataset.DOCUMENTS), orient="row")
    figures = pl.DataFrame(fig_rows, schema=polars_schema(Dataset.FIGURES), orient="row")
    return Extracted(documents, figures, new, (cache.hits - hits) if cache is not None else 0)


def audit(parts: list[Extracted]) -> Audited:
    """Validate the documents and candidate figures of every batch; bad rows to quarantine."""
    documents = pl.concat([p.documents for p in parts]) if parts else pl.DataFrame(schema=polars_schema(Dataset.DOCUMENTS))
    candidates = pl.concat([p.candidates for p in parts]) if parts else pl.DataFrame(schema=polars_schema(Dataset.FIGURES))
    return audit_extraction(documents, candidates)


def reconcile_step(docs: list[RawDocument], audited: Audited, settings: ReconcileSettings,
                   cache: StageCache | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(reconciliations, metrics) of the ok documents, each document once."""
    ok = set(audited.documents.filter(pl.col("status") == Status.OK)["doc_id"].to_list())
    texts: dict[str, tuple[str, str, str, list[Line] | None]] = {}
    for d in docs:
        if d.ok and d.doc_id in ok and d.text is not None:  # same bytes twice: under the first file
            texts.setdefault(d.doc_id, (d.doc_id, d.source, d.text, d.layout.lines if d.layout is not None else None))
    if cache is not None:  # every entry in one pass, the new ones in one transaction
        cache.prefetch(f"{doc_id}.{settings.key()}" for doc_id in texts)
    reconciliations = reconcile(list(texts.values()), audited.figures, settings, cache)
    if cache is not None:
        cache.flush()
    return reconciliations, build_metrics(audited.documents, audited.figures, reconciliations)


def finish(audited: Audited, reconciliations: pl.DataFrame, metrics: pl.DataFrame, raw_files_seen: int) -> Curated:
    """Audit the checks, check references and balance the ledger: ready to publish."""
    return audit_results(audited, reconciliations, metrics, raw_files_seen)


# -- the local runner --------------------------------------------------------------------------
def curate_frames(docs: list[RawDocument], settings: ReconcileSettings | None = None,
                  caches: tuple[StageCache, StageCache] | None = None) -> Curated:
    """Extract, audit, reconcile: everything but publishing (`tally check` uses it)."""
    figures_cache, reconcile_cache = caches or (None, None)
    parts: list[Extracted] = []
    seen: dict[str, str] = {}
    for i in range(0, len(docs), BATCH):
        part = extract_batch(docs[i : i + BATCH], seen, figures_cache)
        seen.update(part.sources)
        parts.append(part)
    audited = audit(parts)
    reconciliations, metrics = reconcile_step(docs, audited, settings or ReconcileSettings(), reconcile_cache)
    return finish(audited, reconciliations, metrics, len(docs))


def caches_for(out: Path) -> tuple[StageCache, StageCache]:
    return StageCache(out, "figures"), StageCache(out, "reconcile")


def run(settings: Settings | None = None, wait: float = 0.0, use_cache: bool = True,
        paths: list[Path] | None = None) -> Summary:
    """The whole job in this process: read, extract, audit, reconcile, publish."""
    from tally import stream  # batch by batch, in `settings.workers` processes (issue 13)

    settings = settings or Settings()
    t0 = time.perf_counter()
    paths = paths if paths is not None else preflight(settings)
    with out_folder_lock(settings.out, wait):
        preflight_out(settings)
        return stream.run(settings, paths, t0, use_cache)

