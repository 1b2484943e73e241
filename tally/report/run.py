"""The review report of a run, built from what the run holds in memory before it publishes."""

from __future__ import annotations

import time

from tally.publish.audit import Curated
from tally.read.files import RawDocument
from tally.report import REPORT_FILE, build_report, from_frames
from tally.settings import Settings
from tally.version import __version__

__all__ = ["REPORT_FILE", "run_report"]


def run_report(settings: Settings, run_id: str, docs: list[RawDocument], curated: Curated) -> bytes:
    """report.html of this run: its datasets and the texts it read (each document once)."""
    texts: dict[str, str] = {}
    for d in docs:
        if d.text is not None:
            texts.setdefault(d.doc_id, d.text)
    info = {"run_id": run_id, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "raw": str(settings.raw), "tally_version": __version__}
    return build_report(from_frames(curated.frames(), texts, info)).encode("utf-8")
