"""The `tally` command: a thin layer over the library that turns errors into clear messages."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from tally.errors import DataError, TallyError

app = typer.Typer(
    name="tally",
    help="Extract the figures of raw texts, validate them and publish curated parquet datasets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_PARTIAL = 0, 1, 2, 3


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"tally: {message}", err=True)
    return typer.Exit(code)


@app.command()
def run(
    raw: Annotated[Path | None, typer.Option(help="Folder of raw .txt files [default: raw/ or [tool.tally] raw].")] = None,
    out: Annotated[Path | None, typer.Option(help="Folder for the curated parquet datasets [default: curated/].")] = None,
    prefect: Annotated[bool, typer.Option("--prefect/--no-prefect",
                                          help="Run as a Prefect flow (embedded server) or as plain calls.")] = True,
    config_file: Annotated[Path | None, typer.Option("--config", help="TOML file with [tool.tally] settings "
                                                     "[default: ./pyproject.toml].")] = None,
    keep: Annotated[int | None, typer.Option(help="Snapshots to keep in OUT/snapshots [default: 5].", min=1)] = None,
    wait: Annotated[float, typer.Option(help="Seconds to wait for another run on OUT to finish.", min=0)] = 0.0,
) -> None:
    """Run the curate flow: read RAW, extract figures, reconcile, validate, publish to OUT.

    Exit codes: 0 published, every file read and every row valid; 3 published, but some files
    were rejected or some rows quarantined (see documents.parquet and quarantine.parquet);
    1 a dataset is broken (nothing published); 2 bad usage, folder, configuration, or OUT is
    locked by another run.
    """
    from tally import config
    from tally.run import curate, run_local

    try:
        section = config.load(config_file)
        rules = config.reconcile_settings(section)
        raw_dir = raw or Path(section.get("raw", "raw"))
        out_dir = out or Path(section.get("out", "curated"))
        n_keep = keep or int(section.get("keep", 5))
        from tally import progress
        from tally.reading import discover

        with progress.bar(len(discover(raw_dir))):
            summary = (curate(raw_dir, out_dir, rules, n_keep, wait) if prefect
                       else run_local(raw_dir, out_dir, rules, n_keep, wait))
    except DataError as exc:
        raise _fail(str(exc), EXIT_DATA) from None
    except TallyError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    from tally.report import print_summary

    print_summary(summary)
    if summary.partial:
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def check(
    raw: Annotated[Path | None, typer.Option(help="Folder of raw .txt files [default: raw/ or [tool.tally] raw].")] = None,
    against: Annotated[Path | None, typer.Option(help="A published curated folder: also report what changed "
                                                       "since it.")] = None,
    junit: Annotated[Path | None, typer.Option(help="Write a JUnit XML report here.")] = None,
    json_file: Annotated[Path | None, typer.Option("--json", help="Write a JSON report here.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="human or github (::error annotations).")] = "human",
    config_file: Annotated[Path | None, typer.Option("--config", help="TOML file with [tool.tally] settings "
                                                     "[default: ./pyproject.toml].")] = None,
) -> None:
    """Extract, reconcile and validate RAW without publishing: a data-quality gate for CI.

    Exit codes: 0 clean; 1 data errors (error-severity checks, rows that break a contract, or
    changes since --against that the policy fails); 2 usage or runtime errors.
    """
    from tally import config
    from tally.check import Policy, github_annotations, run_check, write_json, write_junit
    from tally.report import print_check

    if fmt not in ("human", "github"):
        raise _fail(f"unknown --format {fmt!r}: use human or github", EXIT_USAGE)
    try:
        section = config.load(config_file)
        rules = config.reconcile_settings(section)
        try:
            policy = Policy.from_mapping(section.get("check", {}))
        except (ValueError, TypeError) as exc:
            raise config.ConfigError(f"bad [tool.tally.check]: {exc}") from None
        raw_dir = raw or Path(section.get("raw", "raw"))
        report = run_check(raw_dir, rules, policy, against)
    except DataError as exc:
        raise _fail(str(exc), EXIT_DATA) from None
    except TallyError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    if junit:
        write_junit(report, junit, raw_dir)
    if json_file:
        write_json(report, json_file)
    if fmt == "github":
        for line in github_annotations(report, raw_dir):
            typer.echo(line)
    else:
        print_check(report, raw_dir)
    if report.failures:
        raise typer.Exit(EXIT_DATA)


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="A UTF-8 text file.", exists=True, dir_okay=False)],
    lang: Annotated[str | None, typer.Option(help="en or fr [default: detected].")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """Print the figures of one text (no Prefect, nothing written)."""
    from tally.extract import extract as extract_text

    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(f"{file}: not valid UTF-8 at byte {exc.start}: re-save the file as UTF-8", EXIT_USAGE) from None
    df = extract_text(text, lang)
    cols = ["line", "text", "value", "value_max", "kind", "unit", "qualifier", "counted", "head", "date_iso"]
    if fmt == "csv":
        sys.stdout.write(df.select(cols).write_csv())
    elif fmt == "json":
        sys.stdout.write(df.write_json() + "\n")
    elif fmt == "table":
        from tally.report import print_figures

        print_figures(df.select(cols), title=str(file))
    else:
        raise _fail(f"unknown --format {fmt!r}: use table, csv or json", EXIT_USAGE)


def _check_cron(expr: str) -> None:
    import datetime as dt

    from cronsim import CronSim, CronSimError  # Prefect's own cron parser

    from tally.config import ConfigError

    try:
        CronSim(expr, dt.datetime.now())
    except CronSimError:
        raise ConfigError(f"--cron {expr!r} is not a cron expression (e.g. \"0 6 * * *\")") from None


@app.command()
def serve(
    cron: Annotated[str, typer.Option(help="When to run, as a cron expression (UTC).")] = "0 6 * * *",
    name: Annotated[str, typer.Option(help="Deployment name.")] = "tally-curate",
    raw: Annotated[Path | None, typer.Option(help="Folder of raw .txt files [default: raw/].")] = None,
    out: Annotated[Path | None, typer.Option(help="Folder for the curated datasets [default: curated/].")] = None,
    config_file: Annotated[Path | None, typer.Option("--config", help="TOML file with [tool.tally] settings "
                                                     "[default: ./pyproject.toml].")] = None,
) -> None:
    """Serve the curate flow as a Prefect deployment on a cron schedule (until Ctrl-C).

    Needs a running Prefect server: start one with `prefect server start` and set
    PREFECT_API_URL (e.g. http://127.0.0.1:4200/api). Runs can also be triggered from the UI
    or with `prefect deployment run curate/NAME`.
    """
    import os

    from tally import config
    from tally.prefect_env import configure

    try:
        section = config.load(config_file)
        rules = config.reconcile_settings(section)
        _check_cron(cron)
    except TallyError as exc:
        raise _fail(str(exc), EXIT_USAGE) from None
    if not os.environ.get("PREFECT_API_URL"):
        raise _fail("tally serve needs a Prefect server: start one with `prefect server start` and set "
                    "PREFECT_API_URL=http://127.0.0.1:4200/api", EXIT_USAGE)
    configure()
    from flows.curate import curate

    raw_dir = str((raw or Path(section.get("raw", "raw"))).resolve())
    out_dir = str((out or Path(section.get("out", "curated"))).resolve())
    curate.serve(name=name, cron=cron, parameters={"raw": raw_dir, "out": out_dir, "reconcile": rules.as_mapping(),
                                                   "keep": int(section.get("keep", 5))})


@app.command()
def version() -> None:
    """Print Tally's version and the data contract's schema version."""
    from tally import __version__
    from tally.contract import SCHEMA_VERSION

    typer.echo(f"tally {__version__} (schema {SCHEMA_VERSION})")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
