"""Cache keys that cannot go stale: each cached stage is keyed on the document's bytes, the
stage's settings and a fingerprint of exactly the code that stage runs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from tally.publish.fingerprint import closure, fingerprint

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    """A copy of the tally package (symlinked schemas/ and flows/ copied in), to edit."""
    dst = tmp_path / "src" / "tally"
    shutil.copytree(ROOT / "tally", dst, symlinks=False, ignore=shutil.ignore_patterns("__pycache__"))
    return dst


def _prints(tree: Path) -> dict[str, str]:
    return {stage: fingerprint(stage, tree) for stage in ("tally.extract", "tally.reconcile")}


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = [
    # file edited, what changes: (extraction's fingerprint, reconciliation's fingerprint)
    ("reconcile/list_total.py", (False, True)),
    ("reconcile/base.py", (False, True)),
    ("extract/dates.py", (True, True)),  # the checks are made on the figures, so both
    ("extract/tables/english.py", (True, True)),
    ("read/structure.py", (True, True)),
    ("schemas/figures.py", (True, True)),  # the contract the extractor builds frames with
    ("settings.py", (False, True)),  # the settings model the rules read
    ("cli/__init__.py", (False, False)),
    ("cli/output.py", (False, False)),
    ("flows/curate.py", (False, False)),
    ("gate/__init__.py", (False, False)),
    ("publish/snapshots.py", (False, False)),
    ("pipeline.py", (False, False)),
]


@pytest.mark.parametrize(("edited", "changes"), EDITS, ids=[e[0] for e in EDITS])
def test_an_edit_invalidates_exactly_the_stages_that_run_it(tree: Path, edited: str,
                                                            changes: tuple[bool, bool]) -> None:
    before = _prints(tree)
    with open(tree / edited, "a", encoding="utf-8") as fh:
        fh.write("\n# an edit\n")
    after = _prints(tree)
    assert (before["tally.extract"] != after["tally.extract"],
            before["tally.reconcile"] != after["tally.reconcile"]) == changes


def test_the_closures_hold_what_the_stages_import() -> None:
    extract, rec = closure("tally.extract"), closure("tally.reconcile")
    assert {"tally.extract.dates", "tally.extract.tables.english", "tally.read.structure", "tally.schemas.figures",
            "tally.vocabulary"} <= set(extract)
    assert set(extract) < set(rec) or not (set(extract) - set(rec))
    assert {"tally.reconcile.list_total", "tally.reconcile.parts", "tally.settings"} <= set(rec)
    for name in ("tally.cli", "tally.flows.curate", "tally.pipeline", "tally.publish.snapshots", "tally.gate"):
        assert name not in extract and name not in rec


RUN = """
import sys
from pathlib import Path

import tally
from tally.pipeline import run
from tally.settings import Settings

assert tally.__file__.startswith(sys.argv[3]), tally.__file__
print(run(Settings(raw=Path(sys.argv[1]), out=Path(sys.argv[2]))).cache_hits)
"""


def _run(src: Path, raw: Path, out: Path) -> int:
    env = {**os.environ, "PYTHONPATH": str(src)}
    proc = subprocess.run([sys.executable, "-c", RUN, str(raw), str(out), str(src)], capture_output=True, text=True,
                          env=env, timeout=300, cwd=src)  # not the repository: its tally would come first
    assert proc.returncode == 0, proc.stderr
    return int(proc.stdout.split()[-1])


def test_a_changed_rule_never_publishes_its_old_checks(tree: Path, raw_dir: Path, tmp_path: Path) -> None:
    """The reproduction: a rule changed to return nothing still published its cached rows."""
    out = tmp_path / "out"
    assert _run(tree.parent, raw_dir, out) == 0
    before = pl.read_parquet(out / "reconciliations.parquet")
    assert before.filter(pl.col("rule") == "list_total").height == 9
    _edit(tree / "reconcile/list_total.py", "def check(doc: Doc, settings: ReconcileSettings) -> list[Result]:\n",
          "def check(doc: Doc, settings: ReconcileSettings) -> list[Result]:\n    return []\n")
    assert _run(tree.parent, raw_dir, out) == 4  # the figures of the four texts come from the cache ...
    after = pl.read_parquet(out / "reconciliations.parquet")
    # ... their checks do not: what stays under list_total are the two items named in a sentence
    # (tally/reconcile/named.py reports under the same rule)
    assert after.filter(pl.col("rule") == "list_total").height == 2
    assert after.height == before.height - 7
    stages = sorted(p.name.split("-")[0] for p in (out / ".cache").iterdir())
    assert stages == ["batch", "figures", "reconcile"]  # the old reconciliation and batch entries were pruned
