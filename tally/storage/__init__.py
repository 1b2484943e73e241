"""Where raw texts and curated datasets live: a local folder, or object storage (`s3://bucket/prefix`).

An object-storage location travels through the settings and the runners as a `RemotePath`: a
`Path` whose string is its URL again (`Path("s3://b/raw")` alone would collapse it to `s3:/b/raw`),
so `out / "figures.parquet"` prints as `s3://b/curated/figures.parquet`, it pickles to worker
processes, and a step that must act differently on object storage asks `is_remote(path)`. The
reading and writing itself is in `tally.storage.s3` (s3fs, imported only when a location is s3).

Stage caches (SQLite) stay on the local disk: for an s3 out they are kept under
`local_dir(out)`, `$TALLY_CACHE_DIR` (default `~/.cache/tally`) / a hash of the out URL.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path, PosixPath
from typing import Any

SCHEMES = ("s3",)


def _url_text(value: str) -> str | None:
    """`value` as `s3://bucket/key` if it names an object-storage location (also in the collapsed
    form `s3:/bucket/key` a `Path` gives it), else None."""
    for scheme in SCHEMES:
        for head in (f"{scheme}://", f"{scheme}:/"):
            if value.startswith(head):
                rest = value[len(head):].strip("/")
                return f"{scheme}://{rest}"
    return None


class RemotePath(PosixPath):
    """An object-storage location as a Path: `str()` is its URL (`s3://bucket/prefix/key`)."""

    def __str__(self) -> str:
        parts = self.parts
        if parts and parts[0].rstrip(":") in SCHEMES and parts[0].endswith(":"):
            return f"{parts[0]}//{'/'.join(parts[1:])}"
        return super().__str__()  # a relative part (`relative_to`) is a plain relative path

    def __fspath__(self) -> str:
        return str(self)

    def __repr__(self) -> str:
        return f"RemotePath({str(self)!r})"


def is_remote(path: Path | str) -> bool:
    return _url_text(str(path)) is not None


def url_of(path: Path | str) -> str:
    """The URL of an object-storage location, without a trailing slash."""
    url = _url_text(str(path))
    if url is None:
        raise ValueError(f"`{path}` is not an object-storage URL (s3://bucket/prefix)")
    return url


def location(value: Any) -> Any:
    """`value` as a RemotePath when it is an object-storage URL (a str or a collapsed Path), else
    unchanged: the settings' validator of `raw` and `out`."""
    if isinstance(value, str | Path) and not isinstance(value, RemotePath):
        url = _url_text(str(value))
        if url is not None:
            return RemotePath(url)
    return value


def local_dir(out: Path | str) -> Path:
    """The local folder of an object-storage out's caches and staging: `$TALLY_CACHE_DIR` (default
    `$XDG_CACHE_HOME/tally`, else `~/.cache/tally`) / the first 16 hex digits of the URL's sha256."""
    base = os.environ.get("TALLY_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME")
        base = str(Path(xdg) / "tally") if xdg else str(Path.home() / ".cache" / "tally")
    return Path(base) / hashlib.sha256(url_of(out).encode("utf-8")).hexdigest()[:16]
