"""Tally: extract, reconcile and validate the figures in press releases; publish curated parquet.

    import tally
    tally.extract("More than 3,800 participants attended.")   # a polars frame, one row per figure
    tally.check("raw")                                        # findings, nothing written
    tally.curate("raw", "curated")                            # publish curated parquet datasets
    tally.read_published("curated", "figures")                # one dataset of one whole publish

Importing tally starts nothing, opens no file and contacts no server: the verbs load their
modules when first used, and Prefect is imported only by `tally.flows`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tally.version import __version__

__all__ = ["__version__", "check", "curate", "extract", "published", "read_published"]

if TYPE_CHECKING:
    from tally.api import check, curate, extract, published, read_published


def __getattr__(name: str) -> Any:
    if name in ("check", "curate", "extract", "published", "read_published"):
        import importlib

        if name == "extract":  # the stage's package, callable: the import system binds it here
            return importlib.import_module("tally.extract")
        value = getattr(importlib.import_module("tally.api"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tally' has no attribute {name!r}")
