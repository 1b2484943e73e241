"""Incremental runs: a first `run_local` on a corpus, then a rerun on the unchanged corpus
(figures from the content-hash cache), then a rerun with one file in ten changed.

    python benchmarks/incremental.py [--docs 400] [--raw raw]

Each document is a copy of a sample text with its copy number appended, so every file has its
own hash. Prints a table: run, documents, cache hits, seconds, speed-up over the first run.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from tally.pipeline import run
from tally.settings import Settings


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--raw", type=Path, default=Path("raw"))
    a = ap.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(a.raw.glob("*.txt"))]
    with tempfile.TemporaryDirectory() as tmp:
        raw, out = Path(tmp) / "raw", Path(tmp) / "out"
        raw.mkdir()
        for i in range(a.docs):
            (raw / f"doc-{i:05d}.txt").write_text(texts[i % len(texts)] + f"\n\nCopy {i}.\n", encoding="utf-8")
        rows = []
        for name in ("first run", "unchanged rerun", "1 in 10 changed"):
            if name == "1 in 10 changed":
                for i in range(0, a.docs, 10):
                    p = raw / f"doc-{i:05d}.txt"
                    p.write_text(p.read_text(encoding="utf-8") + "Edited.\n", encoding="utf-8")
            t0 = time.perf_counter()
            s = run(Settings(raw=raw, out=out))
            rows.append((name, s.documents, s.cache_hits, time.perf_counter() - t0))
    table = Table(title=f"tally run --no-prefect, {a.docs} documents")
    for col in ("run", "documents", "cache hits", "seconds", "speed-up"):
        table.add_column(col, justify="right")
    for name, docs, hits, secs in rows:
        table.add_row(name, str(docs), str(hits), f"{secs:.2f}", f"{rows[0][3] / secs:.1f}x")
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
