"""Every command's --help renders whole: defaults in brackets, [tool.tally] and the exit-code
paragraphs are plain text, not markup to be eaten."""

from __future__ import annotations

import inspect

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from tally.cli import app

runner = CliRunner()
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _help(command: str) -> str:
    result = runner.invoke(app, [command, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    return _flat(result.output)


# command -> phrases its help must show whole
EXPECTED = {
    "run": ["Default: raw from [tool.tally] in ./pyproject.toml, else raw/.",
            "Default: out from [tool.tally], else curated/.",
            "overrides [tool.tally] of ./pyproject.toml, flags override both.",
            "Default: keep from [tool.tally], else 5.", "[default: prefect]", "[default: 0.0; x>=0]"],
    "check": ["Default: raw from [tool.tally] in ./pyproject.toml, else raw/.", "[default: human]"],
    "serve": ["Default: 0 6 * * * (every day at 06:00), unless --interval is given.", "--interval SECONDS",
              "[default: tally-curate]", "Default: keep from [tool.tally], else 5."],
    "extract": ["Default: detected from the text.", "[default: table]"],
    "version": ["Print Tally's version"],
    "report": ["Default: out from [tool.tally], else curated/.", "[default: report.html]",
               "Default: the raw folder the publish's manifest records."],
}


def test_every_command_is_in_the_table() -> None:
    assert set(EXPECTED) == set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_its_defaults_whole(command: str) -> None:
    shown = _help(command)
    for phrase in EXPECTED[command]:
        assert phrase in shown, f"{command} --help lost {phrase!r}: {shown}"


@pytest.mark.parametrize("command", COMMANDS)
def test_the_docstring_is_printed_whole(command: str) -> None:
    callback = get_command(app).commands[command].callback  # type: ignore[attr-defined]
    doc = _flat(inspect.getdoc(callback) or "")
    assert doc and doc in _help(command)
