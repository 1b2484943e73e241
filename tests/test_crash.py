"""Crash consistency and concurrency: SIGKILL in the middle of a publish, two runs at once."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.helpers import run_local
from tests.test_publish import assert_matches_manifest

TRIALS = 50


def _spawn(raw: Path, out: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "tally.cli", "run", "--no-prefect", "--raw", str(raw),
                             "--out", str(out), *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wait_for_publish_start(out: Path, proc: subprocess.Popen[bytes], timeout: float = 60) -> bool:
    """True once the run has begun writing its snapshot (a staging folder exists)."""
    snaps = out / "snapshots"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            if any(p.name.startswith(".staging-") for p in snaps.iterdir()):
                return True
        except FileNotFoundError:
            pass
        time.sleep(0.0005)
    return False


def test_sigkill_during_publish_never_leaves_a_broken_publish(raw_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_local(raw_dir, out)  # a first publish to protect
    rng = random.Random(20261122)
    killed_in_publish = 0
    for _ in range(TRIALS):
        proc = _spawn(raw_dir, out)
        if _wait_for_publish_start(out, proc):
            time.sleep(rng.uniform(0, 0.08))  # somewhere in the publish: files, manifest, rename, switch
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                killed_in_publish += 1
        proc.wait(timeout=60)
        assert_matches_manifest(out)  # the published data reads completely and matches its manifest
    assert killed_in_publish >= TRIALS // 2, f"only {killed_in_publish} kills landed in a publish"
    summary = run_local(raw_dir, out)  # the next run succeeds and cleans up after the dead ones
    assert_matches_manifest(out)
    assert not [p for p in (out / "snapshots").iterdir() if p.name.startswith(".staging-")]
    assert summary.documents == 4


def test_two_runs_at_once_one_stops_with_a_clear_message(raw_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    a, b = _spawn(raw_dir, out), _spawn(raw_dir, out)
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in (a, b)]  # type: ignore[union-attr]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 2]), results
    if codes == [0, 2]:
        assert any("is being published by another tally run" in err for _, err in results)
    assert_matches_manifest(out)


def test_two_runs_with_wait_both_publish_in_turn(raw_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    procs = [_spawn(raw_dir, out, "--wait", "120") for _ in range(2)]
    assert [p.wait(timeout=180) for p in procs] == [0, 0]
    assert len([p for p in (out / "snapshots").iterdir() if not p.name.startswith(".")]) == 2
    assert_matches_manifest(out)


@pytest.mark.parametrize("moment", ["after-snapshot", "after-switch"])
def test_a_run_dying_between_steps_leaves_a_readable_publish(raw_dir: Path, tmp_path: Path, moment: str,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The two steps of a publish, interrupted deterministically (complements the random kills)."""
    from tally import publish as pub

    out = tmp_path / "out"
    run_local(raw_dir, out)
    before = os.readlink(out / "current")

    class Died(Exception):
        pass

    def die(*args: object, **kwargs: object) -> None:
        raise Died

    monkeypatch.setattr(pub, "switch_current" if moment == "after-snapshot" else "prune", die)
    with pytest.raises(Died):
        run_local(raw_dir, out)
    assert_matches_manifest(out)
    assert (os.readlink(out / "current") == before) == (moment == "after-snapshot")
    monkeypatch.undo()
    run_local(raw_dir, out)
    assert_matches_manifest(out)
