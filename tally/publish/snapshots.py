"""Versioned publishes in the out folder: write a snapshot, then switch `current` atomically.

    <out>/snapshots/<run_id>/{documents,figures,...}.parquet, manifest.json   one per publish
    <out>/current -> snapshots/<run_id>                                       swapped with os.replace
    <out>/<dataset>.parquet -> current/<dataset>.parquet                      stable read paths
    <out>/manifest.json -> current/manifest.json

A reader that opens a stable path sees the whole previous publish or the whole new one: the new
snapshot is complete (files fsynced, folder renamed into place) before `current` moves.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import polars as pl

SNAPSHOTS = "snapshots"
CURRENT = "current"
STAGING_PREFIX = ".staging-"
MANIFEST = "manifest.json"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_snapshot(out: Path, run_id: str, frames: dict[str, pl.DataFrame], metadata: dict[str, str],
                   manifest: dict[str, Any]) -> Path:
    """Write every frame and the manifest into a staging folder, then rename it to
    snapshots/<run_id>. Returns the snapshot folder. `manifest["datasets"]` is filled in here."""
    root = out / SNAPSHOTS
    root.mkdir(parents=True, exist_ok=True)
    staging = root / f"{STAGING_PREFIX}{run_id}"
    staging.mkdir()
    datasets = {}
    for name, frame in frames.items():
        path = staging / f"{name}.parquet"
        frame.write_parquet(path, compression="zstd", statistics=True,
                            metadata={**metadata, "tally.dataset": name})
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
        datasets[name] = {"file": path.name, "rows": frame.height, "sha256": sha256_file(path),
                          "columns": {c: str(t) for c, t in frame.schema.items()}}
    manifest = {**manifest, "datasets": datasets}
    with open(staging / MANIFEST, "w", encoding="utf-8") as fh:
        json.dump(manifest, fh, indent=2, ensure_ascii=False, default=str)
        fh.flush()
        os.fsync(fh.fileno())
    _fsync_dir(staging)
    final = root / run_id
    os.rename(staging, final)
    _fsync_dir(root)
    return final


def switch_current(out: Path, snapshot: Path, names: list[str]) -> None:
    """Point `current` at `snapshot` in one os.replace, then make sure the stable links exist."""
    tmp = out / f".{CURRENT}-{snapshot.name}"
    with contextlib.suppress(FileNotFoundError):
        tmp.unlink()
    tmp.symlink_to(Path(SNAPSHOTS) / snapshot.name, target_is_directory=True)
    os.replace(tmp, out / CURRENT)
    _fsync_dir(out)
    for name in [*(f"{n}.parquet" for n in names), MANIFEST]:
        link = out / name
        target = Path(CURRENT) / name
        if link.is_symlink() and os.readlink(link) == str(target):
            continue
        tmp_link = out / f".{name}.link"
        with contextlib.suppress(FileNotFoundError):
            tmp_link.unlink()
        tmp_link.symlink_to(target)
        os.replace(tmp_link, link)  # also replaces a plain file left by tally 0.1
    _fsync_dir(out)


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
    return json.loads((snap / MANIFEST).read_text(encoding="utf-8"))


def prune(out: Path, keep: int) -> list[str]:
    """Remove all but the newest `keep` snapshots (never the current one) and leftover staging
    folders of runs that died. Call with the out folder's lock held."""
    root = out / SNAPSHOTS
    if not root.is_dir():
        return []
    current = current_snapshot(out)
    removed = []
    for d in root.iterdir():
        if d.name.startswith(STAGING_PREFIX):
            shutil.rmtree(d, ignore_errors=True)
            removed.append(d.name)
    snaps = sorted((d for d in root.iterdir() if d.is_dir() and not d.name.startswith(".")), key=lambda d: d.name)
    for d in snaps[: max(0, len(snaps) - max(1, keep))]:
        if current is not None and d.resolve() == current.resolve():
            continue
        shutil.rmtree(d, ignore_errors=True)
        removed.append(d.name)
    return removed
