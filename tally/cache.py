"""Incremental runs: the figures of a document are kept under the hash of its bytes and of the
extractor's code, so an unchanged file is not extracted again and yields identical rows."""

from __future__ import annotations

import contextlib
import hashlib
import os
from functools import cache
from pathlib import Path

import polars as pl

from tally.contract import SCHEMA_VERSION, figure_polars_schema

CACHE_DIR = ".cache"


@cache
def code_fingerprint() -> str:
    """sha256 of the extractor's source files and the schema version: any change to how figures
    are found invalidates the cache."""
    root = Path(__file__).parent
    h = hashlib.sha256(SCHEMA_VERSION.encode())
    for path in sorted([*root.glob("*.py"), *root.glob("tables/*.py")]):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


class FigureCache:
    """Figure rows (without source) per doc_id and language, in `<out>/.cache/<fingerprint>/`."""

    def __init__(self, out: Path) -> None:
        self.root = out / CACHE_DIR / code_fingerprint()
        self.hits = 0
        self.misses = 0

    def get(self, doc_id: str, lang: str) -> list[tuple[object, ...]] | None:
        frame = self.get_frame(f"{doc_id}.{lang}")
        if frame is None:
            self.misses += 1
            return None
        self.hits += 1
        return frame.rows()

    def put(self, doc_id: str, lang: str, rows: list[tuple[object, ...]]) -> None:
        self.put_frame(f"{doc_id}.{lang}", pl.DataFrame(rows, schema=figure_polars_schema(with_source=False),
                                                        orient="row"))

    def get_frame(self, name: str) -> pl.DataFrame | None:
        """A per-document frame cached under `name` (figures, reconciliation results)."""
        try:
            return pl.read_parquet(self.root / f"{name}.parquet")
        except (OSError, pl.exceptions.PolarsError):
            return None

    def put_frame(self, name: str, frame: pl.DataFrame) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            path = self.root / f"{name}.parquet"
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            frame.write_parquet(tmp)
            os.replace(tmp, path)
        except OSError:
            return  # a cache that cannot be written only costs time

    def prune_other_versions(self) -> None:
        base = self.root.parent
        if not base.is_dir():
            return
        for d in base.iterdir():
            if d != self.root and d.is_dir():
                for f in d.iterdir():
                    with contextlib.suppress(OSError):
                        f.unlink()
                with contextlib.suppress(OSError):
                    d.rmdir()


