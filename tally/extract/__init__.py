"""Find every figure in a text: value, kind, unit, qualifier, what it counts, and where it stands.

`tally.extract(text)` returns a polars frame with one row per numeric expression (see
curated/README.md for the contract). This package is itself callable: `tally.extract` is both
the stage's package and the function, so `tally.extract(...)` works however often it is called
and whichever of its modules were imported first.
"""

from __future__ import annotations

import sys
import types
from typing import Any

import polars as pl

from tally.extract.extractor import Extractor
from tally.extract.scan import Figure
from tally.read.context import TextIndex
from tally.read.formats.layout import Layout
from tally.read.language import detect_language
from tally.read.structure import classify, heading_paths
from tally.schemas import extracted_schema, figure_fields

__all__ = ["Extractor", "Figure", "extract", "figure_rows"]


def figure_rows(text: str, lang: str, layout: Layout | None = None) -> list[tuple[Any, ...]]:
    """Figure rows of one text in `figure_fields()` order (no source, doc_id or figure_id). With
    the `layout` a reader gives (Markdown, HTML, PDF, Word), its lines are the structure, and each
    figure's source line and page come from it; without, the structure is read from the text and
    the source line is the line in the text."""
    index = TextIndex.build(text)
    lines = layout.lines if layout is not None else classify(text)
    paths = heading_paths(lines)
    fields = figure_fields()
    rows = []
    for f in Extractor(lang).figures(text, index, lines):
        line = index.line(f.start)
        source_line, page = layout.where(line) if layout is not None else (line, None)
        row = {
            "start": f.start, "end": f.end, "text": text[f.start : f.end], "value": f.value,
            "value_max": f.value_max, "kind": f.kind, "unit": f.unit, "qualifier": f.qualifier,
            "counted": f.counted, "head": f.head, "date_start": f.date_start, "date_end": f.date_end,
            "date_iso": f.date_iso, "line": line, "sentence": index.sentence(f.start), "heading": paths[line - 1],
            "source_line": source_line, "page": page,
        }
        rows.append(tuple(row[k] for k in fields))
    return rows


def extract(text: str, lang: str | None = None) -> pl.DataFrame:
    """Figures of one text as a polars frame (start, end, text, value, ..., line, sentence).

    >>> extract("More than 3,800 participants attended.").select("value", "qualifier", "head").row(0)
    (3800.0, 'at_least', 'participant')
    """
    lang = lang or detect_language(text)
    return pl.DataFrame(figure_rows(text, lang), schema=extracted_schema(), orient="row")


class _CallableModule(types.ModuleType):
    """`tally.extract(text)` calls `extract`: the package and the function share one name."""

    def __call__(self, text: str, lang: str | None = None) -> pl.DataFrame:
        return extract(text, lang)


sys.modules[__name__].__class__ = _CallableModule
