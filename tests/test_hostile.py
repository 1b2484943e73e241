"""Hostile raw folders: every file is listed in documents with a clear reason; the run completes."""

from __future__ import annotations

import codecs
import os
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from tests.helpers import run_local
from tests.test_publish import assert_matches_manifest

GOOD = "The forum gathered more than 300 participants from 12 countries."


def _hostile_folder(raw: Path, outside: Path) -> dict[str, tuple[str, str]]:
    """Write the hostile files; returns name -> (expected status, expected words in reason)."""
    raw.mkdir()
    (raw / "good.txt").write_text(GOOD, encoding="utf-8")
    expected = {"good.txt": ("ok", "")}

    def put(name: str, data: bytes, status: str, reason: str) -> None:
        (raw / name).write_bytes(data)
        expected[name] = (status, reason)

    put("empty.txt", b"", "rejected", "empty file")
    put("binary.txt", bytes(range(256)) * 40, "rejected", "binary file (NUL bytes)")
    put("nul bytes.txt", b"12 projects\x00\x00 and 4 more", "rejected", "binary file (NUL bytes)")
    put("invalid-utf8.txt", b"We counted 42 votes \xff\xfe in total.", "ok", "not valid UTF-8 at byte 20 (line 1)")
    put("cp1252.txt", "Le ministère a reçu 1 200 dossiers très complets à Besançon.".encode("cp1252"), "ok",
        "decoded as cp1252")
    put("utf16-bom.txt", codecs.BOM_UTF16_LE + "Over 5,000 visitors came.".encode("utf-16-le"), "ok",
        "decoded as utf-16 (byte-order mark)")
    put("image.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "skipped", "unknown format (.png)")
    put("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + bytes(50), "rejected", "corrupt PDF")
    put("digits.txt", b"Figures: " + b"7" * 1_000_000 + b" and 3 more.", "ok", "")
    stretch = "lorem ipsum dolor sit amet consectetur " * 1300 + "with 17 speakers "
    put("one-line.txt", (stretch * (50_000_000 // len(stretch) + 1)).encode(), "ok", "")  # over 50 MB, one line
    put("Résumé des résultats.txt", "Près de 2 millions de votes.".encode(), "ok", "")
    (outside / "secret.txt").write_text("42 secrets", encoding="utf-8")
    (raw / "link-out.txt").symlink_to(outside / "secret.txt")
    expected["link-out.txt"] = ("rejected", "symlink points outside the raw folder")
    os.mkfifo(raw / "fifo.txt")
    expected["fifo.txt"] = ("rejected", "not a regular file")
    (raw / "locked.txt").write_text("7 days", encoding="utf-8")
    expected["locked.txt"] = ("rejected", "cannot read file: Permission denied")
    return expected


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[str, str]], object]:
    base = tmp_path_factory.mktemp("hostile")
    (base / "outside").mkdir()
    expected = _hostile_folder(base / "raw", base / "outside")
    real = os.open

    def refusing_open(path: Any, flags: int, mode: int = 0o777, *, dir_fd: int | None = None) -> int:
        if path == "locked.txt":  # as root, chmod 000 does not stop reads: refuse like the OS would
            raise PermissionError(13, "Permission denied", path)
        return real(path, flags, mode, dir_fd=dir_fd)

    mp = pytest.MonkeyPatch()
    mp.setattr(os, "open", refusing_open)
    try:
        summary = run_local(base / "raw", base / "out")
    finally:
        mp.undo()
    return base / "out", expected, summary


def test_every_file_is_listed_with_its_reason(hostile_run: tuple[Path, dict[str, tuple[str, str]], object]) -> None:
    out, expected, _ = hostile_run
    documents = pl.read_parquet(out / "documents.parquet")
    got = {r["source"]: (r["status"], r["reason"] or "") for r in documents.iter_rows(named=True)}
    assert set(got) == set(expected)
    for name, (status, reason) in expected.items():
        assert got[name][0] == status, (name, got[name])
        assert reason in got[name][1], (name, got[name])


def test_the_rest_is_published_and_the_ledger_balances(
        hostile_run: tuple[Path, dict[str, tuple[str, str]], object]) -> None:
    out, _, summary = hostile_run
    assert_matches_manifest(out)
    assert summary.partial  # type: ignore[attr-defined]
    figures = pl.read_parquet(out / "figures.parquet")
    by_source = dict(figures.group_by("source").len().rows())
    assert by_source["good.txt"] == 2
    assert by_source["one-line.txt"] == 986  # one "17 speakers" per stretch, none lost
    assert by_source["digits.txt"] == 1  # "3 more"; the million digits are not a figure
    cp = figures.filter(pl.col("source") == "cp1252.txt").row(0, named=True)
    assert (cp["text"], cp["value"]) == ("1 200", 1200.0)
    long = figures.filter(pl.col("source") == "one-line.txt")["sentence"].str.len_chars().max()
    assert long is not None and long <= 1002


def test_offsets_point_into_the_decoded_text(hostile_run: tuple[Path, dict[str, tuple[str, str]], object]) -> None:
    out, _, _ = hostile_run
    figures = pl.read_parquet(out / "figures.parquet").filter(pl.col("source") == "utf16-bom.txt")
    row = figures.row(0, named=True)
    assert (row["text"], row["start"], row["qualifier"]) == ("5,000", 5, "at_least")
