"""The `tally` command end to end, and its help texts and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

from tally.cli import app
from tally.schemas import polars_schema

runner = CliRunner()
COMMANDS = ["run", "check", "serve", "extract", "version"]


def test_top_level_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output and len(result.output.splitlines()) > 3


def test_missing_raw_folder_is_a_usage_error_naming_the_folder(tmp_path: Path) -> None:
    result = runner.invoke(app, ["run", "--no-prefect", "--raw", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert f"raw folder `{tmp_path / 'nope'}` does not exist" in result.output
    assert "Traceback" not in result.output


def test_empty_raw_folder_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "raw").mkdir()
    result = runner.invoke(app, ["run", "--no-prefect", "--raw", str(tmp_path / "raw"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "holds no file Tally reads (.txt, " in result.output


def test_extract_prints_figures_as_csv(raw_dir: Path) -> None:
    result = runner.invoke(app, ["extract", str(raw_dir / "hi-paris-ai-action-week.txt"), "--format", "csv"])
    assert result.exit_code == 0
    assert '"3,800",3800.0,,count,,at_least,participants,participant' in result.output


def test_version() -> None:
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0 and result.output.startswith("tally ")


def test_run_through_prefect_end_to_end(raw_dir: Path, tmp_path: Path) -> None:
    """The installed console script, in a fresh home with no configuration, like a newcomer."""
    out = tmp_path / "curated"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["HOME"] = str(tmp_path / "home")  # a fresh home: tally must create Prefect's state itself
    env.pop("XDG_STATE_HOME", None)
    env.pop("TALLY_HOME", None)
    env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
    script = Path(sys.executable).with_name("tally")
    proc = subprocess.run([str(script), "run", "--raw", str(raw_dir), "--out", str(out)],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "4 documents (4 ok, 0 rejected)" in proc.stdout
    assert "reconciliations: 27 checks (26 info, 1 warning)" in proc.stdout
    assert (tmp_path / "home" / ".local" / "state" / "tally" / "prefect" / "prefect.db").exists()

    figures = pl.read_parquet(out / "figures.parquet")
    documents = pl.read_parquet(out / "documents.parquet")
    assert figures.schema == polars_schema("figures")
    assert documents.schema == polars_schema("documents")
    assert figures.height > 100
    con = duckdb.connect()
    n, kinds = con.sql(f"select count(*), count(distinct kind) from '{out / 'figures.parquet'}'").fetchall()[0]
    assert n == figures.height and kinds >= 6
    joined = con.sql(
        f"select d.source, count(*) from '{out / 'figures.parquet'}' f join '{out / 'documents.parquet'}' d "
        "using (doc_id) group by 1 order by 1"
    ).fetchall()
    assert [s for s, _ in joined] == sorted(p.name for p in raw_dir.glob("*.txt"))


def test_bad_rows_through_prefect_are_quarantined_and_exit_3(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "growth.txt").write_text("Intro line.\nSales grew by 50000% last year.\n", encoding="utf-8")
    out = tmp_path / "out"
    script = Path(sys.executable).with_name("tally")
    proc = subprocess.run([str(script), "run", "--raw", str(raw), "--out", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "1 rows quarantined" in proc.stdout
    q = pl.read_parquet(out / "quarantine.parquet").row(0, named=True)
    assert (q["source"], q["line"], q["rule"]) == ("growth.txt", 2, "percent_plausible")


def test_a_locked_out_folder_is_a_clear_usage_error(tmp_path: Path, raw_dir: Path) -> None:
    import threading

    from tally.publish.lock import out_folder_lock

    out = tmp_path / "out"
    holding, done = threading.Event(), threading.Event()

    def other_run() -> None:  # another run, in another thread
        with out_folder_lock(out):
            holding.set()
            done.wait(60)

    threading.Thread(target=other_run, daemon=True).start()
    holding.wait(10)
    try:
        result = runner.invoke(app, ["run", "--no-prefect", "--raw", str(raw_dir), "--out", str(out)])
    finally:
        done.set()
    assert result.exit_code == 2
    assert f"out folder `{out}` is being published by another tally run (pid" in result.output
    assert "--wait SECONDS" in result.output


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    import io

    from rich.console import Console

    from tally import progress

    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(25):
        (raw / f"d{i}.txt").write_text(f"We met {i + 2} partners.", encoding="utf-8")
    from tests.helpers import run_local

    tty = io.StringIO()
    with progress.bar(25, Console(file=tty, force_terminal=True, width=120)):
        run_local(raw, tmp_path / "out")
    assert "files/s" in tty.getvalue() and "25 figures" in tty.getvalue()
    pipe = io.StringIO()
    with progress.bar(25, Console(file=pipe, force_terminal=False)):
        run_local(raw, tmp_path / "out2")
    assert pipe.getvalue() == ""


def test_unwritable_out_folder_is_one_clear_line(raw_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = runner.invoke(app, ["run", "--no-prefect", "--raw", str(raw_dir), "--out", str(blocker / "out")])
    assert result.exit_code == 2
    assert result.output.startswith(f"tally: cannot write to out folder `{blocker / 'out'}`")
    assert len(result.output.strip().splitlines()) == 1


def test_bad_config_file_is_one_clear_line(raw_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[tool.tally\nraw = 1", encoding="utf-8")
    result = runner.invoke(app, ["run", "--no-prefect", "--raw", str(raw_dir), "--config", str(bad)])
    assert result.exit_code == 2
    assert result.output.startswith(f"tally: cannot read `{bad}`") and "fix the TOML syntax" in result.output


@pytest.mark.parametrize("n_errors, shown, more", [(3, 3, None), (20, 20, None), (25, 20, "… and 5 more errors")])
def test_run_summary_lists_the_first_failing_checks_and_counts_the_rest(n_errors: int, shown: int,
                                                                         more: str | None) -> None:
    from io import StringIO

    from rich.console import Console

    from tally.cli.output import print_summary
    from tally.pipeline import Summary

    errors = [(f"doc-{i}.txt", i + 1, "part_whole", f"items do not add up ({i})") for i in range(n_errors)]
    buf = StringIO()
    print_summary(Summary(raw="raw", out="curated", errors=errors, report="curated/report.html"),
                  Console(file=buf, width=200))
    out = buf.getvalue()
    assert out.count(" error ") == shown
    assert f"doc-{shown - 1}.txt:{shown}" in out and f"doc-{shown}.txt:" not in out
    assert (more in out and "review report" in out) if more else "more errors" not in out


def test_run_summary_caps_rejected_files_too() -> None:
    from io import StringIO

    from rich.console import Console

    from tally.cli.output import print_summary
    from tally.pipeline import Summary

    rejected = [(f"copy-{i}.txt", "same bytes as `a.txt`") for i in range(79)]
    buf = StringIO()
    print_summary(Summary(raw="raw", out="curated", rejected=rejected), Console(file=buf, width=200))
    out = buf.getvalue()
    assert out.count("  rejected copy-") == 20 and "… and 59 more rejected files" in out
