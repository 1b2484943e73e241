"""Word (.docx) with python-docx: the body's paragraphs and tables in their order; paragraphs
styled `Title` or `Heading N` are headings, those styled `List ...` or numbered are list items
(`List Number` numbered, nested by the style's level or the numbering level), table rows keep
their cells (merged cells once). The source location of a line is the number of its paragraph
or table in the body (1-based)."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from tally.read.formats import Reading, Unreadable
from tally.read.formats._versions import of
from tally.read.formats.layout import Canvas

NAME = "python-docx"
_HEADING = re.compile(r"^(?:heading|titre)\s*(\d)$", re.IGNORECASE)
_LIST_LEVEL = re.compile(r"(\d)$")


def version() -> str:
    return of("python-docx")


def _style_names(document: Any) -> tuple[dict[str, str], str]:
    """Paragraph style names by style id, and the default paragraph style's name: looked up once
    (python-docx's `Paragraph.style` searches the styles part on every call, 80% of the time)."""
    names = {s.style_id: s.name or "" for s in document.styles if s.style_id}
    try:
        default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    except (KeyError, AttributeError):
        default = None
    return names, (default.name or "") if default is not None else ""


def _style(p: Paragraph, styles: tuple[dict[str, str], str]) -> str:
    style_id = p._p.style
    return styles[0].get(style_id, styles[1]) if style_id else styles[1]


def _num_level(p: Paragraph) -> int | None:
    ppr: Any = p._p.pPr
    if ppr is None or ppr.numPr is None:
        return None
    ilvl = ppr.numPr.ilvl
    return int(ilvl.val) if ilvl is not None and ilvl.val is not None else 0


def _paragraph(canvas: Canvas, p: Paragraph, n: int, counters: dict[int, int], styles: tuple[dict[str, str], str]) -> None:
    style, text = _style(p, styles), p.text
    if m := _HEADING.match(style):
        canvas.heading(text, int(m.group(1)), n)
        counters.clear()
        return
    if style.lower() == "title":
        canvas.heading(text, 1, n)
        counters.clear()
        return
    level = _num_level(p)
    if style.lower().startswith("list") or level is not None:
        depth = level if level is not None else (int(mm.group(1)) - 1 if (mm := _LIST_LEVEL.search(style)) else 0)
        if "number" in style.lower():
            counters[depth] = counters.get(depth, 0) + 1
            for deeper in [d for d in counters if d > depth]:
                del counters[deeper]
            marker = f"{counters[depth]}."
        else:
            marker = "-"
        canvas.item(text, depth, marker, n)
        return
    if text.strip():
        counters.clear()
    canvas.paragraph(text, n)


def _table(canvas: Canvas, table: Table, n: int) -> None:
    for k, row in enumerate(table.rows):
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # a merged cell repeats
            seen.add(id(cell._tc))
            cells.append(cell.text)
        canvas.row(cells, n, header=k == 0 and not any(ch.isdigit() for c in cells for ch in c))
    canvas.end_table()


def read(data: bytes) -> Reading:
    try:
        document: Any = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError) as exc:
        raise Unreadable(f"corrupt Word file: not a valid .docx archive ({type(exc).__name__}: {exc})") from None
    canvas = Canvas()
    counters: dict[int, int] = {}
    styles = _style_names(document)
    for n, child in enumerate(document.element.body.iterchildren(), 1):
        if child.tag == qn("w:p"):
            _paragraph(canvas, Paragraph(child, document), n, counters, styles)
        elif child.tag == qn("w:tbl"):
            _table(canvas, Table(child, document), n)
    if canvas.empty:
        raise Unreadable("empty file")
    text, layout = canvas.render()
    return Reading(text, layout, "", NAME, "")
