"""`metrics`: consultation metrics per document, whole and not negative; stated parts add up."""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from tally.vocabulary import METRICS


def _columns() -> dict[str, pa.Column]:
    cols: dict[str, pa.Column] = {
        "source": pa.Column(pl.String),
        "doc_id": pa.Column(pl.String, pa.Check.str_matches(r"^[0-9a-f]{64}$"), unique=True),
    }
    for m in METRICS:
        cols[m] = pa.Column(pl.Int64, pa.Check.ge(0), nullable=True)
        cols[f"{m}_parts"] = pa.Column(pl.Int64, pa.Check.ge(0), nullable=True)
    return cols


def _parts_match(m: str) -> pa.Check:
    # A source whose parts do not add up is reported by the part_whole rule; here it warns.
    return pa.Check(
        lambda data: data.lazyframe.select(pl.col(f"{m}_parts").is_null() | pl.col(m).is_null()
                                           | ((pl.col(f"{m}_parts") - pl.col(m)).abs() <= pl.col(m) // 1000 + 1)),
        name=f"{m}_parts_add_up", error=f"{m}_parts_add_up: the stated parts of {m} add up to it",
        raise_warning=True,
    )


MetricsSchema = pa.DataFrameSchema(
    _columns(), checks=[_parts_match(m) for m in METRICS], strict=True, coerce=False, name="metrics",
)
