"""Importing tally starts nothing, opens no Prefect state and contacts no server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_import_tally_is_inert(tmp_path: Path) -> None:
    code = (
        "import sys, tally, tally.extract, tally.cli, tally.schemas, tally.pipeline, tally.gate, tally.api, tally.flows\n"
        "assert 'prefect' not in sys.modules, 'prefect imported'\n"
        "print(tally.__version__)\n"
    )
    env = {**os.environ, "HOME": str(tmp_path), "PREFECT_HOME": str(tmp_path / "ph")}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_version_matches_the_package_metadata() -> None:
    import tomllib

    import tally

    root = Path(__file__).resolve().parents[1]
    meta = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert tally.__version__ == meta["project"]["version"]
