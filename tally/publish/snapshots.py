"""Versioned publishes in the out folder: write a snapshot, then switch `current` atomically.

    <out>/snapshots/<run_id>/{documents,figures,...}.parquet, manifest.json   one per publish
    <out>/current -> snapshots/<run_id>                                       swapped with os.replace
    <out>/<dataset>.parquet -> current/<dataset>.parquet                      stable read paths
    <out>/manifest.json -> current/manifest.json

A reader that opens a stable path sees the whole previous publish or the whole new one: the new
snapshot is complete (files fsynced, folder renamed into place) before `current` moves, and the
switch of `current` is the last step that can fail. Every write goes through `os` or polars here,
and any I/O error of either (polars reports ENOSPC as ComputeError) is a `PublishStepError` naming
the step, the path and the cause; `publish()` then removes what the run wrote.

A snapshot folder newer than `current` (or any, when there is no `current`) was never switched
to: a run died or failed between writing it and switching. It is removed with the leftover
staging folders at the start of the next run (`remove_unpublished`).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl

from tally.errors import OutFolderError, OutFolderLayoutError

SNAPSHOTS = "snapshots"
CURRENT = "current"
STAGING_PREFIX = ".staging-"
MANIFEST = "manifest.json"
IO_ERRORS = (OSError, pl.exceptions.PolarsError)

log = logging.getLogger("tally.publish")


def io_cause(exc: BaseException) -> str:
    """The cause of an I/O error in a few words: `No space left on device (ENOSPC)`, whether it
    came from Python or from polars (`... underlying IO error: No space left on device (os error 28)`)."""
    code: int | None = None
    text = ""
    if isinstance(exc, OSError):
        code, text = exc.errno, exc.strerror or str(exc)
    else:
        found = re.search(r"\(os error (\d+)\)", str(exc))
        if found:
            code = int(found.group(1))
            text = os.strerror(code)
        else:
            lines = str(exc).strip().splitlines()
            text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    name = errno.errorcode.get(code) if code is not None else None
    return f"{text} ({name})" if name else text


class PublishStepError(OutFolderError):
    """One step of a publish failed on an I/O error."""

    def __init__(self, action: str, path: Path, cause: str) -> None:
        self.action, self.path, self.cause = action, path, cause
        super().__init__(f"{action} `{path}` failed: {cause}")

    def __reduce__(self) -> tuple[type[PublishStepError], tuple[str, Path, str]]:
        return (type(self), (self.action, self.path, self.cause))


@contextlib.contextmanager
def step(action: str, path: Path) -> Iterator[None]:
    try:
        yield
    except IO_ERRORS as exc:
        raise PublishStepError(action, path, io_cause(exc)) from exc


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_file(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        while chunk := os.read(fd, 1 << 20):
            h.update(chunk)
    finally:
        os.close(fd)
    return h.hexdigest()


def check_out_folder(out: Path) -> None:
    """`current` must be a symlink (or absent): anything else is one error that says how to repair."""
    link = out / CURRENT
    if os.path.lexists(link) and not os.path.islink(link):
        what = "a directory" if os.path.isdir(link) else "a file"
        raise OutFolderLayoutError(f"`{link}` is {what}, not a link: move it away and run again")


def staging_folder(out: Path, run_id: str) -> Path:
    return out / SNAPSHOTS / f"{STAGING_PREFIX}{run_id}"


def write_snapshot(out: Path, run_id: str, frames: dict[str, pl.DataFrame], metadata: dict[str, str],
                   manifest: dict[str, Any], files: dict[str, bytes] | None = None) -> Path:
    """Write every frame, the other `files` (name -> bytes, e.g. report.html) and the manifest
    into a new staging folder, then rename it to snapshots/<run_id>. Returns the snapshot folder.
    `manifest["datasets"]` (and `manifest["files"]`, when there are files) is filled in here.
    Raises PublishStepError on an I/O error; the caller removes the staging folder."""
    root = out / SNAPSHOTS
    with step("creating folder", root):
        os.makedirs(root, exist_ok=True)
    staging = staging_folder(out, run_id)
    with step("creating folder", staging):
        os.mkdir(staging)
    datasets = {}
    for name, frame in frames.items():
        path = staging / f"{name}.parquet"
        with step("writing", path):
            frame.write_parquet(path, compression="zstd", statistics=True,
                                metadata={**metadata, "tally.dataset": name})
            _fsync_file(path)
            digest = sha256_file(path)
        datasets[name] = {"file": path.name, "rows": frame.height, "sha256": digest,
                          "columns": {c: str(t) for c, t in frame.schema.items()}}
    manifest = {**manifest, "datasets": datasets}
    write_files(staging, files or {}, manifest)
    with step("writing", staging / MANIFEST):
        _write_file(staging / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False, default=str).encode("utf-8"))
    with step("syncing folder", staging):
        _fsync_dir(staging)
    final = root / run_id
    with step("renaming to", final):
        os.rename(staging, final)
    with step("syncing folder", root):
        _fsync_dir(root)
    return final


def _link(out: Path, name: str, target: Path) -> None:
    """Make `out/name` a symlink to `target` in one os.replace (a temporary link renamed over it)."""
    tmp = out / f".{name}.link"
    with step("linking", out / name):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        os.symlink(target, tmp)
        os.replace(tmp, out / name)  # also replaces a plain file left by tally 0.1


def write_files(staging: Path, files: dict[str, bytes], manifest: dict[str, Any]) -> None:
    """Write the snapshot's other files (name -> bytes, e.g. report.html) into `staging` and list
    each, with its size and sha256, in `manifest["files"]`."""
    for name, data in files.items():
        with step("writing", staging / name):
            _write_file(staging / name, data)
        manifest.setdefault("files", {})[name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def switch_current(out: Path, snapshot: Path, names: list[str], files: tuple[str, ...] = ()) -> None:
    """Make sure the stable links exist (datasets, manifest and other `files`), then point
    `current` at `snapshot` in one os.replace: the last step of a publish. Raises
    PublishStepError before the switch if anything fails."""
    check_out_folder(out)
    for name in [*(f"{n}.parquet" for n in names), MANIFEST, *files]:
        target = Path(CURRENT) / name
        if os.path.islink(out / name) and os.readlink(out / name) == str(target):
            continue
        _link(out, name, target)
    _link(out, CURRENT, Path(SNAPSHOTS) / snapshot.name)
    try:  # after the switch: the publish is made; a failed flush leaves a whole publish either way
        _fsync_dir(out)
    except OSError as exc:
        log.warning("published, but syncing `%s` failed: %s", out, io_cause(exc))


def current_snapshot(out: Path) -> Path | None:
    link = out / CURRENT
    if not link.is_symlink():
        return None
    target = out / os.readlink(link)
    return target if target.is_dir() else None


def read_manifest(out: Path) -> dict[str, Any] | None:
    snap = current_snapshot(out)
    if snap is None:
        return None
    manifest: dict[str, Any] = json.loads((snap / MANIFEST).read_text(encoding="utf-8"))
    return manifest


def _snapshots(root: Path) -> list[Path]:
    return sorted((d for d in root.iterdir() if d.is_dir() and not d.is_symlink() and not d.name.startswith(".")),
                  key=lambda d: d.name)


def remove_unpublished(out: Path) -> list[str]:
    """Remove staging folders of runs that died or failed, snapshots that were never switched to
    (newer than `current`, or all of them when there is no `current`) and leftover temporary
    links. Call with the out folder's lock held. On an s3 out: `tally.publish.remote`'s own."""
    from tally.storage import is_remote

    if is_remote(out):
        from tally.publish import remote

        return remote.remove_unpublished(out)
    removed: list[str] = []
    root = out / SNAPSHOTS
    if root.is_dir():
        current = current_snapshot(out)
        for d in root.iterdir():
            if d.name.startswith(STAGING_PREFIX):
                shutil.rmtree(d, ignore_errors=True)
                removed.append(d.name)
        for d in _snapshots(root):
            if current is None or d.name > current.name:
                shutil.rmtree(d, ignore_errors=True)
                removed.append(d.name)
    _remove_link_leftovers(out)
    return removed


def discard(out: Path, run_id: str) -> None:
    """Remove what a failed publish wrote (its staging folder or its snapshot, if not current)."""
    current = current_snapshot(out)
    for d in (staging_folder(out, run_id), out / SNAPSHOTS / run_id):
        if current is not None and d.name == current.name:
            continue
        shutil.rmtree(d, ignore_errors=True)
    _remove_link_leftovers(out)


def _remove_link_leftovers(out: Path) -> None:
    """Temporary links (`.<name>.link`) a failed switch left behind."""
    with contextlib.suppress(OSError):
        for p in out.iterdir():
            if p.name.startswith(".") and p.name.endswith(".link") and p.is_symlink():
                with contextlib.suppress(OSError):
                    p.unlink()


def prune(out: Path, keep: int) -> list[str]:
    """Remove all but the newest `keep` snapshots (never the current one), snapshots that were
    never switched to and leftover staging folders. Call with the out folder's lock held."""
    removed = remove_unpublished(out)
    root = out / SNAPSHOTS
    if not root.is_dir():
        return removed
    current = current_snapshot(out)
    snaps = _snapshots(root)
    for d in snaps[: max(0, len(snaps) - max(1, keep))]:
        if current is not None and d.name == current.name:
            continue
        shutil.rmtree(d, ignore_errors=True)
        removed.append(d.name)
    return removed
