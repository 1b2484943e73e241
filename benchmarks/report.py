"""The review report at 10, 100 and 1,000 documents: build time, page size and, with --browser,
first contentful paint and load in headless Chromium.

    python benchmarks/report.py [--sizes 10 100 1000] [--raw raw] [--browser]

Each document is a copy of a sample text with its copy number appended (its own hash). The
datasets are built once per size (extract, reconcile, audit: not timed); the timed part is the
report alone, from the run's frames and texts to the HTML bytes (best of 3).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from tally.pipeline import curate_frames, read_batch
from tally.report import build_report, from_frames


def _paint(page: Path) -> tuple[float, float]:
    """(first contentful paint, load event) in ms of `page` in headless Chromium, best of 3."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(arg)
    options.binary_location = shutil.which("chromium") or "chromium"
    driver: Any = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver") or "chromedriver"))
    try:
        runs = []
        for _ in range(3):
            driver.get("about:blank")
            driver.get(page.resolve().as_uri())
            for _ in range(50):  # the paint entry can come a moment after the load event
                found = driver.execute_script(
                    "const p = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint');"
                    "return p ? [p.startTime, performance.getEntriesByType('navigation')[0].loadEventEnd] : null")
                if found:
                    runs.append(found)
                    break
                time.sleep(0.1)
        return min(r[0] for r in runs), min(r[1] for r in runs)
    finally:
        driver.quit()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    ap.add_argument("--raw", type=Path, default=Path("raw"))
    ap.add_argument("--browser", action="store_true", help="also measure paint and load in headless Chromium")
    a = ap.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(a.raw.glob("*.txt"))]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in a.sizes:
            raw = Path(tmp) / f"raw-{n}"
            raw.mkdir()
            for i in range(n):
                (raw / f"doc-{i:05d}.txt").write_text(texts[i % len(texts)] + f"\n\nCopy {i}.\n", encoding="utf-8")
            docs = read_batch(sorted(raw.glob("*.txt")), raw)
            curated = curate_frames(docs)
            texts_by_id = {d.doc_id: d.text for d in docs if d.text is not None}
            best, html = float("inf"), ""
            for _ in range(3):
                t0 = time.perf_counter()
                html = build_report(from_frames(curated.frames(), texts_by_id, {"run_id": f"bench-{n}"}))
                best = min(best, time.perf_counter() - t0)
            page = Path(tmp) / f"report-{n}.html"
            page.write_text(html, encoding="utf-8")
            paint = _paint(page) if a.browser else None
            rows.append((n, curated.figures.height, curated.reconciliations.height, best, page.stat().st_size, paint))
    table = Table(title="review report (report.html)")
    for col in ("documents", "figures", "checks", "build s", "size MB", "first paint ms", "load ms"):
        table.add_column(col, justify="right")
    for n, figs, checks, secs, size, paint in rows:
        table.add_row(f"{n:,}", f"{figs:,}", f"{checks:,}", f"{secs:.3f}", f"{size / 1e6:.2f}",
                      f"{paint[0]:.0f}" if paint else "-", f"{paint[1]:.0f}" if paint else "-")
    Console(width=120).print(table)


if __name__ == "__main__":
    main()
