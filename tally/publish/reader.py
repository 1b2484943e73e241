"""Reading a curated folder without tearing: one publish, pinned once.

    with tally.published("curated") as pub:      # `current` resolved once, every file opened now
        documents = pub.read("documents")
        figures = pub.read("figures")            # the same publish as `documents`, always
    tally.read_published("curated", "figures")   # one dataset, the same guarantee

`published` reads the `current` link once, opens the manifest and every dataset file of that
snapshot at once (by descriptor, relative to the snapshot folder's own descriptor), and reads
only through those descriptors: a publish that switches `current`, or prunes the snapshot, while
the reader works cannot change what it reads (an unlinked file stays readable while it is open).
If the snapshot is pruned between reading the link and opening its files, the link is read
again. `read` checks the bytes against the sha256 the manifest recorded before parsing them
(`verify=False` skips it).

A plain `pl.read_parquet("curated/figures.parquet")` resolves `current` when it opens the file
and polars may open it more than once: each file it reads is one whole file of some publish,
but two files read one after the other may come from two publishes, and a read that overlaps a
switch can, rarely, fail (a polars ComputeError) and must be retried.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from pathlib import Path
from types import TracebackType
from typing import Any

import polars as pl

from tally.errors import NotPublishedError
from tally.publish.snapshots import CURRENT, MANIFEST
from tally.storage import is_remote, location

ATTEMPTS = 20  # times `current` is read again when its snapshot was pruned before it was opened


def _read_all(fd: int) -> bytes:
    chunks, offset = [], 0
    while chunk := os.pread(fd, 1 << 20, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


class Published:
    """One publish of a curated folder, pinned: its manifest and open descriptors of its files."""

    def __init__(self, folder: Path, snapshot: Path, manifest: dict[str, Any], fds: dict[str, int]) -> None:
        self.folder = folder
        self.snapshot = snapshot
        self.manifest = manifest
        self._fds = fds

    @property
    def run_id(self) -> str:
        return str(self.manifest["run_id"])

    @property
    def datasets(self) -> list[str]:
        return list(self.manifest["datasets"])

    def read_bytes(self, dataset: str, verify: bool = True) -> bytes:
        if dataset not in self._fds:
            raise ValueError(f"no dataset {dataset!r} in the publish {self.run_id} of `{self.folder}`: "
                           f"one of {', '.join(self.datasets)}")
        data = _read_all(self._fds[dataset])
        info = self.manifest["datasets"][dataset]
        if verify and hashlib.sha256(data).hexdigest() != info["sha256"]:
            raise NotPublishedError(f"`{self.snapshot / info['file']}` does not match the sha256 its manifest "
                                    "records: the publish is damaged")
        return data

    def read(self, dataset: str, verify: bool = True) -> pl.DataFrame:
        """The dataset as this publish wrote it (checked against the manifest's sha256)."""
        return pl.read_parquet(io.BytesIO(self.read_bytes(dataset, verify)))

    def url(self, dataset: str) -> str:
        """The path of a dataset's file in this publish's snapshot (an s3 URL on object storage)."""
        return str(self.snapshot / self.manifest["datasets"][dataset]["file"])

    def close(self) -> None:
        fds, self._fds = self._fds, {}
        for fd in fds.values():
            os.close(fd)

    def __enter__(self) -> Published:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()


def _pin(folder: Path, target: str) -> Published:
    snapshot = folder / target
    dir_fd = os.open(snapshot, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    fds: dict[str, int] = {}
    try:
        manifest_fd = os.open(MANIFEST, os.O_RDONLY | os.O_CLOEXEC, dir_fd=dir_fd)
        try:
            manifest = json.loads(_read_all(manifest_fd))
        finally:
            os.close(manifest_fd)
        for name, info in manifest["datasets"].items():
            fds[name] = os.open(info["file"], os.O_RDONLY | os.O_CLOEXEC, dir_fd=dir_fd)
    except BaseException:
        for fd in fds.values():
            os.close(fd)
        raise
    finally:
        os.close(dir_fd)
    return Published(folder, snapshot, manifest, fds)


def published(curated: Path | str) -> Published:
    """The publish `curated/current` points at now, pinned (close it, or use `with`); for an s3
    location, the one its `current.json` names (`tally.publish.remote_reader`)."""
    if is_remote(curated):
        from tally.publish.remote_reader import published_remote

        return published_remote(location(curated))
    folder = Path(curated)
    link = folder / CURRENT
    for _ in range(ATTEMPTS):
        try:
            target = os.readlink(link)
        except FileNotFoundError:
            raise NotPublishedError(f"`{folder}` holds no publish (no `{CURRENT}` link): run `tally run` first") from None
        except OSError:
            raise NotPublishedError(f"`{link}` is not a link: `{folder}` is not a folder `tally run` published") from None
        try:
            return _pin(folder, target)
        except FileNotFoundError:
            continue  # pruned between the readlink and the opens: `current` has moved on
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise NotPublishedError(f"cannot read the publish `{folder / target}`: {exc}") from None
    raise NotPublishedError(f"`{folder}`: the snapshot `{CURRENT}` points at kept disappearing ({ATTEMPTS} tries)")


def read_published(curated: Path | str, dataset: str, verify: bool = True) -> pl.DataFrame:
    """One dataset of the publish `curated/current` points at now (see `published`)."""
    with published(curated) as pub:
        return pub.read(dataset, verify)
