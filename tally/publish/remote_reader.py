"""Reading a publish on object storage through its pointer (`current.json`), pinned once.

    with tally.published("s3://bucket/curated") as pub:   # current.json read once
        figures = pub.read("figures")                      # s3://.../snapshots/<run_id>/figures.parquet
        pub.url("figures")                                 # that URL, for polars, pyarrow or duckdb

The pointer is read once and the manifest of the snapshot it names is checked against the
sha256 the pointer records; every dataset is then read from that snapshot and checked against the
manifest's sha256. A snapshot is never changed once the pointer names it, so every dataset comes
from the same publish; it can be pruned by later publishes (after `keep` of them), and a read
after that fails with NotPublishedError (open the publish again).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from tally.errors import NotPublishedError
from tally.publish.reader import Published
from tally.publish.remote import POINTER, read_pointer
from tally.publish.snapshots import MANIFEST
from tally.storage import RemotePath, s3, url_of


class RemotePublished(Published):
    """One publish of an s3 out, pinned: its manifest; datasets are read on demand."""

    def __init__(self, folder: Path, snapshot: Path, manifest: dict[str, Any]) -> None:
        super().__init__(folder, snapshot, manifest, {})

    def url(self, dataset: str) -> str:
        """The s3 URL of a dataset of this publish."""
        self._check(dataset)
        return f"{url_of(self.snapshot)}/{self.manifest['datasets'][dataset]['file']}"

    def _check(self, dataset: str) -> None:
        if dataset not in self.manifest["datasets"]:
            raise ValueError(f"no dataset {dataset!r} in the publish {self.run_id} of `{self.folder}`: "
                             f"one of {', '.join(self.datasets)}")

    def read_bytes(self, dataset: str, verify: bool = True) -> bytes:
        url = self.url(dataset)
        try:
            data: bytes = s3.filesystem().cat_file(s3.key_of(url))
        except FileNotFoundError:
            raise NotPublishedError(f"`{url}` is gone: the publish {self.run_id} was pruned by later publishes; "
                                    "open the publish again") from None
        except s3.errors() as exc:
            raise NotPublishedError(f"cannot read `{url}`: {s3.cause(exc)}") from None
        if verify and hashlib.sha256(data).hexdigest() != self.manifest["datasets"][dataset]["sha256"]:
            raise NotPublishedError(f"`{url}` does not match the sha256 its manifest records: the publish is damaged")
        return data


def published_remote(out: Path) -> RemotePublished:
    """The publish the pointer of the s3 location `out` names now."""
    url = url_of(out)
    failures: tuple[type[BaseException], ...] = (*s3.errors(), KeyError, TypeError)  # the store's; a bad pointer
    try:
        pointer = read_pointer(out)
        if pointer is None:
            raise NotPublishedError(f"`{url}` holds no publish (no `{POINTER}`): run `tally run --out {url}` first")
        snapshot = RemotePath(url) / pointer["snapshot"]
        data = s3.filesystem().cat_file(f"{s3.key_of(snapshot)}/{MANIFEST}")
    except NotPublishedError:
        raise
    except failures as exc:
        raise NotPublishedError(f"cannot read the publish of `{url}`: {s3.cause(exc)}") from None
    if hashlib.sha256(data).hexdigest() != pointer.get("manifest_sha256"):
        raise NotPublishedError(f"`{snapshot}/{MANIFEST}` does not match the sha256 `{POINTER}` records: "
                                "the publish is damaged")
    return RemotePublished(RemotePath(url), snapshot, json.loads(data))
