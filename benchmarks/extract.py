"""Extraction speed: chars/s of `tally.extract` on a synthetic corpus built from raw/ texts.

    python benchmarks/extract.py [--mb 50] [--raw raw]

The corpus repeats the sample texts (each copy a separate document) up to --mb megabytes and
runs on one core. Prints a table: documents, characters, figures, seconds, chars/s, peak RSS.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from tally.extract import figure_rows
from tally.language import detect_language


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=50.0, help="corpus size in megabytes of text")
    ap.add_argument("--raw", type=Path, default=Path("raw"))
    a = ap.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(a.raw.glob("*.txt"))]
    target = int(a.mb * 1_000_000)
    corpus, size = [], 0
    while size < target:
        for t in texts:
            corpus.append(t)
            size += len(t)
    t0 = time.perf_counter()
    n_figures = 0
    for t in corpus:
        n_figures += len(figure_rows(t, detect_language(t)))
    secs = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    table = Table(title="tally extract (one core)")
    for col in ("documents", "chars", "figures", "seconds", "chars/s", "peak RSS MB"):
        table.add_column(col, justify="right")
    table.add_row(f"{len(corpus):,}", f"{size:,}", f"{n_figures:,}", f"{secs:.2f}", f"{size / secs:,.0f}", f"{rss_mb:,.0f}")
    Console().print(table)


if __name__ == "__main__":
    main()
