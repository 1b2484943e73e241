"""One run at a time per s3 out: a lock object created with a conditional PUT.

Object storage has no flock. The run that publishes creates `<out>/.tally.publish.lock` with
`If-None-Match: *` (s3fs's `mode="create"`): the store accepts the PUT only if no such object
exists, so of two runs that start together exactly one gets it; the other reads who holds it and
waits (`--wait`) or stops with LockedError. The lock is deleted when the run ends, failed or not.
A lock left by a run that was killed is taken over once it is older than `STALE` seconds (or
delete it by hand). Limits: the store must honour conditional writes (AWS S3, MinIO, moto do); the
lock is not renewed, so a run longer than `STALE` can lose it (the commit then stops: `still_held`
is checked just before the pointer is written); and two runs that take over the same stale lock
at the same moment can both proceed.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tally.errors import OutFolderError
from tally.publish.lock import LOCK_NAME, LockedError
from tally.storage import s3, url_of

STALE = 6 * 3600  # seconds after which a lock is taken to be left by a run that died

log = logging.getLogger("tally.publish")

_held: dict[str, bytes] = {}  # URL -> the body of the lock object this process wrote


def _holder(fs: Any, key: str) -> dict[str, Any] | None:
    try:
        held: dict[str, Any] = json.loads(fs.cat_file(key))
    except FileNotFoundError:
        return None  # released meanwhile
    except ValueError:
        return {"holder": "unknown", "since": 0.0}
    return held


@contextlib.contextmanager
def object_lock(out: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the lock object of the s3 location `out` for the block (see the module's docstring)."""
    url = url_of(out)
    s3.check_bucket(url, "out location", OutFolderError, "--out")
    fs = s3.filesystem()
    key = f"{s3.key_of(url)}/{LOCK_NAME}"
    deadline = time.monotonic() + wait
    me = {"holder": f"pid {os.getpid()} on {socket.gethostname()}", "since": time.time(),
          "since_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    body = json.dumps(me).encode("utf-8")
    while True:
        try:
            fs.pipe_file(key, body, mode="create")
            break
        except FileExistsError:
            held = _holder(fs, key)
            if held is None:
                continue
            age = time.time() - float(held.get("since", 0.0))
            if age > STALE:
                log.warning("taking over the lock `%s/%s` left %.0f s ago by %s", url, LOCK_NAME, age, held.get("holder"))
                fs.rm_file(key)
                continue
            if time.monotonic() < deadline:
                time.sleep(0.5)
                continue
            raise LockedError(
                f"out location `{url}` is being published by another tally run ({held.get('holder')}, since "
                f"{held.get('since_utc', '?')}): wait for it to finish, or pass --wait SECONDS to queue behind it; "
                f"if no run is alive, delete `{url}/{LOCK_NAME}` (it is taken over after {STALE // 3600} h)") from None
        except s3.errors() as exc:
            raise OutFolderError(f"cannot write the lock `{url}/{LOCK_NAME}`: {s3.cause(exc)}; "
                                 "pass --out with a location you can write to") from None
    _held[url] = body
    try:
        yield
    finally:
        _held.pop(url, None)
        with contextlib.suppress(*s3.errors()):
            if _body(fs, key) == body:  # not a lock another run took over meanwhile
                fs.rm_file(key)


def _body(fs: Any, key: str) -> bytes | None:
    try:
        data: bytes = fs.cat_file(key)
    except FileNotFoundError:
        return None
    return data


def still_held(out: Path) -> None:
    """Raise LockedError if this process holds the lock of `out` but the lock object is no longer
    its own (taken over as stale by another run): checked right before the commit."""
    url = url_of(out)
    mine = _held.get(url)
    if mine is None:
        return
    fs = s3.filesystem()
    try:
        now = _body(fs, f"{s3.key_of(url)}/{LOCK_NAME}")
    except s3.errors() as exc:
        raise OutFolderError(f"cannot read the lock `{url}/{LOCK_NAME}`: {s3.cause(exc)}") from None
    if now != mine:
        raise LockedError(f"the lock `{url}/{LOCK_NAME}` was taken over by another run while this one worked "
                          f"(it ran past {STALE // 3600} h, or the lock was deleted): not published; run again")
