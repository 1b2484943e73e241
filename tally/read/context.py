"""Where a figure stands: its line and its sentence."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

# A sentence ends at . ! ? … followed by space and a capital, quote or digit, or at a blank line,
# or at a line that looks like a heading or list item.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”»)]?\s+(?=[\"“«(]?[A-ZÀ-ÖØ-Þ0-9•\-])|\n\s*\n|\n(?=\s*[-•*♥⚡▪➨]\s)")
_ABBREV = re.compile(
    r"\b(?:[A-Z]|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|Nos|vs|etc|Mr|Mrs|Ms|Dr|Prof|St|Inc|Ltd|Co|U"
    r"|e\.g|i\.e|approx|ca)\.$"
)


MAX_SENTENCE = 1000


@dataclass(frozen=True)
class TextIndex:
    """Line starts and sentence spans of one text, for O(log n) look-ups per figure."""

    text: str
    line_starts: list[int]
    sentence_starts: list[int]
    sentence_ends: list[int]

    @classmethod
    def build(cls, text: str) -> TextIndex:
        line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        starts, ends = [0], []
        for m in _SENTENCE_END.finditer(text):
            if _ABBREV.search(text, max(0, m.start() - 8), m.start()):
                continue
            ends.append(m.start())
            starts.append(m.end())
        ends.append(len(text))
        return cls(text, line_starts, starts, ends)

    def line(self, pos: int) -> int:
        """1-based line number of the character at `pos`."""
        return bisect.bisect_right(self.line_starts, pos)

    def line_span(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.line_starts, pos) - 1
        start = self.line_starts[i]
        end = self.line_starts[i + 1] - 1 if i + 1 < len(self.line_starts) else len(self.text)
        return start, end

    def sentence_span(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        return self.sentence_starts[i], self.sentence_ends[i]

    def sentence(self, pos: int) -> str:
        """The sentence holding `pos`, whitespace collapsed; a window of MAX_SENTENCE characters
        around `pos` (marked with …) when the "sentence" is longer (a file on one line)."""
        s0, s1 = self.sentence_span(pos)
        if s1 - s0 > MAX_SENTENCE:
            a, b = max(s0, pos - MAX_SENTENCE // 2), min(s1, pos + MAX_SENTENCE // 2)
            return ("…" if a > s0 else "") + " ".join(self.text[a:b].split()) + ("…" if b < s1 else "")
        return " ".join(self.text[s0:s1].split())
