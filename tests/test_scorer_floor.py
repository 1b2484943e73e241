"""The yardstick (../shared/eval/score.py) on raw/ and the extra reports: quality cannot silently regress."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_local

# Floors sit just under the scores measured when they were set (see README, "Extraction quality").
FLOORS = {
    "raw": {"strict_F1": 0.98, "F1": 0.99, "qual_acc": 0.98, "counted_acc": 0.92, "neg_hits": 0},
    "extra": {"strict_F1": 0.98, "F1": 0.99, "qual_acc": 0.98, "counted_acc": 0.95, "neg_hits": 0},
}


def _score(shared_eval: Path, gold: Path, corpus: Path, figures: Path) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, str(shared_eval / "score.py"), "--gold", str(gold), "--corpus", str(corpus),
         "--figures", str(figures)], capture_output=True, text=True, timeout=120, check=True)
    last = proc.stdout.strip().splitlines()[-1]
    return {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", last)}


@pytest.mark.parametrize("name", ["raw", "extra"])
def test_scorer_floor(name: str, shared_eval: Path, raw_dir: Path, tmp_path: Path) -> None:
    if name == "raw":
        corpus, gold = raw_dir, shared_eval / "gold"
    else:
        corpus, gold = tmp_path / "extra-raw", shared_eval / "extra" / "gold"
        shutil.copytree(shared_eval / "extra" / "raw", corpus)
    run_local(corpus, tmp_path / "out")
    scores = _score(shared_eval, gold, corpus, tmp_path / "out" / "figures.parquet")
    for metric, floor in FLOORS[name].items():
        if metric == "neg_hits":
            assert scores[metric] <= floor, scores
        else:
            assert scores[metric] >= floor, (metric, scores)
