"""Whole batches from the cache: a batch of files whose bytes, names, settings and code are those
of a batch already curated is not read, extracted, reconciled or validated again; its datasets,
manifest rows and ledger come back from one cache entry (issue 13: an unchanged rerun).

    <out>/.cache/batch-<fingerprint>/entries.sqlite

The key covers everything a batch's rows depend on: each file's name (relative to the raw
folder), its type and size (and, for a link, where it points and its target's), the sha256 of
its bytes (a link's target's) (files over `max_file_bytes` are rejected
on their size alone), the earlier batches' copies of its files (a copy is a duplicate), the
settings that change rows, the fingerprint of the code a batch runs (`tally.stream` and what it
imports) and the reader modules and parser versions a file's format may need. An entry is the
batch's five datasets and a JSON row (ledger, manifest rows, documents read), each checksummed and
read back with exactly its schema (`StageCache`): anything else is a miss, and the batch is
curated again.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import polars as pl

from tally.publish import frames
from tally.publish.audit import Curated
from tally.publish.cache import READ_ERRORS, StageCache
from tally.read.formats.registry import READERS
from tally.schemas import polars_schema
from tally.settings import Settings
from tally.vocabulary import Dataset

STAGE = "batch"
META = "meta"  # the entry holding the ledger, the manifest rows and the documents read
META_SCHEMA = pl.Schema({"json": pl.String})
# settings that change no row: where the run reads and writes, how many snapshots it keeps, its
# processes and whether it writes a report
_NOT_IN_KEY = {"raw", "out", "keep", "workers", "report", "check"}


@dataclass
class CachedBatch:
    curated: Curated
    inputs: list[dict[str, Any]]
    ok_ids: dict[str, str]  # doc_id -> source of the batch's documents read


@dataclass
class StoredBatch:
    """A stored batch as its entries' bytes: each dataset's payload (`tally.publish.frames`; checked:
    checksum and schema), its ledger, manifest rows and documents read."""

    payloads: dict[str, bytes]
    ledger: dict[str, Any]
    inputs: list[dict[str, Any]]
    ok_ids: dict[str, str]


@cache
def _environment() -> str:
    """The reader modules' source and the versions of the parsers they wrap."""
    h = hashlib.sha256()
    formats = Path(__file__).resolve().parents[1] / "read" / "formats"
    for path in sorted(formats.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    for _module, needs, _extra in sorted(READERS.values(), key=str):
        if needs is not None:
            try:
                h.update(f"{needs} {version(needs)}".encode())
            except PackageNotFoundError:
                h.update(f"{needs} absent".encode())
    return h.hexdigest()


def _digest(path: Path, limit: int) -> str:
    """sha256 of a regular file's bytes, "" for anything else or a file over `limit` bytes (the
    reader rejects those whatever their bytes). Opened without blocking and checked on the open
    file, as the reader does: a file swapped for a FIFO between a stat and an open never blocks."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return ""
        h = hashlib.sha256()
        while chunk := os.read(fd, 1 << 20):
            h.update(chunk)
        return h.hexdigest()
    finally:
        os.close(fd)


def batch_key_and_ids(paths: list[Path], settings: Settings,
                      seen: dict[str, str] | None) -> tuple[str, list[str]] | None:
    """The key of this batch and the doc_id the reader must find for each file ("" for a file it
    rejects on its type or size), or None when a file cannot be opened now (the batch is then
    curated as usual, and reports the file). A batch is stored only if the reader found exactly
    these doc_ids: a file changed between the key and the read never poisons the cache."""
    h = hashlib.sha256(_environment().encode())
    h.update(settings.model_dump_json(exclude=_NOT_IN_KEY).encode())
    ids = []
    for path in paths:
        try:
            st = path.lstat()
            name = os.fsencode(path.relative_to(settings.raw))
            h.update(b"\0" + name + f"\0{stat.S_IFMT(st.st_mode)}\0{st.st_size}\0".encode())
            if stat.S_ISLNK(st.st_mode):  # the reader follows a link inside the raw folder: so does the key
                h.update(b"-> " + os.fsencode(path.resolve()) + b"\0")
            doc_id = _digest(path, settings.max_file_bytes)
        except (OSError, ValueError):
            return None
        ids.append(doc_id)
        h.update(doc_id.encode())
        if seen and doc_id in seen:
            h.update(f"\0copy of {seen[doc_id]}".encode())
    return h.hexdigest()[:40], ids


def batch_key(paths: list[Path], settings: Settings, seen: dict[str, str] | None) -> str | None:
    """`batch_key_and_ids`'s key."""
    keyed = batch_key_and_ids(paths, settings, seen)
    return keyed[0] if keyed is not None else None


class BatchCache(StageCache):
    """`StageCache` entries of whole batches: `<key>.<dataset>` for each dataset, `<key>.meta`."""

    def __init__(self, out: Path, fingerprint: str | None = None) -> None:
        super().__init__(out, STAGE, fingerprint)

    def schema_of(self, key: str) -> pl.Schema:
        name = key.rsplit(".", 1)[-1]
        return META_SCHEMA if name == META else polars_schema(Dataset(name))

    def load(self, key: str) -> CachedBatch | None:
        """The batch stored under `key`, or None (a miss: some entry absent or damaged)."""
        found = self.get_many(self._keys(key))
        meta = self._meta(key, found)
        if meta is None:
            return None
        curated = Curated(**{str(d): found[f"{key}.{d}"] for d in Dataset}, ledger=meta[0])
        return CachedBatch(curated, meta[1], meta[2])

    def load_payloads(self, key: str) -> StoredBatch | None:
        """`load`, with the datasets as their checked bytes, not decoded (`StoredBatch`)."""
        found = self.get_payloads(self._keys(key))
        meta = self._meta(key, found, lambda p: frames.decode(p, META_SCHEMA, validate=False))  # checked
        if meta is None:
            return None
        return StoredBatch({str(d): found[f"{key}.{d}"] for d in Dataset}, *meta)

    @staticmethod
    def _keys(key: str) -> list[str]:
        return [f"{key}.{d}" for d in Dataset] + [f"{key}.{META}"]

    def _meta(self, key: str, found: dict[str, Any], frame_of: Callable[[Any], pl.DataFrame] = lambda f: f
              ) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, str]] | None:
        """(ledger, manifest rows, documents read) of a batch whose entries are all `found`, or None."""
        if len(found) != len(Dataset) + 1:
            return None
        try:
            meta = json.loads(frame_of(found[f"{key}.{META}"])["json"][0])
            return meta["ledger"], meta["inputs"], dict(meta["ok_ids"])
        except READ_ERRORS as exc:
            self._damaged(key, f"its meta entry does not read back ({type(exc).__name__})")
            return None

    def store(self, key: str, batch: CachedBatch) -> None:
        """Write the batch's entries in one transaction."""
        meta = json.dumps({"ledger": batch.curated.ledger, "inputs": batch.inputs, "ok_ids": batch.ok_ids},
                          ensure_ascii=False, default=str)
        for d, frame in batch.curated.frames().items():
            self.put(f"{key}.{d}", frame)
        self.put(f"{key}.{META}", pl.DataFrame({"json": [meta]}, schema=META_SCHEMA))
        self.flush()
