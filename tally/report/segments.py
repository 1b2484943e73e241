"""A text cut into plain runs and highlighted figures, for the report's lazy document view.

    segments("Over 3,800 of 11,661 people", [(5, 10), (14, 20)])
    -> ["Over ", [0, "3,800"], " of ", [1, "11,661"], " people"]

A node `[i, *children]` is figure i (its index in the spans given) holding its text; a string is
plain text. A figure inside another is nested in it; a figure that starts inside another and ends
after it is cut at the other's end (its node keeps the rest), so every figure is one node and the
page shows exactly one highlighted element per figure. Offsets are Python string indices; the
browser never slices text (its strings count UTF-16 units), it only inserts what it is given.
"""

from __future__ import annotations

from collections.abc import Sequence

Node = list[object]


def _clamp(spans: Sequence[tuple[int, int]], size: int) -> list[tuple[int, int, int]]:
    """(start, end, index) inside the text, by start then longest first; empty spans kept as empty."""
    out = []
    for i, (start, end) in enumerate(spans):
        s = max(0, min(start, size))
        e = max(s, min(end, size))
        out.append((s, e, i))
    return sorted(out, key=lambda t: (t[0], -t[1], t[2]))


def segments(text: str, spans: Sequence[tuple[int, int]]) -> list[object]:
    """The text as strings and figure nodes (see the module docstring)."""
    root: Node = []
    stack: list[tuple[Node, int]] = [(root, len(text))]  # (open node, where it ends)
    pos = 0

    def emit(upto: int) -> None:
        nonlocal pos
        if upto > pos:
            stack[-1][0].append(text[pos:upto])
            pos = upto

    for start, end, index in _clamp(spans, len(text)):
        start = max(start, pos) if start < pos else start
        while len(stack) > 1 and stack[-1][1] <= start:
            emit(stack[-1][1])
            stack.pop()
        emit(start)
        end = max(min(end, stack[-1][1]), pos)
        node: Node = [index]
        stack[-1][0].append(node)
        stack.append((node, end))
    while len(stack) > 1:
        emit(stack[-1][1])
        stack.pop()
    emit(len(text))
    return root
