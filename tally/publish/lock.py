"""One run at a time per out folder: an advisory lock on `<out>/.tally.publish.lock`."""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from tally.errors import OutFolderError

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
    held: dict[Path, int] = _local.__dict__.setdefault("held", {})
    key = out.resolve()
    if held.get(key):
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    with _flock(out, wait):
        held[key] = 1
        try:
            yield
        finally:
            held.pop(key, None)


@contextlib.contextmanager
def _flock(out: Path, wait: float) -> Iterator[None]:
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutFolderError(f"cannot write to out folder `{out}`: {exc.strerror or exc}; "
                             "pass --out with a folder you can write to") from None
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
                    raise LockedError(
                        f"out folder `{out}` is being published by another tally run ({holder}): "
                        f"wait for it to finish, or pass --wait SECONDS to queue behind it") from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, since {time.strftime('%Y-%m-%dT%H:%M:%S')}".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock
