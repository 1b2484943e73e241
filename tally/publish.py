"""Write validated frames to the out folder as parquet, each file replaced atomically."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import polars as pl

from tally import __version__
from tally.contract import SCHEMA_VERSION
from tally.errors import OutFolderError


def parquet_metadata(dataset: str) -> dict[str, str]:
    return {"tally.dataset": dataset, "tally.schema_version": SCHEMA_VERSION, "tally.version": __version__}


def publish(out: Path, frames: dict[str, pl.DataFrame]) -> list[Path]:
    """Write every frame to `out/<name>.parquet`.

    All files are first written to a staging folder inside `out`; only when all of them are
    written are they moved into place with `os.replace`, so a reader never sees a partly written
    file and a failure while writing leaves the previous files untouched.
    """
    try:
        out.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    except OSError as exc:
        raise OutFolderError(f"cannot write to out folder `{out}`: {exc.strerror or exc}; "
                             "pass --out with a folder you can write to") from None
    try:
        staged = []
        for name, frame in frames.items():
            path = staging / f"{name}.parquet"
            frame.write_parquet(path, compression="zstd", statistics=True, metadata=parquet_metadata(name))
            with open(path, "rb") as fh:
                os.fsync(fh.fileno())
            staged.append((path, out / f"{name}.parquet"))
        written = []
        for src, dst in staged:
            os.replace(src, dst)
            written.append(dst)
        return written
    finally:
        shutil.rmtree(staging, ignore_errors=True)
