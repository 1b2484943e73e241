"""Extraction and reconciliation of one document written on a single line, dense with figures.

    python benchmarks/one_line.py [--sizes-mb 0.5 1 2]

The hostile input of a folder of press releases: no line breaks, so no blocks, headings or
paragraphs to bound the rules, and a figure every few words. The text repeats sentences in the
layouts the rules read (totals, "of which", funnels, durations, amounts per item, shares), with
their numbers varied. The table shows, per size, the figures found, the seconds of extraction
and of reconciliation, and the peak RSS of the process so far.
"""

from __future__ import annotations

import argparse
import resource
import time

import polars as pl
from rich.console import Console
from rich.table import Table

from tally.extract import figure_rows
from tally.reconcile import reconcile
from tally.schemas import extracted_schema

SENTENCE = (
    "The {c} comments received, of which {d} online and {e} by post, were read. "
    "More than {a},000 participants joined; in all {a},{b:03d} participants took part. "
    "{c} applications were received, {d} shortlisted and {f} funded. "
    "The forum ran on 14–15 May 2025; over the two days {c} people came from {k} countries. "
    "The fund awards EUR 3.2 million to {k} start-ups. Each start-up receives EUR 250,000. "
    "We received {c} responses: {d} through the website and {e} by post. "
    "Budget split: 45%, 35% and 20% of the total; call 555-0142 or see version 2.3.1. "
)


def line(mb: float) -> str:
    parts, size, i = [], 0, 0
    while size < mb * 1_000_000:
        d, e = 100 + i % 50, 40 + i % 30
        s = SENTENCE.format(a=10 + i % 80, b=i % 1000, c=d + e, d=d, e=e, f=max(1, e // 4), k=3 + i % 5)
        parts.append(s)
        size += len(s)
        i += 1
    return "".join(parts)


def run(mb: float) -> tuple[int, float, float, int, float]:
    text = line(mb)
    t0 = time.perf_counter()
    rows = figure_rows(text, "en")
    t1 = time.perf_counter()
    figures = pl.DataFrame(rows, schema=extracted_schema(), orient="row").with_columns(
        pl.lit("d").alias("doc_id"), pl.lit("one-line.txt").alias("source"),
        (pl.lit("d:") + pl.col("start").cast(pl.String)).alias("figure_id"))
    del rows
    t2 = time.perf_counter()
    checks = reconcile([("d", "one-line.txt", text)], figures)
    t3 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures.height, t1 - t0, t3 - t2, checks.height, rss


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes-mb", type=float, nargs="+", default=[0.5, 1, 2])
    args = ap.parse_args()
    table = Table("MB, one line", "figures", "extract s", "reconcile s", "checks", "peak RSS MB",
                  title="one document on a single line")
    console = Console()
    for mb in args.sizes_mb:
        n, ext, rec, checks, rss = run(mb)
        table.add_row(f"{mb:g}", f"{n:,}", f"{ext:.1f}", f"{rec:.1f}", f"{checks:,}", f"{rss:,.0f}")
        console.print(f"{mb:g} MB: {n:,} figures, extract {ext:.1f} s, reconcile {rec:.1f} s, {checks:,} checks, "
                      f"peak RSS {rss:,.0f} MB")  # as it goes: the largest size may take long
    console.print(table)


if __name__ == "__main__":
    main()
