"""The pandera contracts reject broken frames, naming the dataset, the rule and the row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from tally.errors import ValidationFailure
from tally.publish.validation import check_references, validate
from tally.schemas import DocumentsModel, FiguresModel, polars_schema


@pytest.fixture(scope="module")
def frames(curated_local: Path) -> tuple[pl.DataFrame, pl.DataFrame]:
    return pl.read_parquet(curated_local / "documents.parquet"), pl.read_parquet(curated_local / "figures.parquet")


def _set(col: str, value: object, row: int = 0, dtype: pl.DataType | None = None) -> Callable[[pl.DataFrame], pl.DataFrame]:
    def mutate(df: pl.DataFrame) -> pl.DataFrame:
        idx = pl.int_range(pl.len())
        new = pl.when(idx == row).then(pl.lit(value, dtype=dtype or df.schema[col])).otherwise(pl.col(col))
        return df.with_columns(new.alias(col))
    return mutate


def _first_of(kind: str) -> Callable[[pl.DataFrame], int]:
    return lambda df: int(df.with_row_index().filter(pl.col("kind") == kind)["index"][0])


@dataclass
class Broken:
    name: str
    mutate: Callable[[pl.DataFrame], pl.DataFrame]
    rule: str


FIGURE_BREAKS = [
    Broken("unknown kind", _set("kind", "fraction"), "isin"),
    Broken("unknown qualifier", _set("qualifier", "roughly"), "isin"),
    Broken("start after end", _set("start", 10**9), "start_before_end"),
    Broken("negative start", _set("start", -1), "greater_than_or_equal_to"),
    Broken("duplicate figure_id", lambda df: df.with_columns(pl.lit(df["figure_id"][0]).alias("figure_id")), "field_uniqueness"),
    Broken("missing column", lambda df: df.drop("head"), "column_in_dataframe"),
    Broken("extra column", lambda df: df.with_columns(pl.lit(1).alias("surprise")), "column_in_schema"),
    Broken("int32 offsets", lambda df: df.with_columns(pl.col("start").cast(pl.Int32)), "dtype('Int64')"),
    Broken("line zero", _set("line", 0), "greater_than_or_equal_to"),
    Broken("empty text", _set("text", ""), "str_length"),
    Broken("bad doc_id", _set("doc_id", "xyz"), "str_matches"),
    Broken("range reversed", lambda df: _set("value_max", -5.0)(df), "range_ordered"),
]


@pytest.mark.parametrize("case", FIGURE_BREAKS, ids=lambda c: c.name)
def test_broken_figures_are_rejected_with_the_rule(frames: tuple[pl.DataFrame, pl.DataFrame], case: Broken) -> None:
    _, figures = frames
    with pytest.raises(ValidationFailure) as info:
        validate("figures", case.mutate(figures), FiguresModel)
    message = str(info.value)
    assert message.startswith("dataset `figures` failed validation; nothing was published")
    assert case.rule in message


@pytest.mark.parametrize(("kind", "value", "rule"), [
    ("percent", 140000.0, "percent_plausible"),
    ("count", -3.0, "counts_not_negative"),
    ("year", 3100.0, "year_plausible"),
])
def test_implausible_values_name_the_file_and_line(frames: tuple[pl.DataFrame, pl.DataFrame], kind: str,
                                                    value: float, rule: str) -> None:
    _, figures = frames
    row = _first_of(kind)(figures)
    broken = _set("value", value, row)(figures)
    with pytest.raises(ValidationFailure) as info:
        validate("figures", broken, FiguresModel)
    src, line = figures["source"][row], figures["line"][row]
    assert rule in str(info.value)
    assert f": {src}:{line} " in str(info.value)


def test_dates_only_on_date_rows(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    _, figures = frames
    row = _first_of("count")(figures)
    with pytest.raises(ValidationFailure, match="dates_only_on_dates"):
        validate("figures", _set("date_start", dt.date(2024, 1, 1), row)(figures), FiguresModel)


DOCUMENT_BREAKS = [
    Broken("unknown status", _set("status", "maybe"), "isin"),
    Broken("rejected without reason", _set("status", "rejected"), "rejected_have_reason"),
    Broken("negative chars", _set("n_chars", -1), "greater_than_or_equal_to"),
    Broken("duplicate source", lambda df: df.with_columns(pl.lit(df["source"][0]).alias("source")), "field_uniqueness"),
    Broken("unknown language", _set("language", "xx"), "isin"),
]


@pytest.mark.parametrize("case", DOCUMENT_BREAKS, ids=lambda c: c.name)
def test_broken_documents_are_rejected(frames: tuple[pl.DataFrame, pl.DataFrame], case: Broken) -> None:
    documents, _ = frames
    with pytest.raises(ValidationFailure) as info:
        validate("documents", case.mutate(documents), DocumentsModel)
    assert "dataset `documents`" in str(info.value) and case.rule in str(info.value)


def test_figures_must_belong_to_an_ok_document(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    documents, figures = frames
    with pytest.raises(ValidationFailure, match="doc_id_in_documents"):
        check_references(documents.slice(1), figures, pl.DataFrame(schema=polars_schema("reconciliations")))


def test_clean_frames_pass(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    documents, figures = frames
    validate("documents", documents, DocumentsModel)
    validate("figures", figures, FiguresModel)
    check_references(documents, figures, pl.DataFrame(schema=polars_schema("reconciliations")))


def test_a_broken_dataset_leaves_the_out_folder_as_it_was(tmp_path: Path, raw_dir: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A missing column is a bug, not bad data: nothing is published, the last publish stays."""
    from tests.helpers import break_candidates, run_local

    out = tmp_path / "out"
    run_local(raw_dir, out)
    before = {p.name: p.read_bytes() for p in (out / "current").iterdir()}
    current = (out / "current").resolve()

    break_candidates(monkeypatch, lambda f: f.drop("head"))
    with pytest.raises(ValidationFailure, match="dataset `figures` failed validation; nothing was published"):
        run_local(raw_dir, out)
    assert (out / "current").resolve() == current
    assert {p.name: p.read_bytes() for p in (out / "current").iterdir()} == before


def test_bad_rows_are_quarantined_not_published(tmp_path: Path, raw_dir: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.helpers import break_candidates, run_local

    break_candidates(monkeypatch, lambda f: f.with_columns(
        pl.when(pl.int_range(pl.len()) == 3).then(pl.lit("nonsense")).otherwise(pl.col("kind")).alias("kind")))
    summary = run_local(raw_dir, tmp_path / "out", use_cache=False)
    q = pl.read_parquet(tmp_path / "out" / "quarantine.parquet")
    assert summary.quarantined == 1 and summary.partial
    row = q.row(0, named=True)
    assert (row["dataset"], row["rule"]) == ("figures", "isin")
    assert "kind = 'nonsense'" in row["reason"] and row["source"] and row["start"] is not None
    figures = pl.read_parquet(tmp_path / "out" / "figures.parquet")
    assert row["row_id"] not in figures["figure_id"].to_list()
