"""Incremental runs: what a stage computed for a document is kept under a key made of the
document's bytes (its doc_id), the stage's settings and the fingerprint of exactly the code the
stage runs (`tally.publish.fingerprint`), so an unchanged file is not processed again, yields
identical rows, and a changed rule can never publish stale results.

    <out>/.cache/<stage>-<fingerprint>/entries.sqlite     one SQLite file per stage and code version
    ~/.cache/tally/<hash of the URL>/.cache/...           the same, for an s3:// out (`storage.local_dir`)

One row per document and settings: `key`, `doc` (the doc_id, for pruning), `digest` and the
frame as Arrow IPC bytes; the sha256 `digest` covers the key and the bytes. A batch's entries
are written in one transaction (`put` buffers, `flush` writes) and looked up in one query
(`get_many`), so an unchanged rerun reads the cache in one pass per batch, not one file per
document. An entry is used only if its checksum matches and it reads back with exactly the
stage's schema; anything else (a flipped bit, a foreign row, a polars panic, a wrong schema) is a
miss: the stage recomputes and one line is logged on the `tally.cache` logger. A cache file
SQLite cannot read (torn, truncated, not a database) is removed and rebuilt, with one warning. A
cache that cannot be written only costs time.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa

from tally.publish import frames
from tally.publish.fingerprint import stage_fingerprint
from tally.publish.snapshots import io_cause
from tally.schemas import extracted_schema, polars_schema
from tally.storage import is_remote, local_dir
from tally.vocabulary import Dataset

try:  # a pyo3 panic is a BaseException: `except Exception` lets it through
    from polars.exceptions import PanicException
except ImportError:  # pragma: no cover - polars versions without it
    class PanicException(BaseException):  # type: ignore[no-redef]
        """Stands in for polars' PanicException where polars does not export it."""

log = logging.getLogger("tally.cache")

CACHE_DIR = ".cache"
DB_NAME = "entries.sqlite"
# cached stage -> the entry module whose import closure is its code
# ("batch": whole batches of files, `tally.publish.batches`, whose entries each have their dataset's schema)
STAGES = {"figures": "tally.extract", "reconcile": "tally.reconcile", "batch": "tally.stream"}
SCHEMAS: dict[str, Callable[[], pl.Schema]] = {
    "figures": extracted_schema,
    "reconcile": lambda: polars_schema(Dataset.RECONCILIATIONS),
    "batch": lambda: pl.Schema({"json": pl.String}),
}
# what decoding an entry may raise besides a checksum mismatch: all of it is a miss
READ_ERRORS = (Exception, PanicException)
CHUNK = 500  # keys per SELECT (SQLite's limit on bound parameters is 32,766 since 3.32)
DDL = "CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, doc TEXT NOT NULL, digest TEXT NOT NULL, " \
      "payload BLOB NOT NULL)"


def digest(key: str, payload: bytes) -> str:
    return hashlib.sha256(key.encode("utf-8") + b"\n" + payload).hexdigest()


def encode_frame(frame: pl.DataFrame) -> bytes:
    return frames.encode(frame)


def _root_name(stage: str) -> str:
    """`<stage>-<fingerprint>`: the stage's code, the payloads' format and the versions of the
    libraries that write them (a new polars or pyarrow starts a new cache, not a damaged one)."""
    h = hashlib.sha256(f"{stage_fingerprint(STAGES[stage])} {frames.MAGIC!r} {pl.__version__} {pa.__version__}".encode())
    return f"{stage}-{h.hexdigest()[:16]}"


def corrupt(exc: sqlite3.Error) -> bool:
    """SQLite says the file is damaged or not a database (not: locked, full, read-only)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    return "malformed" in str(exc) or "not a database" in str(exc)


def _first_line(exc: BaseException) -> str:
    text = str(exc)
    return f"{type(exc).__name__}: {text.splitlines()[0] if text else ''}"


class StageCache:
    """Frames of one stage, one checksummed row per document and settings in one SQLite file.

    Picklable (the connection is opened lazily in each process): a worker process reads entries
    with `get_many` and hands back what it computed (`take_pending`) for the parent to `write`."""

    def __init__(self, out: Path, stage: str, fingerprint: str | None = None) -> None:
        self.stage = stage
        # an s3 out keeps its caches on the local disk (storage.local_dir: ~/.cache/tally/<hash of the URL>)
        self.base = (local_dir(out) if is_remote(out) else out) / CACHE_DIR
        self.root = self.base / (f"{stage}-{fingerprint}" if fingerprint else _root_name(stage))
        self.db = self.root / DB_NAME
        self.schema = SCHEMAS[stage]()
        self.hits = 0
        self.misses = 0
        self.damaged = 0
        self.write_failed = False
        self.pending: list[tuple[str, str, str, bytes]] = []
        self._con: sqlite3.Connection | None = None
        self._ready: dict[str, pl.DataFrame] = {}  # entries `prefetch` read, until `get` takes them
        self._prefetched: set[str] = set()
        self.hit_keys: list[str] = []  # the keys found, in order
        self._broken = False  # the file could not be opened even after a rebuild: no cache this run

    # -- the SQLite file ---------------------------------------------------------------------
    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_con"] = None
        state["pending"] = []
        state["_ready"] = {}
        state["_prefetched"] = set()
        return state

    def _open(self, create: bool) -> sqlite3.Connection | None:
        if self._con is not None:
            return self._con
        if self._broken or (not create and not self.db.is_file()):
            return None
        self.root.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self.db, timeout=30, isolation_level=None)
        try:
            # the default rollback journal, not WAL: a reader creates no file (WAL's -shm), so a
            # warm cache is read where nothing may be written (a full disk, RLIMIT_FSIZE)
            con.execute("PRAGMA synchronous=NORMAL")  # a cache: a power cut costs entries, never wrong rows
            con.execute(DDL)
        except BaseException:
            con.close()
            raise
        self._con = con
        return con

    def _unreadable(self, exc: BaseException) -> None:
        """The file is not a database SQLite can read: remove it (and its journal) and start over."""
        log.warning("cache file %s is unreadable (%s): removed, its entries are recomputed", self.db,
                    _first_line(exc))
        self.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(OSError):
                os.unlink(f"{self.db}{suffix}")

    def _with_db(self, create: bool, action: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run `action` on the connection; a corrupt file is removed and the action tried once on a
        fresh one. Returns None when there is no usable file."""
        for attempt in (1, 2):
            try:
                con = self._open(create)
                return None if con is None else action(con)
            except sqlite3.DatabaseError as exc:
                if attempt == 2 or not corrupt(exc):
                    raise
                self._unreadable(exc)
        return None  # pragma: no cover - the loop returns or raises

    def close(self) -> None:
        if self._con is not None:
            with contextlib.suppress(sqlite3.Error):
                self._con.close()
            self._con = None

    # -- reading -----------------------------------------------------------------------------
    def get(self, key: str) -> pl.DataFrame | None:
        if key in self._ready:
            return self._ready.pop(key)
        if key in self._prefetched:  # looked up in this batch's pass: a miss
            return None
        return self.get_many([key]).get(key)

    def prefetch(self, keys: Iterable[str]) -> None:
        """Read these entries in one pass; `get` then hands them out (counted as hits here)."""
        self._prefetched = set(keys)
        self._ready = self.get_many(self._prefetched)

    def get_many(self, keys: Iterable[str]) -> dict[str, pl.DataFrame]:
        """The good entries of these keys, in one query per 500 keys; every other key is a miss."""
        return self._found(keys, self._decode)

    def get_payloads(self, keys: Iterable[str]) -> dict[str, bytes]:
        """`get_many`'s entries as their bytes, not decoded: each checked on its checksum and on its
        schema (`frames.schema_matches`, the header alone), for a process that only passes them on
        (`frames.decode` makes the frame where it is needed)."""
        return self._found(keys, self._verified)

    def _found(self, keys: Iterable[str], check: Callable[[str, object, object], Any]) -> dict[str, Any]:
        keys = list(dict.fromkeys(keys))

        def select(con: sqlite3.Connection) -> list[tuple[str, str, bytes]]:
            rows: list[tuple[str, str, bytes]] = []
            for i in range(0, len(keys), CHUNK):
                chunk = keys[i : i + CHUNK]
                rows += con.execute(f"SELECT key, digest, payload FROM entries WHERE key IN ({','.join('?' * len(chunk))})",
                                    chunk).fetchall()
            return rows

        try:
            rows = self._with_db(False, select) or []
        except sqlite3.Error as exc:
            log.warning("cannot read cache file %s (%s): recomputed this run", self.db, _first_line(exc))
            self._broken = True
            rows = []
        found: dict[str, Any] = {}
        for key, dig, payload in rows:
            entry = check(key, dig, payload)
            if entry is not None:
                found[key] = entry
        self.hits += len(found)
        self.hit_keys += found
        self.misses += len(keys) - len(found)
        return found

    def _decode(self, key: str, dig: object, payload: object) -> pl.DataFrame | None:
        schema = self._intact(key, dig, payload)
        if schema is None:
            return None
        assert isinstance(payload, bytes)
        try:
            frame = frames.decode(payload, schema)
        except READ_ERRORS as exc:  # never KeyboardInterrupt or SystemExit: they are neither
            self._damaged(key, _first_line(exc))
            return None
        if frame.schema != schema:
            self._damaged(key, "its columns are not this stage's schema")
            return None
        return frame

    def _verified(self, key: str, dig: object, payload: object) -> bytes | None:
        """The payload, if its checksum matches, its header has the entry's schema and its body is
        a valid frame (the receiver decodes it unchecked)."""
        schema = self._intact(key, dig, payload)
        if schema is None:
            return None
        assert isinstance(payload, bytes)
        try:
            frames.check(payload, schema)
        except READ_ERRORS as exc:
            self._damaged(key, _first_line(exc))
            return None
        return payload

    def _intact(self, key: str, dig: object, payload: object) -> pl.Schema | None:
        """The entry's schema if its checksum matches and its header has that schema; else None
        (logged as damaged)."""
        if not isinstance(payload, bytes) or not isinstance(dig, str) or dig != digest(key, payload):
            self._damaged(key, "checksum mismatch")
            return None
        schema = self.schema_of(key)
        if not frames.schema_matches(payload, schema):
            self._damaged(key, "its columns are not this stage's schema")
            return None
        return schema

    def schema_of(self, key: str) -> pl.Schema:
        """The schema the entry under `key` must read back with (one per stage here)."""
        return self.schema

    def _damaged(self, key: str, cause: str) -> None:
        self.damaged += 1
        # the stage's put replaces the entry; `prune` removes it if nothing does
        log.warning("cache entry %s in %s is damaged (%s): recomputed", key, self.db, cause)

    # -- writing -----------------------------------------------------------------------------
    def put(self, key: str, frame: pl.DataFrame) -> None:
        """Buffer an entry; `flush` writes the buffered entries in one transaction."""
        if self.write_failed:
            return
        try:
            payload = encode_frame(frame)
        except (OSError, pl.exceptions.PolarsError) as exc:
            self._write_failed(exc)
            return
        self.pending.append((key, key.split(".", 1)[0], digest(key, payload), payload))

    def take_pending(self) -> list[tuple[str, str, str, bytes]]:
        out, self.pending = self.pending, []
        return out

    def flush(self) -> None:
        self.write(self.take_pending())

    def write(self, entries: list[tuple[str, str, str, bytes]]) -> None:
        """Write entries (key, doc, digest, payload) in one transaction."""
        if not entries or self.write_failed:
            return

        def insert(con: sqlite3.Connection) -> None:
            with con:  # one transaction
                con.execute("BEGIN IMMEDIATE")
                con.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)", entries)

        try:
            self._with_db(True, insert)
        except (OSError, sqlite3.Error) as exc:  # a cache that cannot be written only costs time
            self._write_failed(exc)

    def _write_failed(self, exc: BaseException) -> None:
        if not self.write_failed:  # one line per run and stage, not one per document
            cause = io_cause(exc) if isinstance(exc, OSError | pl.exceptions.PolarsError) else _first_line(exc)
            log.warning("cannot write cache file %s: %s: the cache is not kept this run", self.db, cause)
        self.write_failed = True
        self.pending = []

    # -- pruning -----------------------------------------------------------------------------
    def stored_keys(self) -> list[str]:
        try:
            return [k for (k,) in self._with_db(False, lambda con: con.execute(
                "SELECT key FROM entries ORDER BY key").fetchall()) or []]
        except sqlite3.Error:
            return []

    def prune(self, doc_ids: Iterable[str]) -> int:
        """Keep only the entries of these documents (those the last run read) and remove any other
        file of this stage's folder (the one-file-per-document cache of tally 0.7); returns how
        many entries and files were removed."""
        removed = 0
        with contextlib.suppress(OSError):
            for name in os.listdir(self.root):
                if not name.startswith(DB_NAME):
                    with contextlib.suppress(OSError):
                        (self.root / name).unlink()
                        removed += 1

        def delete(con: sqlite3.Connection) -> int:
            with con:
                con.execute("BEGIN IMMEDIATE")
                con.execute("CREATE TEMP TABLE IF NOT EXISTS keep (doc TEXT PRIMARY KEY)")
                con.execute("DELETE FROM keep")
                con.executemany("INSERT OR IGNORE INTO keep VALUES (?)", ((d,) for d in doc_ids))
                n = con.execute("DELETE FROM entries WHERE doc NOT IN (SELECT doc FROM keep)").rowcount
            return int(n)

        try:
            removed += self._with_db(False, delete) or 0
        except sqlite3.Error as exc:
            log.warning("cannot prune cache file %s (%s)", self.db, _first_line(exc))
        self.close()
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


def entries(caches: Iterable[StageCache]) -> Iterator[tuple[str, str]]:
    """(stage, key) of every entry of these caches, for tests and `tally` diagnostics."""
    for c in caches:
        for k in c.stored_keys():
            yield c.stage, k
