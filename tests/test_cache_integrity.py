"""The stage cache never publishes a damaged entry and never crashes a run (issue 12, item 2):
every entry carries a checksum, a mismatch, a panic or a wrong schema is a miss (recomputed, one
log line), a damaged SQLite file is removed and rebuilt (issue 13), and the cache keeps only what
the last run used."""

from __future__ import annotations

import logging
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import polars as pl
import pytest
from polars.exceptions import PanicException

from tally.pipeline import extract_batch, read_batch, reconcile_step
from tally.publish import cache as cache_module
from tally.publish.audit import audit_extraction
from tally.publish.cache import StageCache
from tally.settings import ReconcileSettings
from tests.conftest import MEASUREMENTS
from tests.helpers import run_local

TEXT = ("The 2025 forum gathered 120 speakers and 3,800 participants from 12 countries.\n"
        "Of the 48 funded projects, 36 are led by women; 75% of them started in 2025.\n")


def _one_doc(tmp_path: Path) -> tuple[Path, list]:  # type: ignore[type-arg]
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "forum.txt").write_text(TEXT, encoding="utf-8")
    return raw, read_batch([raw / "forum.txt"], raw)


def _payload(cache: StageCache) -> tuple[str, bytes]:
    """The key and the stored bytes of the cache's only entry."""
    with sqlite3.connect(cache.db) as con:
        [(key, payload)] = con.execute("SELECT key, payload FROM entries").fetchall()
    return key, payload


def _store(cache: StageCache, key: str, payload: bytes) -> None:
    cache.close()
    with sqlite3.connect(cache.db) as con:
        con.execute("UPDATE entries SET payload = ? WHERE key = ?", (payload, key))


def _flip_bytes(cache: StageCache, step: Callable[[], pl.DataFrame], clean: pl.DataFrame,
                caplog: pytest.LogCaptureFixture, offsets: Iterable[int] | None = None) -> dict[str, list[int]]:
    """Flip each byte of the entry's stored frame in turn (XOR 0xFF; every byte unless `offsets`
    are given) and run the step on it: the offsets where the step returned other rows, raised (a
    polars panic is a BaseException), logged anything but one line, or left the entry other than
    whole."""
    key, original = _payload(cache)
    found: dict[str, list[int]] = {"wrong rows": [], "raised": [], "not one log line": [], "entry not rewritten": []}
    for i in offsets if offsets is not None else range(len(original)):
        _store(cache, key, original[:i] + bytes([original[i] ^ 0xFF]) + original[i + 1 :])
        caplog.clear()
        try:
            got = step()
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            found["raised"].append(i)
            continue
        if not got.equals(clean):
            found["wrong rows"].append(i)
        records = [r.getMessage() for r in caplog.records if r.name == "tally.cache"]
        if len(records) != 1 or "\n" in records[0]:
            found["not one log line"].append(i)
        cache.close()
        if _payload(cache) != (key, original):
            found["entry not rewritten"].append(i)
    return found


def _summary(stage: str, n: int, found: dict[str, list[int]], seconds: float) -> str:
    return f"cache byte flips, {stage} entry: {n} flips in {seconds:.1f} s, " + ", ".join(
        f"{len(v)} {k}" for k, v in found.items())


def test_every_byte_flip_of_a_figures_entry_is_a_miss(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The reproduction: over every single-byte flip of one cache file, 1,238 of 7,835 read back
    silently different values (2025 became 2029) and some made polars panic."""
    caplog.set_level(logging.WARNING, logger="tally.cache")
    _, docs = _one_doc(tmp_path)
    clean = extract_batch(docs).candidates
    warm = StageCache(tmp_path / "out", "figures")
    extract_batch(docs, cache=warm)
    cache = StageCache(tmp_path / "out", "figures")
    n, t0 = len(_payload(warm)[1]), time.perf_counter()
    found = _flip_bytes(cache, lambda: extract_batch(docs, cache=cache).candidates, clean, caplog)
    MEASUREMENTS.append(_summary("figures", n, found, time.perf_counter() - t0))
    assert found == {"wrong rows": [], "raised": [], "not one log line": [], "entry not rewritten": []}
    assert (cache.damaged, cache.hits) == (n, 0)
    assert extract_batch(docs, cache=cache).candidates.equals(clean) and cache.hits == 1  # the entry is good again


def test_every_byte_flip_of_a_reconcile_entry_is_a_miss(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="tally.cache")
    _, docs = _one_doc(tmp_path)
    part = extract_batch(docs)
    audited = audit_extraction(part.documents, part.candidates)
    settings = ReconcileSettings()
    clean, _ = reconcile_step(docs, audited, settings)
    assert clean.height > 0
    warm = StageCache(tmp_path / "out", "reconcile")
    reconcile_step(docs, audited, settings, warm)
    cache = StageCache(tmp_path / "out", "reconcile")
    size, t0 = len(_payload(warm)[1]), time.perf_counter()
    # the head, the tail (schema and offsets) and every 7th byte between: the whole entry is
    # flipped byte by byte for the figures stage above
    offsets = sorted({*range(200), *range(max(0, size - 600), size), *range(0, size, 7)})
    found = _flip_bytes(cache, lambda: reconcile_step(docs, audited, settings, cache)[0], clean, caplog, offsets)
    MEASUREMENTS.append(_summary("reconcile", len(offsets), found, time.perf_counter() - t0))
    assert found == {"wrong rows": [], "raised": [], "not one log line": [], "entry not rewritten": []}
    assert (cache.damaged, cache.hits) == (len(offsets), 0)


def test_byte_flips_of_the_cache_file_never_publish_wrong_rows(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Damage to the SQLite file itself (its header, its pages, its free space): the step returns
    the clean rows, never raises, and the next run reads the rebuilt cache."""
    caplog.set_level(logging.WARNING, logger="tally.cache")
    _, docs = _one_doc(tmp_path)
    clean = extract_batch(docs).candidates
    warm = StageCache(tmp_path / "out", "figures")
    extract_batch(docs, cache=warm)
    warm.close()
    with sqlite3.connect(warm.db) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    original = warm.db.read_bytes()
    wrong, raised = [], []
    for i in sorted({*range(0, 120), *range(0, len(original), 61)}):
        for suffix in ("-wal", "-shm"):
            Path(f"{warm.db}{suffix}").unlink(missing_ok=True)
        warm.db.write_bytes(original[:i] + bytes([original[i] ^ 0xFF]) + original[i + 1 :])
        cache = StageCache(tmp_path / "out", "figures")
        try:
            got = extract_batch(docs, cache=cache).candidates
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            raised.append(i)
            continue
        finally:
            cache.close()
        if not got.equals(clean):
            wrong.append(i)
    assert (wrong, raised) == ([], [])
    cache = StageCache(tmp_path / "out", "figures")
    assert extract_batch(docs, cache=cache).candidates.equals(clean) and cache.hits == 1


def test_a_file_that_is_not_a_database_is_removed_and_rebuilt(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="tally.cache")
    raw, out, clean, cache = _published_once(tmp_path)
    cache.db.write_bytes(b"PAR1 not a database at all" * 100)  # e.g. a file of the per-document cache
    for batches in (out / ".cache").glob("batch-*"):  # else the whole batch comes from the batch cache
        shutil.rmtree(batches)
    caplog.clear()
    summary = run_local(raw, out)
    assert pl.read_parquet(out / "figures.parquet").equals(clean) and summary.cache_hits == 0
    messages = [r.getMessage() for r in caplog.records if r.name == "tally.cache"]
    assert len(messages) == 1 and messages[0].startswith(f"cache file {cache.db} is unreadable ("), messages
    assert run_local(raw, out).cache_hits == 1  # rebuilt


def _published_once(tmp_path: Path) -> tuple[Path, Path, pl.DataFrame, StageCache]:
    """One document published: (raw, out, its figures, the figures cache)."""
    raw, _ = _one_doc(tmp_path)
    out = tmp_path / "out"
    run_local(raw, out)
    cache = StageCache(out, "figures")
    return raw, out, pl.read_parquet(out / "figures.parquet"), cache


def test_an_entry_with_the_wrong_schema_is_a_miss(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The reproduction: a valid parquet with the wrong schema in the cache gave a ShapeError traceback."""
    caplog.set_level(logging.WARNING, logger="tally.cache")
    raw, out, clean, cache = _published_once(tmp_path)
    [key] = cache.stored_keys()
    cache.put(key, pl.DataFrame({"a": [1, 2, 3]}))  # a well-formed entry with the wrong columns
    cache.flush()
    caplog.clear()
    assert cache.get(key) is None
    assert [r.getMessage() for r in caplog.records] == [
        f"cache entry {key} in {cache.db} is damaged (its columns are not this stage's schema): recomputed"]
    cache.close()
    run_local(raw, out)
    assert pl.read_parquet(out / "figures.parquet").equals(clean)


def test_a_panic_while_reading_an_entry_is_a_miss(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Polars' PanicException is a BaseException: it escaped every handler and every later run
    failed with a traceback until .cache was deleted by hand."""
    caplog.set_level(logging.WARNING, logger="tally.cache")
    raw, out, clean, cache = _published_once(tmp_path)
    [key] = cache.stored_keys()

    def panic(source: object, *args: object, **kwargs: object) -> pl.DataFrame:
        raise PanicException("called `Option::unwrap()` on a `None` value")

    monkeypatch.setattr(cache_module.frames.pl, "from_arrow", panic)  # the decoder (`tally.publish.frames`)
    caplog.clear()
    assert cache.get(key) is None
    assert [r.getMessage() for r in caplog.records] == [
        f"cache entry {key} in {cache.db} is damaged (PanicException: called `Option::unwrap()` on a `None` value): "
        "recomputed"]
    cache.close()
    run_local(raw, out)  # the whole run, with every read of the cache panicking
    monkeypatch.undo()
    assert pl.read_parquet(out / "figures.parquet").equals(clean)


def test_a_cache_that_cannot_be_written_costs_time_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    """A full disk is SQLITE_FULL (an OperationalError): it must not stop the run, nor be taken
    for a damaged file."""
    caplog.set_level(logging.WARNING, logger="tally.cache")
    raw, _ = _one_doc(tmp_path)

    def full(*args: object, **kwargs: object) -> sqlite3.Connection:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(cache_module.sqlite3, "connect", full)
    summary = run_local(raw, tmp_path / "out")
    assert summary.figures == 8
    assert [p for p in (tmp_path / "out" / ".cache").rglob("*") if p.is_file()] == []
    messages = [r.getMessage() for r in caplog.records if r.name == "tally.cache"]
    assert len(messages) == 3  # once per stage (figures, checks, batches), not once per document
    assert all(m.startswith("cannot write cache file ") and m.endswith(
        "OperationalError: database or disk is full: the cache is not kept this run") for m in messages), messages


def test_the_cache_keeps_only_what_the_last_run_used(raw_dir: Path, tmp_path: Path) -> None:
    """The reproduction: 18 cache files for 4 documents after 5 edits; the cache of deleted
    documents stayed for ever."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for p in raw_dir.glob("*.txt"):
        (raw / p.name).write_bytes(p.read_bytes())
    out = tmp_path / "out"

    def entries() -> list[str]:
        caches = [StageCache(out, stage) for stage in ("figures", "reconcile")]
        return sorted(f"{stage}/{key[:8]}" for stage, key in cache_module.entries(caches))

    run_local(raw, out)
    edited = raw / "hi-paris-ai-action-week.txt"
    for n in range(5):
        edited.write_text(f"Edit {n}: {n + 10} speakers.", encoding="utf-8")
        run_local(raw, out)
    import hashlib

    ids = sorted(hashlib.sha256(p.read_bytes()).hexdigest()[:8] for p in raw.glob("*.txt"))
    assert entries() == sorted(f"{stage}/{i}" for stage in ("figures", "reconcile") for i in ids)
    (raw / "cnrs-ai-for-science-slides.txt").unlink()
    run_local(raw, out)
    ids = sorted(hashlib.sha256(p.read_bytes()).hexdigest()[:8] for p in raw.glob("*.txt"))
    assert len(entries()) == 6 and entries() == sorted(f"{stage}/{i}" for stage in ("figures", "reconcile") for i in ids)
