"""What readers get: columns and types, offsets that point at the text, lines, ids."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import polars as pl
import pyarrow.parquet as pq

from tally.schemas import SCHEMA_VERSION, polars_schema


def test_every_offset_points_at_its_text(curated_local: Path, raw_dir: Path) -> None:
    figures = pl.read_parquet(curated_local / "figures.parquet")
    for source, group in figures.group_by("source"):
        text = (raw_dir / str(source[0])).read_text(encoding="utf-8")
        for row in group.iter_rows(named=True):
            assert text[row["start"] : row["end"]] == row["text"], row
            assert text.count("\n", 0, row["start"]) + 1 == row["line"], row
            assert " ".join(row["text"].split()) in row["sentence"] or "\n" in row["text"], row


def test_ids_are_content_hashes(curated_local: Path, raw_dir: Path) -> None:
    documents = pl.read_parquet(curated_local / "documents.parquet")
    for row in documents.iter_rows(named=True):
        assert row["doc_id"] == hashlib.sha256((raw_dir / row["source"]).read_bytes()).hexdigest()
    figures = pl.read_parquet(curated_local / "figures.parquet")
    assert figures["figure_id"].is_unique().all()
    assert (figures["figure_id"] == figures["doc_id"] + ":" + figures["start"].cast(pl.String)).all()


def test_documents_count_their_figures(curated_local: Path) -> None:
    documents = pl.read_parquet(curated_local / "documents.parquet")
    figures = pl.read_parquet(curated_local / "figures.parquet")
    per_doc = dict(figures.group_by("source").len().iter_rows())
    for row in documents.iter_rows(named=True):
        assert row["n_figures"] == per_doc.get(row["source"], 0)
        assert row["status"] == "ok" and row["language"] == "en"


def test_readers_see_the_declared_types(curated_local: Path) -> None:
    path = curated_local / "figures.parquet"
    assert pl.read_parquet_schema(path) == dict(polars_schema("figures"))
    meta = pq.read_metadata(path).metadata
    assert meta[b"tally.schema_version"] == SCHEMA_VERSION.encode()
    frame = pd.read_parquet(path)
    assert str(frame["date_start"].dtype).startswith(("object", "datetime64", "date32"))
    assert frame["value"].dtype == "float64"


def test_every_dataset_reads_the_same_in_four_readers(curated_local: Path) -> None:
    import duckdb
    import pyarrow.parquet as pq

    for name in ("documents", "figures", "reconciliations", "metrics", "quarantine"):
        path = curated_local / f"{name}.parquet"
        frame = pl.read_parquet(path)
        assert frame.schema == polars_schema(name), name
        assert pq.read_table(path).num_rows == frame.height
        assert duckdb.sql(f"select count(*) from '{path}'").fetchall()[0][0] == frame.height
        assert pd.read_parquet(path).shape == frame.shape
        assert pq.read_metadata(path).metadata[b"tally.dataset"] == name.encode()


def test_metrics_of_the_consultation(curated_local: Path) -> None:
    metrics = pl.read_parquet(curated_local / "metrics.parquet")
    row = metrics.filter(pl.col("source") == "ai-action-summit-consultations.txt").row(0, named=True)
    assert (row["participants"], row["proposals"], row["votes"]) == (11661, 575, 121325)
