"""One pipeline, two runners: the local runner and the Prefect flow publish identical rows,
Tally's exceptions cross the Prefect boundary as themselves, the raw folder is listed once and
the out folder locked once, and every frame is validated exactly once.

The Prefect runner runs here in-process on Prefect's ephemeral server (offline; conftest.py)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

from tally.errors import RawFolderError, ValidationFailure
from tally.settings import Settings
from tally.vocabulary import Dataset


@pytest.fixture(scope="module")
def corpus(raw_dir: Path, shared_eval: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """raw/, the two extra reports, a duplicate and a rejected file: every path the steps take."""
    root = tmp_path_factory.mktemp("corpus") / "raw"
    shutil.copytree(raw_dir, root)
    for f in (shared_eval / "extra" / "raw").iterdir():
        shutil.copy(f, root / f.name)
    shutil.copy(raw_dir / "inria-chile-binational-center.txt", root / "zz-copy-of-inria.txt")
    (root / "notes.txt").write_bytes(b"\x00\x01\x02binary")  # rejected: binary
    (root / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # skipped: no reader knows it
    return root


def _rows(out: Path) -> dict[str, pl.DataFrame]:
    """Every published dataset, sorted, for comparison across runs (run ids aside)."""
    frames = {}
    for d in Dataset:
        frame = pl.read_parquet(out / f"{d}.parquet")
        frames[str(d)] = frame.sort(frame.columns, nulls_last=True) if frame.height else frame
    return frames


def test_both_runners_publish_identical_rows(corpus: Path, tmp_path: Path) -> None:
    from tally.flows.curate import run_flow
    from tally.pipeline import run

    local = run(Settings(raw=corpus, out=tmp_path / "local"))
    flow = run_flow(Settings(raw=corpus, out=tmp_path / "prefect"))
    assert local.documents == flow.documents == 9 and len(local.rejected) == 2 and len(local.skipped) == 1
    assert (local.figures, local.checks, local.by_kind) == (flow.figures, flow.checks, flow.by_kind)
    a, b = _rows(tmp_path / "local"), _rows(tmp_path / "prefect")
    for name in a:
        assert a[name].equals(b[name]), name
    assert a["figures"].height > 150 and a["reconciliations"].height > 10


def test_a_validation_failure_leaves_the_flow_as_itself(corpus: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from tally.flows.curate import run_flow
    from tests.helpers import break_candidates

    break_candidates(monkeypatch, lambda f: f.drop("head"))
    with pytest.raises(ValidationFailure) as info:
        run_flow(Settings(raw=corpus, out=tmp_path / "out"))
    assert info.value.dataset == "figures"
    assert any(f["check"] == "column_in_dataframe" for f in info.value.failures), info.value.failures
    assert not (tmp_path / "out" / "current").exists()


def test_a_usage_error_comes_before_any_flow_run(tmp_path: Path) -> None:
    from tally.flows.curate import run_flow

    (tmp_path / "raw").mkdir()
    with pytest.raises(RawFolderError, match=r"holds no file Tally reads \(\.txt, "):
        run_flow(Settings(raw=tmp_path / "raw", out=tmp_path / "out"))
    assert not (tmp_path / "out").exists()


def test_the_raw_folder_is_listed_once_and_the_lock_taken_once(corpus: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from tally import pipeline
    from tally.flows.curate import run_flow
    from tally.publish import lock

    calls: Counter[str] = Counter()
    real_discover, real_flock = pipeline.discover, lock._flock

    def discover(raw):  # type: ignore[no-untyped-def]
        calls["discover"] += 1
        return real_discover(raw)

    def flock(out, wait):  # type: ignore[no-untyped-def]
        calls["flock"] += 1
        return real_flock(out, wait)

    monkeypatch.setattr(pipeline, "discover", discover)
    monkeypatch.setattr(lock, "_flock", flock)
    run_flow(Settings(raw=corpus, out=tmp_path / "out"))
    assert calls == {"discover": 1, "flock": 1}


def test_every_frame_is_validated_once(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pandera.api.polars.container as container

    from tally.pipeline import run

    seen: Counter[str] = Counter()
    real = container.DataFrameSchema.validate

    def counting(self, check_obj, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen[self.name] += 1
        return real(self, check_obj, *args, **kwargs)

    monkeypatch.setattr(container.DataFrameSchema, "validate", counting)
    run(Settings(raw=corpus, out=tmp_path / "out"), use_cache=False)
    assert seen == {"DocumentsModel": 1, "FiguresModel": 1, "ReconciliationsModel": 1, "metrics": 1,
                    "QuarantineModel": 1}


BROKEN_RUN = """
import pytest
from tests.helpers import break_candidates
break_candidates(pytest.MonkeyPatch(), lambda f: f.drop("head"))
from tally.cli import main
main()
"""


def test_through_the_cli_a_broken_dataset_is_one_message_and_exit_1(raw_dir: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "HOME": str(tmp_path)}
    env.pop("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", None)
    proc = subprocess.run([sys.executable, "-c", BROKEN_RUN, "run", "--raw", str(raw_dir), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, env={**env, "PYTHONPATH": str(Path(__file__).parents[1])},
                          timeout=300, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("tally: dataset `figures` failed validation; nothing was published:\n"), proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "column_in_dataframe" in proc.stderr and "head" in proc.stderr
