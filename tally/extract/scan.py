"""What the passes share: the Figure they return and the Scan of one call (the text, its index
and lines, and the characters already claimed). An Extractor keeps none of this between calls."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from tally.extract.lexicon import Folded
from tally.read.context import TextIndex
from tally.read.structure import Line


@dataclass
class Figure:
    start: int
    end: int
    value: float | None
    kind: str
    value_max: float | None = None
    unit: str | None = None
    qualifier: str = "exact"
    counted: str | None = None
    head: str | None = None
    date_start: Any = None
    date_end: Any = None
    date_iso: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Scan:
    """One text being read: its index, its classified lines and a mask of the character spans
    already claimed by a pass (or excluded as not-figures)."""

    text: str
    index: TextIndex
    lines: list[Line]
    claimed: bytearray = field(init=False, repr=False)
    low: str | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.claimed = bytearray(len(self.text))
        low = self.text.lower()
        self.low = low if len(low) == len(self.text) else None  # "İ" lowers to two characters

    def finditer(self, rx: Folded) -> Iterator[re.Match[str]]:
        """Matches of a case-insensitive pattern, run case-sensitively on the lowercased text when
        its offsets are the text's: the same matches, two to three times faster."""
        return rx.folded.finditer(self.low) if self.low is not None else rx.pattern.finditer(self.text)

    def free(self, a: int, b: int) -> bool:
        return not any(self.claimed[a:b])

    def take(self, a: int, b: int) -> None:
        self.claimed[a:b] = b"\x01" * (b - a)
