"""The batched runner (issue 13): any number of workers publishes exactly what one worker
publishes and what the whole-corpus steps compute; each dataset stays one parquet file that
polars, pyarrow and duckdb read, written in row groups as the batches come."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest

from tally.pipeline import BATCH, curate_frames, read_batch, run
from tally.publish import parts
from tally.settings import Settings
from tally.vocabulary import Dataset
from tests.helpers import edited_samples


@pytest.fixture(scope="module")
def many(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three batches of files: the fixtures edited, a duplicate of a first-batch file in the last
    batch, an empty file and a binary one."""
    raw = edited_samples(raw_dir, tmp_path_factory.mktemp("many") / "raw", 2 * BATCH + 10)
    shutil.copy(raw / "doc-003.txt", raw / "zz-copy-of-003.txt")
    (raw / "empty.txt").write_text("", encoding="utf-8")
    (raw / "notes.bin").write_bytes(b"\x00\x01binary")
    return raw


def _published(out: Path) -> dict[str, pl.DataFrame]:
    return {str(d): pl.read_parquet(out / f"{d}.parquet") for d in Dataset}


def _manifest(out: Path) -> dict[str, object]:
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {k: m[k] for k in ("inputs", "validation", "ledger")} | {
        "rows": {n: d["rows"] for n, d in m["datasets"].items()}}


def test_two_workers_publish_what_one_worker_publishes(many: Path, tmp_path: Path) -> None:
    one = run(Settings(raw=many, out=tmp_path / "one", workers=1), use_cache=False)
    two = run(Settings(raw=many, out=tmp_path / "two", workers=2), use_cache=False)
    a, b = _published(tmp_path / "one"), _published(tmp_path / "two")
    for name in a:
        assert a[name].equals(b[name]), name
    assert _manifest(tmp_path / "one") == _manifest(tmp_path / "two")
    assert (one.figures, one.documents, one.rejected, one.checks) == (two.figures, two.documents, two.rejected,
                                                                      two.checks)
    assert one.documents == 2 * BATCH + 13 and len(one.rejected) == 2  # the copy and the empty file
    assert [s for s, _ in one.skipped] == ["notes.bin"] == [s for s, _ in two.skipped]  # a format no reader knows
    assert ("zz-copy-of-003.txt", "same bytes as `doc-003.txt`: its figures are published once, under that file") \
        in one.rejected
    # the whole-corpus steps (`tally check`) find the same rows
    paths = sorted(many.iterdir())
    whole = curate_frames(read_batch(paths, many))
    for name in ("documents", "figures", "reconciliations", "metrics"):
        assert getattr(whole, name).equals(a[name]), name


def test_a_rerun_from_the_cache_with_workers_publishes_the_same_rows(many: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    cold = run(Settings(raw=many, out=out, workers=2))
    before = _published(out)
    warm = run(Settings(raw=many, out=out, workers=2))
    assert (cold.cache_hits, warm.cache_hits) == (0, 2 * BATCH + 10)
    after = _published(out)
    assert all(before[n].equals(after[n]) for n in before)
    assert [p.name for p in (out / ".cache").rglob("*") if p.is_file()] == ["entries.sqlite"] * 3  # figures, checks, batches


def test_each_dataset_is_one_file_of_row_groups_every_reader_reads(many: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parts, "ROW_GROUP", 200)  # a row group every few batches
    out = tmp_path / "out"
    summary = run(Settings(raw=many, out=out, workers=1), use_cache=False)
    meta = pq.read_metadata(out / "figures.parquet")
    assert meta.num_row_groups > 1 and meta.num_rows == summary.figures
    assert meta.metadata[b"tally.run_id"].decode() == summary.run_id
    assert duckdb.sql(f"select count(*) from '{out / 'figures.parquet'}'").fetchall() == [(summary.figures,)]
    assert pq.read_table(out / "figures.parquet").num_rows == pl.scan_parquet(out / "figures.parquet").select(
        pl.len()).collect().item() == summary.figures


def test_a_run_keeps_at_most_artifact_rows_of_failing_checks(many: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The flow's artifact table is built from the first failing checks only: a run must not hold
    every failing check of its corpus (at 1 GB of text they were 1.2 GB of the runner's memory)."""
    from tally import stream

    monkeypatch.setattr(stream, "ARTIFACT_ROWS", 3)
    totals = stream.Totals()
    summary = stream.run(Settings(raw=many, out=tmp_path / "out", workers=1), sorted(many.iterdir()), 0.0,
                         use_cache=False, totals=totals)
    failing = sum(n for sev, n in summary.checks.items() if sev != "info")
    assert failing > 3
    assert totals.failures().reconciliations.height == 3
    assert len(summary.errors) == 3 < summary.checks["error"]  # the summary's first errors; checks counts all


@pytest.mark.parametrize(("sizes", "want"), [
    ([10_000] * 120, [50, 50, 20]),  # press releases: 50 a batch
    ([1_000_000] * 60, [50, 10]),  # long reports: 50 a batch still (memory is per document's figures)
    ([2_048] * 300, [200, 100]),  # short texts: doubled while under 256 kB (100 x 2 kB = 200 kB: 200)
    ([100] * 2_500, [1_000, 1_000, 500]),  # one-line notes: at most 1,000 a batch
    ([100] * 40 + [10_000] * 80, [50, 50, 20]),  # the median decides, not the first files
    (None, [50, 50, 20]),  # 120 files that cannot be stat'ed (gone, an object in s3): 50 a batch
])
def test_batches_are_50_files_or_more_of_short_ones(tmp_path: Path, sizes: list[int] | None, want: list[int]) -> None:
    from tally import pipeline

    paths = [tmp_path / f"f{i:05d}.txt" for i in range(len(sizes) if sizes else 120)]
    for p, size in zip(paths, sizes or [], strict=False):
        with open(p, "wb") as fh:
            fh.truncate(size)  # sparse: the size is what counts
    chunks = list(pipeline.batches(paths))
    assert [len(c) for c in chunks] == want
    assert [p for c in chunks for p in c] == paths  # every file once, in order


def test_a_file_that_grows_moves_no_batch_boundary(tmp_path: Path) -> None:
    """Batches filled up to a number of bytes moved every later boundary when an early file grew,
    so every later batch missed the batch cache (adversarial review)."""
    from tally import pipeline

    paths = [tmp_path / f"f{i:03d}.txt" for i in range(300)]
    for p in paths:
        p.write_bytes(b"x" * 3_000)
    before = list(pipeline.batches(paths))
    paths[2].write_bytes(b"x" * 33_000)
    assert list(pipeline.batches(paths)) == before


def test_a_row_group_that_fails_is_reported_at_the_next_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Row groups are written by a thread: its error used to wait until two more row groups were
    handed over (a disk full at the first row group surfaced at the corpus's end)."""
    import errno
    import time

    import pyarrow.parquet as pq

    from tally.errors import OutFolderError
    from tally.publish import parts
    from tally.schemas import empty

    def full(self: pq.ParquetWriter, table: object, *args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(parts, "ROW_GROUP", 2)
    monkeypatch.setattr(pq.ParquetWriter, "write_table", full)
    writer = parts.SnapshotWriter(tmp_path, "run-1", {})
    frame = empty(Dataset.DOCUMENTS).clear(n=2)  # two rows of nulls
    writer.append("documents", frame)  # a row group: handed to the thread
    while writer.pending and not writer.pending[0].done():
        time.sleep(0.01)
    with pytest.raises(OutFolderError, match=r"documents\.parquet.*No space left on device"):
        writer.append("metrics", empty(Dataset.METRICS))  # the next batch, even one with no rows here
    writer.abort()
