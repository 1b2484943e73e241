"""The review report of a run, built from what the run holds in memory before it publishes."""

from __future__ import annotations

import time
from pathlib import Path

from tally.publish.audit import Curated
from tally.read.files import RawDocument
from tally.report import REPORT_FILE, build_report, from_frames
from tally.report.data import from_staged
from tally.settings import Settings
from tally.version import __version__

__all__ = ["REPORT_FILE", "run_report", "staged_report"]


def run_report(settings: Settings, run_id: str, docs: list[RawDocument], curated: Curated) -> bytes:
    """report.html of this run: its datasets and the texts it read (each document once)."""
    texts: dict[str, str] = {}
    for d in docs:
        if d.text is not None:
            texts.setdefault(d.doc_id, d.text)
    return build_report(from_frames(curated.frames(), texts, _info(settings, run_id))).encode("utf-8")


def staged_report(settings: Settings, run_id: str, staging: Path) -> bytes:
    """report.html of a streamed run (`tally.stream`), from the datasets it has just written to its
    staging folder and the texts read again from the raw folder (a streamed run keeps no texts)."""
    return build_report(from_staged(staging, settings.raw, _info(settings, run_id))).encode("utf-8")


def _info(settings: Settings, run_id: str) -> dict[str, str]:
    return {"run_id": run_id, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "raw": str(settings.raw), "tally_version": __version__}
