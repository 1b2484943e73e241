"""`figures`: one row per numeric expression found in a raw text."""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl

from tally.vocabulary import Kind, Qualifier, values

YEAR_MIN, YEAR_MAX = 1000, 2200
PERCENT_MAX = 10_000.0  # growth can exceed 100% ("a 5000% increase"); beyond, an extraction error


class FiguresModel(pa.DataFrameModel):
    source: str = pa.Field(str_length={"min_value": 1})
    doc_id: str = pa.Field(str_matches=r"^[0-9a-f]{64}$")
    figure_id: str = pa.Field(unique=True, str_matches=r"^[0-9a-f]{64}:\d+$")
    start: int = pa.Field(ge=0)
    end: int = pa.Field(ge=1)
    text: str = pa.Field(str_length={"min_value": 1})
    value: float = pa.Field(nullable=True)
    value_max: float = pa.Field(nullable=True)
    kind: str = pa.Field(isin=values(Kind))
    unit: str = pa.Field(nullable=True)
    qualifier: str = pa.Field(isin=values(Qualifier))
    counted: str = pa.Field(nullable=True)
    head: str = pa.Field(nullable=True)
    date_start: dt.date = pa.Field(nullable=True)
    date_end: dt.date = pa.Field(nullable=True)
    date_iso: str = pa.Field(nullable=True)
    line: int = pa.Field(ge=1)
    sentence: str
    heading: str = pa.Field(nullable=True)
    source_line: int = pa.Field(nullable=True, ge=1)  # since 1.3: line in the source file (Word: paragraph)
    page: int = pa.Field(nullable=True, ge=1)  # since 1.3: PDF page

    class Config:
        strict = True
        coerce = False

    @pa.dataframe_check(name="start_before_end", error="start_before_end: start must be < end")
    def start_before_end(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("start") < pl.col("end"))

    @pa.dataframe_check(name="range_ordered", error="range_ordered: value_max must be >= value")
    def range_ordered(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("value_max").is_null() | (pl.col("value_max") >= pl.col("value")))

    @pa.dataframe_check(name="value_required", error="value_required: every kind but date needs a value")
    def value_required(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("kind") == Kind.DATE) | pl.col("value").is_not_null())

    @pa.dataframe_check(name="counts_not_negative", error="counts_not_negative: a count or a duration cannot be negative")
    def counts_not_negative(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(~pl.col("kind").is_in([Kind.COUNT, Kind.DURATION]) | (pl.col("value") >= 0))

    @pa.dataframe_check(name="percent_plausible", error=f"percent_plausible: a percent must lie in [-100, {PERCENT_MAX}]")
    def percent_plausible(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            (pl.col("kind") != Kind.PERCENT) | pl.col("value").is_between(-100.0, PERCENT_MAX)
        )

    @pa.dataframe_check(name="year_plausible", error=f"year_plausible: a year must lie in [{YEAR_MIN}, {YEAR_MAX}]")
    def year_plausible(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("kind") != Kind.YEAR) | pl.col("value").is_between(YEAR_MIN, YEAR_MAX))

    @pa.dataframe_check(name="date_range_ordered", error="date_range_ordered: date_end must be >= date_start")
    def date_range_ordered(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            pl.col("date_end").is_null() | pl.col("date_start").is_null() | (pl.col("date_end") >= pl.col("date_start"))
        )

    @pa.dataframe_check(name="dates_only_on_dates", error="dates_only_on_dates: date_start is set only for kind date")
    def dates_only_on_dates(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("kind") == Kind.DATE) | pl.col("date_start").is_null())

    @pa.dataframe_check(name="figure_id_is_doc_and_start", error="figure_id_is_doc_and_start: figure_id must be doc_id:start")
    def figure_id_is_doc_and_start(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            pl.col("figure_id") == pl.concat_str([pl.col("doc_id"), pl.lit(":"), pl.col("start").cast(pl.String)])
        )
