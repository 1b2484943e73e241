"""The text a reader renders and the structure it knows, line by line.

A reader that parses a format (Markdown, HTML, PDF, Word) knows what each piece is: a heading and
its level, a list item, a table row and its cells, a paragraph. It writes them with a `Canvas` as
a canonical text (a heading as `# Title`, a list item as `- item`, a table row as `| a | b |`, a
paragraph as one line, blocks apart by a blank line) and keeps, for every line of that text, its
kind and level (the `Line`s the blocks and the reconciliation rules read, so nothing is guessed)
and where it comes from in the source: its line (text formats, HTML), its paragraph (Word) or its
page (PDF).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tally.read.structure import Line

HEADING, LIST, TABLE, BORDER, TEXT, BLANK = "heading", "list", "table", "border", "text", "blank"


@dataclass(frozen=True)
class Layout:
    """Per line of the rendered text: its `Line` (kind, level, offsets) and its source location."""

    lines: list[Line]
    source_lines: list[int | None]  # the source line (paragraph for Word) of each rendered line
    pages: list[int | None]  # the PDF page of each rendered line

    def where(self, line: int) -> tuple[int | None, int | None]:
        """(source line, page) of the 1-based rendered `line`."""
        i = min(max(line - 1, 0), len(self.lines) - 1)
        return self.source_lines[i], self.pages[i]


def cell_text(text: str) -> str:
    """A table cell on one line, without the pipes that would split it."""
    return " ".join(text.replace("|", "/").split())


def one_line(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Canvas:
    """Writes the canonical text and its layout, one block at a time."""

    _lines: list[tuple[str, str, int, int | None, int | None]] = field(default_factory=list)
    _table_open: bool = False

    def _put(self, kind: str, text: str, level: int, src: int | None, page: int | None) -> None:
        self._lines.append((kind, text, level, src, page))

    def _gap(self, src: int | None, page: int | None) -> None:
        if self._lines and self._lines[-1][0] != BLANK:
            self._put(BLANK, "", 0, src, page)

    def heading(self, title: str, level: int, src: int | None = None, page: int | None = None) -> None:
        title = one_line(title)
        if not title:
            return
        self.end_table()
        self._gap(src, page)
        level = min(max(level, 1), 6)
        self._put(HEADING, f"{'#' * level} {title}", level, src, page)
        self._put(BLANK, "", 0, src, page)

    def paragraph(self, text: str, src: int | None = None, page: int | None = None) -> None:
        text = one_line(text)
        if not text:
            return
        self.end_table()
        self._gap(src, page)
        self._put(TEXT, text, 0, src, page)
        self._put(BLANK, "", 0, src, page)

    def item(self, text: str, depth: int = 0, marker: str = "-", src: int | None = None, page: int | None = None) -> None:
        """A list item; consecutive items stay together (no blank line between them)."""
        text = one_line(text)
        if not text:
            return
        self.end_table()
        if self._lines and self._lines[-1][0] not in (BLANK, LIST):
            self._put(BLANK, "", 0, src, page)
        if self._lines and self._lines[-1][0] == BLANK and len(self._lines) > 1 and self._lines[-2][0] == LIST:
            self._lines.pop()  # items of one list apart only by a paragraph's closing blank: keep them together
        self._put(LIST, f"{'  ' * depth}{marker} {text}", 0, src, page)

    def row(self, cells: list[str], src: int | None = None, page: int | None = None, header: bool = False) -> None:
        """A table row; the first row of a table is followed by a `|---|` border when it is a header."""
        cells = [cell_text(c) for c in cells]
        if not any(cells):
            return
        if not self._table_open:
            self._gap(src, page)
            self._table_open = True
        self._put(TABLE, "| " + " | ".join(c or " " for c in cells) + " |", 0, src, page)
        if header:
            self._put(BORDER, "|" + "|".join("---" for _ in cells) + "|", 0, src, page)

    def end_table(self) -> None:
        if self._table_open:
            self._table_open = False
            self._put(BLANK, "", 0, None, None)

    def render(self) -> tuple[str, Layout]:
        self.end_table()
        rows = self._lines
        while rows and rows[-1][0] == BLANK:
            rows.pop()
        lines: list[Line] = []
        pos = 0
        for kind, text, level, _, _ in rows:
            lines.append(Line(pos, pos + len(text), kind, level, text))
            pos += len(text) + 1
        text = "\n".join(r[1] for r in rows)
        return text, Layout(lines, [r[3] for r in rows], [r[4] for r in rows])

    @property
    def empty(self) -> bool:
        return not any(r[0] != BLANK for r in self._lines)
