"""Reading raw files as an attacker and an unlucky operator would (issue 12, items 1, 4 and 7):
nothing from outside raw/ is ever read, no read blocks, any name the OS can give is accounted
for, and names reach the terminal escaped."""

from __future__ import annotations

import contextlib
import hashlib
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from tally.cli import app
from tally.pipeline import preflight, read_batch, run
from tally.read.files import MAX_LINKS, TEXT_SUFFIXES, read_document
from tally.settings import Settings
from tests.conftest import MEASUREMENTS
from tests.helpers import run_local

GOOD = "The forum gathered 12 speakers."
SECRET = "The secret budget is 987654 euros."
PASSES = 200  # read passes over every swapped file while another process swaps them
VICTIMS = 16  # raw files being swapped: half between a file and a symlink out, half between a file and a FIFO
RUNS = 10  # whole runs (discover, read, extract, publish) while the files are swapped


SWAPPER = r"""
import os, sys
raw, secret, spare, stop, good = sys.argv[1:6]
victims = sys.argv[6:]
i = 0
while not os.path.exists(stop):
    k = i % len(victims)
    tmp = os.path.join(raw, f".swap-{i}")
    if (i // len(victims)) % 2 == 0:
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(good)
    elif k % 2 == 0:
        os.symlink(secret, tmp)
    else:
        os.mkfifo(tmp)
        os.link(tmp, os.path.join(spare, f"fifo-{i}"))  # a second name, to release a reader stuck on it
    os.replace(tmp, victims[k])
    i += 1
print(i)
"""


def _release(spare: Path) -> None:
    """Open every FIFO the swapper made for writing and close it: a reader blocked opening one gets EOF."""
    for fifo in spare.iterdir():
        with contextlib.suppress(OSError):  # ENXIO: nobody is waiting on that one
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


def test_a_file_swapped_for_a_symlink_or_a_fifo_never_leaks_and_never_blocks(tmp_path: Path) -> None:
    """The reproduction: a raw file swapped for a symlink to a secret between the check and the
    read published the secret; swapped for a FIFO, the read blocked forever with the lock held."""
    raw, spare = tmp_path / "raw", tmp_path / "spare"
    raw.mkdir()
    spare.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    secret_id = hashlib.sha256(SECRET.encode()).hexdigest()
    victims = [raw / f"v{i}.txt" for i in range(VICTIMS)]
    for v in victims:
        v.write_text(GOOD, encoding="utf-8")
    (raw / "steady.txt").write_text("A steady file with 3 figures: 4 and 5.", encoding="utf-8")

    outcomes: Counter[str] = Counter()
    leaks: list[str] = []
    published_leaks: list[str] = []

    errors: list[BaseException] = []

    def reads() -> None:
        try:
            _reads()
        except BaseException as exc:  # reported by the test, not lost with the thread
            errors.append(exc)

    def _reads() -> None:
        deadline = time.monotonic() + 60
        while not any(v.is_symlink() for v in victims) and time.monotonic() < deadline:
            time.sleep(0.001)  # the swapper has started
        for _ in range(PASSES):
            for doc in read_batch(victims, raw):
                if SECRET in (doc.text or "") or doc.doc_id == secret_id:
                    leaks.append(doc.source)
                outcomes[doc.text if doc.ok else (doc.reason or "")] += 1
        for n in range(RUNS):
            out = tmp_path / f"out{n}"
            run(Settings(raw=raw, out=out))
            figures = pl.read_parquet(out / "figures.parquet")
            documents = pl.read_parquet(out / "documents.parquet")
            if (secret_id in documents["doc_id"].to_list() or 987654.0 in figures["value"].to_list()
                    or figures["sentence"].str.contains("secret").any()):
                published_leaks.append(str(out))

    stop = tmp_path / "stop"
    swapper = subprocess.Popen([sys.executable, "-c", SWAPPER, str(raw), str(secret), str(spare), str(stop), GOOD,
                                *map(str, victims)], stdout=subprocess.PIPE, text=True)
    reader = threading.Thread(target=reads, daemon=True)
    t0 = time.perf_counter()
    reader.start()
    reader.join(timeout=60)
    blocked = reader.is_alive()
    stop.touch()
    swaps = int(swapper.communicate(timeout=60)[0])
    _release(spare)
    seconds = time.perf_counter() - t0
    MEASUREMENTS.append(f"raw swaps: {PASSES} passes x {VICTIMS} files + {RUNS} runs, {swaps} swaps, "
                        f"{seconds:.1f} s, outcomes {dict(outcomes)}, leaks {len(leaks)}")
    assert not blocked, "a read blocked (a FIFO swapped in)"
    assert errors == [] and leaks == [] and published_leaks == []
    outside = f"symlink points outside the raw folder (to {secret})"
    assert set(outcomes) <= {GOOD, outside, "not a regular file (a FIFO)"}, outcomes
    assert outcomes[GOOD] > 0 and outcomes[outside] > 0 and outcomes["not a regular file (a FIFO)"] > 0, outcomes


def _special_folder(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    (raw / "good.txt").write_text(GOOD, encoding="utf-8")
    with open(os.fsencode(raw) + b"/caf\xe9.txt", "wb") as fh:  # a Latin-1 name: not UTF-8
        fh.write("Le café a reçu 40 visiteurs.".encode())
    with open(os.fsencode(raw) + b"/\xff\xfe.bin", "wb") as fh:  # not UTF-8 and rejected
        fh.write(b"\x00\x01")
    (raw / "loop.txt").symlink_to("loop.txt")
    (raw / "ping.txt").symlink_to("pong.txt")
    (raw / "pong.txt").symlink_to("ping.txt")
    (raw / "dangling.txt").symlink_to("gone.txt")
    (raw / "inside.txt").symlink_to("sub/real.txt")  # an in-folder symlink is followed
    (raw / "sub" / "real.txt").write_text("We planted 31 trees.", encoding="utf-8")
    (raw / "sub" / "up.txt").symlink_to("../../outside.txt")
    (tmp_path / "outside.txt").write_text("7 secrets", encoding="utf-8")
    (raw / "folder-link").symlink_to("sub")
    os.mkfifo(raw / "fifo.txt")
    sock = socket.socket(socket.AF_UNIX)
    cwd = os.getcwd()
    os.chdir(raw)  # a socket path must fit in 108 bytes: bind it by its short relative name
    try:
        sock.bind("socket.txt")
    finally:
        os.chdir(cwd)
        sock.close()
    os.mknod(raw / "device.txt", stat.S_IFCHR | 0o600, os.makedev(1, 3))  # as /dev/null (tests run as root)
    return raw


EXPECTED = {
    "good.txt": ("ok", None),
    "caf\\xe9.txt": ("ok", "file name is not valid UTF-8 (shown with \\x escapes)"),
    "\\xff\\xfe.bin": ("skipped", f"unknown format (.bin): Tally reads {', '.join(TEXT_SUFFIXES)} files; file name is "
                          "not valid UTF-8 (shown with \\x escapes)"),
    "loop.txt": ("rejected", f"symlink loop: more than {MAX_LINKS} links to follow"),
    "ping.txt": ("rejected", f"symlink loop: more than {MAX_LINKS} links to follow"),
    "pong.txt": ("rejected", f"symlink loop: more than {MAX_LINKS} links to follow"),
    "dangling.txt": ("rejected", "dangling symlink (to {raw}/gone.txt): its target does not exist"),
    "inside.txt": ("ok", None),
    "sub/real.txt": ("rejected", "same bytes as `inside.txt`: its figures are published once, under that file"),
    "sub/up.txt": ("rejected", "symlink points outside the raw folder (to {base}/outside.txt)"),
    "folder-link": ("rejected", "not a regular file (a folder)"),
    "fifo.txt": ("rejected", "not a regular file (a FIFO)"),
    "socket.txt": ("rejected", "not a regular file (a socket)"),
    "device.txt": ("rejected", "not a regular file (a character device)"),
}


def _expected(raw: Path) -> dict[str, tuple[str, str | None]]:
    return {k: (s, r.format(raw=raw, base=raw.parent) if r else None) for k, (s, r) in EXPECTED.items()}


def test_any_name_and_any_kind_of_file_is_a_row_with_a_reason(tmp_path: Path) -> None:
    """The reproduction: a name of non-UTF-8 bytes raised UnicodeEncodeError and a symlink loop
    RuntimeError; both stopped the run with a traceback and published nothing."""
    raw = _special_folder(tmp_path)
    summary = run_local(raw, tmp_path / "out")
    documents = pl.read_parquet(tmp_path / "out" / "documents.parquet")
    got = {r["source"]: (r["status"], r["reason"]) for r in documents.iter_rows(named=True)}
    assert got == _expected(raw)
    figures = pl.read_parquet(tmp_path / "out" / "figures.parquet")
    assert sorted(figures.select("source", "text").rows()) == [("caf\\xe9.txt", "40"), ("good.txt", "12"),
                                                               ("inside.txt", "31")]
    assert summary.partial and summary.documents == len(EXPECTED)


def test_any_name_through_prefect(tmp_path: Path) -> None:
    """The same folder through the Prefect runner: flow parameters are JSON, file names need not be UTF-8."""
    from tally.flows.curate import run_flow

    raw = _special_folder(tmp_path)
    run_flow(Settings(raw=raw, out=tmp_path / "out"))
    documents = pl.read_parquet(tmp_path / "out" / "documents.parquet")
    assert {r["source"]: (r["status"], r["reason"]) for r in documents.iter_rows(named=True)} == _expected(raw)


def test_names_reach_the_terminal_escaped(tmp_path: Path) -> None:
    """The reproduction: escape sequences in rejected file names reached the terminal."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(GOOD, encoding="utf-8")
    (raw / "evil\x1b[2J\x1b[31m[bold]x\u202e.txt").write_bytes(b"")
    with open(os.fsencode(raw) + b"/caf\xe9\x07.txt", "wb"):
        pass
    result = CliRunner().invoke(app, ["run", "--no-prefect", "--raw", str(raw), "--out", str(tmp_path / "out")],
                                env={"COLUMNS": "300"})
    assert result.exit_code == 3, result.output
    lines = [line for line in result.output.splitlines() if "rejected " in line and ":" in line]
    assert lines == ["  rejected caf\\xe9\\x07.txt: empty file; file name is not valid UTF-8 (shown with \\x escapes)",
                     "  rejected evil\\x1b[2J\\x1b[31m[bold]x\\u202e.txt: empty file"]
    assert "\x1b" not in result.output and "\x07" not in result.output and "\u202e" not in result.output


def test_a_file_deleted_between_discovery_and_reading(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(GOOD, encoding="utf-8")
    (raw / "gone.txt").write_text("12 days", encoding="utf-8")
    settings = Settings(raw=raw, out=tmp_path / "out")
    paths = preflight(settings)
    (raw / "gone.txt").unlink()
    run(settings, paths=paths)
    documents = pl.read_parquet(tmp_path / "out" / "documents.parquet")
    assert documents.filter(pl.col("source") == "gone.txt").select("status", "reason").row(0) == (
        "rejected", "file disappeared before it could be read")


def test_the_size_limit_is_a_setting(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "small.txt").write_text("9 cats", encoding="utf-8")
    (raw / "large.txt").write_text("12 speakers and 40 guests", encoding="utf-8")
    assert Settings().max_file_bytes == 200 * 1024 * 1024
    run(Settings(raw=raw, out=tmp_path / "out", max_file_bytes=10))
    documents = pl.read_parquet(tmp_path / "out" / "documents.parquet")
    assert documents.select("source", "status", "reason").rows() == [
        ("large.txt", "rejected", "file is 25 bytes, over the 10-byte limit (setting `max_file_bytes`)"),
        ("small.txt", "ok", None)]


def test_the_size_limit_from_pyproject(tmp_path: Path) -> None:
    from tally.settings import ConfigError, load

    (tmp_path / "pyproject.toml").write_text("[tool.tally]\nmax_file_bytes = 1024\n", encoding="utf-8")
    assert load(cwd=tmp_path).max_file_bytes == 1024
    (tmp_path / "pyproject.toml").write_text('[tool.tally]\nmax_file_bytes = "1 MB"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load(cwd=tmp_path)
    assert str(info.value) == ('bad setting in pyproject.toml [tool.tally]: `max_file_bytes` = "1 MB" is not valid: '
                               "expected a whole number")


def test_a_file_growing_past_the_limit_while_read_is_rejected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("12 cats", encoding="utf-8")
    real = os.read

    def growing(fd: int, n: int) -> bytes:  # the file grows between the fstat and the reads
        data = real(fd, n)
        return data + b"x" * 100 if data else data

    monkeypatch.setattr(os, "read", growing)
    doc = read_document(raw / "a.txt", raw, max_bytes=50)
    assert (doc.ok, doc.reason) == (False, "file is over the 50-byte limit (setting `max_file_bytes`): it grew while being read")
