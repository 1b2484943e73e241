"""A real Prefect server on 127.0.0.1 (one for the module, with its own PREFECT_HOME): the server's
scheduler creates and runs the flow runs of `tally serve`; `tally serve` registers its schedule,
refuses a deployment name that is taken and stops cleanly on SIGINT and SIGTERM; `prefect.yaml`
deploys to a process work pool whose worker runs the flow.

Every process is stopped in `finally` (SIGTERM or SIGINT, then SIGKILL after a time-out), `tally
serve` before the server. Timings go to the run's summary (`measurements`)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from tests.conftest import MEASUREMENTS, ROOT

BIN = Path(sys.executable).parent
SCHEDULED_WITHIN = 150.0  # seconds for the server to schedule, and the runner to complete, a first run


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tail(path: Path, lines: int = 40) -> str:
    text = path.read_text(errors="replace") if path.exists() else "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 30) -> int:
    """Send `sig`, wait up to `timeout` s, then SIGKILL. Returns the exit code."""
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    return proc.returncode


@dataclass
class Server:
    api: str
    env: dict[str, str]  # the clients' environment: PREFECT_API_URL set to this server
    log: Path

    def call(self, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.api}{path}", data=data, headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as r:
            return json.loads(r.read())

    def deployment(self, name: str) -> dict[str, Any] | None:
        try:
            found: dict[str, Any] = self.call(f"/deployments/name/curate/{name}")
            return found
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise

    def runs(self, deployment_id: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.call("/flow_runs/filter", {"flow_runs": {"deployment_id": {"any_": [deployment_id]}}})
        return found

    def wait_for(self, what: str, get: Callable[[], Any], timeout: float, *logs: Path) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (found := get()) is not None:
                return found
            time.sleep(1)
        tails = "\n".join(f"--- {p.name}:\n{_tail(p)}" for p in (self.log, *logs))
        raise AssertionError(f"{what}: not within {timeout:g} s\n{tails}")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("prefect-server")
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {"PREFECT_HOME": str(root / "home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
            "PREFECT_UI_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "WARNING"}
    (root / "home").mkdir()
    log = root / "server.log"
    t0 = time.monotonic()
    with log.open("wb") as sink:
        proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                                env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while True:
            assert proc.poll() is None, f"prefect server exited with {proc.returncode}:\n{_tail(log)}"
            try:
                with urllib.request.urlopen(f"{api}/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"prefect server not healthy within 180 s:\n{_tail(log)}"
            time.sleep(0.5)
        MEASUREMENTS.append(f"prefect server start, healthy after: {time.monotonic() - t0:.1f} s")
        yield Server(api, env | {"PREFECT_API_URL": api}, log)
    finally:
        _stop(proc)
        log_text = log.read_text(errors="replace")
    # The scheduler's failure with SQLAlchemy 2.1 (README, "Stack notes") shows only in the log.
    assert "InvalidRequestError" not in log_text and "Traceback" not in log_text, _tail(log, 80)


def _serve(server: Server, tmp_path: Path, label: str, *args: str) -> tuple[subprocess.Popen[bytes], Path, Path]:
    out, err = tmp_path / f"{label}.out", tmp_path / f"{label}.err"
    with out.open("wb") as o, err.open("wb") as e:
        proc = subprocess.Popen([str(BIN / "tally"), "serve", *args], env=server.env, cwd=tmp_path, stdout=o, stderr=e,
                                stdin=subprocess.DEVNULL)
    return proc, out, err


def _tally(server: Server, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "tally"), *args], env=server.env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)


def _refused(proc: subprocess.CompletedProcess[str], message: str) -> None:
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", f"tally: {message}\n"), proc.stderr[-3000:]


def test_the_server_schedules_and_runs_a_served_flow(server: Server, raw_dir: Path, tmp_path: Path) -> None:
    """The server's own scheduler creates the runs (the test creates none); the runner of `tally
    serve` runs them; the first one completes and publishes. Then SIGTERM stops serve cleanly."""
    out, name = tmp_path / "curated", "tally-scheduled"
    t0 = time.monotonic()
    serve, serve_out, serve_err = _serve(server, tmp_path, "serve", "--interval", "10", "--name", name,
                                         "--raw", str(raw_dir), "--out", str(out), "--keep", "20")
    try:
        deployment = server.wait_for("tally serve registered its deployment", lambda: server.deployment(name), 60,
                                     serve_out, serve_err)
        registered = time.monotonic() - t0

        def completed() -> dict[str, Any] | None:
            assert serve.poll() is None, f"tally serve exited with {serve.returncode}:\n{_tail(serve_err)}"
            done = [r for r in server.runs(deployment["id"]) if r["state_type"] == "COMPLETED"]
            return min(done, key=lambda r: r["expected_start_time"]) if done else None

        run = server.wait_for("the server scheduled a run of the served flow and it completed", completed,
                              SCHEDULED_WITHIN, serve_out, serve_err)
        first = time.monotonic() - t0
        # While this serve runs, the name is taken.
        _refused(_tally(server, tmp_path, "serve", "--interval", "10", "--name", name, "--raw", str(raw_dir)),
                 f"deployment `curate/{name}` is being served by another running process (it polled the server in "
                 "the last 30 s): stop that one first, or pick another --name")
    finally:
        code = _stop(serve, signal.SIGTERM)
    MEASUREMENTS.append(f"tally serve --interval 10: deployment registered after {registered:.1f} s, first scheduled "
                        f"run completed after {first:.1f} s")
    stdout, stderr = serve_out.read_text(), serve_err.read_text()
    assert code == 0, stderr
    assert stdout.splitlines()[-1] == "tally serve: stopped", stdout
    assert stderr == "", stderr  # no RuntimeWarning (Runner.astop never awaited), no traceback
    # Created by the server's scheduler, not by hand.
    assert run["auto_scheduled"] is True
    assert run["created_by"]["type"] == "SCHEDULE", run["created_by"]
    assert run["idempotency_key"].startswith(f"scheduled {deployment['id']} "), run["idempotency_key"]
    assert run["parameters"]["settings"]["out"] == str(out)
    # It published: its summary artifact names the snapshot, which holds the sample corpus's figures.
    artifacts = {a["key"]: a for a in server.call("/artifacts/filter", {"artifacts": {"flow_run_id": {"any_": [run["id"]]}}})}
    summary = artifacts["tally-curate-summary"]["data"]
    assert "documents: 4 (4 ok, 0 rejected)" in summary and "figures: 120 published, 0 quarantined" in summary
    # the failing-checks table lists the sample corpus's one warning (cnrs, line 310), nothing else
    failing = json.loads(artifacts["tally-failing-checks"]["data"])
    assert [(c["source"], c["line"], c["severity"]) for c in failing] == [("cnrs-ai-for-science-slides.txt", 310, "warning")]
    snapshot = Path(summary.split("(snapshot `")[1].split("`")[0])
    assert snapshot.parent == out / "snapshots"
    assert pl.read_parquet(snapshot / "figures.parquet").height == 120
    # Stopping paused the schedule, as Prefect's own serve does.
    stopped = server.deployment(name)
    assert stopped is not None and stopped["paused"] is True


def test_serve_registers_a_cron_schedule_and_stops_on_sigint(server: Server, raw_dir: Path, tmp_path: Path) -> None:
    name = "tally-cron"
    serve, serve_out, serve_err = _serve(server, tmp_path, "cron", "--cron", "0 6 * * *", "--name", name,
                                         "--raw", str(raw_dir), "--out", str(tmp_path / "curated"))
    try:
        deployment = server.wait_for("tally serve polled for its runs",
                                     lambda: d if (d := server.deployment(name)) and d["last_polled"] else None, 60,
                                     serve_out, serve_err)
    finally:
        code = _stop(serve, signal.SIGINT)
    assert code == 0, serve_err.read_text()
    assert serve_out.read_text() == (
        f"tally serve: serving curate/{name} on cron '0 6 * * *' (UTC) on {server.api} (deployment {deployment['id']}); "
        "SIGINT (Ctrl-C) or SIGTERM stops it\ntally serve: stopped\n")
    assert serve_err.read_text() == ""
    assert [s["schedule"]["cron"] for s in deployment["schedules"]] == ["0 6 * * *"]
    assert [s["schedule"]["timezone"] for s in deployment["schedules"]] == ["UTC"]
    assert deployment["paused"] is False
    assert not (tmp_path / "curated").exists()  # nothing ran


def test_serve_refuses_the_name_of_a_deployment_of_another_flow(server: Server, raw_dir: Path, tmp_path: Path) -> None:
    flow = server.call("/flows/", {"name": "curate"})  # another project's flow that is also named curate
    server.call("/deployments/", {"name": "elsewhere", "flow_id": flow["id"], "entrypoint": "jobs/other.py:curate"})
    _refused(_tally(server, tmp_path, "serve", "--name", "elsewhere", "--raw", str(raw_dir)),
             "deployment `curate/elsewhere` belongs to another flow named `curate` (entrypoint `jobs/other.py:curate`): "
             "pick another --name")


def test_prefect_yaml_deploys_to_a_process_worker(server: Server, tmp_path: Path) -> None:
    """The README's route: a process work pool, `prefect deploy` from (a copy of) the repository, a
    worker, one run of the deployment, completed, curated/ written beside prefect.yaml."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(ROOT / "prefect.yaml", repo / "prefect.yaml")
    shutil.copytree(ROOT / "flows", repo / "flows", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "raw", repo / "raw")
    env = server.env | {"TALLY_REPO": str(repo), "PREFECT_WORKER_QUERY_SECONDS": "2"}

    def prefect(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([str(BIN / "prefect"), *args], env=env, cwd=repo, capture_output=True, text=True,
                              timeout=timeout, stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, f"prefect {' '.join(args)}: {proc.stdout[-2000:]}{proc.stderr[-2000:]}"
        return proc

    t0 = time.monotonic()
    prefect("work-pool", "create", "tally-local", "--type", "process")
    prefect("deploy", "--name", "curate-daily")
    deployment = server.deployment("curate-daily")
    assert deployment is not None and deployment["work_pool_name"] == "tally-local"
    assert deployment["entrypoint"] == "flows/curate.py:curate"
    assert [s["schedule"]["cron"] for s in deployment["schedules"]] == ["0 6 * * *"]
    worker_log = tmp_path / "worker.log"
    with worker_log.open("wb") as sink:
        worker = subprocess.Popen([str(BIN / "prefect"), "worker", "start", "--pool", "tally-local"], env=env,
                                  cwd=tmp_path, stdout=sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        ran = prefect("deployment", "run", "curate/curate-daily", "--watch", "--watch-timeout", "150", timeout=180)
        assert "Flow run finished successfully in 'Completed'." in ran.stdout, ran.stdout[-2000:] + _tail(worker_log)
        MEASUREMENTS.append(f"prefect.yaml: work pool, deploy, worker and one run completed in {time.monotonic() - t0:.1f} s")
        # The deployment is the worker's: `tally serve` does not take it over.
        _refused(_tally(server, tmp_path, "serve", "--name", "curate-daily", "--raw", str(repo / "raw")),
                 "deployment `curate/curate-daily` is deployed to work pool `tally-local` (e.g. by `prefect deploy`), "
                 "and serving it here would take it over: pick another --name")
    finally:
        _stop(worker, signal.SIGTERM, timeout=20)
    assert pl.read_parquet(repo / "curated" / "figures.parquet").height == 120
    assert (repo / "curated" / "current").is_symlink()
