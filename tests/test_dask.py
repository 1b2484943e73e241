"""The Prefect runner streams, and goes beyond one machine (issue 13, items 1 and 5): the `curate`
flow runs each batch as a task of its task runner (a pool of processes by default, Dask with
`--task-runner dask`) and publishes exactly the rows, manifest and ledger of the local runner,
with files of the same bytes in different batches; a Dask scheduler the test starts on 127.0.0.1
(two worker processes) runs the batches of `tally run --task-runner dask --dask-address`, and a
LocalCluster the runner makes runs them without an address. A missing extra and an unreachable or
empty scheduler are usage errors (exit 2) that say what to do, before Prefect starts.

The Prefect runner runs in-process on Prefect's ephemeral server (offline; conftest.py)."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from tally.cli import app
from tally.pipeline import BATCH, Summary, run
from tally.settings import Settings
from tally.vocabulary import Dataset
from tests.conftest import MEASUREMENTS
from tests.helpers import edited_samples

distributed = pytest.importorskip("distributed", reason="the `dask` extra (in `test`) is not installed")

runner = CliRunner()


@pytest.fixture(scope="module")
def many(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three batches: the sample texts, each edited; a copy of a first-batch file in the last batch
    (same bytes: published once, under the first); an empty file and a binary one."""
    raw = edited_samples(raw_dir, tmp_path_factory.mktemp("dask") / "raw", 2 * BATCH + 10)
    shutil.copy(raw / "doc-003.txt", raw / "zz-copy-of-003.txt")
    (raw / "empty.txt").write_text("", encoding="utf-8")
    (raw / "notes.bin").write_bytes(b"\x00\x01binary")
    return raw


@pytest.fixture(scope="module")
def local(many: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Summary]:
    """The local runner, one process: the rows every other runner must publish."""
    out = tmp_path_factory.mktemp("local") / "out"
    return out, run(Settings(raw=many, out=out, workers=1), use_cache=False)


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two worker processes, one thread each, on 127.0.0.1: a cluster that is not the runner's."""
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0") as c:
        yield c


def _rows(out: Path) -> dict[str, pl.DataFrame]:
    """Every published dataset, sorted (run ids and times are not in the rows)."""
    frames = {}
    for d in Dataset:
        frame = pl.read_parquet(out / f"{d}.parquet")
        frames[str(d)] = frame.sort(frame.columns, nulls_last=True) if frame.height else frame
    return frames


def _manifest(out: Path) -> dict[str, object]:
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {k: m[k] for k in ("inputs", "validation", "ledger")} | {
        "rows": {n: d["rows"] for n, d in m["datasets"].items()}, "files": sorted(m.get("files", {}))}


def _same_as_local(local: tuple[Path, Summary], out: Path, summary: Summary | None = None) -> None:
    want_out, want = local
    a, b = _rows(want_out), _rows(out)
    for name in a:
        assert a[name].equals(b[name]), name
    assert _manifest(want_out) == _manifest(out)
    assert (out / "report.html").is_file()  # the review report, in the snapshot
    if summary is None:
        return
    assert (summary.documents, summary.figures, summary.rejected, summary.skipped, summary.checks, summary.by_kind) == (
        want.documents, want.figures, want.rejected, want.skipped, want.checks, want.by_kind)
    assert ("zz-copy-of-003.txt", "same bytes as `doc-003.txt`: its figures are published once, under that file") \
        in summary.rejected
    assert summary.report and Path(summary.report).is_file()  # report.html in the snapshot


def _timed(name: str, t0: float) -> float:
    seconds = time.monotonic() - t0
    MEASUREMENTS.append(f"{name}: {seconds:.1f} s")
    return seconds


def _embedded_servers() -> set[int]:
    """Prefect embedded servers (uvicorn serving prefect.server) among this process's descendants."""
    parent: dict[int, int] = {}
    servers: set[int] = set()
    for d in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{d}/stat").read_text(encoding="ascii", errors="replace")
            cmd = Path(f"/proc/{d}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        parent[int(d)] = int(stat.rsplit(")", 1)[1].split()[1])
        if b"uvicorn" in cmd and any(b"prefect.server" in c for c in cmd):
            servers.add(int(d))

    def descends(pid: int) -> bool:
        while pid > 1:
            pid = parent.get(pid, 0)
            if pid == os.getpid():
                return True
        return False

    return {pid for pid in servers if descends(pid)}


@contextlib.contextmanager
def servers_seen() -> Iterator[set[int]]:
    """The embedded servers that ran under this process while the block ran (sampled every 50 ms)."""
    seen: set[int] = set()
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            seen.update(_embedded_servers())

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    try:
        yield seen
    finally:
        done.set()
        t.join()


def test_the_flow_runs_batches_as_tasks_of_a_process_pool_and_publishes_the_local_rows(
        many: Path, local: tuple[Path, Summary], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """...in batches of 10 here (12 batches; the same rows as the local runner's batches of 50), on
    one embedded server (the pool's processes each started one of their own, migrations included,
    until the flow passed its URL on: 8 s of a 33 s run at 10 MB), holding a window of batches and
    not every batch done (each taken result waited in a reference cycle for Python's collector:
    the flow process grew by a batch's rows per batch)."""
    from tally import pipeline, stream
    from tally.flows.curate import run_flow

    real_batches, real_add = pipeline.batches, stream.Totals.add
    alive: list[int] = []

    def add(self: stream.Totals, r: stream.BatchResult) -> None:
        real_add(self, r)
        alive.append(sum(isinstance(o, stream.BatchResult) for o in gc.get_objects()))  # no collection here

    monkeypatch.setattr(pipeline, "batches", lambda paths: real_batches(paths, 10))
    monkeypatch.setattr(stream.Totals, "add", add)
    t0 = time.monotonic()
    with servers_seen() as servers:
        summary = run_flow(Settings(raw=many, out=tmp_path / "out", workers=2))
    _timed("Prefect runner, default task runner (2 processes), 12 batches", t0)
    _same_as_local(local, tmp_path / "out", summary)
    assert len(servers) <= 1, f"{len(servers)} embedded servers ran: the task processes started their own"
    assert len(alive) == 12 and max(alive) <= 2 * 2 + 2, alive  # the window (2 per worker), this one, the last


def test_the_flow_writes_each_batch_before_it_computes_the_next(many: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The flow holds a batch at a time: with one worker, batch n's rows are appended to the staging
    snapshot before batch n + 1 is read."""
    from tally import stream
    from tally.flows.curate import run_flow
    from tally.publish import parts

    events: list[str] = []
    real_batch, real_append = stream.curate_batch, parts.SnapshotWriter.append

    def batch(paths: list[Path], *args: Any, **kwargs: Any) -> stream.BatchResult:
        events.append("batch")
        return real_batch(paths, *args, **kwargs)

    def append(self: parts.SnapshotWriter, name: str, frame: pl.DataFrame) -> None:
        if name == "documents":
            events.append("append")
        real_append(self, name, frame)

    monkeypatch.setattr(stream, "curate_batch", batch)
    monkeypatch.setattr(parts.SnapshotWriter, "append", append)
    run_flow(Settings(raw=many, out=tmp_path / "out", workers=1))
    assert events == ["batch", "append"] * 3


def test_dask_at_an_address_runs_the_batches_on_its_workers(many: Path, local: tuple[Path, Summary], cluster: Any,
                                                            tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")  # what the CLI sets, undone after
    out = tmp_path / "out"
    t0 = time.monotonic()
    result = runner.invoke(app, ["run", "--raw", str(many), "--out", str(out), "--task-runner", "dask",
                                 "--dask-address", cluster.scheduler_address])
    seconds = _timed("tally run --task-runner dask --dask-address (2 workers), 3 batches", t0)
    assert result.exit_code == 3, result.output  # published; the copy and the empty file rejected
    ran = cluster.scheduler.task_prefixes.get("batch_task")  # the tasks the cluster's scheduler handed out
    assert ran is not None and sum(ran.state_counts.values()) >= 2, sorted(cluster.scheduler.task_prefixes)
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["ledger"]["raw_files_seen"] == 2 * BATCH + 13
    _same_as_local(local, out)
    assert seconds < 60


def test_dask_without_an_address_makes_a_local_cluster_of_workers(many: Path, local: tuple[Path, Summary],
                                                                  tmp_path: Path) -> None:
    from tally.flows.curate import run_flow

    t0 = time.monotonic()
    summary = run_flow(Settings(raw=many, out=tmp_path / "out", workers=2), task_runner="dask")
    assert _timed("Prefect runner, --task-runner dask, LocalCluster of 2 made by the runner", t0) < 60
    _same_as_local(local, tmp_path / "out", summary)


def test_an_unreachable_scheduler_is_a_usage_error_before_prefect(many: Path, tmp_path: Path) -> None:
    address = "tcp://127.0.0.1:1"
    t0 = time.monotonic()
    result = runner.invoke(app, ["run", "--raw", str(many), "--out", str(tmp_path / "out"), "--task-runner", "dask",
                                 "--dask-address", address])
    assert result.exit_code == 2
    assert " ".join(result.output.split()).endswith(
        f"Error: Invalid value for --dask-address: cannot reach a Dask scheduler at {address} (connection refused): "
        "start one with `dask scheduler` and workers with `dask worker ADDRESS`, or check the address (e.g. "
        "tcp://host:8786); or leave out --dask-address to run on a local cluster of --workers processes"), result.output
    assert not (tmp_path / "out").exists()
    assert time.monotonic() - t0 < 10  # no Prefect server was started for it


def test_a_scheduler_without_workers_is_a_usage_error(many: Path, tmp_path: Path) -> None:
    with distributed.LocalCluster(n_workers=0, processes=True, host="127.0.0.1", dashboard_address=":0") as empty:
        result = runner.invoke(app, ["run", "--raw", str(many), "--out", str(tmp_path / "out"), "--task-runner",
                                     "dask", "--dask-address", empty.scheduler_address])
    assert result.exit_code == 2
    assert (f"the Dask scheduler at {empty.scheduler_address} has no workers: start some with `dask worker "
            f"{empty.scheduler_address}`") in " ".join(result.output.split()), result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("args", "expected"), [
    (["--task-runner", "dask"], "Invalid value for --task-runner: dask needs prefect-dask and dask's distributed, and "
                                "`prefect-dask` is not installed: install the `dask` extra, e.g. pip install 'tally[dask]'"),
    (["--no-prefect", "--task-runner", "dask"], "Invalid value for --task-runner: dask runs the Prefect flow's batches: "
                                                "leave out --no-prefect"),
    (["--dask-address", "tcp://127.0.0.1:8786"], "Invalid value for --dask-address: it is for --task-runner dask: pass both"),
], ids=["extra missing", "no prefect", "address without dask"])
def test_runner_options_misused_are_usage_errors(args: list[str], expected: str, many: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    if "not installed" in expected:  # the extra is missing
        monkeypatch.setitem(sys.modules, "prefect_dask", None)  # find_spec then finds nothing
    result = runner.invoke(app, ["run", "--raw", str(many), "--out", str(tmp_path / "out"), *args])
    assert result.exit_code == 2
    assert " ".join(result.output.split()).endswith(f"Error: {expected}"), result.output
    assert not (tmp_path / "out").exists()


def test_importing_the_cli_and_the_dask_module_imports_no_dask(tmp_path: Path) -> None:
    code = ("import sys, tally, tally.cli, tally.flows, tally.flows.dask\n"
            "assert not {'dask', 'distributed', 'prefect_dask', 'prefect'} & set(sys.modules), 'imported'\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("runner_name", ["prefect", "local"])
def test_a_publish_that_fails_between_batches_leaves_nothing_behind(many: Path, tmp_path: Path, runner_name: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A write error raised while the batch loop is paused (between two batches) left the loop's
    generator open: the collector frozen in the flow's process and the batch results alive after
    the run had failed (adversarial review); the local runner's pool is shut down as well."""
    import errno
    import multiprocessing

    import pyarrow.parquet as pq

    from tally import stream
    from tally.errors import OutFolderError
    from tally.flows.curate import run_flow
    from tally.publish import parts

    def full(self: pq.ParquetWriter, table: Any, *args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(parts, "ROW_GROUP", 100)  # a row group in the first batch, while the loop waits
    monkeypatch.setattr(pq.ParquetWriter, "write_table", full)
    def results() -> set[int]:
        gc.collect()
        return {id(o) for o in gc.get_objects() if isinstance(o, stream.BatchResult)}

    earlier = results()  # other tests' (a Dask client of this module's cluster may hold one)
    children = set(multiprocessing.active_children())  # this module's Dask cluster's
    settings = Settings(raw=many, out=tmp_path / "out", workers=2, report=False)
    with pytest.raises(OutFolderError, match="No space left on device"):
        run_flow(settings) if runner_name == "prefect" else run(settings)
    assert gc.get_freeze_count() == 0
    assert not results() - earlier
    assert set(multiprocessing.active_children()) <= children
    assert not (tmp_path / "out" / "current").exists()
