"""Reconciliation time against the number of figures in one document.

    python benchmarks/reconcile.py [--sizes 1000 10000 100000 1000000]

A document is built from paragraphs in the layouts the rules read (a rounded restatement, an
"of which" breakdown, a total after its parts, a list announced by its count, "A of B (P%)", a
funnel, a table with a Total row, durations, amounts per item, averages, a colon breakdown, an
envelope and its remainder, named items, years since, a table with a rate column, shares of one
whole, items under their intro, shares of a budget, sources in parentheses, ages apart, fields
combined across sections, a part of a labelled whole, per item with a total), repeated until it
holds the number of figures asked for. The
figures are extracted once; the table shows the time of `reconcile` alone, its time per figure
and the ratio to n log n against the first size (flat when the cost grows as n log n).
"""

from __future__ import annotations

import argparse
import math
import time

import polars as pl
from rich.console import Console
from rich.table import Table

from tally.extract import figure_rows
from tally.reconcile import reconcile
from tally.schemas import extracted_schema

UNIT = """## Section {i}

More than {a},000 participants joined the consultation {i}; in all {a},{b:03d} participants took part.
The {c} comments received, of which {d} online and {e} by post, were read by the team.
The fund paid {d} grants and {e} loans, for a total of {c} awards.
Our {k} priorities for district {i}:

- Housing
- Transport
- Schools

Of the {c} replies, {d} ({p}%) were in favour.
{c} applications were received, {d} shortlisted and {f} funded.

| Item | Votes |
|---|---|
| Option A | {d} |
| Option B | {e} |
| Total | {c} |

The forum took place on 14–15 May 2025. Over the two days, {c} people attended from {k} countries.
The fund awards EUR 3.2 million to {k} start-ups. Each start-up receives EUR 250,000.
The {k} workshops drew {c} people, an average of {f} per workshop.
We received {c} responses: {d} through the website and {e} by post.
Total budget: £600,000, for a total of £596,500. The remaining £3,500 is carried over.
They focused on fairness and privacy, two critical issues.
Created in 2012, the centre has, for the past 12 years, grown.

Projects funded: 3, for a total of £90,000

| ID | Applications | Funded | Success rate |
|---|---|---|---|
| A-1 | {c} | {d} | 12.5% |
| A-2 | {c} | {e} | 20% |
| A-3 | {c} | {f} | 3.3% |

Profile of voters
- Under 30: 21%
- 30 to 59: 50%
- 60 and over: 29%

The {c} sessions ran in three tracks:
- Data: {d} sessions
- Society: {e} sessions

Question {i} – Do you cycle? ({c} respondents)
Yes: {d}
No: {e}

Le budget s'élève à 86 000 €, financé à 60 % par la Ville (51 600 €) et à 40 % par la Région (34 400 €).
Le projet, d'un montant de 7,8 M€, a été financé par la Région (4,2 M€) et l'État (3,6 M€).
Our participants ranged in age from 21 to 58: 37 years separate the youngest and the oldest.
Ballots cast: {c}
Across the two areas, {c2} ballots were cast. Postal votes made up {d} of the ballots cast.
  {k} nodes, 2 CPUs per node
  128 cores per node, {cores} cores in total

"""


def document(n_figures: int) -> str:
    parts, i, per = [], 0, None
    while True:
        a, b, d, e = 10 + i % 80, i % 1000, 100 + i % 50, 40 + i % 30
        c = d + e
        text = UNIT.format(i=i, a=a, b=b, c=c, d=d, e=e, f=max(1, e // 4), k=3, p=round(100 * d / c), c2=2 * c, cores=3 * 128)
        parts.append(text)
        if per is None:
            per = len(figure_rows(text, "en"))
        i += 1
        if i * per >= n_figures:
            return "".join(parts)


def measure(n: int) -> tuple[int, float]:
    text = document(n)
    rows = figure_rows(text, "en")
    figures = pl.DataFrame(rows, schema=extracted_schema(), orient="row").with_columns(
        pl.lit("d" * 64).alias("doc_id"), pl.lit("bench.txt").alias("source"),
        (pl.lit("d" * 64 + ":") + pl.col("start").cast(pl.String)).alias("figure_id"))
    t0 = time.perf_counter()
    reconcile([("d" * 64, "bench.txt", text)], figures)
    return figures.height, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    args = ap.parse_args()
    table = Table("figures", "seconds", "µs per figure", "time / (n log n), relative", title="reconcile, one document")
    base: float | None = None
    for n in args.sizes:
        got, secs = measure(n)
        nlogn = got * math.log2(got)
        base = base or secs / nlogn
        table.add_row(f"{got:,}", f"{secs:.2f}", f"{1e6 * secs / got:.1f}", f"{secs / nlogn / base:.2f}")
        Console().print(table) if n == args.sizes[-1] else None
    Console().print()


if __name__ == "__main__":
    main()
