"""The `tally` command: a thin layer over the library that chooses the runner and turns Tally's
errors into one clear line and an exit code."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tally.cli.options import (
    EXIT_DATA,
    EXIT_PARTIAL,
    EXIT_USAGE,
    ConfigOpt,
    KeepOpt,
    OutOpt,
    RawOpt,
    VerboseOpt,
)
from tally.errors import DataError, TallyError

if TYPE_CHECKING:
    from tally.settings import Settings

app = typer.Typer(
    name="tally",
    help="Extract the figures of raw texts, validate them and publish curated parquet datasets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # help text is plain text: "[default: ...]" and "[tool.tally]" are not markup
)


def _fail(message: str, code: int) -> typer.Exit:
    from tally.cli.output import shown

    typer.echo("tally: " + "\n".join(shown(line) for line in message.split("\n")), err=True)
    return typer.Exit(code)


@contextmanager
def _errors(verbose: bool = False) -> Iterator[None]:
    """Tally's errors as one line on stderr: exit 1 for data, 2 for usage and environment (Prefect
    included: `tally.flows.errors`). With --verbose the traceback is written to stderr first."""
    try:
        yield
    except TallyError as exc:
        if verbose:
            traceback.print_exception(exc, file=sys.stderr)
        raise _fail(str(exc), EXIT_DATA if isinstance(exc, DataError) else EXIT_USAGE) from None


def _settings(config: Path | None, **flags: Any) -> Settings:
    from tally import settings

    return settings.load(config, **flags)


class TaskRunner(StrEnum):
    """Where the Prefect flow runs its batches (`tally.flows.curate.task_runner_for`)."""

    DEFAULT = "default"
    DASK = "dask"


def _runner_usage(task_runner: TaskRunner, dask_address: str | None, prefect: bool) -> None:
    """--task-runner and --dask-address: usage errors (exit 2) before anything starts."""
    if dask_address and task_runner is not TaskRunner.DASK:
        raise typer.BadParameter("it is for --task-runner dask: pass both", param_hint="--dask-address")
    if task_runner is TaskRunner.DASK:
        if not prefect:
            raise typer.BadParameter("dask runs the Prefect flow's batches: leave out --no-prefect",
                                     param_hint="--task-runner")
        from tally.flows.dask import require_dask
        from tally.flows.errors import DaskError

        try:
            require_dask()
        except DaskError as exc:
            raise typer.BadParameter(str(exc), param_hint=exc.option) from None


@app.command()
def run(
    raw: RawOpt = None,
    out: OutOpt = None,
    prefect: Annotated[bool, typer.Option(
        "--prefect/--no-prefect", help="Run as a Prefect flow (embedded server) or as plain calls in this process.")] = True,
    config: ConfigOpt = None,
    keep: KeepOpt = None,
    wait: Annotated[float, typer.Option(min=0, help="Seconds to wait for another run on OUT to finish.")] = 0.0,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Processes extracting and reconciling batches of files. Default: workers from [tool.tally], "
                    "else the number of cores.")] = None,
    task_runner: Annotated[TaskRunner, typer.Option(
        "--task-runner", case_sensitive=False,
        help="Where the Prefect flow runs its batches: default, a pool of --workers processes; dask, a Dask "
             "cluster through prefect-dask (the `dask` extra): a local one of --workers processes, or the one at "
             "--dask-address.")] = TaskRunner.DEFAULT,
    dask_address: Annotated[str | None, typer.Option(
        "--dask-address", metavar="ADDR",
        help="With --task-runner dask: the scheduler of a running Dask cluster, e.g. tcp://host:8786. Its workers "
             "need tally installed and the raw and out folders at the same paths.")] = None,
    verbose: VerboseOpt = False,
) -> None:
    """Run the curate flow: read RAW, extract figures, reconcile, validate, publish to OUT.

    Exit codes: 0 published, every file read and every row valid; 3 published, but some files
    were rejected or some rows quarantined (see documents.parquet and quarantine.parquet); 1 a
    dataset is broken (nothing published); 2 bad usage, folder or configuration, or OUT is
    locked by another run.
    """
    from tally import pipeline, progress
    from tally.cli.output import print_summary
    from tally.publish.lock import out_folder_lock

    _runner_usage(task_runner, dask_address, prefect)
    with _errors(verbose):
        s = _settings(config, raw=raw, out=out, keep=keep, workers=workers)
        paths = pipeline.preflight(s)
        # Usage errors (raw folder, settings, out folder, its lock) before Prefect is even imported;
        # the runners take the lock again (it is reentrant), and a failed run removes an out folder
        # this lock created.
        with out_folder_lock(s.out, wait), progress.bar(len(paths)):
            if prefect:
                from tally.flows.environment import configure

                configure(verbose=verbose)
                from tally.flows.curate import run_flow
                from tally.flows.errors import DaskError

                try:
                    summary = run_flow(s, wait, paths, task_runner.value, dask_address)
                except DaskError as exc:  # the scheduler at --dask-address: a usage error too
                    raise typer.BadParameter(str(exc), param_hint=exc.option) from None
            else:
                summary = pipeline.run(s, wait, paths=paths)
    print_summary(summary)
    if summary.partial:
        raise typer.Exit(EXIT_PARTIAL)


@app.command()
def check(
    raw: RawOpt = None,
    against: Annotated[Path | None, typer.Option(
        help="A published curated folder: also report what changed since it.")] = None,
    junit: Annotated[Path | None, typer.Option(help="Write a JUnit XML report here.")] = None,
    json_file: Annotated[Path | None, typer.Option("--json", help="Write a JSON report here.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="human, or github for ::error annotations.")] = "human",
    config: ConfigOpt = None,
) -> None:
    """Extract, reconcile and validate RAW without publishing: a data-quality gate for CI.

    Exit codes: 0 clean; 1 data errors (error-severity checks, rows that break a contract, or
    changes since --against that the policy fails); 2 usage or runtime errors.
    """
    from tally.cli.output import print_check
    from tally.gate import github_annotations, run_check, write_json, write_junit

    if fmt not in ("human", "github"):
        raise _fail(f"unknown --format {fmt!r}: use human or github", EXIT_USAGE)
    with _errors():
        s = _settings(config, raw=raw)
        report = run_check(s, against)
    if junit:
        write_junit(report, junit, s.raw)
    if json_file:
        write_json(report, json_file)
    if fmt == "github":
        for line in github_annotations(report, s.raw):
            typer.echo(line)
    else:
        print_check(report, s.raw)
    if report.failures:
        raise typer.Exit(EXIT_DATA)


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="A UTF-8 text, Markdown, HTML, PDF or Word file.", exists=True,
                                         dir_okay=False)],
    lang: Annotated[str | None, typer.Option(help="en or fr. Default: detected from the text.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """Print the figures of one text (no Prefect, nothing written)."""
    from tally.extract import extract as extract_text

    if fmt not in ("table", "csv", "json"):
        raise _fail(f"unknown --format {fmt!r}: use table, csv or json", EXIT_USAGE)
    df = _figures_of_file(file, lang)
    if df is None:
        df = extract_text(_utf8_text(file), lang)
    cols = ["line", "text", "value", "value_max", "kind", "unit", "qualifier", "counted", "head", "date_iso"]
    if fmt == "csv":
        sys.stdout.write(df.select(cols).write_csv())
    elif fmt == "json":
        sys.stdout.write(df.write_json() + "\n")
    else:
        from tally.cli.output import print_figures

        print_figures(df.select(cols), title=str(file))

def _utf8_text(file: Path) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(f"{file}: not valid UTF-8 at byte {exc.start}: re-save the file as UTF-8", EXIT_USAGE) from None


def _figures_of_file(file: Path, lang: str | None) -> Any:
    """The figures of a Markdown, HTML, PDF or Word file through its reader (None for plain text)."""
    import polars as pl

    from tally.extract import figure_rows
    from tally.read import formats
    from tally.read.language import detect_language
    from tally.schemas import extracted_schema

    data = file.read_bytes()
    kind = formats.format_of(file.name, data)
    if kind in (None, "txt", "rst"):
        return None
    try:
        reading = formats.read(kind, data)
    except formats.Unreadable as exc:
        raise _fail(f"{file}: {exc}", EXIT_USAGE) from None
    rows = figure_rows(reading.text, lang or detect_language(reading.text), reading.layout)
    return pl.DataFrame(rows, schema=extracted_schema(), orient="row")


def _check_cron(expr: str) -> None:
    import datetime as dt

    from cronsim import CronSim, CronSimError  # Prefect's own cron parser

    from tally.settings import ConfigError

    try:
        CronSim(expr, dt.datetime.now())
    except CronSimError:
        raise ConfigError(f"--cron {expr!r} is not a cron expression (e.g. \"0 6 * * *\")") from None


@app.command()
def serve(
    cron: Annotated[str | None, typer.Option(
        help="When to run, as a cron expression (UTC). Default: 0 6 * * * (every day at 06:00), "
             "unless --interval is given.")] = None,
    interval: Annotated[float | None, typer.Option(
        min=1, help="Or run every SECONDS instead of on a cron.", metavar="SECONDS")] = None,
    name: Annotated[str, typer.Option(help="Deployment name.")] = "tally-curate",
    raw: RawOpt = None,
    out: OutOpt = None,
    config: ConfigOpt = None,
    keep: KeepOpt = None,
    verbose: VerboseOpt = False,
) -> None:
    """Serve the curate flow as a Prefect deployment on a schedule, until Ctrl-C or SIGTERM.

    Needs a running Prefect server: start one with `prefect server start` and set
    PREFECT_API_URL (e.g. http://127.0.0.1:4200/api). Runs can also be triggered from the UI
    or with `prefect deployment run curate/NAME`. Exit codes: 0 stopped by SIGINT or SIGTERM;
    2 bad usage or configuration, the server is missing, unreachable or of another Prefect
    major version, or the deployment name is taken.
    """
    import signal

    if cron is not None and interval is not None:
        raise _fail("--cron and --interval are exclusive: pass one of them", EXIT_USAGE)
    with _errors(verbose):
        s = _settings(config, raw=raw, out=out, keep=keep)
        if interval is None:
            cron = cron or "0 6 * * *"
            _check_cron(cron)
    # Until the runner's own handlers are in place, SIGTERM stops like Ctrl-C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        with _errors(verbose):
            from tally.flows.environment import configure

            configure(verbose=verbose)
            from tally.flows.serve import serve as serve_flow

            serve_flow(s, name, cron=cron, interval=interval, announce=typer.echo)
    except KeyboardInterrupt:
        pass
    typer.echo("tally serve: stopped")


@app.command()
def report(
    curated: Annotated[Path | None, typer.Option(
        help="A published curated folder. Default: out from [tool.tally], else curated/.")] = None,
    output: Annotated[Path, typer.Option("-o", "--output", help="The HTML file to write.")] = Path("report.html"),
    raw: Annotated[Path | None, typer.Option(
        help="Where the texts are. Default: the raw folder the publish's manifest records.")] = None,
    config: ConfigOpt = None,
) -> None:
    """Write the review report of the current publish: one self-contained HTML page with every
    figure highlighted in its text and every check linked to its figures.

    The texts are read again from the raw folder and shown only if they still match the publish
    (sha256); a run writes the same page as report.html into its snapshot. Exit codes: 0
    written; 2 no publish in CURATED, or OUTPUT cannot be written.
    """
    from tally.report import build_report, from_published, write_report

    with _errors():
        s = _settings(config, out=curated)
        html = build_report(from_published(s.out, raw))
    try:
        write_report(html, output)
    except OSError as exc:
        raise _fail(f"cannot write `{output}`: {exc.strerror or exc}: choose another -o FILE", EXIT_USAGE) from None
    typer.echo(f"tally report: wrote {output} ({len(html.encode('utf-8')):,} bytes)")


@app.command()
def version() -> None:
    """Print Tally's version and the data contract's schema version."""
    from tally import __version__
    from tally.schemas import SCHEMA_VERSION

    typer.echo(f"tally {__version__} (schema {SCHEMA_VERSION})")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
