"""Throughput of each reader (tally/read/formats/), against the bare parse of its library and one
alternative library, on the same generated report in every format.

    python benchmarks/readers.py [--copies 10] [--files 20] [--repeat 3]

Each file is the English and French test report (tests/formats_build.py) repeated `--copies`
times under numbered sections; `--files` files per format. The Tally reader renders the text and
its structure (headings, lists, table rows, pages); the bare parse only gets text out of the
library; the alternative is another library's plain text extraction (`pip install -e '.[bench]'`).
Prints MB/s (of the files' bytes) and files/s, best of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tally.read.formats import read
from tests import formats_build as build


def _blocks(copies: int) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for i in range(copies):
        for report in (build.ENGLISH, build.FRENCH):
            out.append(("h", 1, f"Section {i + 1}"))
            out.extend(b if b[0] != "h" else ("h", 2, f"{b[2]} ({i + 1})") for b in report)
    return out


def _files(copies: int) -> dict[str, bytes]:
    blocks = _blocks(copies)
    return {"txt": build.markdown(blocks).encode(), "md": build.markdown(blocks, emphasis=True).encode(),
            "html": build.html(blocks).encode(), "pdf": build.pdf(blocks), "docx": build.docx(blocks)}


def _bare(fmt: str) -> tuple[str, Callable[[bytes], object]] | None:
    if fmt == "md":
        from markdown_it import MarkdownIt
        md = MarkdownIt("commonmark").enable("table")
        return "markdown-it-py parse", lambda d: md.parse(d.decode())
    if fmt == "html":
        import lxml.html
        return "lxml text_content", lambda d: lxml.html.document_fromstring(d.decode()).text_content()
    if fmt == "pdf":
        import pdfplumber
        def plumb(d: bytes) -> object:
            with pdfplumber.open(io.BytesIO(d)) as pdf:
                return [p.extract_text() for p in pdf.pages]
        return "pdfplumber extract_text", plumb
    if fmt == "docx":
        import docx
        return "python-docx paragraphs", lambda d: [p.text for p in docx.Document(io.BytesIO(d)).paragraphs]
    return None


def _alternative(fmt: str) -> tuple[str, Callable[[bytes], object]] | None:
    try:
        if fmt == "md":
            import markdown
            return "Python-Markdown to HTML", lambda d: markdown.markdown(d.decode(), extensions=["tables"])
        if fmt == "html":
            from selectolax.lexbor import LexborHTMLParser
            return "selectolax (lexbor) body text", lambda d: LexborHTMLParser(d.decode()).body.text(separator="\n")
        if fmt == "pdf":
            import pypdfium2
            def pdfium(d: bytes) -> object:
                doc = pypdfium2.PdfDocument(d)
                try:
                    return [p.get_textpage().get_text_range() for p in doc]
                finally:
                    doc.close()
            return "pypdfium2 get_text_range", pdfium
        if fmt == "docx":
            import docx2txt
            return "docx2txt process", lambda d: docx2txt.process(io.BytesIO(d))
    except ImportError:
        return None
    return None


def _time(fn: Callable[[bytes], object], data: bytes, files: int, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(files):
            fn(data)
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    table = Table("format", "what", "file size", "MB/s", "files/s", "ms/file", title="readers, one core")
    for fmt, data in _files(a.copies).items():
        runs: list[tuple[str, Callable[[bytes], object]]] = [
            (f"tally reader ({read(fmt, data).reader})", lambda d, f=fmt: read(f, d))]
        for extra in (_bare(fmt), _alternative(fmt)):
            if extra is not None:
                runs.append(extra)
        for k, (what, fn) in enumerate(runs):
            s = _time(fn, data, a.files, a.repeat)
            table.add_row(fmt if k == 0 else "", what, f"{len(data) / 1024:.0f} kB",
                          f"{len(data) * a.files / s / 1e6:.2f}", f"{a.files / s:.1f}", f"{1000 * s / a.files:.1f}")
    Console().print(table)


if __name__ == "__main__":
    main()
