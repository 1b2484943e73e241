"""Document structure as a frame: headings, list items (with their markers), stat blocks,
table rows and paragraphs, each with its line span and the heading above it."""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from tally.read.structure import Line, classify, heading_paths

_MARKER = re.compile(r"^\s*(?P<bullet>[-•*▪►➨✓✔◦–—]|\d{1,2}[.)]|[a-z][.)])\s+(?P<symbol>[^\w\s*\[(\"“'‘«]\s)?")
_STAT_NUMBER = re.compile(r"^\s*[*_]*[~≈>+]?\s*\d[\d,.\s\u00a0\u202f]*\s*[%+kKM€$£]?[*_]*\s*$")

BLOCK_SCHEMA = pl.Schema({
    "block": pl.Int64(), "kind": pl.String(), "marker": pl.String(), "level": pl.Int64(),
    "line_start": pl.Int64(), "line_end": pl.Int64(), "start": pl.Int64(), "end": pl.Int64(),
    "text": pl.String(), "heading": pl.String(),
})


@dataclass(frozen=True)
class Block:
    block: int
    kind: str  # heading, list_item, stat, table_row, paragraph
    marker: str | None  # list marker, the symbol after the bullet when there is one ("♥")
    level: int  # heading level; list nesting depth (indent) for items
    line_start: int  # 1-based, inclusive
    line_end: int
    start: int
    end: int
    text: str
    heading: str | None  # heading path above the block


def marker_of(line: str) -> str | None:
    m = _MARKER.match(line)
    if not m:
        return None
    if m.group("symbol"):
        return m.group("symbol").strip()
    bullet = m.group("bullet")
    return "1." if bullet[0].isdigit() else ("a." if bullet[0].isalpha() else bullet)


def blocks(text: str, lines: list[Line] | None = None) -> list[Block]:
    """Group the classified lines of `text` into blocks."""
    lines = lines if lines is not None else classify(text)
    paths = heading_paths(lines)
    out: list[Block] = []
    i = 0
    n = len(lines)
    while i < n:
        ln = lines[i]
        if ln.kind in ("blank", "border", "underline"):
            i += 1
            continue
        parent = paths[i]
        if ln.kind == "heading" and parent is not None:  # a heading's parent: the path above it, without itself
            parent = " > ".join(parent.split(" > ")[:-1]) or None
        if ln.kind == "heading":
            out.append(_block(out, "heading", None, ln.level, i, i, lines, parent))
            i += 1
        elif ln.kind == "list":
            indent = len(ln.text) - len(ln.text.lstrip())
            j = i
            # an item goes on over the indented lines under it
            while j + 1 < n and lines[j + 1].kind == "text" and lines[j + 1].text.startswith(" " * (indent + 2)):
                j += 1
            out.append(_block(out, "list_item", marker_of(ln.text), indent, i, j, lines, parent))
            i = j + 1
        elif ln.kind == "table":
            out.append(_block(out, "table_row", None, 0, i, i, lines, parent))
            i += 1
        elif _STAT_NUMBER.match(ln.text):
            # a number alone on its line, with its label on the next non-blank line
            j = i + 1
            while j < n and lines[j].kind == "blank" and j - i <= 2:
                j += 1
            end = j if j < n and lines[j].kind == "text" and len(lines[j].text.split()) <= 4 else i
            out.append(_block(out, "stat", None, 0, i, end, lines, parent))
            i = end + 1
        else:
            j = i
            while j + 1 < n and lines[j + 1].kind == "text" and not _STAT_NUMBER.match(lines[j + 1].text):
                j += 1
            out.append(_block(out, "paragraph", None, 0, i, j, lines, parent))
            i = j + 1
    return out


def _block(out: list[Block], kind: str, marker: str | None, level: int, i: int, j: int, lines: list[Line],
           heading: str | None) -> Block:
    start, end = lines[i].start, lines[j].end
    text = "\n".join(ln.text for ln in lines[i : j + 1])
    return Block(len(out), kind, marker, level, i + 1, j + 1, start, end, text, heading)


def blocks_frame(text: str) -> pl.DataFrame:
    """The blocks of `text` as a polars frame (BLOCK_SCHEMA)."""
    rows = [tuple(getattr(b, c) for c in BLOCK_SCHEMA.names()) for b in blocks(text)]
    return pl.DataFrame(rows, schema=BLOCK_SCHEMA, orient="row")
