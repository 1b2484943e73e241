"""A real Prefect server on 127.0.0.1: serve the curate flow, trigger a run through the API,
wait for it, read its artifacts back, stop everything."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import polars as pl

BIN = Path(sys.executable).parent

CLIENT = r"""
import asyncio, json
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

async def main():
    async with get_client() as client:
        for _ in range(240):
            try:
                dep = await client.read_deployment_by_name("curate/tally-test")
                break
            except Exception:
                await asyncio.sleep(0.5)
        run = await client.create_flow_run_from_deployment(dep.id)
        for _ in range(600):
            run = await client.read_flow_run(run.id)
            if run.state is not None and run.state.is_final():
                break
            await asyncio.sleep(0.5)
        arts = await client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id])))
        print(json.dumps({"state": run.state.type.value, "message": run.state.message,
                          "artifacts": {a.key: {"type": a.type, "data": a.data} for a in arts}}, default=str))

asyncio.run(main())
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, "prefect server exited"
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError("prefect server did not become healthy")


def _stop(proc: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def test_served_flow_runs_on_a_real_server(raw_dir: Path, tmp_path: Path) -> None:
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env |= {"PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1", "PREFECT_UI_ENABLED": "false", "PREFECT_LOGGING_LEVEL": "WARNING"}
    (tmp_path / "prefect").mkdir()
    server_log = (tmp_path / "server.log").open("wb")
    serve_log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                              env=env, stdout=server_log, stderr=subprocess.STDOUT)
    try:
        _wait_healthy(api, server)
        client_env = env | {"PREFECT_API_URL": api}
        out = tmp_path / "curated"
        serve = subprocess.Popen([str(BIN / "tally"), "serve", "--cron", "0 6 * * *", "--name", "tally-test",
                                  "--raw", str(raw_dir), "--out", str(out)], env=client_env, cwd=tmp_path,
                                 stdout=serve_log, stderr=subprocess.STDOUT)
        try:
            proc = subprocess.run([sys.executable, "-c", CLIENT], env=client_env, capture_output=True, text=True,
                                  timeout=420)
            assert proc.returncode == 0, proc.stderr + (tmp_path / "serve.log").read_text(errors="replace")
            result = json.loads(proc.stdout.strip().splitlines()[-1])
        finally:
            _stop(serve)  # serve first, or the server hangs on shutdown
        assert result["state"] == "COMPLETED", (result, (tmp_path / "serve.log").read_text(errors="replace"))
        assert result["artifacts"]["tally-curate-summary"]["type"] == "markdown"
        assert "documents: 4 (4 ok, 0 rejected)" in result["artifacts"]["tally-curate-summary"]["data"]
        table = result["artifacts"]["tally-failing-checks"]
        assert table["type"] == "table" and "every check holds" in str(table["data"])
        assert pl.read_parquet(out / "figures.parquet").height == 120
    finally:
        _stop(server)
        server_log.close()
        serve_log.close()
