"""The layout of a text, line by line: headings (with their path), list items, table rows, blanks.

Works on Markdown (`#` headings, `-`/`*` lists, `|` tables), reStructuredText (underlined
headings, grid tables), and plain text from web pages and slide decks (short title lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MD_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$")
_UNDERLINE = re.compile(r"^\s*([=\-~^*+#])\1{2,}\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-•*♥⚡▪►➨✓✔◦–—]|\d{1,2}[.)]|[a-z][.)])\s+\S")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$|^[^|\n]+(?:\s\|(?=\s)[^|\n]*){2,}$")
_TABLE_BORDER = re.compile(r"^\s*[+|][-=+|: ]{3,}[+|]\s*$")
_RST_ORDER = "=-~^*+#"
_UNDERLINE_CHARS = frozenset("=-~^*+#")
_BORDER_OPENERS = frozenset("+|")
MAX_HEADING_WORDS = 14


@dataclass(frozen=True)
class Line:
    start: int
    end: int  # exclusive, before the newline
    kind: str  # blank, heading, list, table, border, underline, text
    level: int  # heading level, 0 for other lines
    text: str


_FIELD = re.compile(r"^[^\d:]{1,60}:\s*[\d(]")
_TAB_FIELD = re.compile(r"\S\t+[-+(£$€]?\d")
_NUMBERED_TITLE = re.compile(r"^\s*\d{1,2}[.)]\s+[^a-z(]*[A-Z][^a-z(]*(?:\([^)]*\))?\s*$")  # "4. KESTLE VALLEY (two seats)"


def _is_plain_heading(line: str, prev_blank: bool, next_line: str | None) -> bool:
    s = line.strip()
    if not s or len(s) > 90 or len(s.split()) > MAX_HEADING_WORDS:
        return False
    if s[-1] in ".,;:!" or not (s[0].isupper() or s[0].isdigit()) or s.replace(",", "").replace(" ", "").isdigit():
        return False
    if _FIELD.match(s) or _TAB_FIELD.search(s):
        return False  # "Total votes: 8,488", "Applications funded<TAB>263": fields, not titles
    if next_line is None or not next_line.strip():
        return prev_blank and not s[0].isdigit()
    # A title line followed by a longer text line or a list.
    nxt = next_line.strip()
    return len(nxt) > len(s) + 20 or bool(_LIST_ITEM.match(next_line))


def classify(text: str) -> list[Line]:
    """One Line per line of `text`, with headings recognised and levelled."""
    raw_lines = text.split("\n")
    starts = []
    pos = 0
    for ln in raw_lines:
        starts.append(pos)
        pos += len(ln) + 1
    rst_levels: list[str] = []
    out: list[Line] = []
    for i, ln in enumerate(raw_lines):
        start, end = starts[i], starts[i] + len(ln)
        nxt = raw_lines[i + 1] if i + 1 < len(raw_lines) else None
        prev_blank = i == 0 or not raw_lines[i - 1].strip()
        kind, level = "text", 0
        # Each pattern opens on a character of its own: testing it first skips the patterns a
        # line cannot match (most lines are prose), with the same result.
        first = ln.lstrip()[:1]
        if not first:
            kind = "blank"
        elif first in _BORDER_OPENERS and _TABLE_BORDER.match(ln):
            kind = "border"
        elif first in _UNDERLINE_CHARS and _UNDERLINE.match(ln) and out and out[-1].kind == "heading":
            kind = "underline"
        elif first == "#" and (m := _MD_HEADING.match(ln)):
            kind, level = "heading", len(m.group(1))
        elif (nxt is not None and nxt.lstrip()[:1] in _UNDERLINE_CHARS and _UNDERLINE.match(nxt)
              and len(nxt.strip()) >= len(ln.strip()) - 2):
            ch = nxt.strip()[0]
            if ch not in rst_levels:
                rst_levels.append(ch)
            kind, level = "heading", rst_levels.index(ch) + 1
        elif "|" in ln and _TABLE_ROW.match(ln):
            kind = "table"
        elif first.isdigit() and _NUMBERED_TITLE.match(ln) and prev_blank and (nxt is None or not nxt.strip()):
            kind, level = "heading", 2  # an upper-case numbered title between blank lines opens a section
        elif _LIST_ITEM.match(ln):
            kind = "list"
        elif _is_plain_heading(ln, prev_blank, nxt):
            kind, level = "heading", 2
        out.append(Line(start, end, kind, level, ln))
    return out


def heading_paths(lines: list[Line]) -> list[str | None]:
    """For each line, the path of headings above it ("Results > Citizens"), None before any."""
    stack: list[tuple[int, str]] = []
    paths: list[str | None] = []
    path: str | None = None  # joined once per heading, not once per line
    for ln in lines:
        if ln.kind == "heading":
            title = " ".join(_MD_HEADING.sub(r"\2", ln.text).split()).strip("*_ ")
            while stack and stack[-1][0] >= ln.level:
                stack.pop()
            stack.append((ln.level, title))
            path = " > ".join(t for _, t in stack)
        paths.append(path)
    return paths
