"""The out folder's lock: a run that fails before publishing removes the folders it created, and
only those; a run waiting behind it then locks the folder anew."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from tally.publish.lock import LOCK_NAME, out_folder_lock


class Boom(Exception):
    pass


def test_a_failed_run_removes_the_out_folder_it_created_with_its_parents(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "out"
    with pytest.raises(Boom), out_folder_lock(out):
        (out / ".cache").mkdir()
        (out / ".cache" / "x").write_text("partial", encoding="utf-8")
        raise Boom
    assert list(tmp_path.iterdir()) == []


def test_a_failed_run_keeps_a_folder_that_existed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep", encoding="utf-8")
    with pytest.raises(Boom), out_folder_lock(out):
        raise Boom
    assert sorted(p.name for p in out.iterdir()) == [LOCK_NAME, "mine.txt"]


def test_a_failed_run_keeps_the_existing_parent_of_the_folder_it_created(tmp_path: Path) -> None:
    parent = tmp_path / "parent"
    parent.mkdir()
    with pytest.raises(Boom), out_folder_lock(parent / "out"):
        raise Boom
    assert parent.is_dir() and list(parent.iterdir()) == []


def test_a_failure_after_publishing_keeps_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(Boom), out_folder_lock(out):
        (out / "snapshots" / "r1").mkdir(parents=True)
        (out / "current").symlink_to("snapshots/r1")
        raise Boom
    assert (out / "current").is_symlink()


def test_a_successful_run_keeps_the_folder_it_created(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with out_folder_lock(out):
        pass
    assert out.is_dir()


def test_a_waiting_run_locks_the_folder_again_after_the_first_removed_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first_holds, second_has = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def second() -> None:
        first_holds.wait(10)
        try:
            with out_folder_lock(out, wait=20):
                assert (out / LOCK_NAME).exists()  # a lock file that is linked in the folder
                second_has.set()
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    t = threading.Thread(target=second)
    t.start()
    with pytest.raises(Boom), out_folder_lock(out):
        first_holds.set()
        time.sleep(0.5)  # the second run opens the lock file and waits for it
        raise Boom
    t.join(30)
    assert not errors, errors
    assert second_has.is_set()
    assert out.is_dir()  # made again by the second run, which does not remove it
