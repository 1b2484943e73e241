"""A reading contract that cannot tear (issue 12, item 5): `tally.published` resolves `current`
once and reads every dataset of that one publish, whatever publishes and prunes run meanwhile."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

import tally
from tally.errors import NotPublishedError
from tally.pipeline import curate_frames, read_batch
from tally.publish import new_run_id, publish
from tally.publish.audit import Curated
from tally.read.files import RawDocument
from tests.conftest import MEASUREMENTS
from tests.helpers import run_local

ROOT = Path(__file__).resolve().parents[1]
PUBLISHES = 150  # alternating publishes of two corpora while a reader process loops ...
SECONDS = 6.0  # ... for at least this long

READER = r"""
import io, json, os, sys
import polars as pl
import tally

out, stop, ready = sys.argv[1], sys.argv[2], sys.argv[3]
pinned = {"reads": 0, "errors": [], "mixed": 0, "runs": set()}
plain = {"reads": 0, "errors": 0, "mixed": 0}
open(ready, "w").close()
while not os.path.exists(stop):
    try:
        with tally.published(out) as pub:
            documents, figures = pub.read("documents"), pub.read("figures")
            runs = {pl.read_parquet_metadata(io.BytesIO(pub.read_bytes(n)))["tally.run_id"] for n in ("documents", "figures")}
        pinned["reads"] += 1
        pinned["runs"].add(pub.run_id)
        corpora = set(documents["source"].str.slice(0, 1).to_list())
        orphans = set(figures["doc_id"].to_list()) - set(documents["doc_id"].to_list())
        if runs != {pub.run_id} or len(corpora) != 1 or orphans:
            pinned["mixed"] += 1
    except Exception as exc:
        pinned["errors"].append(repr(exc))
    try:  # the plain stable paths, one after the other: counted, not a contract
        documents = pl.read_parquet(os.path.join(out, "documents.parquet"))
        figures = pl.read_parquet(os.path.join(out, "figures.parquet"))
        plain["reads"] += 1
        if not set(figures["doc_id"].to_list()) <= set(documents["doc_id"].to_list()):
            plain["mixed"] += 1
    except Exception:
        plain["errors"] += 1
pinned["runs"] = len(pinned["runs"])
print(json.dumps({"pinned": pinned, "plain": plain}))
"""


def _corpus(tmp_path: Path, prefix: str, n: int) -> tuple[Path, list[RawDocument], Curated]:
    raw = tmp_path / f"raw-{prefix}"
    raw.mkdir()
    for i in range(n):
        (raw / f"{prefix}-{i}.txt").write_text(f"Corpus {prefix}, text {i}: {i + 3} speakers and {10 * i + 7} guests.",
                                               encoding="utf-8")
    docs = read_batch(sorted(raw.glob("*.txt")), raw)
    return raw, docs, curate_frames(docs)


def test_a_reader_never_sees_an_error_or_two_publishes(tmp_path: Path) -> None:
    """The reproduction: with publishes alternating, `pl.read_parquet("curated/figures.parquet")`
    raised ComputeError 9 times in about 69,500 reads, and reading documents then figures mixed
    two publishes 4 to 7 times per 20,000 reads."""
    out = tmp_path / "out"
    corpora = [_corpus(tmp_path, "a", 3), _corpus(tmp_path, "b", 4)]
    raw, docs, curated = corpora[0]
    publish(out, new_run_id(), raw, docs, curated, keep=2)
    stop, ready = tmp_path / "stop", tmp_path / "ready"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(out), str(stop), str(ready)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 60
    while not ready.exists() and reader.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    t0 = time.perf_counter()
    publishes = 0
    while publishes < PUBLISHES or time.perf_counter() - t0 < SECONDS:  # enough of both, however fast the disk
        raw, docs, curated = corpora[(publishes + 1) % 2]
        publish(out, new_run_id(), raw, docs, curated, keep=2)  # keep=2: the reader's snapshot is pruned under it
        publishes += 1
    seconds = time.perf_counter() - t0
    stop.touch()
    stdout, stderr = reader.communicate(timeout=60)
    assert reader.returncode == 0, stderr
    result = json.loads(stdout)
    pinned, plain = result["pinned"], result["plain"]
    MEASUREMENTS.append(f"torn reads: {publishes} publishes in {seconds:.1f} s; pinned reads {pinned['reads']} "
                        f"({pinned['runs']} publishes seen, {len(pinned['errors'])} errors, {pinned['mixed']} mixed); "
                        f"plain path reads {plain['reads']} ({plain['errors']} errors, {plain['mixed']} mixed)")
    assert pinned["errors"] == [] and pinned["mixed"] == 0
    assert pinned["reads"] >= 100 and pinned["runs"] >= 20, pinned  # the reads did overlap the publishes


def test_a_pinned_publish_survives_its_snapshot_being_pruned(tmp_path: Path) -> None:
    out = tmp_path / "out"
    a, b = _corpus(tmp_path, "a", 3), _corpus(tmp_path, "b", 4)
    publish(out, new_run_id(), *a, keep=1)
    with tally.published(out) as pub:
        snapshot = pub.snapshot
        publish(out, new_run_id(), *b, keep=1)
        publish(out, new_run_id(), *a, keep=1)
        assert not snapshot.exists()  # pruned while pinned ...
        documents = pub.read("documents")  # ... and still read whole, from its open files
    assert documents["source"].to_list() == ["a-0.txt", "a-1.txt", "a-2.txt"]
    assert tally.read_published(out, "documents")["source"].to_list() == ["a-0.txt", "a-1.txt", "a-2.txt"]


def test_every_file_carries_its_run_id(raw_dir: Path, tmp_path: Path) -> None:
    summary = run_local(raw_dir, tmp_path)
    for name in ("documents", "figures", "reconciliations", "metrics", "quarantine"):
        meta = pq.read_metadata(tmp_path / f"{name}.parquet").metadata
        assert meta[b"tally.run_id"] == summary.run_id.encode(), name
    with tally.published(tmp_path) as pub:
        assert pub.run_id == summary.run_id and pub.datasets == ["documents", "figures", "reconciliations", "metrics",
                                                                 "quarantine"]
        assert pub.read("figures").equals(pl.read_parquet(tmp_path / "figures.parquet"))


def test_no_publish_and_a_damaged_publish_are_clear_errors(raw_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(NotPublishedError) as info:
        tally.read_published(tmp_path, "figures")
    assert str(info.value) == f"`{tmp_path}` holds no publish (no `current` link): run `tally run` first"
    summary = run_local(raw_dir, tmp_path / "out")
    path = tmp_path / "out" / "snapshots" / summary.run_id / "figures.parquet"
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(NotPublishedError) as info:
        tally.read_published(tmp_path / "out", "figures")
    assert str(info.value) == f"`{path}` does not match the sha256 its manifest records: the publish is damaged"
    with pytest.raises(ValueError) as unknown:
        tally.read_published(tmp_path / "out", "figure")
    assert str(unknown.value) == (f"no dataset 'figure' in the publish {summary.run_id} of `{tmp_path / 'out'}`: one of "
                                  "documents, figures, reconciliations, metrics, quarantine")
