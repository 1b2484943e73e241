"""Every raw file is accounted for: read, or rejected with a reason."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from tests.helpers import run_local

CASES = [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\n", "empty file"),
    ("binary.txt", b"\x00\x01\x02PK\x00", "binary file"),
]


@pytest.mark.parametrize(("name", "data", "reason"), CASES, ids=[c[0] for c in CASES])
def test_unreadable_files_are_rejected_with_a_reason(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text("Over 300 participants attended.", encoding="utf-8")
    (raw / name).write_bytes(data)
    summary = run_local(raw, tmp_path / "out")
    documents = pl.read_parquet(tmp_path / "out" / "documents.parquet")
    assert documents.height == 2 and summary.documents_ok == 1
    bad = documents.filter(pl.col("source") == name).row(0, named=True)
    assert bad["status"] == "rejected" and reason in bad["reason"]


def test_utf8_bom_is_dropped_so_offsets_match(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "bom.txt").write_bytes("\ufeff12 speakers".encode())
    run_local(raw, tmp_path / "out")
    fig = pl.read_parquet(tmp_path / "out" / "figures.parquet").row(0, named=True)
    assert fig["text"] == "12" and fig["start"] == 0


def test_same_bytes_twice_are_published_once(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "a.txt").write_text("40 projects", encoding="utf-8")
    (raw / "sub" / "b.txt").write_text("40 projects", encoding="utf-8")
    run_local(raw, tmp_path / "out")
    documents = pl.read_parquet(tmp_path / "out" / "documents.parquet")
    assert documents["source"].to_list() == ["a.txt", "sub/b.txt"]
    assert documents["status"].to_list() == ["ok", "rejected"]
    assert "same bytes as `a.txt`" in documents["reason"][1]


def test_symlink_out_of_the_raw_folder_is_rejected(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("42 secrets", encoding="utf-8")
    (raw / "link.txt").symlink_to(secret)
    (raw / "ok.txt").write_text("7 days", encoding="utf-8")
    run_local(raw, tmp_path / "out")
    documents = pl.read_parquet(tmp_path / "out" / "documents.parquet")
    row = documents.filter(pl.col("source") == "link.txt").row(0, named=True)
    assert row["status"] == "rejected" and "outside the raw folder" in row["reason"]
