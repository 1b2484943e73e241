"""Test settings: Prefect offline and self-contained, paths to the sample corpus and the yardstick."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"
SHARED = ROOT.parent / "shared"

# Before anything imports prefect: a private PREFECT_HOME, no telemetry, patient start-up.
_home = Path(tempfile.mkdtemp(prefix="tally-tests-prefect-"))
os.environ.setdefault("PREFECT_HOME", str(_home / "prefect"))
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.pop("PREFECT_API_URL", None)
Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    return RAW


@pytest.fixture(scope="session")
def shared_eval() -> Path:
    path = SHARED / "eval"
    if not (path / "score.py").exists():
        pytest.skip(f"the yardstick is not beside the repository ({path}); CI always has it")
    return path


@pytest.fixture(scope="session")
def curated_local(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """raw/ curated once without Prefect, for tests that only read the output."""
    from tests.helpers import run_local

    out = tmp_path_factory.mktemp("curated-local")
    run_local(RAW, out)
    return out


# Measurements that tests report in the run's summary (e.g. the fault-injection detection rate).
MEASUREMENTS: list[str] = []


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if MEASUREMENTS:
        terminalreporter.section("measurements")
        for line in MEASUREMENTS:
            terminalreporter.write_line(line)
