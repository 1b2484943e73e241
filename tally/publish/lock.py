"""One run at a time per out folder: an advisory lock on `<out>/.tally.publish.lock` (on an s3 out,
a lock object made with a conditional PUT: `tally.publish.remote_lock`)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from tally.errors import OutFolderError
from tally.publish.snapshots import CURRENT
from tally.storage import is_remote, url_of

LOCK_NAME = ".tally.publish.lock"


class LockedError(OutFolderError):
    """Another run holds the out folder."""


_local = threading.local()  # out folders this thread holds the lock of, and how many times


@contextlib.contextmanager
def out_folder_lock(out: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the lock of `out` for the block; wait up to `wait` seconds for another run to finish.

    Reentrant within a thread: a runner takes the lock before Prefect starts and the flow it
    calls in the same thread takes it again without a second flock (a flow served on its own
    takes it itself). Any other thread or process waits or gets LockedError."""
    held: dict[Path | str, int] = _local.__dict__.setdefault("held", {})
    key: Path | str = url_of(out) if is_remote(out) else out.resolve()
    if held.get(key):
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    with _object_lock(out, wait) if is_remote(out) else _flock(out, wait):
        held[key] = 1
        try:
            yield
        finally:
            held.pop(key, None)


def _object_lock(out: Path, wait: float) -> contextlib.AbstractContextManager[None]:
    from tally.publish.remote_lock import object_lock

    return object_lock(out, wait)


def _missing_levels(out: Path) -> list[Path]:
    """The folders of `out` that do not exist yet, deepest first (what mkdir(parents=True) makes)."""
    missing = []
    for level in (out, *out.parents):
        if level.exists() or level.is_symlink():
            break
        missing.append(level)
    return missing


def _remove_if_unpublished(created: list[Path]) -> None:
    """After a failed run, remove the folders this run created, unless something was published in
    them; never a folder that existed before the run."""
    out = created[0]
    if (out / CURRENT).is_symlink() or (out / CURRENT).exists():
        return
    shutil.rmtree(out, ignore_errors=True)
    for level in created[1:]:
        with contextlib.suppress(OSError):
            level.rmdir()  # only if empty


def _open_lock_file(out: Path) -> int:
    try:
        out.mkdir(parents=True, exist_ok=True)
        return os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutFolderError(f"cannot write to out folder `{out}`: {exc.strerror or exc}; "
                             "pass --out with a folder you can write to") from None


def _still_linked(fd: int, path: Path) -> bool:
    """Whether the file we locked is still the one at `path` (a failed first run removes the out
    folder it created, lock file and all, while we waited for it)."""
    try:
        return os.stat(path).st_ino == os.fstat(fd).st_ino
    except FileNotFoundError:
        return False


@contextlib.contextmanager
def _flock(out: Path, wait: float) -> Iterator[None]:
    """The lock file's flock for the block. If this call created `out` and the block fails before
    anything is published, `out` is removed again: a failed start leaves no empty folder behind."""
    created = _missing_levels(out)
    deadline = time.monotonic() + wait
    while True:
        fd = _open_lock_file(out)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if time.monotonic() >= deadline:
                holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
                os.close(fd)
                raise LockedError(
                    f"out folder `{out}` is being published by another tally run ({holder}): "
                    f"wait for it to finish, or pass --wait SECONDS to queue behind it") from None
            os.close(fd)
            time.sleep(0.1)
            continue
        if _still_linked(fd, out / LOCK_NAME):
            break
        os.close(fd)  # the folder was removed under us: lock the new one
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, since {time.strftime('%Y-%m-%dT%H:%M:%S')}".encode(), 0)
        yield
    except BaseException:
        if created:
            _remove_if_unpublished(created)
        raise
    finally:
        os.close(fd)  # closing releases the lock
