"""Settings: `[tool.tally]`, then `--config`, then flags; a wrong type or unknown key is one line
that names where it was set, the key, the value and what is expected (exit code 2)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tally.cli import app
from tally.settings import ConfigError, Settings, load
from tally.vocabulary import Change, Rule, Severity

runner = CliRunner()


@dataclass(frozen=True)
class Bad:
    name: str
    toml: str
    message: str  # the whole line after "bad setting in <file> "


BAD = [
    # the three reproductions of the issue: each was accepted or garbled before
    Bad("a string for a rule switch", '[tool.tally.reconcile]\nrules = { subset = "false" }\n',
        '[tool.tally.reconcile]: `rules.subset` = "false" is not valid: expected true or false'),
    Bad("a fraction for a whole number", "[tool.tally.reconcile]\nlist_total_max = 1.9\n",
        "[tool.tally.reconcile]: `list_total_max` = 1.9 is not valid: expected a whole number"),
    Bad("a string for a list", '[tool.tally.check]\nfail_on_severity = "error"\n',
        '[tool.tally.check]: `fail_on_severity` = "error" is not valid: expected a list, e.g. ["error"]'),
    Bad("an unknown severity", '[tool.tally.check]\nfail_on_severity = ["fatal"]\n',
        "[tool.tally.check]: `fail_on_severity[0]` = \"fatal\" is not valid: expected 'error', 'warning' or 'info'"),
    Bad("an unknown rule", "[tool.tally.reconcile]\nrules = { nope = true }\n",
        "[tool.tally.reconcile]: unknown name \"nope\" in `rules`: input should be 'list_total', 'restatement', "
        "'repeated_mention', 'part_whole', 'subset', 'percent_of', 'product' or 'difference'"),
    Bad("an unknown reconcile key", "[tool.tally.reconcile]\ncolour = 1\n",
        "[tool.tally.reconcile]: unknown key `colour`: remove it or check its spelling"),
    Bad("an unknown top-level key", '[tool.tally]\nrow = "raw"\n',
        "[tool.tally]: unknown key `row`: remove it or check its spelling"),
    Bad("keep below one", "[tool.tally]\nkeep = 0\n",
        "[tool.tally]: `keep` = 0 is not valid: expected greater than or equal to 1"),
    Bad("a share over one", "[tool.tally.reconcile]\nrestatement_max_gap = 2.5\n",
        "[tool.tally.reconcile]: `restatement_max_gap` = 2.5 is not valid: expected less than or equal to 1"),
    Bad("a number for a path", "[tool.tally]\nraw = 3\n",
        "[tool.tally]: `raw` = 3 is not valid: expected a path, as a string"),
]


@pytest.mark.parametrize("case", BAD, ids=lambda c: c.name)
def test_a_bad_setting_is_one_line(case: Bad, tmp_path: Path) -> None:
    config = tmp_path / "tally.toml"
    config.write_text(case.toml, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load(config, cwd=tmp_path)
    assert str(info.value) == f"bad setting in {config} {case.message}"


@pytest.mark.parametrize("command", ["run", "check"])
def test_the_cli_prints_it_and_exits_2(command: str, raw_dir: Path, tmp_path: Path) -> None:
    config = tmp_path / "tally.toml"
    config.write_text(BAD[0].toml, encoding="utf-8")
    result = runner.invoke(app, [command, "--raw", str(raw_dir), "--config", str(config)])
    assert result.exit_code == 2
    assert result.output == f"tally: bad setting in {config} {BAD[0].message}\n"


def test_pyproject_then_config_then_flags(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.tally]\nraw = "texts"\nout = "pub"\nkeep = 3\n[tool.tally.reconcile]\nlist_total_max = 50\n'
        'rules = { subset = false }\n', encoding="utf-8")
    config = tmp_path / "ci.toml"
    config.write_text('[tool.tally]\nout = "ci-out"\n[tool.tally.reconcile]\nlist_total_max = 80\n', encoding="utf-8")
    assert load(cwd=tmp_path).out == Path("pub")
    s = load(config, cwd=tmp_path, keep=7, raw=None)
    assert (s.raw, s.out, s.keep) == (Path("texts"), Path("ci-out"), 7)  # pyproject, config, flag; None is unset
    assert s.reconcile.list_total_max == 80  # a nested key of the config wins ...
    assert not s.reconcile.enabled(Rule.SUBSET) and s.reconcile.enabled(Rule.LIST_TOTAL)  # ... and keeps the rest


def test_defaults_and_a_config_with_keys_at_its_top_level(tmp_path: Path) -> None:
    s = load(cwd=tmp_path)
    assert s == Settings() and s.keep == 5 and s.check.fail_on_severity == (Severity.ERROR,)
    config = tmp_path / "plain.toml"
    config.write_text('keep = 2\n[check]\nfail_on_changes = ["added"]\n', encoding="utf-8")
    s = load(config, cwd=tmp_path)
    assert s.keep == 2 and s.check.fail_on_changes == (Change.ADDED,)


def test_a_bad_flag_is_named_as_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^bad setting in command line \[tool.tally\]: `keep` = 0"):
        load(cwd=tmp_path, keep=0)


def test_a_missing_or_broken_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist: pass --config with a TOML file"):
        load(tmp_path / "nope.toml", cwd=tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_text("[tool.tally\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="fix the TOML syntax"):
        load(bad, cwd=tmp_path)


def test_settings_are_one_cache_key_each() -> None:
    from tally.settings import ReconcileSettings

    a, b = ReconcileSettings(), ReconcileSettings.model_validate({"rules": {"subset": False}})
    assert a.key() == ReconcileSettings().key() != b.key()
