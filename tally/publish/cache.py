"""Incremental runs: what a stage computed for a document is kept under a key made of the
document's bytes (its doc_id), the stage's settings and the fingerprint of exactly the code the
stage runs (`tally.publish.fingerprint`), so an unchanged file is not processed again, yields
identical rows, and a changed rule can never publish stale results.

    <out>/.cache/<stage>-<fingerprint>/<doc_id>.<settings>.parquet

Each entry is one file: a header line `TALLY-CACHE 1 <sha256> <key>` and the parquet bytes; the
sha256 covers the key and the bytes. An entry is used only if its header, key and checksum match
and it reads back with exactly the stage's schema; anything else (a flipped bit, a truncated or
foreign file, a polars panic, a wrong schema) is a miss: the stage recomputes and one line is
logged on the `tally.cache` logger. A cache that cannot be written only costs time.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import polars as pl

from tally.publish.fingerprint import stage_fingerprint
from tally.publish.snapshots import io_cause
from tally.schemas import extracted_schema, polars_schema
from tally.vocabulary import Dataset

try:  # a pyo3 panic is a BaseException: `except Exception` lets it through
    from polars.exceptions import PanicException
except ImportError:  # pragma: no cover - polars versions without it
    class PanicException(BaseException):  # type: ignore[no-redef]
        """Stands in for polars' PanicException where polars does not export it."""

log = logging.getLogger("tally.cache")

CACHE_DIR = ".cache"
MAGIC = b"TALLY-CACHE 1 "
SUFFIX = ".parquet"
# cached stage -> the entry module whose import closure is its code
STAGES = {"figures": "tally.extract", "reconcile": "tally.reconcile"}
SCHEMAS: dict[str, Callable[[], pl.Schema]] = {
    "figures": extracted_schema,
    "reconcile": lambda: polars_schema(Dataset.RECONCILIATIONS),
}
# what reading an entry may raise besides a checksum mismatch: all of it is a miss
READ_ERRORS = (Exception, PanicException)


def _digest(key: str, payload: bytes) -> str:
    return hashlib.sha256(key.encode("utf-8") + b"\n" + payload).hexdigest()


def encode(key: str, payload: bytes) -> bytes:
    """One cache entry: the header line, then the parquet bytes."""
    return MAGIC + f"{_digest(key, payload)} {key}\n".encode() + payload


def decode(key: str, data: bytes) -> bytes:
    """The parquet bytes of an entry, or ValueError naming what does not match."""
    if not data.startswith(MAGIC):
        raise ValueError("not a tally cache entry")
    end = data.find(b"\n", len(MAGIC))
    if end < 0:
        raise ValueError("no header line")
    header = data[len(MAGIC) : end].split(b" ", 1)
    if len(header) != 2 or header[1] != key.encode("utf-8"):
        raise ValueError("header names another key")
    payload = data[end + 1 :]
    if header[0] != _digest(key, payload).encode():
        raise ValueError("checksum mismatch")
    return payload


class StageCache:
    """Frames of one stage, one checksummed parquet file per document and settings."""

    def __init__(self, out: Path, stage: str, fingerprint: str | None = None) -> None:
        self.stage = stage
        self.base = out / CACHE_DIR
        self.root = self.base / f"{stage}-{fingerprint or stage_fingerprint(STAGES[stage])}"
        self.schema = SCHEMAS[stage]()
        self.hits = 0
        self.misses = 0
        self.damaged = 0
        self.write_failed = False

    def path(self, key: str) -> Path:
        return self.root / f"{key}{SUFFIX}"

    def get(self, key: str) -> pl.DataFrame | None:
        path = self.path(key)
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except FileNotFoundError:
            self.misses += 1
            return None
        except OSError as exc:
            self._damaged(path, exc.strerror or str(exc))
            return None
        try:
            frame = pl.read_parquet(io.BytesIO(decode(key, data)))
        except READ_ERRORS as exc:  # never KeyboardInterrupt or SystemExit: they are neither
            self._damaged(path, f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
            return None
        if frame.schema != self.schema:
            self._damaged(path, "its columns are not this stage's schema")
            return None
        self.hits += 1
        return frame

    def _damaged(self, path: Path, cause: str) -> None:
        self.misses += 1
        self.damaged += 1
        # the stage's put replaces the entry; `prune` removes it if nothing does
        log.warning("cache entry %s is damaged (%s): recomputed", path, cause)

    def put(self, key: str, frame: pl.DataFrame) -> None:
        path = self.path(key)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            buf = io.BytesIO()
            frame.write_parquet(buf)
            with open(tmp, "wb") as fh:
                fh.write(encode(key, buf.getvalue()))
            os.replace(tmp, path)
        except (OSError, pl.exceptions.PolarsError) as exc:  # a cache that cannot be written only costs time
            if not self.write_failed:  # one line per run and stage, not one per document
                log.warning("cannot write cache entry %s: %s: the cache is not kept this run", path, io_cause(exc))
            self.write_failed = True
            with contextlib.suppress(OSError):
                tmp.unlink()

    def prune(self, doc_ids: Iterable[str]) -> int:
        """Keep only the entries of these documents (those the last run read) and remove leftover
        temporary files; returns how many files were removed."""
        keep = set(doc_ids)
        removed = 0
        try:
            names = os.listdir(self.root)
        except OSError:
            return 0
        for name in names:
            if name.endswith(".tmp") or name.split(".", 1)[0] not in keep:
                with contextlib.suppress(OSError):
                    (self.root / name).unlink()
                    removed += 1
        return removed

    def prune_other_versions(self) -> None:
        """Remove this stage's entries made by other versions of its code, and folders of no
        known stage (the one-folder cache of tally 0.5)."""
        if not self.base.is_dir():
            return
        for d in self.base.iterdir():
            ours = d.name.startswith(f"{self.stage}-")
            known = any(d.name.startswith(f"{stage}-") for stage in STAGES)
            if d != self.root and d.is_dir() and (ours or not known):
                with contextlib.suppress(OSError):
                    shutil.rmtree(d)
