"""The public verbs behave: `tally.extract`, `tally.check` and `tally.curate` work any number of
times, whichever way they are imported and whatever was imported before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polars as pl

SCRIPT = """
import sys
import tally
first = tally.extract("More than 3,800 participants attended.")
second = tally.extract("More than 3,800 participants attended.")
assert first.equals(second), "two calls differ"
import tally.extract.dates  # a submodule import must not take the function away
third = tally.extract("Il y avait 12 000 visiteurs.", "fr")
from tally import check, curate, extract
assert extract("5 cats and 3 dogs").height == 2 and extract("5 cats").height == 1
raw, out = sys.argv[1], sys.argv[2]
reports = [check(raw), check(raw)]
assert [len(r.failures) for r in reports] == [0, 0] and len(reports[0].findings) == len(reports[1].findings)
assert reports[0].figures == reports[1].figures > 100
runs = [curate(raw, out), curate(raw, out)]
assert runs[0].figures == runs[1].figures and runs[1].cache_hits == 4
print(first.row(0, named=True)["value"], third.row(0, named=True)["value"])
"""


def test_each_verb_twice_in_a_fresh_interpreter(raw_dir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", SCRIPT, str(raw_dir), str(tmp_path / "out")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["3800.0", "12000.0"]
    assert "prefect" not in proc.stderr.lower()


def test_extract_is_the_same_object_however_it_is_reached() -> None:
    import tally
    import tally.extract as by_import
    from tally import extract as by_from

    assert tally.extract is by_import is by_from
    for _ in range(3):
        assert isinstance(tally.extract("A 22% rise."), pl.DataFrame)
    assert tally.extract.extract("4 dogs").height == 1  # the function is also there by name


def test_curate_is_the_local_runner_and_knows_no_prefect(raw_dir: Path, tmp_path: Path) -> None:
    code = ("import sys, tally\n"
            f"s = tally.curate({str(raw_dir)!r}, {str(tmp_path / 'out')!r}, keep=2)\n"
            "assert 'prefect' not in sys.modules, 'the library imported prefect'\n"
            "print(s.documents, s.run_id != '')\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "HOME": str(tmp_path)})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["4", "True"]
