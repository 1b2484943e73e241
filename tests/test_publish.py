"""Write-audit-publish: snapshots, manifest, stable read paths, pruning, ledger, incremental runs."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from tally.publish.snapshots import read_manifest
from tally.schemas import SCHEMA_VERSION, polars_schema
from tests.helpers import run_local

DECLARED = {
    "documents": polars_schema("documents"), "figures": polars_schema("figures"),
    "reconciliations": polars_schema("reconciliations"), "metrics": polars_schema("metrics"),
    "quarantine": polars_schema("quarantine"),
}


def assert_matches_manifest(out: Path) -> dict[str, object]:
    """The published data reads completely and matches its manifest; the ledger balances."""
    manifest = read_manifest(out)
    assert manifest is not None
    current = out / "current"
    for name, info in manifest["datasets"].items():  # type: ignore[union-attr]
        path = current / info["file"]
        assert hashlib.sha256(path.read_bytes()).hexdigest() == info["sha256"], name
        frame = pl.read_parquet(path)
        assert frame.height == info["rows"], name
        assert {c: str(t) for c, t in frame.schema.items()} == info["columns"], name
    ledger = manifest["ledger"]
    assert ledger["balanced"] is True  # type: ignore[index]
    assert ledger["raw_files_seen"] == (ledger["documents_ok"] + ledger["documents_rejected"]  # type: ignore[index]
                                        + ledger["documents_skipped"] + ledger["documents_quarantined"])  # type: ignore[index]
    assert ledger["candidate_figures"] == ledger["figures_published"] + ledger["figures_quarantined"]  # type: ignore[index]
    return manifest  # type: ignore[return-value]


def test_layout_manifest_and_stable_paths(raw_dir: Path, tmp_path: Path) -> None:
    summary = run_local(raw_dir, tmp_path)
    manifest = assert_matches_manifest(tmp_path)
    assert manifest["run_id"] == summary.run_id and manifest["schema_version"] == SCHEMA_VERSION
    assert os.readlink(tmp_path / "current") == f"snapshots/{summary.run_id}"
    for name in DECLARED:
        assert os.readlink(tmp_path / f"{name}.parquet") == f"current/{name}.parquet"
    inputs = {i["source"]: i["sha256"] for i in manifest["inputs"]}  # type: ignore[attr-defined]
    assert inputs == {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in raw_dir.glob("*.txt")}
    assert manifest["validation"]["quarantined_rows"] == 0  # type: ignore[index]


@pytest.mark.parametrize("name", list(DECLARED))
def test_reader_matrix(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory, name: str) -> None:
    out = tmp_path_factory.getbasetemp() / "reader-matrix"
    if not (out / "current").exists():
        run_local(raw_dir, out)
    path = out / f"{name}.parquet"
    frame = pl.read_parquet(path)
    assert frame.schema == DECLARED[name]
    table = ds.dataset(str(path), format="parquet").to_table()
    assert table.num_rows == frame.height and table.column_names == list(DECLARED[name])
    assert duckdb.sql(f"select count(*) from '{path}'").fetchall()[0][0] == frame.height
    assert list(pd.read_parquet(path).columns) == list(DECLARED[name])
    assert pq.read_metadata(path).metadata[b"tally.schema_version"] == SCHEMA_VERSION.encode()


def test_old_snapshots_are_pruned_and_dead_staging_removed(raw_dir: Path, tmp_path: Path) -> None:
    ids = [run_local(raw_dir, tmp_path, keep=2).run_id for _ in range(4)]
    (tmp_path / "snapshots" / ".staging-dead-run").mkdir()
    ids.append(run_local(raw_dir, tmp_path, keep=2).run_id)
    assert sorted(p.name for p in (tmp_path / "snapshots").iterdir()) == sorted(ids[-2:])
    assert os.readlink(tmp_path / "current") == f"snapshots/{ids[-1]}"
    assert_matches_manifest(tmp_path)


def _row_hashes(out: Path, name: str) -> list[int]:
    return sorted(pl.read_parquet(out / f"{name}.parquet").hash_rows().to_list())


def test_rerun_on_an_unchanged_corpus_publishes_identical_rows_from_cache(raw_dir: Path, tmp_path: Path) -> None:
    first = run_local(raw_dir, tmp_path)
    hashes = {n: _row_hashes(tmp_path, n) for n in DECLARED}
    second = run_local(raw_dir, tmp_path)
    assert first.cache_hits == 0 and second.cache_hits == 4
    assert {n: _row_hashes(tmp_path, n) for n in DECLARED} == hashes
    assert second.run_id != first.run_id


def test_a_changed_file_is_extracted_again(raw_dir: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for p in raw_dir.glob("*.txt"):
        (raw / p.name).write_bytes(p.read_bytes())
    run_local(raw, tmp_path / "out")
    (raw / "hi-paris-ai-action-week.txt").write_text("A new text with 12 new figures.", encoding="utf-8")
    summary = run_local(raw, tmp_path / "out")
    assert summary.cache_hits == 3
    figures = pl.read_parquet(tmp_path / "out" / "figures.parquet")
    assert figures.filter(pl.col("source") == "hi-paris-ai-action-week.txt")["text"].to_list() == ["12"]


def test_manifest_is_json_with_the_run_facts(raw_dir: Path, tmp_path: Path) -> None:
    run_local(raw_dir, tmp_path)
    data = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert set(data) >= {"run_id", "created", "tally_version", "schema_version", "inputs", "datasets", "validation",
                         "ledger"}


def test_cached_checks_follow_the_settings(raw_dir: Path, tmp_path: Path) -> None:
    from tally.settings import ReconcileSettings

    run_local(raw_dir, tmp_path)
    off = ReconcileSettings(rules={"list_total": False})
    run_local(raw_dir, tmp_path, off)
    rules = set(pl.read_parquet(tmp_path / "reconciliations.parquet")["rule"].to_list())
    assert "list_total" not in rules and "repeated_mention" in rules
    run_local(raw_dir, tmp_path)
    assert "list_total" in set(pl.read_parquet(tmp_path / "reconciliations.parquet")["rule"].to_list())
