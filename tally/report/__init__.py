"""The review report: one self-contained HTML page with every figure in its text and every check.

    html = build_report(from_published(Path("curated")))       # a publish, texts from its raw folder
    write_report(html, Path("report.html"))                     # written whole, then renamed

A run writes the same page as `report.html` into its snapshot (`tally.stream`, from its staging folder).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tally.report.data import ReportData, from_frames, from_published
from tally.report.render import render

REPORT_FILE = "report.html"

__all__ = ["REPORT_FILE", "ReportData", "build_report", "from_frames", "from_published", "write_report"]


def build_report(data: ReportData) -> str:
    return render(data)


def write_report(html: str, path: Path) -> Path:
    """Write the page to a temporary file beside `path` and rename it over `path` (a link at
    `path` is replaced, never written through)."""
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(html)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
