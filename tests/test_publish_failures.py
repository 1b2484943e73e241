"""I/O failures while publishing, and what a failed publish leaves (issue 12, items 3 and 6): one
line naming the path and the cause, exit 2, nothing of the failed run left, the previous publish
intact and served; a snapshot never switched to is removed; a `current` that is not a link is one
clear error."""

from __future__ import annotations

import errno
import logging
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from tally import pipeline
from tally.cli import app
from tally.errors import OutFolderError
from tally.pipeline import curate_frames, read_batch
from tally.publish import publish
from tally.publish import snapshots as snapshots_module
from tally.publish.audit import Curated
from tally.read.files import RawDocument
from tests.conftest import MEASUREMENTS
from tests.helpers import break_candidates, run_local
from tests.test_publish import assert_matches_manifest

ERRNOS = [errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EMFILE, errno.EIO]
SYSCALLS = {"makedirs", "mkdir", "open", "write", "read", "fsync", "close", "rename", "replace", "symlink", "unlink"}
RUN = "20261122T000000.000000Z-failed"
ROOT = Path(__file__).resolve().parents[1]


def cause(code: int) -> str:
    return f"{os.strerror(code)} ({errno.errorcode[code]})"


class FaultyOS:
    """`os` for tally.publish.snapshots, failing its `fail_at`-th call (1-based) with `error`."""

    def __init__(self, fail_at: int | None = None, error: OSError | None = None,
                 only: Callable[[str, tuple[Any, ...]], bool] | None = None) -> None:
        self.fail_at, self.error, self.only = fail_at, error, only
        self.calls: list[tuple[str, str]] = []

    def __getattr__(self, name: str) -> Any:
        real = getattr(os, name)
        if name not in SYSCALLS:
            return real

        def call(*args: Any, **kwargs: Any) -> Any:
            if self.only is None or self.only(name, args):
                self.calls.append((name, str(args[0]) if args and isinstance(args[0], (str, Path)) else ""))
                if len(self.calls) == self.fail_at:
                    assert self.error is not None
                    raise self.error
            return real(*args, **kwargs)

        return call


@pytest.fixture(scope="module")
def corpus(raw_dir: Path) -> tuple[list[RawDocument], Curated]:
    docs = read_batch(sorted(raw_dir.glob("*.txt")), raw_dir)
    return docs, curate_frames(docs)


def _left(out: Path) -> list[str]:
    """What is in the out folder besides the lock, the cache and the published names."""
    return sorted(p.name for p in out.iterdir() if p.name not in (".tally.publish.lock", ".cache"))


def test_an_io_error_at_each_step_of_a_publish(corpus: tuple[list[RawDocument], Curated], raw_dir: Path,
                                                tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                caplog: pytest.LogCaptureFixture) -> None:
    """Every os call of a publish fails in turn (ENOSPC, EDQUOT, EROFS, EMFILE, EIO): before the
    switch of `current` it is one OutFolderError and nothing of the run is left; after it (the
    flush of the out folder) the publish stands."""
    docs, curated = corpus
    out = tmp_path / "out"
    publish(out, "20261122T000000.000000Z-first", raw_dir, docs, curated)
    before = os.readlink(out / "current")
    names = _left(out)
    recorder = FaultyOS()
    monkeypatch.setattr(snapshots_module, "os", recorder)
    publish(out, "20261122T000000.000001Z-recorded", raw_dir, docs, curated, keep=1)
    calls = list(recorder.calls)
    switch = max(i for i, (name, path) in enumerate(calls) if name == "replace" and path.endswith(".current.link"))
    monkeypatch.setattr(snapshots_module, "os", os)
    publish(out, "20261122T000000.000002Z-first", raw_dir, docs, curated, keep=1)
    before = os.readlink(out / "current")
    failed = 0
    for k, (name, _) in enumerate(calls, start=1):
        code = ERRNOS[k % len(ERRNOS)]
        monkeypatch.setattr(snapshots_module, "os", FaultyOS(k, OSError(code, os.strerror(code))))
        run_id = f"20261122T000001.{k:06d}Z-fail"
        if k - 1 <= switch:
            with pytest.raises(OutFolderError) as info:
                publish(out, run_id, raw_dir, docs, curated, keep=1)
            message = str(info.value)
            assert re.fullmatch(rf"cannot publish to `{re.escape(str(out))}`: [a-z ]+ `{re.escape(str(out))}[^`]*` failed: "
                                rf"{re.escape(cause(code))}; the previous publish is still in place", message), (k, name, message)
            assert "\n" not in message
            assert os.readlink(out / "current") == before, (k, name)
            assert _left(out) == names and sorted(p.name for p in (out / "snapshots").iterdir()) == [before.split("/")[1]], k
            failed += 1
        else:  # after the switch: published, the flush failure is a warning
            caplog.clear()
            publish(out, run_id, raw_dir, docs, curated, keep=1)
            assert os.readlink(out / "current") == f"snapshots/{run_id}"
            assert [r.getMessage() for r in caplog.records if r.name == "tally.publish"] == [
                f"published, but syncing `{out}` failed: {cause(code)}"]
            monkeypatch.setattr(snapshots_module, "os", os)
            publish(out, "20261122T000002.000000Z-again", raw_dir, docs, curated, keep=1)  # back to a known state
            before = os.readlink(out / "current")
        monkeypatch.setattr(snapshots_module, "os", os)
        assert_matches_manifest(out)
    MEASUREMENTS.append(f"publish I/O faults: {len(calls)} os calls failed in turn, {failed} before the switch")
    assert failed == switch + 1 and len(calls) - failed == 3  # the flush after the switch: open, fsync, close


@pytest.mark.parametrize(("where", "expected"), [
    ("mkdir", "creating folder `{out}/snapshots/.staging-{run}` failed: {cause}"),
    ("manifest", "writing `{out}/snapshots/.staging-{run}/manifest.json` failed: {cause}"),
    ("rename", "renaming to `{out}/snapshots/{run}` failed: {cause}"),
    ("switch", "linking `{out}/current` failed: {cause}"),
])
def test_the_message_names_the_step_the_path_and_the_cause(corpus: tuple[list[RawDocument], Curated], raw_dir: Path,
                                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           where: str, expected: str) -> None:
    docs, curated = corpus
    out = tmp_path / "out"
    publish(out, "20261122T000000.000000Z-first", raw_dir, docs, curated)
    pick = {
        "mkdir": lambda name, args: name == "mkdir",
        "manifest": lambda name, args: name == "open" and str(args[0]).endswith("manifest.json") and args[1] & os.O_CREAT,
        "rename": lambda name, args: name == "rename",
        "switch": lambda name, args: name == "replace" and str(args[0]).endswith(".current.link"),
    }[where]
    monkeypatch.setattr(snapshots_module, "os", FaultyOS(1, OSError(errno.EDQUOT, os.strerror(errno.EDQUOT)), pick))
    with pytest.raises(OutFolderError) as info:
        publish(out, RUN, raw_dir, docs, curated)
    assert str(info.value) == (f"cannot publish to `{out}`: " + expected.format(out=out, run=RUN, cause=cause(errno.EDQUOT))
                               + "; the previous publish is still in place")
    assert sorted(p.name for p in (out / "snapshots").iterdir()) == ["20261122T000000.000000Z-first"]


def _disk_full_on(dataset: str, monkeypatch: pytest.MonkeyPatch, times: int = 1) -> list[int]:
    """Polars' write of `dataset`'s file fails `times` times as on a full disk (a ComputeError),
    and so does pyarrow's (an OSError), with which the batched runner writes."""
    real = pl.DataFrame.write_parquet
    failures = [0]

    def write(self: pl.DataFrame, target: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(target, Path) and target.name == f"{dataset}.parquet" and failures[0] < times:
            failures[0] += 1
            with open(target, "wb") as fh:
                fh.write(b"PAR1 partial")  # polars leaves what it wrote
            raise pl.exceptions.ComputeError("parquet: File out of specification: underlying IO error: "
                                             "No space left on device (os error 28)")
        real(self, target, *args, **kwargs)

    real_table = pq.ParquetWriter.write_table

    def write_table(self: pq.ParquetWriter, table: Any, *args: Any, **kwargs: Any) -> None:  # the batched runner's
        if Path(self.where).name == f"{dataset}.parquet" and failures[0] < times:
            failures[0] += 1
            raise OSError(errno.ENOSPC, "Error writing bytes to file. Detail: [errno 28] No space left on device")
        real_table(self, table, *args, **kwargs)

    monkeypatch.setattr(pl.DataFrame, "write_parquet", write)
    monkeypatch.setattr(pq.ParquetWriter, "write_table", write_table)
    return failures


def test_disk_full_from_polars_is_one_line_and_exit_2(raw_dir: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The reproduction: polars reports ENOSPC as ComputeError: a traceback and exit 1, and the
    partial file and the staging folder stayed."""
    out = tmp_path / "out"
    first = run_local(raw_dir, out)
    _disk_full_on("figures", monkeypatch)
    monkeypatch.setattr(pipeline, "new_run_id", lambda: RUN)
    result = CliRunner().invoke(app, ["run", "--no-prefect", "--raw", str(raw_dir), "--out", str(out)])
    assert result.exit_code == 2
    assert result.output == (f"tally: cannot publish to `{out}`: writing `{out}/snapshots/.staging-{RUN}/figures.parquet` "
                             f"failed: No space left on device (ENOSPC); the previous publish is still in place\n")
    assert os.readlink(out / "current") == f"snapshots/{first.run_id}"
    assert sorted(p.name for p in (out / "snapshots").iterdir()) == [first.run_id]
    assert_matches_manifest(out)


def test_a_real_file_size_limit_from_polars(raw_dir: Path, tmp_path: Path) -> None:
    """No injection: the kernel refuses writes past RLIMIT_FSIZE (EFBIG) while polars writes the
    snapshot, in a `tally run` of its own."""
    out = tmp_path / "out"
    first = run_local(raw_dir, out)  # the previous publish, and a warm cache: the limited run writes no cache
    script = ("import resource, signal, sys\n"
              "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
              "resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))\n"
              "from tally.cli import main\n"
              "sys.argv = ['tally', 'run', '--no-prefect', '--raw', sys.argv[1], '--out', sys.argv[2]]\n"
              "main()\n")
    proc = subprocess.run([sys.executable, "-c", script, str(raw_dir), str(out)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 2, proc.stderr
    assert re.fullmatch(rf"tally: cannot publish to `{re.escape(str(out))}`: writing `{re.escape(str(out))}/snapshots/"
                        r"\.staging-[0-9T.]+Z-[0-9a-f]{6}/documents\.parquet` failed: File too large \(EFBIG\); "
                        r"the previous publish is still in place\n", proc.stderr), proc.stderr
    assert proc.stdout == ""
    assert sorted(p.name for p in (out / "snapshots").iterdir()) == [first.run_id]
    assert_matches_manifest(out)


def test_a_retried_publish_uses_a_fresh_staging_folder(raw_dir: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The reproduction: under Prefect the publish retry reused the run id, failed on
    `staging.mkdir` with "File exists" and hid the real cause."""
    from tally.flows.curate import run_flow
    from tally.settings import Settings

    ids: list[str] = []
    left_at_retry: list[str] = []
    real_new = pipeline.new_run_id
    out = tmp_path / "out"

    def new_run_id() -> str:
        if ids:  # the retry: what did the failed attempt leave?
            left_at_retry.extend(p.name for p in (out / "snapshots").iterdir())
        ids.append(real_new())
        return ids[-1]

    monkeypatch.setattr(pipeline, "new_run_id", new_run_id)
    failures = _disk_full_on("metrics", monkeypatch)
    summary = run_flow(Settings(raw=raw_dir, out=out))
    assert failures == [1] and len(ids) == 2 and ids[0] != ids[1]
    assert left_at_retry == []  # the failed attempt's staging folder was removed before the retry
    assert summary.run_id == ids[1] and os.readlink(out / "current") == f"snapshots/{ids[1]}"
    assert sorted(p.name for p in (out / "snapshots").iterdir()) == [ids[1]]
    assert_matches_manifest(out)


def test_a_snapshot_never_switched_to_is_removed_by_the_next_run(corpus: tuple[list[RawDocument], Curated],
                                                                 raw_dir: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The reproduction: the switch of `current` failed (out folder not writable, inodes
    exhausted) and a complete snapshot newer than `current` stayed, looking like a publish."""
    docs, curated = corpus
    out = tmp_path / "out"
    first = run_local(raw_dir, out)
    monkeypatch.setattr(snapshots_module, "os", FaultyOS(1, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)),
                                                         lambda name, args: name == "symlink"))
    monkeypatch.setattr(snapshots_module, "discard", lambda out, run_id: None)  # as if the run died there
    import tally.publish as publish_module

    monkeypatch.setattr(publish_module, "discard", lambda out, run_id: None)
    run_id = publish_module.new_run_id()  # run ids sort by time: newer than `current`, never switched to
    with pytest.raises(OutFolderError):
        publish(out, run_id, raw_dir, docs, curated)
    assert sorted(p.name for p in (out / "snapshots").iterdir()) == [first.run_id, run_id]
    monkeypatch.undo()
    break_candidates(monkeypatch, lambda f: f.drop("head"))  # the next run fails its audit ...
    with pytest.raises(Exception, match="failed validation"):
        run_local(raw_dir, out)
    assert sorted(p.name for p in (out / "snapshots").iterdir()) == [first.run_id]  # ... and still removes it
    assert os.readlink(out / "current") == f"snapshots/{first.run_id}"
    assert_matches_manifest(out)


@pytest.mark.parametrize("kind", ["directory", "file"])
def test_a_current_that_is_not_a_link_is_one_clear_error(raw_dir: Path, tmp_path: Path, kind: str) -> None:
    """The reproduction: with `current` replaced by a real directory every run exited 2 and
    added another snapshot."""
    out = tmp_path / "out"
    first = run_local(raw_dir, out)
    (out / "current").unlink()
    if kind == "directory":
        (out / "current").mkdir()
        (out / "current" / "figures.parquet").write_bytes(b"someone's copy")
    else:
        (out / "current").write_text("snapshots/x", encoding="utf-8")
    for _ in range(2):
        result = CliRunner().invoke(app, ["run", "--no-prefect", "--raw", str(raw_dir), "--out", str(out)])
        assert result.exit_code == 2
        assert result.output == f"tally: `{out}/current` is a {kind}, not a link: move it away and run again\n"
        assert sorted(p.name for p in (out / "snapshots").iterdir()) == [first.run_id]
    (out / "current").rename(tmp_path / "moved")  # the repair the message asks for
    second = run_local(raw_dir, out)
    assert os.readlink(out / "current") == f"snapshots/{second.run_id}"
    assert_matches_manifest(out)


def test_a_failed_prune_after_a_publish_is_a_warning(raw_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    import tally.publish as publish_module

    out = tmp_path / "out"
    run_local(raw_dir, out)

    def prune(out: Path, keep: int) -> list[str]:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(publish_module, "prune", prune)
    caplog.set_level(logging.WARNING, logger="tally.publish")
    second = run_local(raw_dir, out)
    assert os.readlink(out / "current") == f"snapshots/{second.run_id}"
    assert [r.getMessage() for r in caplog.records if r.name == "tally.publish"] == [
        f"published, but removing old snapshots of `{out}` failed: {cause(errno.EIO)}"]
