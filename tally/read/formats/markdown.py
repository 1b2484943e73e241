"""Markdown with markdown-it-py (CommonMark and GFM tables): headings, list items (nested, with
their numbers), table rows, paragraphs and code blocks, each with its source line."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from markdown_it import MarkdownIt

from tally.read.decoding import decode
from tally.read.formats import Reading, Unreadable
from tally.read.formats._versions import of
from tally.read.formats.layout import Canvas

NAME = "markdown-it-py"
_TAG = re.compile(r"<[^>]*>")
_INLINE_TEXT = ("text", "code_inline", "html_inline")


def version() -> str:
    return of("markdown-it-py")


def _inline(token: Any) -> str:
    parts = []
    for child in token.children or []:
        if child.type in _INLINE_TEXT:
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def render(source: str) -> Canvas:
    tokens = _parser().parse(source)
    canvas = Canvas()
    lists: list[list[Any]] = []  # per open list: [ordered, next number]
    item: list[Any] | None = None  # [text parts, source line, depth, marker] of the item being read
    heading = 0
    cells: list[str] | None = None
    in_head = False
    row_line: int | None = None
    for tok in tokens:
        line = tok.map[0] + 1 if tok.map else None
        t = tok.type
        if t == "heading_open":
            heading = int(tok.tag[1])
        elif t in ("bullet_list_open", "ordered_list_open"):
            if item is not None and item[0]:
                canvas.item(" ".join(item[0]), item[2], item[3], item[1])
                item[0] = []
            lists.append([t == "ordered_list_open", int(tok.attrGet("start") or 1)])
        elif t in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t == "list_item_open":
            ordered, n = lists[-1]
            marker = f"{n}." if ordered else "-"
            lists[-1][1] = n + 1
            item = [[], line, len(lists) - 1, marker]
        elif t == "list_item_close":
            if item is not None and item[0]:
                canvas.item(" ".join(item[0]), item[2], item[3], item[1])
            item = None
        elif t == "thead_open":
            in_head = True
        elif t == "thead_close":
            in_head = False
        elif t == "tr_open":
            cells, row_line = [], line
        elif t == "tr_close" and cells is not None:
            canvas.row(cells, row_line, header=in_head)
            cells = None
        elif t == "table_close":
            canvas.end_table()
        elif t == "inline":
            text = _inline(tok)
            if cells is not None:
                cells.append(text)
            elif heading:
                canvas.heading(text, heading, line)
                heading = 0
            elif item is not None:
                item[0].append(text)
            else:
                canvas.paragraph(text, line)
        elif t == "html_block":  # raw HTML in Markdown: its text, line by line, tags left out
            for k, html_line in enumerate(_TAG.sub(" ", tok.content).splitlines()):
                canvas.paragraph(html_line, (line or 0) + k if line else None)
        elif t in ("fence", "code_block"):
            for k, code_line in enumerate(tok.content.splitlines()):
                canvas.paragraph(code_line, (line or 0) + k + 1 if line else None)
    return canvas


def read(data: bytes) -> Reading:
    decoded = decode(data)
    if decoded.text is None:
        raise Unreadable(decoded.note or "not a text")
    text, layout = render(decoded.text).render()
    return Reading(text, layout, "", NAME, "", decoded.encoding, decoded.note)
