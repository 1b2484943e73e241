"""`reconciliations`: one row per check that the figures of a document add up."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from tally.vocabulary import Relation, Rule, Severity, values


class ReconciliationsModel(pa.DataFrameModel):
    doc_id: str = pa.Field(str_matches=r"^[0-9a-f]{64}$")
    source: str = pa.Field(str_length={"min_value": 1})
    rule: str = pa.Field(isin=values(Rule))
    figure_ids: list[str]
    stated: float = pa.Field(nullable=True)
    observed: float = pa.Field(nullable=True)
    relation: str = pa.Field(isin=values(Relation))
    holds: bool
    severity: str = pa.Field(isin=values(Severity))
    message: str = pa.Field(str_length={"min_value": 1})
    line: int = pa.Field(ge=1)

    class Config:
        strict = True
        coerce = False

    @pa.dataframe_check(name="holds_is_info", error="holds_is_info: a check that holds has severity info")
    def holds_is_info(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(~pl.col("holds") | (pl.col("severity") == Severity.INFO))

    @pa.dataframe_check(name="names_figures", error="names_figures: a check names at least one figure")
    def names_figures(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col("figure_ids").list.len() >= 1)
