"""Publishing to object storage (`s3://bucket/prefix`): the snapshot's objects first, the pointer last.

    s3://bucket/prefix/snapshots/<run_id>/{documents,figures,...}.parquet, report.html, manifest.json
    s3://bucket/prefix/current.json         {"snapshot": "snapshots/<run_id>", ...}: the commit
    s3://bucket/prefix/.tally.publish.lock  while a run publishes (`tally.publish.remote_lock`)

Object storage has no atomic rename and no symlink, so the pointer object is the commit. A run
writes and audits its snapshot locally exactly as a local publish does (the same writer, checks,
manifest and report, in a staging folder under `storage.local_dir(out)`), uploads each of its files
under `snapshots/<run_id>/` with pyarrow (the manifest last), checks every uploaded object's size,
and only then replaces `current.json` in one PUT. A reader follows `current.json`, so it sees the
previous snapshot until that PUT and the new one after it, never a part of one. A run that fails
removes what it uploaded; one that dies before the pointer leaves an orphan `snapshots/<run_id>/`
newer than the pointer, which the next run removes before it starts (`remove_unpublished`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tally.errors import OutFolderError
from tally.publish.remote_lock import still_held
from tally.publish.snapshots import MANIFEST, SNAPSHOTS
from tally.storage import RemotePath, local_dir, s3, url_of

POINTER = "current.json"
STAGE = "stage"  # the local staging out folder, under storage.local_dir(out)

log = logging.getLogger("tally.publish")


def read_pointer(out: Path | str) -> dict[str, Any] | None:
    """The content of `current.json`, or None when nothing was ever published there."""
    fs = s3.filesystem()
    try:
        data = fs.cat_file(f"{s3.key_of(out)}/{POINTER}")
    except FileNotFoundError:
        return None
    pointer: dict[str, Any] = json.loads(data)
    return pointer


def current_run(out: Path | str) -> str | None:
    pointer = read_pointer(out)
    return str(pointer["run_id"]) if pointer else None


def snapshot_ids(out: Path | str) -> list[str]:
    """The run ids that have objects under `snapshots/`, sorted (oldest first: run ids sort by time)."""
    fs = s3.filesystem()
    root = f"{s3.key_of(out)}/{SNAPSHOTS}"
    try:
        entries = fs.ls(root, detail=False, refresh=True)
    except FileNotFoundError:
        return []
    return sorted(e.rstrip("/").rsplit("/", 1)[-1] for e in entries)


def _remove(out: Path | str, run_id: str) -> None:
    fs = s3.filesystem()
    with contextlib.suppress(FileNotFoundError):
        fs.rm(f"{s3.key_of(out)}/{SNAPSHOTS}/{run_id}", recursive=True)


def remove_unpublished(out: Path) -> list[str]:
    """Remove snapshots newer than the pointer (all, when there is none): runs that died or failed
    before their commit. Also the local staging folders of such runs. Call with the lock held."""
    shutil.rmtree(local_dir(out) / STAGE, ignore_errors=True)
    with _step("removing unpublished snapshots of", url_of(out)):
        current = current_run(out)
        removed = [r for r in snapshot_ids(out) if current is None or r > current]
        for run_id in removed:
            _remove(out, run_id)
    return removed


def prune(out: Path, keep: int) -> list[str]:
    """Remove all but the newest `keep` published snapshots (never the current one) and the
    unpublished ones. Call with the lock held."""
    removed = remove_unpublished(out)
    with _step("removing old snapshots of", url_of(out)):
        current = current_run(out)
        kept = [r for r in snapshot_ids(out) if r not in removed]
        for run_id in kept[: max(0, len(kept) - max(1, keep))]:
            if run_id != current:
                _remove(out, run_id)
                removed.append(run_id)
    return removed


def upload(snapshot: Path, out: Path) -> None:
    """Copy every file of the local `snapshot` folder to `snapshots/<name>/` (the manifest last)
    with pyarrow, then check each object's size against the local file."""
    import pyarrow.fs as pafs

    fs = s3.filesystem()
    dest = f"{s3.key_of(out)}/{SNAPSHOTS}/{snapshot.name}"
    files = sorted((p for p in snapshot.iterdir() if p.is_file()), key=lambda p: (p.name == MANIFEST, p.name))
    arrow = s3.arrow_filesystem()
    for path in files:
        with _step("uploading", f"{url_of(out)}/{SNAPSHOTS}/{snapshot.name}/{path.name}"):
            pafs.copy_files(str(path), f"{dest}/{path.name}", source_filesystem=pafs.LocalFileSystem(),
                            destination_filesystem=arrow)
    # the check is not a formality: pyarrow's copy through an fsspec file did not report a PUT
    # refused at close (a missing bucket was seen as a successful upload)
    for path in files:
        with _step("checking", f"{url_of(out)}/{SNAPSHOTS}/{snapshot.name}/{path.name}"):
            size = int(fs.info(f"{dest}/{path.name}", refresh=True)["size"])
            if size != path.stat().st_size:
                raise OSError(f"uploaded {size} bytes of {path.stat().st_size}")


def commit(out: Path, snapshot: Path) -> None:
    """Replace `current.json` with one pointing at `snapshot` (one PUT): the publish is made."""
    manifest = (snapshot / MANIFEST).read_bytes()
    pointer = {"snapshot": f"{SNAPSHOTS}/{snapshot.name}", "run_id": snapshot.name,
               "manifest_sha256": hashlib.sha256(manifest).hexdigest(),
               "committed": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    with _step("writing the pointer", f"{url_of(out)}/{POINTER}"):
        s3.filesystem().pipe_file(f"{s3.key_of(out)}/{POINTER}", json.dumps(pointer, indent=2).encode("utf-8"))


@contextlib.contextmanager
def _step(action: str, url: str) -> Iterator[None]:
    try:
        yield
    except s3.errors() as exc:
        raise OutFolderError(f"{action} `{url}` failed: {s3.cause(exc, url)}") from None


def publish_via(out: Path, run_id: str, keep: int, write_local: Callable[[Path], Path]) -> Path:
    """Publish to the s3 location `out`: `write_local(stage)` publishes locally into a staging out
    folder (returning its snapshot folder), which is uploaded; the pointer is written last, old
    snapshots are pruned. Any failure removes what this run uploaded and leaves the pointer (the
    previous publish) as it was. Returns `out / snapshots / run_id`."""
    stage = local_dir(out) / STAGE
    shutil.rmtree(stage, ignore_errors=True)
    with _step("reading the pointer", f"{url_of(out)}/{POINTER}"):
        before = current_run(out)
    try:
        snapshot = write_local(stage)
        upload(snapshot, out)
        still_held(out)
        commit(out, snapshot)
    except OutFolderError as exc:
        if not discard(out, run_id):
            kept = "the previous publish is still current" if before is not None else "nothing was published"
            raise OutFolderError(f"cannot publish to `{url_of(out)}`: {exc}; {kept}") from None
        log.warning("`%s`: %s, but the pointer names this run: published", url_of(out), exc)
    except BaseException:
        discard(out, run_id)
        raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    try:
        prune(out, keep)
    except OutFolderError as exc:  # published; old snapshots stay until the next run
        log.warning("published, but removing old snapshots of `%s` failed: %s", url_of(out), exc)
    return RemotePath(url_of(out)) / SNAPSHOTS / run_id


def discard(out: Path, run_id: str) -> bool:
    """Remove what a failed run uploaded, unless the pointer names it (a PUT of the pointer that
    reported an error after the store applied it): True then, the publish is made."""
    with contextlib.suppress(*s3.errors()):
        if current_run(out) == run_id:
            return True
        _remove(out, run_id)
    return False
