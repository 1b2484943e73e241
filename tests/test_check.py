"""`tally check`: the CI data-quality gate, its exit codes and its JUnit, JSON and GitHub output."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tally.cli import app
from tests.helpers import edited_samples, run_local

runner = CliRunner()


@pytest.fixture()
def altered(raw_dir: Path, tmp_path: Path) -> Path:
    """raw/ with one text altered to contradict itself: a ♥ idea dropped from the list."""
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    p = raw / "ai-action-summit-consultations.txt"
    p.write_text(p.read_text(encoding="utf-8").replace("- ♥ Limit AI to specific uses and sectors\n", ""),
                 encoding="utf-8")
    return raw


def test_clean_corpus_exits_0(raw_dir: Path) -> None:
    result = runner.invoke(app, ["check", "--raw", str(raw_dir)])
    assert result.exit_code == 0, result.output
    assert "tally check: 4 documents, 120 figures, 1 finding: clean" in result.output


def test_contradiction_exits_1_with_file_line_rule(altered: Path, tmp_path: Path) -> None:
    junit, js = tmp_path / "report.xml", tmp_path / "report.json"
    result = runner.invoke(app, ["check", "--raw", str(altered), "--junit", str(junit), "--json", str(js)])
    assert result.exit_code == 1, result.output
    assert "list_total" in result.output and "1 failing" in result.output
    root = ET.parse(junit).getroot()
    from tally.vocabulary import Rule

    assert (root.get("tests"), root.get("failures")) == (str(4 * len(Rule)), "1")  # a testcase per document and rule
    failing = [c for c in root.iter("testcase") if c.find("failure") is not None]
    assert len(failing) == 1
    case = failing[0]
    assert case.get("classname") == "ai-action-summit-consultations.txt" and case.get("name") == "list_total"
    assert case.get("file") == str(altered / "ai-action-summit-consultations.txt") and case.get("line") == "55"
    text = case.find("failure").text  # type: ignore[union-attr]
    assert text.startswith(f"{altered / 'ai-action-summit-consultations.txt'}:55: [error]")  # type: ignore[union-attr]
    assert "states 15 popular ideas; does not match the 14 items marked ♥" in text  # type: ignore[operator]
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["failures"] == 1 and data["findings"][0]["rule"] == "list_total"


def test_github_annotations(altered: Path) -> None:
    result = runner.invoke(app, ["check", "--raw", str(altered), "--format", "github"])
    assert result.exit_code == 1
    line = result.output.strip().splitlines()[0]
    assert line.startswith(f"::error file={altered / 'ai-action-summit-consultations.txt'},line=55,title=tally list_total::")


def test_against_reports_what_changed(raw_dir: Path, tmp_path: Path) -> None:
    published = tmp_path / "published"
    run_local(raw_dir, published)
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    p = raw / "hi-paris-ai-action-week.txt"
    p.write_text(p.read_text(encoding="utf-8").replace("94 speakers", "96 speakers")
                 .replace("More than 3,800", "About 3,800"), encoding="utf-8")
    js = tmp_path / "diff.json"
    result = runner.invoke(app, ["check", "--raw", str(raw), "--against", str(published), "--json", str(js)])
    assert result.exit_code == 1, result.output
    findings = {(f["rule"], f["severity"]) for f in json.loads(js.read_text(encoding="utf-8"))["findings"]}
    # the one warning of the sample corpus (cnrs, line 310: 8 funded applications, 10 fields named) stays
    assert findings == {("diff:added", "info"), ("diff:removed", "info"), ("diff:changed", "error"),
                        ("list_total", "warning")}
    assert "'3,800': qualifier 'at_least' -> 'approximate'" in result.output


def test_count_shift_and_policy(raw_dir: Path, tmp_path: Path) -> None:
    published = tmp_path / "published"
    run_local(raw_dir, published)
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    p = raw / "cnrs-ai-for-science-slides.txt"
    p.write_text(p.read_text(encoding="utf-8")[:3000], encoding="utf-8")  # a rewritten, shorter source
    result = runner.invoke(app, ["check", "--raw", str(raw), "--against", str(published), "--format", "github"])
    assert result.exit_code == 1
    assert "title=tally diff:count_shift::figure count moved from 36 to 2" in result.output
    config = tmp_path / "tally.toml"
    config.write_text('[tool.tally.check]\nfail_on_changes = []\n', encoding="utf-8")
    relaxed = runner.invoke(app, ["check", "--raw", str(raw), "--against", str(published), "--config", str(config)])
    assert relaxed.exit_code == 0, relaxed.output


@pytest.mark.parametrize(("args", "message"), [
    (["--raw", "/nonexistent/raw"], "raw folder `/nonexistent/raw` does not exist"),
    (["--format", "xml"], "unknown --format 'xml'"),
    (["--against", "/nonexistent/curated"], "holds no figures.parquet"),
])
def test_usage_errors_exit_2(raw_dir: Path, args: list[str], message: str) -> None:
    full = ["check", *args] if "--raw" in args else ["check", "--raw", str(raw_dir), *args]
    result = runner.invoke(app, full)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_bad_policy_is_a_usage_error(raw_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "tally.toml"
    config.write_text('[tool.tally.check]\nfail_on_changes = ["moved"]\n', encoding="utf-8")
    result = runner.invoke(app, ["check", "--raw", str(raw_dir), "--config", str(config)])
    assert result.exit_code == 2
    assert result.output == (f"tally: bad setting in {config} [tool.tally.check]: `fail_on_changes[0]` = \"moved\" is not "
                             "valid: expected 'added', 'removed', 'changed' or 'count_shift'\n")


@pytest.fixture()
def three_batches(raw_dir: Path, tmp_path: Path) -> Path:
    """Three batches: edited fixtures, one altered to contradict itself, a copy and an empty file."""
    from tally.pipeline import BATCH

    raw = edited_samples(raw_dir, tmp_path / "many", 2 * BATCH + 10, lambda i: f"Edit {i}: {i + 10} speakers.")
    p = raw / "doc-061.txt"
    p.write_text(p.read_text(encoding="utf-8") + "\nThe 469 volunteers break down as follows:\n- 295 in health\n"
                 "- 113 in energy\n- 56 in culture\n", encoding="utf-8")
    shutil.copy(raw / "doc-003.txt", raw / "zz-copy.txt")
    (raw / "empty.txt").write_text("", encoding="utf-8")
    return raw


def _findings(raw: Path, **settings: object) -> list[tuple[str, int, str, str, bool]]:
    from tally.gate import run_check
    from tally.settings import Settings

    report = run_check(Settings(raw=raw, **settings))  # type: ignore[arg-type]
    return [(f.source, f.line, f.rule, f.message, f.fails) for f in report.findings]


def test_check_curates_batch_by_batch_and_finds_what_the_whole_corpus_holds(three_batches: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from tally import stream
    from tally.pipeline import curate_frames, preflight, read_batch
    from tally.settings import Settings

    batches: list[int] = []
    real = stream.curate_batch
    monkeypatch.setattr(stream, "curate_batch", lambda paths, *a, **k: batches.append(len(paths)) or real(paths, *a, **k))
    found = _findings(three_batches, workers=1)
    assert len(batches) == 3
    monkeypatch.undo()
    assert _findings(three_batches, workers=2) == found
    whole = curate_frames(read_batch(preflight(Settings(raw=three_batches)), three_batches))
    errors = whole.reconciliations.filter(whole.reconciliations["severity"] == "error")
    assert sorted((r["source"], r["line"], r["rule"], r["message"]) for r in errors.iter_rows(named=True)) == sorted(
        (s, line, rule, m) for s, line, rule, m, fails in found if fails and not rule.startswith(("rejected", "schema")))
    assert ("doc-061.txt", True) in {(s, fails) for s, _, rule, _, fails in found if rule == "part_whole"}
    assert {s for s, _, rule, _, _ in found if rule == "rejected"} == {"zz-copy.txt", "empty.txt"}


def test_check_against_reports_documents_gone_since_the_publish(three_batches: Path, tmp_path: Path) -> None:
    out = tmp_path / "curated"
    run_local(three_batches, out)
    (three_batches / "doc-099.txt").unlink()
    from tally.gate import run_check
    from tally.settings import Settings

    report = run_check(Settings(raw=three_batches, workers=1), out)
    gone = {f.rule for f in report.findings if f.source == "doc-099.txt"}
    assert gone and all(r.startswith("diff:") for r in gone)
    assert not [f for f in report.findings if f.rule.startswith("diff:") and f.source != "doc-099.txt"]
