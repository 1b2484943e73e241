"""Tally: extract, reconcile and validate the figures in press releases; publish curated parquet.

Importing tally starts nothing, opens no file and contacts no server: Prefect is imported only
when a flow runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.5.0"
__all__ = ["__version__", "curate", "extract"]

if TYPE_CHECKING:
    from tally.extract import extract
    from tally.run import curate


def __getattr__(name: str) -> Any:
    if name == "extract":
        from tally.extract import extract

        return extract
    if name == "curate":
        from tally.run import curate

        return curate
    raise AttributeError(f"module 'tally' has no attribute {name!r}")
