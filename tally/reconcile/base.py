"""What every reconciliation rule works on and returns."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from tally.blocks import Block, blocks
from tally.context import TextIndex
from tally.structure import Line, classify

RELATIONS = ("equals", "at_least", "at_most", "rounds_to", "not_more_than", "approximately")
SEVERITIES = ("error", "warning", "info")

RECONCILIATION_SCHEMA = pl.Schema({
    "doc_id": pl.String(), "source": pl.String(), "rule": pl.String(), "figure_ids": pl.List(pl.String()),
    "stated": pl.Float64(), "observed": pl.Float64(), "relation": pl.String(), "holds": pl.Boolean(),
    "severity": pl.String(), "message": pl.String(), "line": pl.Int64(),
})


@dataclass
class Settings:
    """Rule switches and thresholds; `[tool.tally.reconcile]` in pyproject.toml overrides them."""

    rules: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(
        ("list_total", "restatement", "repeated_mention", "part_whole", "subset", "percent_of"), True))
    list_total_max: int = 200  # larger stated counts are not lists to count
    restatement_max_gap: float = 0.25  # a rounded and a precise figure further apart count different things
    restatement_error_gap: float = 0.2  # beyond this a failed restatement is a warning, not an error
    percent_tolerance: float = 0.5  # points allowed beyond the rounding of the stated percent

    def as_mapping(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Settings:
        s = cls()
        for key, value in data.items():
            if key == "rules":
                unknown = set(value) - set(s.rules)
                if unknown:
                    raise ValueError(f"unknown reconciliation rule(s) {sorted(unknown)}; known: {sorted(s.rules)}")
                s.rules.update({k: bool(v) for k, v in value.items()})
            elif hasattr(s, key):
                setattr(s, key, type(getattr(s, key))(value))
            else:
                raise ValueError(f"unknown reconciliation setting `{key}`")
        return s


@dataclass
class Doc:
    """One document as the rules see it."""

    doc_id: str
    source: str
    text: str
    figures: list[dict[str, Any]]  # rows of the figures frame, in text order
    lines: list[Line] = field(init=False)
    _starts: list[int] = field(init=False, repr=False)
    blocks: list[Block] = field(init=False)
    index: TextIndex = field(init=False)

    def __post_init__(self) -> None:
        self.lines = classify(self.text)
        self.blocks = blocks(self.text, self.lines)
        self.index = TextIndex.build(self.text)
        self.figures.sort(key=lambda f: f["start"])
        self._starts = [f["start"] for f in self.figures]

    def in_span(self, start: int, end: int, kinds: tuple[str, ...] = ("count",)) -> list[dict[str, Any]]:
        lo, hi = bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end)
        return [f for f in self.figures[lo:hi] if f["kind"] in kinds]

    def line_of(self, pos: int) -> int:
        return self.index.line(pos)


@dataclass
class Result:
    rule: str
    figure_ids: list[str]
    stated: float | None
    observed: float | None
    relation: str
    holds: bool
    severity: str
    message: str
    line: int


def quote(text: str, limit: int = 80) -> str:
    s = " ".join(text.split())
    return f"“{s if len(s) <= limit else s[: limit - 1] + '…'}”"


def fmt(v: float | None) -> str:
    if v is None:
        return "?"
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.2f}"


def precision_unit(f: dict[str, Any]) -> float:
    """The rounding step a figure is stated at: 121,000 -> 1000; 2 millions -> 1e6; 11,661 -> 1;
    3.5 -> 0.1. Integers need at least three trailing zeros (or a scale word) to count as rounded."""
    v = abs(float(f["value"]))
    text = f.get("text") or ""
    if v == 0:
        return 1.0
    if not v.is_integer():
        digits = "".join(ch for ch in text if ch.isdigit() or ch in ".,")
        sep = max(digits.rfind("."), digits.rfind(","))
        decimals = sum(ch.isdigit() for ch in digits[sep + 1 :]) if sep >= 0 else 1
        return float(10 ** -max(1, min(decimals, 6)))
    n, k = int(v), 0
    while n % 10 == 0 and n:
        n //= 10
        k += 1
    return float(10**k) if k >= 3 else 1.0


def is_rounded(f: dict[str, Any]) -> bool:
    return precision_unit(f) >= 1000 or f["qualifier"] != "exact"
