"""Object storage through fsspec's s3fs (the optional `s3` extra), imported only when a location
is `s3://`. Credentials, region and endpoint come from the usual AWS sources (`AWS_ACCESS_KEY_ID`,
`AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_PROFILE`, `AWS_DEFAULT_REGION`, `~/.aws/`);
`AWS_ENDPOINT_URL` points Tally at an S3-compatible server (MinIO, moto, Ceph, R2...).

Paths given to the filesystem are `bucket/key` (no scheme); `key_of(url)` makes them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tally.errors import TallyError
from tally.storage import url_of

if TYPE_CHECKING:
    import pyarrow.fs as pafs

ENV = ("AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
       "AWS_DEFAULT_REGION", "AWS_REGION")
_cache: dict[tuple[str | None, ...], Any] = {}


class StorageError(TallyError):
    """Object storage cannot be reached or used (no s3fs, no bucket, no access)."""


def key_of(path: Path | str) -> str:
    """`bucket/key` of an s3 URL or RemotePath, the form s3fs takes."""
    return url_of(path).split("://", 1)[1]


def options() -> dict[str, Any]:
    """s3fs's storage options from the environment: the endpoint, when `AWS_ENDPOINT_URL` is set."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    return {"endpoint_url": endpoint} if endpoint else {}


def filesystem() -> Any:
    """The s3fs filesystem for the current AWS environment (one per process and environment)."""
    state = tuple(os.environ.get(k) for k in ENV)
    fs = _cache.get(state)
    if fs is None:
        try:
            import s3fs
        except ImportError:
            raise StorageError("s3:// locations need s3fs: pip install 'tally[s3]'") from None
        fs = _cache[state] = s3fs.S3FileSystem(skip_instance_cache=True, **options())
    return fs


def arrow_filesystem() -> pafs.FileSystem:
    """The same filesystem for pyarrow (writes and reads of parquet files)."""
    import pyarrow.fs as pafs

    return pafs.PyFileSystem(pafs.FSSpecHandler(filesystem()))


def cause(exc: BaseException, url: str | None = None) -> str:
    """What went wrong, in words a user can act on (naming the bucket of `url`, when given)."""
    said = _cause(exc)
    return said.replace("s3://BUCKET", f"s3://{key_of(url).split('/', 1)[0]}") if url else said


def _cause(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    name = type(exc).__name__
    if name in ("NoCredentialsError", "PartialCredentialsError"):
        return "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE)"
    if isinstance(exc, PermissionError) or "InvalidAccessKeyId" in text or "SignatureDoesNotMatch" in text:
        return (f"access denied ({text}): check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and the bucket's policy"
                + (f", and AWS_ENDPOINT_URL={os.environ['AWS_ENDPOINT_URL']}" if os.environ.get("AWS_ENDPOINT_URL") else ""))
    if isinstance(exc, FileNotFoundError) and "bucket" in text.lower():
        return "its bucket does not exist: create it (aws s3 mb s3://BUCKET)"
    if name in ("EndpointConnectionError", "ClientConnectorError", "ConnectTimeoutError") or isinstance(exc, ConnectionError):
        return (f"cannot connect ({text}): check AWS_ENDPOINT_URL "
                f"({os.environ.get('AWS_ENDPOINT_URL') or 'not set: AWS itself'}) and the network")
    return f"{name}: {text}"


# Errors of s3fs/botocore/aiohttp: OSError subclasses and their own, all reported with `cause`.
def errors() -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = [OSError, ValueError]
    try:
        from botocore.exceptions import BotoCoreError, ClientError

        found += [BotoCoreError, ClientError]
    except ImportError:  # pragma: no cover - s3fs always brings botocore
        pass
    return tuple(found)


def check_bucket(url: str, role: str, error: type[TallyError], flag: str) -> None:
    """Raise `error` naming `url` and what to do when its bucket cannot be reached or does not exist."""
    fs = filesystem()
    bucket = key_of(url).split("/", 1)[0]
    try:
        fs.call_s3("list_objects_v2", Bucket=bucket, MaxKeys=1)  # one request, whatever the bucket holds
    except errors() as exc:
        raise error(f"{role} `{url}` cannot be used: {cause(exc, url)}; or pass {flag} with another location") from None


def list_keys(url: str) -> list[tuple[str, int]]:
    """(key relative to `url`, size) of every object under the prefix `url`, sorted by key (s3fs
    pages through the listing)."""
    fs = filesystem()
    base = key_of(url).rstrip("/")
    fs.invalidate_cache(base)  # a long-lived process (tally serve) lists afresh every run
    found = fs.find(base, detail=True, withdirs=False)
    out = []
    for path, info in found.items():
        rel = path[len(base) + 1:] if path.startswith(base + "/") else ""
        if rel and not path.endswith("/") and info.get("type", "file") == "file":
            out.append((rel, int(info.get("size") or 0)))
    return sorted(out)


def read_many(urls: list[str], limit: int) -> list[bytes | BaseException]:
    """At most `limit + 1` bytes of each object, fetched concurrently (s3fs's `cat_ranges`): its
    bytes, or the exception its GET raised, in the order of `urls`."""
    found: list[bytes | BaseException] = filesystem().cat_ranges([key_of(u) for u in urls], 0, limit + 1,
                                                                 on_error="return")
    return found


def read_bytes(url: str, limit: int, fetched: bytes | BaseException | None = None) -> bytes:
    """At most `limit + 1` bytes of the object `url` (one GET, unless `fetched` by `read_many`):
    a longer result is over the limit."""
    fs = filesystem()
    try:
        if isinstance(fetched, BaseException):
            raise fetched
        data: bytes = fetched if fetched is not None else fs.cat_file(key_of(url), start=0, end=limit + 1)
    except OSError as exc:  # a range from byte 0 is refused (416) only for an empty object
        if "range" in str(exc).lower() and int(fs.info(key_of(url), refresh=True)["size"]) == 0:
            return b""
        raise
    return data
