"""Options shared by several commands, declared once, and the exit codes."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3

RawOpt = Annotated[Path | None, typer.Option(
    help="Folder of raw .txt files, or s3://bucket/prefix. Default: raw from [tool.tally] in ./pyproject.toml, "
         "else raw/.")]
OutOpt = Annotated[Path | None, typer.Option(
    help="Folder for the curated parquet datasets, or s3://bucket/prefix. Default: out from [tool.tally], "
         "else curated/.")]
ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", help="TOML file with settings; overrides [tool.tally] of ./pyproject.toml, flags override both.")]
KeepOpt = Annotated[int | None, typer.Option(
    min=1, help="Snapshots to keep in OUT/snapshots. Default: keep from [tool.tally], else 5.")]
VerboseOpt = Annotated[bool, typer.Option(
    "--verbose", "-v", help="Show Prefect's log, with tracebacks, on the terminal.")]
