"""`documents`: one row per raw file seen, read or rejected."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from tally.vocabulary import Language, Status, values


class DocumentsModel(pa.DataFrameModel):
    source: str = pa.Field(unique=True, str_length={"min_value": 1})
    doc_id: str = pa.Field(str_matches=r"^([0-9a-f]{64})?$")
    n_chars: int = pa.Field(ge=0)
    n_figures: int = pa.Field(ge=0)
    n_quarantined: int = pa.Field(ge=0)
    language: str = pa.Field(isin=values(Language))
    encoding: str = pa.Field(nullable=True)
    status: str = pa.Field(isin=values(Status))
    reason: str = pa.Field(nullable=True)
    format: str = pa.Field(nullable=True)  # since 1.3: txt, md, rst, html, pdf, docx (None: no reader knows it)
    reader: str = pa.Field(nullable=True)  # since 1.3: the reader that read the file
    reader_version: str = pa.Field(nullable=True)  # since 1.3

    class Config:
        strict = True
        coerce = False

    @pa.dataframe_check(name="rejected_have_reason", error="rejected_have_reason: a rejected document needs a reason")
    def rejected_have_reason(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("status") == Status.OK) | pl.col("reason").is_not_null())

    @pa.dataframe_check(name="rejected_have_no_figures", error="rejected_have_no_figures: a rejected document has no figures")
    def rejected_have_no_figures(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select((pl.col("status") == Status.OK) | (pl.col("n_figures") == 0))
