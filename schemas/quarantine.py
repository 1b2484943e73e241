"""`quarantine`: rows that broke their contract, with the rule, the reason and where they stand."""

from __future__ import annotations

import pandera.polars as pa

from tally.vocabulary import Dataset

# the datasets whose rows can be quarantined
DATASETS = [str(d) for d in Dataset if d is not Dataset.QUARANTINE]


class QuarantineModel(pa.DataFrameModel):
    dataset: str = pa.Field(isin=DATASETS)
    source: str = pa.Field(nullable=True)
    doc_id: str = pa.Field(nullable=True)
    row_id: str
    start: int = pa.Field(nullable=True, ge=0)
    end: int = pa.Field(nullable=True, ge=0)
    line: int = pa.Field(nullable=True, ge=1)
    rule: str = pa.Field(str_length={"min_value": 1})
    reason: str = pa.Field(str_length={"min_value": 1})
    row: str

    class Config:
        strict = True
        coerce = False
