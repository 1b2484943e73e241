"""PDF with pdfplumber (pdfminer.six): the text layer of every page, its ruled tables as table
rows, lines set larger than the body text as headings (the largest size is level 1), lines
opening with a bullet or a number as list items, and the other lines joined into paragraphs.
Every line keeps its page.

Page numbers in the top or bottom margin ("3", "Page 3 of 12") are left out.
A PDF without a text layer (scanned pages), one that needs a password, or one pdfminer cannot
parse is Unreadable, with the reason and what to do.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils.exceptions import PdfminerException

from tally.read.formats import Reading, Unreadable
from tally.read.formats._versions import of
from tally.read.formats.layout import Canvas

NAME = "pdfplumber"
HEADING_RATIO = 1.15  # a line this much larger than the body text is a heading
MARGIN_SHARE = 0.08  # the top and bottom of a page where running headers and page numbers stand
_PAGE_NUMBER = re.compile(r"^\s*(?:(?:page|p\.)\s*)?\d{1,4}(?:\s*(?:/|of|sur|de)\s*\d{1,4})?\s*$", re.IGNORECASE)
_BULLET = re.compile(r"^(?P<marker>[-•–—▪◦*]|\d{1,2}[.)])\s+(?P<text>.+)$")


def version() -> str:
    return of("pdfplumber")


@dataclass
class _Line:
    page: int
    text: str
    top: float
    bottom: float
    x0: float
    size: float


@dataclass
class _Table:
    page: int
    top: float
    rows: list[list[str]] = field(default_factory=list)


def _size(line: dict[str, Any]) -> float:
    sizes = [round(float(c.get("size", 0)), 1) for c in line.get("chars", []) if not c["text"].isspace()]
    return statistics.median(sizes) if sizes else 0.0


def _outside(boxes: list[tuple[float, float, float, float]]) -> Any:
    def keep(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)
    return keep


def _pages(data: bytes) -> tuple[list[_Line | _Table], int]:
    items: list[_Line | _Table] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            n = len(pdf.pages)
            for number, page in enumerate(pdf.pages, 1):
                tables = page.find_tables()
                for t in tables:
                    rows = [[c or "" for c in row] for row in t.extract()]
                    items.append(_Table(number, float(t.bbox[1]), rows))
                body = page.filter(_outside([t.bbox for t in tables])) if tables else page
                for ln in body.extract_text_lines(return_chars=True):
                    if _page_number(ln, float(page.height)):
                        continue
                    items.append(_Line(number, ln["text"], float(ln["top"]), float(ln["bottom"]), float(ln["x0"]),
                                       _size(ln)))
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise Unreadable("encrypted PDF: it needs a password to be read; save a copy without one") from None
        raise Unreadable(f"corrupt PDF: pdfminer cannot parse it ({type(cause).__name__}: {cause})") from None
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise Unreadable("encrypted PDF: it needs a password to be read; save a copy without one") from None
    items.sort(key=lambda it: (it.page, it.top))
    return items, n


def _page_number(line: dict[str, Any], height: float) -> bool:
    """A page number ("3", "Page 3 of 12", "3 / 12") in the top or bottom margin: not text."""
    in_margin = line["bottom"] < height * MARGIN_SHARE or line["top"] > height * (1 - MARGIN_SHARE)
    return in_margin and bool(_PAGE_NUMBER.match(line["text"]))


def _levels(lines: list[_Line]) -> tuple[float, dict[float, int]]:
    """The body text size (the size of most characters) and the heading level of each larger size."""
    weights: Counter[float] = Counter()
    for ln in lines:
        weights[ln.size] += len(ln.text)
    body = weights.most_common(1)[0][0] if weights else 0.0
    larger = sorted((s for s in weights if s >= body * HEADING_RATIO), reverse=True)
    return body, {s: i + 1 for i, s in enumerate(larger)}


def render(items: list[_Line | _Table]) -> Canvas:
    lines = [it for it in items if isinstance(it, _Line)]
    _, levels = _levels(lines)
    margin = min((ln.x0 for ln in lines), default=0.0)
    canvas = Canvas()
    para: list[str] = []
    item: list[Any] | None = None  # [parts, depth, marker, page, x0]
    prev: _Line | None = None

    head: list[Any] | None = None  # [parts, level, page] of the heading being read (it may wrap)

    def flush() -> None:
        nonlocal para, item, head
        if head is not None:
            canvas.heading(" ".join(head[0]), head[1], page=head[2])
        if para and prev is not None:
            canvas.paragraph(" ".join(para), page=start_page)
        if item is not None:
            canvas.item(" ".join(item[0]), item[1], item[2], page=item[3])
        para, item, head = [], None, None

    start_page = 1
    for it in items:
        if isinstance(it, _Table):
            flush()
            prev = None
            for k, row in enumerate(it.rows):
                canvas.row(row, page=it.page, header=k == 0 and not any(ch.isdigit() for c in row for ch in c))
            canvas.end_table()
            continue
        near = (prev is not None and prev.page == it.page and it.top - prev.bottom < 0.8 * max(it.size, 1.0)
                and abs(prev.size - it.size) < 0.5)
        if it.size in levels:
            if head is not None and near and head[1] == levels[it.size]:
                head[0].append(it.text.strip())  # a heading's wrapped line
            else:
                flush()
                head = [[it.text.strip()], levels[it.size], it.page]
        elif m := _BULLET.match(it.text.strip()):
            flush()
            marker = m.group("marker")
            marker = marker if marker[0].isdigit() else "-"
            item = [[m.group("text")], 1 if it.x0 > margin + 12 else 0, marker, it.page, it.x0]
        elif item is not None and near and it.x0 > item[4] + 2:
            item[0].append(it.text.strip())  # a list item's wrapped line
        elif para and near:
            para.append(it.text.strip())
        else:
            flush()
            para, start_page = [it.text.strip()], it.page
        prev = it
    flush()
    return canvas


def read(data: bytes) -> Reading:
    items, pages = _pages(data)
    if not any(isinstance(it, _Line) and it.text.strip() for it in items) and not any(
            isinstance(it, _Table) for it in items):
        raise Unreadable(f"PDF has no text layer on its {pages} page{'s' if pages != 1 else ''} (scanned images?): "
                         "run OCR on it first (for example `ocrmypdf in.pdf out.pdf`)")
    text, layout = render(items).render()
    return Reading(text, layout, "", NAME, "")
