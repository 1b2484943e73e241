"""A snapshot written as the batches come (issue 13): one parquet file per dataset, one or more
row groups per batch, so a run holds one batch's rows, never the corpus's.

The files are the same datasets, at the same paths, as `snapshots.write_snapshot` writes (one
`<name>.parquet` each, with tally's key-value metadata), in the same staging folder: the snapshot
is renamed into place and `current` switched only once every batch is written, so readers see the
whole previous publish or the whole new one, as before.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from tally.publish.snapshots import (
    MANIFEST,
    SNAPSHOTS,
    _fsync_dir,
    _fsync_file,
    _write_file,
    sha256_file,
    staging_folder,
    step,
    write_files,
)
from tally.schemas import empty
from tally.vocabulary import Dataset

ROW_GROUP = 128 * 1024  # rows buffered per dataset before a row group is written
IN_FLIGHT = 2  # row groups handed to the writer thread and not yet written


@contextlib.contextmanager
def arrow_step(action: str, path: Path) -> Iterator[None]:
    """`snapshots.step` for pyarrow, whose OSError carries its errno in the message only
    ("... [errno 28] No space left on device"): re-raised with the errno, so the message names it."""
    with step(action, path):
        try:
            yield
        except OSError as exc:
            found = re.search(r"\[?errno (\d+)\]?", str(exc), re.IGNORECASE)
            if found and int(found.group(1)) in errno.errorcode:
                code = int(found.group(1))
                raise OSError(code, os.strerror(code)) from exc
            raise


class SnapshotWriter:
    """Append frames to the datasets of a staging snapshot; `finish` renames it into place."""

    def __init__(self, out: Path, run_id: str, metadata: dict[str, str]) -> None:
        self.out, self.run_id, self.metadata = out, run_id, metadata
        self.staging = staging_folder(out, run_id)
        self.writers: dict[str, pq.ParquetWriter] = {}
        self.schemas: dict[str, pa.Schema] = {}
        self.buffers: dict[str, list[pl.DataFrame]] = {str(d): [] for d in Dataset}
        self.rows: dict[str, int] = dict.fromkeys(self.buffers, 0)
        self.files: dict[str, bytes] = {}  # other files of the snapshot (report.html), once finished
        # row groups are encoded and written by one thread (pyarrow lets go of the GIL), in order,
        # while this one goes on with the next batch
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="tally-parquet")
        self.pending: deque[Future[None]] = deque()
        with step("creating folder", out / SNAPSHOTS):
            os.makedirs(out / SNAPSHOTS, exist_ok=True)
        with step("creating folder", self.staging):
            os.mkdir(self.staging)
        for name in self.buffers:
            schema = empty(name).to_arrow().schema
            self.schemas[name] = schema.with_metadata({**metadata, "tally.dataset": name})
            path = self.staging / f"{name}.parquet"
            with arrow_step("writing", path):
                self.writers[name] = pq.ParquetWriter(path, self.schemas[name], compression="zstd",
                                                      write_statistics=True)

    def append(self, name: str, frame: pl.DataFrame) -> None:
        self._reap()  # a row group that failed is reported at the next batch, not two row groups later
        if not frame.height:
            return
        self.buffers[name].append(frame)
        self.rows[name] += frame.height
        if sum(f.height for f in self.buffers[name]) >= ROW_GROUP:
            self._write(name)

    def _write(self, name: str) -> None:
        """Hand the buffered frames to the writer thread as one row group; at most `IN_FLIGHT` row
        groups wait for it (memory stays bounded), and its errors are raised here, at the next one."""
        frames, self.buffers[name] = self.buffers[name], []
        if not frames:
            return
        table = pl.concat(frames).to_arrow().cast(self.schemas[name])
        while len(self.pending) >= IN_FLIGHT:
            self.pending.popleft().result()
        self.pending.append(self.thread.submit(self._write_table, name, table))

    def _write_table(self, name: str, table: pa.Table) -> None:
        with arrow_step("writing", self.staging / f"{name}.parquet"):
            self.writers[name].write_table(table, row_group_size=max(table.num_rows, 1))

    def _reap(self) -> None:
        """Raise the error of a finished write, if any, without waiting for the others."""
        while self.pending and self.pending[0].done():
            self.pending.popleft().result()

    def _drain(self) -> None:
        while self.pending:
            self.pending.popleft().result()

    def close(self) -> dict[str, dict[str, Any]]:
        """Write what is buffered and close every file: the manifest's `datasets`."""
        datasets = {}
        for name, writer in self.writers.items():
            self._write(name)
            self._drain()  # each file finished before the next: an error names the first file that fails
            path = self.staging / f"{name}.parquet"
            with arrow_step("writing", path):
                writer.close()
                _fsync_file(path)
                digest = sha256_file(path)
            datasets[name] = {"file": path.name, "rows": self.rows[name], "sha256": digest,
                              "columns": {c: str(t) for c, t in empty(name).schema.items()}}
        self.writers = {}
        self.thread.shutdown()
        return datasets

    def abort(self) -> None:
        for future in self.pending:
            future.cancel()
        self.thread.shutdown(wait=True)  # the row group being written, then nothing more
        self.pending.clear()
        for writer in self.writers.values():
            with contextlib.suppress(Exception):  # the caller removes the staging folder anyway
                writer.close()
        self.writers = {}

    def finish(self, manifest: dict[str, Any], files_of: Callable[[Path], dict[str, bytes]] | None = None) -> Path:
        """Close the datasets, write the other files `files_of(staging)` makes from them (the review
        report), the manifest, and rename the staging folder to snapshots/<run_id>."""
        manifest = {**manifest, "datasets": self.close()}
        self.files = files_of(self.staging) if files_of is not None else {}
        write_files(self.staging, self.files, manifest)
        with step("writing", self.staging / MANIFEST):
            _write_file(self.staging / MANIFEST,
                        json.dumps(manifest, indent=2, ensure_ascii=False, default=str).encode("utf-8"))
        with step("syncing folder", self.staging):
            _fsync_dir(self.staging)
        final = self.out / SNAPSHOTS / self.run_id
        with step("renaming to", final):
            os.rename(self.staging, final)
        with step("syncing folder", self.out / SNAPSHOTS):
            _fsync_dir(self.out / SNAPSHOTS)
        return final
