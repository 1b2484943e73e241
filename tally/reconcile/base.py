"""What every reconciliation rule works on and returns."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from tally.read.blocks import Block, blocks
from tally.read.context import TextIndex
from tally.read.structure import Line, classify
from tally.vocabulary import Kind, Relation, Rule, Severity


@dataclass
class Doc:
    """One document as the rules see it."""

    doc_id: str
    source: str
    text: str
    figures: list[dict[str, Any]]  # rows of the figures frame, in text order
    layout: list[Line] | None = None  # the lines a reader parsed (Markdown, HTML, PDF, Word); None: read from the text
    lines: list[Line] = field(init=False)
    _starts: list[int] = field(init=False, repr=False)
    _derived: dict[Callable[[Doc], Any], Any] = field(init=False, repr=False, default_factory=dict)
    fields: dict[tuple[int, int], Field] = field(init=False, repr=False, default_factory=dict)  # `field_of`'s
    blocks: list[Block] = field(init=False)
    index: TextIndex = field(init=False)

    def __post_init__(self) -> None:
        self.lines = self.layout if self.layout is not None else classify(self.text)
        self.blocks = blocks(self.text, self.lines)
        self.index = TextIndex.build(self.text)
        self.figures.sort(key=lambda f: f["start"])
        for f in self.figures:  # where its sentence starts: two equal sentences are two sentences
            f["sid"] = self.index.sentence_span(f["start"])[0]
        self._starts = [f["start"] for f in self.figures]

    def in_span(self, start: int, end: int, kinds: tuple[str, ...] = (Kind.COUNT,)) -> list[dict[str, Any]]:
        lo, hi = bisect.bisect_left(self._starts, start), bisect.bisect_left(self._starts, end)
        return [f for f in self.figures[lo:hi] if f["kind"] in kinds]

    def line_of(self, pos: int) -> int:
        return self.index.line(pos)

    def derived(self, make: Callable[[Doc], T]) -> T:
        """`make(self)`, computed once per document: structures several families read (the
        tables, the runs of items, the shares of an amount)."""
        if make not in self._derived:
            self._derived[make] = make(self)
        return self._derived[make]


T = TypeVar("T")
WORD = re.compile(r"[^\W\d_][\w'’-]*")  # a word of a label, an intro or a header


def by_sentence(figs: Iterable[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """The figures of each sentence (keyed by where it starts), in text order."""
    out: dict[int, list[dict[str, Any]]] = {}
    for f in figs:
        out.setdefault(f["sid"], []).append(f)
    return out


@dataclass
class Result:
    rule: Rule
    figure_ids: list[str]
    stated: float | None
    observed: float | None
    relation: Relation
    holds: bool
    severity: Severity
    message: str
    line: int


_FIELD_LEAD = re.compile(r"^[\s\-•*|]*")
_FIELD_TAIL = re.compile(r"[\s:|\t–—-]*$")
_FIELD_SEPARATOR = re.compile(r"[:|\t]\s*$")


FIELD_REACH = 200  # characters of a field's line read on either side of its value


@dataclass(frozen=True)
class Field:
    """A figure as the value of a "Label: N" line: the label as written ("" when it holds a digit,
    as in "6'214" split by the extractor), whether a ":", "|" or tab separates it from the value,
    and what follows the value on the line."""

    text: str
    separated: bool
    after: str

    @property
    def label(self) -> str:
        return self.text.lower()


def field_of(doc: Doc, f: dict[str, Any]) -> Field:
    """The field a figure is the value of, read once per figure (several families ask)."""
    key = (f["start"], f["end"])
    if (known := doc.fields.get(key)) is None:
        known = doc.fields[key] = _read_field(doc, f)
    return known


def _read_field(doc: Doc, f: dict[str, Any]) -> Field:
    start, end = doc.index.line_span(f["start"])
    start, end = max(start, f["start"] - FIELD_REACH), min(end, f["end"] + FIELD_REACH)  # one line may be 50 MB
    before = doc.text[start : f["start"]]
    label = _FIELD_TAIL.sub("", _FIELD_LEAD.sub("", before))
    return Field("" if any(ch.isdigit() for ch in label) else label, bool(_FIELD_SEPARATOR.search(before)),
                 doc.text[f["end"] : end].strip())


def share_result(p: dict[str, Any], part: dict[str, Any], whole: dict[str, Any], tolerance: float, what: str,
                 tie: str, when_not: Severity = Severity.ERROR) -> Result:
    """A percent `p` against `part` / `whole`, within half its last digit plus `tolerance` points.
    `what` says what was divided ("“272 of 313”"), `tie` what tied the three figures."""
    share = 100.0 * float(part["value"]) / float(whole["value"])
    tol = precision_unit(p) / 2 + tolerance
    holds = abs(share - float(p["value"])) <= tol
    msg = (f"{what} is {share:.1f}%; the text says {p['text']} ({'within' if holds else 'beyond'} ±{tol:g} points; "
           f"tied by {tie})")
    return Result(Rule.PERCENT_OF, [p["figure_id"], part["figure_id"], whole["figure_id"]], float(p["value"]),
                  round(share, 3), Relation.APPROXIMATELY, holds, failing(holds, when_not), msg, int(p["line"]))


def failing(holds: bool, when_not: Severity = Severity.ERROR) -> Severity:
    """The severity of a check: info when it holds."""
    return Severity.INFO if holds else when_not


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
