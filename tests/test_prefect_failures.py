"""Every failure of the Prefect path that Tally can foresee is one line on stderr that says what to
do, with exit code 2, and leaves no out folder behind; usage errors come before Prefect is even
imported (no PREFECT_HOME is created), well under the ~10 s an embedded server takes to start.

Each case runs the installed `tally` console script in a fresh process and home."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import prefect
import pytest

from tally.read.files import TEXT_SUFFIXES
from tests.conftest import MEASUREMENTS

TALLY = str(Path(sys.executable).with_name("tally"))
FAST = 6.0  # seconds: a usage error never waits for Prefect (an embedded server takes ~10 s to start)
START_ONE = "start one with `prefect server start` and set PREFECT_API_URL (e.g. http://127.0.0.1:4200/api)"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    for key in ("XDG_STATE_HOME", "TALLY_HOME"):
        env.pop(key, None)
    env |= {"HOME": str(tmp_path / "home"), "PREFECT_HOME": str(tmp_path / "prefect-home"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
    return env | extra


def _tally(tmp_path: Path, args: list[str], timeout: float = 180, **env: str) -> tuple[subprocess.CompletedProcess[str], float]:
    t0 = time.monotonic()
    proc = subprocess.run([TALLY, *args], env=_env(tmp_path, **env), cwd=tmp_path, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)
    return proc, time.monotonic() - t0


def _one_line(proc: subprocess.CompletedProcess[str], expected: str) -> None:
    """Exit code 2, nothing on stdout, exactly `tally: EXPECTED` on stderr: no traceback, no warning."""
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", f"tally: {expected}\n"), proc.stderr[-3000:]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _measure(name: str, seconds: float) -> None:
    MEASUREMENTS.append(f"{name}: {seconds:.1f} s")


# -- usage errors, before Prefect -------------------------------------------------------------
def _hold_lock(out: Path) -> subprocess.Popen[str]:
    code = ("import sys, time\nfrom pathlib import Path\nfrom tally.publish.lock import out_folder_lock\n"
            "with out_folder_lock(Path(sys.argv[1])):\n    print('held', flush=True)\n    time.sleep(120)\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(out)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    return holder


@pytest.mark.parametrize("case", ["missing raw", "empty raw", "unwritable out", "bad setting", "locked out"])
def test_usage_errors_come_before_prefect_and_leave_no_out_folder(case: str, raw_dir: Path, tmp_path: Path) -> None:
    raw, out = raw_dir, tmp_path / "curated"
    args: list[str] = []
    holder = None
    if case == "missing raw":
        raw = tmp_path / "nope"
        expected = f"raw folder `{raw}` does not exist: pass --raw with a folder of texts"
    elif case == "empty raw":
        raw = tmp_path / "raw"
        raw.mkdir()
        expected = (f"raw folder `{raw}` holds no file Tally reads ({', '.join(TEXT_SUFFIXES)}): "
                    "put the texts to curate there")
    elif case == "unwritable out":
        (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
        out = tmp_path / "a-file" / "curated"
        expected = f"cannot write to out folder `{out}`: Not a directory; pass --out with a folder you can write to"
    elif case == "bad setting":
        (tmp_path / "bad.toml").write_text('[tool.tally]\nkeep = "five"\n', encoding="utf-8")
        args = ["--config", "bad.toml"]
        expected = 'bad setting in bad.toml [tool.tally]: `keep` = "five" is not valid: expected a whole number'
    else:
        holder = _hold_lock(out)
        since = (out / ".tally.publish.lock").read_text(encoding="utf-8")
        expected = (f"out folder `{out}` is being published by another tally run ({since}): wait for it to finish, "
                    "or pass --wait SECONDS to queue behind it")
    try:
        proc, seconds = _tally(tmp_path, ["run", "--raw", str(raw), "--out", str(out), *args])
    finally:
        if holder is not None:
            holder.kill()
            holder.wait(10)
    _one_line(proc, expected)
    _measure(f"tally run, {case}", seconds)
    assert seconds < FAST, f"{case}: {seconds:.1f} s"
    assert not (tmp_path / "prefect-home").exists(), "Prefect was set up for a usage error"
    assert out.exists() == (case == "locked out")  # the other run's folder stays; no new folder is left


# -- Prefect failures ------------------------------------------------------------------------
def test_an_unreachable_server_is_one_line_for_run(raw_dir: Path, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/api"
    proc, seconds = _tally(tmp_path, ["run", "--raw", str(raw_dir), "--out", "curated"], PREFECT_API_URL=url)
    _one_line(proc, f"cannot reach the Prefect server at {url} (connection refused): start it with "
                    "`prefect server start`, or unset PREFECT_API_URL to use the embedded server")
    assert not (tmp_path / "curated").exists()
    _measure("tally run, server unreachable", seconds)


def test_an_unreachable_server_is_one_line_for_serve(raw_dir: Path, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/api"
    proc, seconds = _tally(tmp_path, ["serve", "--interval", "60", "--raw", str(raw_dir)], PREFECT_API_URL=url)
    _one_line(proc, f"cannot reach the Prefect server at {url} (connection refused): start it with "
                    "`prefect server start`, or set PREFECT_API_URL to a running server")
    _measure("tally serve, server unreachable", seconds)


def test_with_verbose_the_traceback_goes_to_stderr_before_the_line(raw_dir: Path, tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/api"
    proc, _ = _tally(tmp_path, ["run", "--verbose", "--raw", str(raw_dir), "--out", "curated"], PREFECT_API_URL=url)
    assert proc.returncode == 2
    assert proc.stderr.startswith("Traceback (most recent call last):\n"), proc.stderr[:500]
    assert "httpx.ConnectError" in proc.stderr and "tally.flows.errors.PrefectUnavailable" in proc.stderr
    assert proc.stderr.splitlines()[-1] == (f"tally: cannot reach the Prefect server at {url} (connection refused): "
                                            "start it with `prefect server start`, or unset PREFECT_API_URL to use "
                                            "the embedded server")


def test_serve_without_a_server_is_one_line(raw_dir: Path, tmp_path: Path) -> None:
    proc, _ = _tally(tmp_path, ["serve", "--raw", str(raw_dir)])
    _one_line(proc, f"a schedule needs a running Prefect server: {START_ONE}")


def test_cron_and_interval_are_exclusive(tmp_path: Path) -> None:
    proc, _ = _tally(tmp_path, ["serve", "--cron", "0 6 * * *", "--interval", "60"])
    _one_line(proc, "--cron and --interval are exclusive: pass one of them")


@pytest.fixture(scope="module")
def prefect_2_server() -> Iterator[str]:
    """An HTTP server on 127.0.0.1 that answers /api/health and /api/admin/version as a Prefect 2 server."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            answers = {"/api/health": True, "/api/admin/version": "2.19.3"}
            if self.path not in answers:
                self.send_response(404)
                self.end_headers()
                return
            body = json.dumps(answers[self.path]).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("command", ["run", "serve"])
def test_a_server_of_another_prefect_major_version_is_one_line(command: str, prefect_2_server: str, raw_dir: Path,
                                                               tmp_path: Path) -> None:
    url = prefect_2_server
    proc, _ = _tally(tmp_path, [command, "--raw", str(raw_dir), "--out", "curated"], PREFECT_API_URL=url)
    fix = ("or set PREFECT_API_URL to such a server" if command == "serve"
           else "or unset PREFECT_API_URL to use the embedded server")
    _one_line(proc, f"the Prefect server at {url} runs Prefect 2.19.3 and tally uses Prefect {prefect.__version__}: "
                    f"major versions must match; start a Prefect 3 server with `prefect server start`, {fix}")
    assert not (tmp_path / "curated").exists()


def test_an_embedded_server_that_does_not_start_in_time_is_one_line(raw_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "curated"
    out.mkdir()
    (out / "notes.txt").write_text("the user's", encoding="utf-8")
    proc, seconds = _tally(tmp_path, ["run", "--raw", str(raw_dir), "--out", str(out)],
                           PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="1")
    _one_line(proc, "the embedded Prefect server did not answer within PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS=1: "
                    f"raise it, or unset it (tally then waits 120 s), or {START_ONE}")
    assert sorted(p.name for p in out.iterdir()) == [".tally.publish.lock", "notes.txt"]  # a folder that existed stays
    _measure("tally run, embedded server time-out of 1 s", seconds)


def test_a_prefect_home_that_cannot_be_written_is_one_line(raw_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    home = tmp_path / "a-file" / "prefect"
    proc, seconds = _tally(tmp_path, ["run", "--raw", str(raw_dir), "--out", "curated"], PREFECT_HOME=str(home))
    _one_line(proc, f"cannot write Prefect's state folder `{home}` (Not a directory): set PREFECT_HOME (or TALLY_HOME) "
                    "to a folder you can write")
    assert not (tmp_path / "curated").exists()
    assert seconds < FAST, f"{seconds:.1f} s"
