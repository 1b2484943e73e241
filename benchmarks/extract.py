"""Extraction speed: chars/s of `tally.extract` on a synthetic corpus built from raw/ texts.

    python benchmarks/extract.py [--mb 50] [--raw raw]

The corpus repeats the sample texts (each copy a separate document) up to --mb megabytes and
runs on one core. Prints a table: documents, characters, figures, seconds, chars/s (wall clock and
per CPU second of this process, the rate on one core when other work shares the machine), peak RSS.
When quantulum3 is installed (`pip install -e '.[bench]'`), it runs on a slice of the same
corpus (--slice-kb, after one warm-up call) and the table gets its row and the speed ratio.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from tally.extract import figure_rows
from tally.read.language import detect_language


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=50.0, help="corpus size in megabytes of text")
    ap.add_argument("--raw", type=Path, default=Path("raw"))
    ap.add_argument("--slice-kb", type=float, default=200.0, help="corpus slice for quantulum3, in kilobytes")
    a = ap.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(a.raw.glob("*.txt"))]
    target = int(a.mb * 1_000_000)
    corpus, size = [], 0
    while size < target:
        for t in texts:
            corpus.append(t)
            size += len(t)
    t0, c0 = time.perf_counter(), time.process_time()
    n_figures = 0
    for t in corpus:
        n_figures += len(figure_rows(t, detect_language(t)))
    secs = time.perf_counter() - t0
    cpu = time.process_time() - c0  # this process's CPU: the rate on one core when other work shares it
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = size / secs
    table = Table(title="figure extraction, one core")
    for col in ("extractor", "documents", "chars", "figures", "seconds", "chars/s", "chars/CPU s", "peak RSS MB",
                "vs tally"):
        table.add_column(col, justify="right")
    table.add_row("tally", f"{len(corpus):,}", f"{size:,}", f"{n_figures:,}", f"{secs:.2f}", f"{rate:,.0f}",
                  f"{size / cpu:,.0f}", f"{rss_mb:,.0f}", "1x")
    q = _quantulum(corpus, int(a.slice_kb * 1000))
    if q is not None:
        docs, chars, found, qsecs = q
        table.add_row("quantulum3", f"{docs:,}", f"{chars:,}", f"{found:,}", f"{qsecs:.2f}", f"{chars / qsecs:,.0f}",
                      "", "", f"{rate / (chars / qsecs):,.0f}x slower")
    else:
        table.caption = escape("quantulum3 not installed: pip install -e '.[bench]' to compare")
    Console(width=150).print(table)


def _quantulum(corpus: list[str], budget: int) -> tuple[int, int, int, float] | None:
    try:
        import warnings

        warnings.simplefilter("ignore")
        from quantulum3 import parser
    except ImportError:
        return None
    parser.parse("warm up: 3 km and 5 kg")
    docs, chars, found = 0, 0, 0
    t0 = time.perf_counter()
    for t in corpus:
        if chars >= budget:
            break
        found += len(parser.parse(t))
        docs += 1
        chars += len(t)
    return docs, chars, found, time.perf_counter() - t0


if __name__ == "__main__":
    main()
