"""Whole batches from the cache (`tally.publish.batches`): an unchanged batch is not curated again,
and whatever changes what a batch publishes (a file's bytes or name, an earlier copy of a file, a
setting, a damaged entry) makes it a miss, so a rerun publishes exactly what a cold run does."""

from __future__ import annotations

import logging
import shutil
import sqlite3
from pathlib import Path

import polars as pl
import pytest

from tally import stream
from tally.pipeline import BATCH, run
from tally.publish.batches import BatchCache, batch_key
from tally.settings import ReconcileSettings, Settings
from tally.vocabulary import Dataset
from tests.helpers import edited_samples


@pytest.fixture
def corpus(raw_dir: Path, tmp_path: Path) -> Path:
    """Two batches and a half: the fixtures edited, so that every file differs."""
    return edited_samples(raw_dir, tmp_path / "raw", 2 * BATCH + 5)


def _published(out: Path) -> dict[str, pl.DataFrame]:
    return {str(d): pl.read_parquet(out / f"{d}.parquet").drop("run_id", strict=False) for d in Dataset}


def _same(a: Path, b: Path) -> None:
    x, y = _published(a), _published(b)
    for name in x:
        assert x[name].equals(y[name]), name


def _count_curated(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many batches are read and curated (not taken whole from the batch cache)."""
    calls: list[int] = []
    real = stream.pipeline.read_batch

    def counting(paths: list[Path], *args: object, **kw: object) -> object:
        calls.append(len(paths))
        return real(paths, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(stream.pipeline, "read_batch", counting)
    return calls


def test_an_unchanged_rerun_curates_no_batch_and_publishes_the_same_rows(corpus: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    cold = run(Settings(raw=corpus, out=out, workers=1))
    before = _published(out)
    curated = _count_curated(monkeypatch)
    warm = run(Settings(raw=corpus, out=out, workers=1))
    assert curated == []
    assert (cold.cache_hits, warm.cache_hits) == (0, 2 * BATCH + 5)
    assert (warm.figures, warm.documents, warm.checks, warm.errors) == (cold.figures, cold.documents, cold.checks,
                                                                        cold.errors)
    after = _published(out)
    assert all(before[n].equals(after[n]) for n in before)


@pytest.mark.parametrize("change", ["bytes", "rename", "copy", "setting"])
def test_what_changes_a_batch_makes_it_a_miss(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              change: str) -> None:
    out = tmp_path / "out"
    settings = Settings(raw=corpus, out=out, workers=1)
    run(settings)
    if change == "bytes":
        (corpus / "doc-060.txt").write_text("Now 3 of the 7 projects were funded.\n", encoding="utf-8")
    elif change == "rename":
        (corpus / "doc-060.txt").rename(corpus / "doc-060b.txt")
    elif change == "copy":  # a copy of a first-batch file, sorted into the second batch: a duplicate there
        shutil.copy(corpus / "doc-003.txt", corpus / "doc-060a.txt")
    else:
        settings = Settings(raw=corpus, out=out, workers=1, reconcile=ReconcileSettings(percent_tolerance=2.0))
    curated = _count_curated(monkeypatch)
    run(settings)
    # the batches the change touches: a copy shifts the later files into the next batch
    assert len(curated) == {"bytes": 1, "rename": 1, "copy": 2, "setting": 3}[change]
    monkeypatch.undo()
    run(settings.model_copy(update={"out": tmp_path / "cold"}), use_cache=False)
    _same(out, tmp_path / "cold")


def _first_figures_entry(corpus: Path, out: Path) -> tuple[Path, str, bytes]:
    """After a run of one process: the batch cache's file, and the key and payload of its first
    figures entry."""
    run(Settings(raw=corpus, out=out, workers=1))
    (db,) = (out / ".cache").glob("batch-*/entries.sqlite")
    with sqlite3.connect(db) as con:
        key, payload = con.execute("SELECT key, payload FROM entries WHERE key LIKE '%.figures' ORDER BY key LIMIT 1"
                                   ).fetchone()
    return db, key, payload


def test_a_damaged_batch_entry_is_a_miss_logged_once_and_curated_again(corpus: Path, tmp_path: Path,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    out = tmp_path / "out"
    db, key, payload = _first_figures_entry(corpus, out)
    with sqlite3.connect(db) as con:
        half = len(payload) // 2  # a flipped bit in the middle (the last bytes may be zeros already)
        flipped = payload[:half] + bytes([payload[half] ^ 1]) + payload[half + 1:]
        con.execute("UPDATE entries SET payload = ? WHERE key = ?", (flipped, key))
    with caplog.at_level(logging.WARNING, logger="tally.cache"):
        run(Settings(raw=corpus, out=out, workers=1))
    assert [r.getMessage() for r in caplog.records if "damaged" in r.getMessage()] == [
        f"cache entry {key} in {db} is damaged (checksum mismatch): recomputed"]
    run(Settings(raw=corpus, out=tmp_path / "cold", workers=1), use_cache=False)
    _same(out, tmp_path / "cold")


def test_the_key_covers_names_bytes_copies_and_settings(corpus: Path) -> None:
    paths = sorted(corpus.iterdir())[:3]
    s = Settings(raw=corpus)
    base = batch_key(paths, s, {})
    assert base == batch_key(paths, Settings(raw=corpus, out=Path("elsewhere"), workers=2, keep=9, report=False), {})
    assert base != batch_key(paths[:2], s, {})
    assert base != batch_key(paths, Settings(raw=corpus, max_file_bytes=10), {})
    doc_id = __import__("hashlib").sha256(paths[0].read_bytes()).hexdigest()
    assert base != batch_key(paths, s, {doc_id: "earlier.txt"})
    assert base == batch_key(paths, s, {"0" * 64: "unrelated.txt"})
    (corpus / "gone.txt").write_text("x", encoding="utf-8")
    gone = corpus / "gone.txt"
    gone.unlink()
    assert batch_key([*paths, gone], s, {}) is None  # a file that cannot be read now: curated as usual


def test_a_rerun_prunes_the_entries_of_batches_it_no_longer_has(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(Settings(raw=corpus, out=out, workers=1))
    cache = BatchCache(out)
    assert len({k.split(".")[0] for k in cache.stored_keys()}) == 3
    for p in sorted(corpus.iterdir())[BATCH:]:
        p.unlink()
    run(Settings(raw=corpus, out=out, workers=1))
    assert len({k.split(".")[0] for k in cache.stored_keys()}) == 1


@pytest.mark.parametrize("change", ["target", "repoint"])
def test_a_link_is_keyed_by_what_it_points_at(corpus: Path, tmp_path: Path, change: str) -> None:
    """The reader follows a link inside the raw folder: a changed target, or a link pointed
    elsewhere, is a changed file (found by an adversarial review: the rerun published old rows)."""
    hidden = corpus / ".drafts"
    hidden.mkdir()
    (hidden / "a.txt").write_text("We counted 12 stands and 40 talks.\n", encoding="utf-8")
    (hidden / "b.txt").write_text("We counted 13 stands and 41 talks.\n", encoding="utf-8")
    link = corpus / "doc-000a.txt"
    link.symlink_to(Path(".drafts") / "a.txt")
    out = tmp_path / "out"
    run(Settings(raw=corpus, out=out, workers=1))
    if change == "target":
        (hidden / "a.txt").write_text("We counted 99 stands and 7 talks.\n", encoding="utf-8")
    else:
        link.unlink()
        link.symlink_to(Path(".drafts") / "b.txt")
    run(Settings(raw=corpus, out=out, workers=1))
    run(Settings(raw=corpus, out=tmp_path / "cold", workers=1), use_cache=False)
    _same(out, tmp_path / "cold")
    texts = pl.read_parquet(out / "figures.parquet").filter(pl.col("source") == "doc-000a.txt")["text"].to_list()
    assert texts == (["99", "7"] if change == "target" else ["13", "41"])


def test_a_batch_whose_files_changed_while_it_was_read_is_not_stored(corpus: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The key is made before the files are read: a file swapped in between (another file, a
    FIFO) must not store the rows of what was read under the key of what was hashed."""
    from tally.publish import batches

    real = batches.batch_key_and_ids

    def hashed_before_a_swap(paths: list[Path], settings: Settings, seen: object) -> object:
        keyed = real(paths, settings, seen)  # type: ignore[arg-type]
        assert keyed is not None
        return keyed[0], ["0" * 64, *keyed[1][1:]]  # the first file's bytes were others when hashed

    monkeypatch.setattr(stream, "batch_key_and_ids", hashed_before_a_swap)
    out = tmp_path / "out"
    run(Settings(raw=corpus, out=out, workers=1))
    assert BatchCache(out).stored_keys() == []


def test_an_unchanged_rerun_in_worker_processes_publishes_the_same_rows(corpus: Path, tmp_path: Path) -> None:
    """Workers send a stored batch back as its entries' bytes, not decoded (`stream.Shipped`): the
    rerun with two processes publishes what one process publishes cold."""
    out = tmp_path / "out"
    run(Settings(raw=corpus, out=out, workers=2))
    warm = run(Settings(raw=corpus, out=out, workers=2))
    assert warm.cache_hits == 2 * BATCH + 5
    run(Settings(raw=corpus, out=tmp_path / "cold", workers=1), use_cache=False)
    _same(out, tmp_path / "cold")


def _frames_equal(a: stream.BatchResult, b: stream.BatchResult) -> None:
    for name, frame in a.curated.frames().items():
        other = b.curated.frames()[name]
        assert frame.schema == other.schema and frame.equals(other), name
    assert (a.curated.ledger, a.inputs, a.ok_ids, a.key) == (b.curated.ledger, b.inputs, b.ok_ids, b.key)


def test_a_batch_result_crosses_processes_as_itself(corpus: Path, tmp_path: Path) -> None:
    """Pickled as Arrow IPC (a computed batch) or as the stored entries' bytes (a stored one, with
    `ship`): what arrives is the BatchResult the process that made it had."""
    import pickle

    from tally.pipeline import caches_for

    settings = Settings(raw=corpus, out=tmp_path / "out", workers=1)
    paths = sorted(corpus.glob("*.txt"))[:BATCH]
    (tmp_path / "out").mkdir()
    computed = stream.curate_batch(paths, settings, caches_for(settings.out))
    assert isinstance(computed, stream.BatchResult) and computed.curated.figures.height
    copy = pickle.loads(pickle.dumps(computed))
    _frames_equal(computed, copy)
    assert (copy.hit_ids, copy.hits) == (computed.hit_ids, computed.hits)

    shipped = stream.curate_batch(paths, settings, caches_for(settings.out), ship=True)
    assert isinstance(shipped, stream.Shipped)  # stored by the first call: not decoded in this "worker"
    arrived = pickle.loads(pickle.dumps(shipped))
    assert isinstance(arrived, stream.BatchResult)
    _frames_equal(computed, arrived)
    _frames_equal(computed, stream.received(shipped))  # an executor that hands it over without pickling
    assert arrived.hit_ids == set(computed.ok_ids)


@pytest.mark.parametrize(("damage", "cause"), [
    ("flip", "checksum mismatch"),
    ("schema", "its columns are not this stage's schema"),
    ("body", "PayloadError: a damaged frame ("),  # the checksum matches a damaged body (written so, or forged)
])
@pytest.mark.parametrize("loader", ["load", "load_payloads"])
def test_a_damaged_entry_is_a_miss_for_either_loader(corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                     damage: str, cause: str, loader: str) -> None:
    from tally.publish.cache import digest, encode_frame

    out = tmp_path / "out"
    db, key, payload = _first_figures_entry(corpus, out)
    with sqlite3.connect(db) as con:
        if damage == "flip":
            payload = payload[:100] + bytes([payload[100] ^ 1]) + payload[101:]
            con.execute("UPDATE entries SET payload = ? WHERE key = ?", (payload, key))
        else:  # with a good checksum: a well-formed entry of another schema, or a damaged body
            payload = (encode_frame(pl.DataFrame({"figure_id": ["x"]})) if damage == "schema"
                       else _damaged_body(payload))
            con.execute("UPDATE entries SET payload = ?, digest = ? WHERE key = ?", (payload, digest(key, payload), key))
    cache = BatchCache(out)
    with caplog.at_level(logging.WARNING, logger="tally.cache"):
        assert getattr(cache, loader)(key.rsplit(".", 1)[0]) is None
    cache.close()
    [message] = [r.getMessage() for r in caplog.records]
    assert message.startswith(f"cache entry {key} in {db} is damaged ({cause}") and message.endswith("): recomputed")


def _damaged_body(payload: bytes) -> bytes:
    """The same header, the record batch message with its flatbuffer metadata overwritten."""
    import struct

    import pyarrow as pa

    head = struct.Struct("<4s8sQ")
    magic, tag, size = head.unpack_from(payload)
    message = bytearray(pa.decompress(payload[head.size:], decompressed_size=size, codec="lz4", asbytes=True))
    message[8:40] = b"\xff" * 32
    return head.pack(magic, tag, len(message)) + pa.compress(bytes(message), codec="lz4", asbytes=True)


def test_a_damaged_body_with_a_good_checksum_is_curated_again_by_workers(corpus: Path, tmp_path: Path) -> None:
    """A worker checks a stored batch's bodies before sending them: the parent decodes them unchecked
    (a damaged one made the run fail, or polars segfault, every run until .cache was deleted)."""
    from tally.publish.cache import digest

    out = tmp_path / "out"
    run(Settings(raw=corpus, out=out, workers=2))
    (db,) = (out / ".cache").glob("batch-*/entries.sqlite")
    with sqlite3.connect(db) as con:
        for key, payload in con.execute("SELECT key, payload FROM entries WHERE key LIKE '%.figures'").fetchall():
            bad = _damaged_body(payload)
            con.execute("UPDATE entries SET payload = ?, digest = ? WHERE key = ?", (bad, digest(key, bad), key))
    warm = run(Settings(raw=corpus, out=out, workers=2))
    assert warm.cache_hits == 2 * BATCH + 5  # every document from the figures cache, no batch whole
    run(Settings(raw=corpus, out=tmp_path / "cold", workers=1), use_cache=False)
    _same(out, tmp_path / "cold")
