"""Reconciliation against hand-labelled checks (`../shared/eval/recon_score.py`): the seeds, the
extra reports and our own labelled set (`tests/data/reconcile/`, 35 documents written in the
layouts of real sources without reading the rules). Precision first: no false error anywhere."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_local

DATA = Path(__file__).parent / "data" / "reconcile"

# set -> (genuine inconsistencies found at least, coverage at least); false errors must be 0
FLOORS = {
    "seeds": (0, 0.70),
    "extra": (0, 0.63),
    "labelled": (16, 0.80),
}
LINE = re.compile(r"found (\d+)/(\d+) .*; false errors (\d+) .*coverage (\d+)/(\d+) = ([\d.]+)")


def _score(shared_eval: Path, gold: Path, corpus: Path, tmp_path: Path) -> tuple[int, int, int, float, str]:
    raw = tmp_path / "raw"
    shutil.copytree(corpus, raw)
    run_local(raw, tmp_path / "out")
    proc = subprocess.run([sys.executable, str(shared_eval / "recon_score.py"), str(gold), str(raw),
                           str(tmp_path / "out")], capture_output=True, text=True, timeout=120)
    line = proc.stdout.strip().splitlines()[-1]
    m = LINE.search(line)
    assert m, line
    return int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4)) / int(m.group(5)), line  # not the rounded print


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_no_false_error_and_floors(name: str, shared_eval: Path, raw_dir: Path, tmp_path: Path) -> None:
    gold, corpus = {
        "seeds": (shared_eval / "gold", raw_dir),
        "extra": (shared_eval / "extra" / "gold", shared_eval / "extra" / "raw"),
        "labelled": (DATA / "gold", DATA / "raw"),
    }[name]
    found, _genuine, false_errors, coverage, line = _score(shared_eval, gold, corpus, tmp_path)
    from tests.conftest import MEASUREMENTS

    MEASUREMENTS.append(f"recon_score {name}: {line}")
    assert false_errors == 0, line
    min_found, min_coverage = FLOORS[name]
    assert found >= min_found and coverage >= min_coverage, line
