"""The manifest, the ledger and documents.parquet agree on every file's status, and `tally check
--against` a broken publish is one line (issue 12, item 7)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from tally import pipeline
from tally.cli import app
from tests.helpers import run_local
from tests.test_publish import assert_matches_manifest


def test_manifest_ledger_and_documents_agree_on_every_file(raw_dir: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The reproduction: the manifest's `inputs` said `ok` for a duplicate file that
    documents.parquet and the ledger called `rejected`."""
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    shutil.copy(raw / "hi-paris-ai-action-week.txt", raw / "zz-copy.txt")  # a duplicate: rejected
    (raw / "notes.txt").write_bytes(b"\x00\x01binary")  # rejected
    (raw / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # skipped: no reader knows it
    real = pipeline.extract_batch

    def breaking(docs: Any, seen: Any = None, cache: Any = None) -> Any:  # one documents row breaks its contract
        part = real(docs, seen, cache)
        part.documents = part.documents.with_columns(
            pl.when(pl.col("source") == "cnrs-ai-for-science-slides.txt").then(-1).otherwise(pl.col("n_chars"))
            .alias("n_chars"))
        return part

    monkeypatch.setattr(pipeline, "extract_batch", breaking)
    out = tmp_path / "out"
    run_local(raw, out)
    manifest = assert_matches_manifest(out)
    documents = pl.read_parquet(out / "documents.parquet")
    quarantine = pl.read_parquet(out / "quarantine.parquet").filter(pl.col("dataset") == "documents")
    by_documents = dict(documents.select("source", "status").iter_rows())
    by_documents.update(dict.fromkeys(quarantine["source"].to_list(), "quarantined"))
    inputs = {i["source"]: i["status"] for i in manifest["inputs"]}  # type: ignore[attr-defined]
    assert inputs == by_documents == {
        "ai-action-summit-consultations.txt": "ok", "cnrs-ai-for-science-slides.txt": "quarantined",
        "hi-paris-ai-action-week.txt": "ok", "inria-chile-binational-center.txt": "ok", "notes.txt": "rejected",
        "photo.png": "skipped", "zz-copy.txt": "rejected"}
    notes = {i["source"]: i["note"] for i in manifest["inputs"]}  # type: ignore[attr-defined]
    assert notes["zz-copy.txt"] == ("same bytes as `hi-paris-ai-action-week.txt`: its figures are published once, "
                                    "under that file")
    assert notes["cnrs-ai-for-science-slides.txt"] == quarantine["reason"][0]
    ledger = manifest["ledger"]
    statuses = list(inputs.values())
    assert (ledger["raw_files_seen"], ledger["documents_ok"], ledger["documents_rejected"],  # type: ignore[index]
            ledger["documents_skipped"], ledger["documents_quarantined"]) == (  # type: ignore[index]
                len(statuses), statuses.count("ok"), statuses.count("rejected"), statuses.count("skipped"),
                statuses.count("quarantined"))
    assert manifest["validation"]["quarantined_documents"] == ["cnrs-ai-for-science-slides.txt"]  # type: ignore[index]


def test_check_against_a_damaged_publish_is_one_line(raw_dir: Path, tmp_path: Path) -> None:
    """The reproduction: `tally check --against` a truncated parquet was a traceback."""
    out = tmp_path / "out"
    summary = run_local(raw_dir, out)
    path = out / "snapshots" / summary.run_id / "figures.parquet"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    result = CliRunner().invoke(app, ["check", "--raw", str(raw_dir), "--against", str(out)])
    assert result.exit_code == 2
    assert result.output == (f"tally: --against `{path}` does not match the sha256 its manifest records: the publish is "
                             "damaged\n")


def test_check_against_a_bare_truncated_parquet_is_one_line(raw_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_local(raw_dir, out)
    bare = tmp_path / "bare"
    bare.mkdir()
    data = (out / "figures.parquet").read_bytes()
    (bare / "figures.parquet").write_bytes(data[: len(data) // 2])
    result = CliRunner().invoke(app, ["check", "--raw", str(raw_dir), "--against", str(bare)])
    assert result.exit_code == 2
    assert re.fullmatch(rf"tally: `{re.escape(str(bare / 'figures.parquet'))}` cannot be read as parquet \([^\n]+\): "
                        r"pass --against with a folder `tally run` published\n", result.output), result.output
    (bare / "figures.parquet").write_bytes(data)  # whole again: a bare figures.parquet is still accepted
    result = CliRunner().invoke(app, ["check", "--raw", str(raw_dir), "--against", str(bare)])
    assert result.exit_code == 0, result.output
