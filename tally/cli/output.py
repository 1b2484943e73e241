"""What the CLI prints: the run summary and figure tables (rich)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from pathlib import Path

    import polars as pl

    from tally.gate import Report
    from tally.pipeline import Summary


# Characters that steer a terminal or reorder what it shows: C0 and C1 controls, DEL, bidi
# controls, line and paragraph separators. File names may hold any of them.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def shown(text: object) -> str:
    """`text` safe to print: controls as `\\x1b` / `\\u202e` escapes, never raw."""
    def esc(m: re.Match[str]) -> str:
        code = ord(m.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNSAFE.sub(esc, str(text).encode("utf-8", "backslashreplace").decode("utf-8"))


def safe(text: object) -> str:
    """`text` safe to print through rich: escaped controls and no markup."""
    return escape(shown(text))


# A run's summary lists this many failing checks, rejected and skipped files of each (a corpus may
# have thousands: printing them all took longer than an unchanged rerun's work); the datasets,
# the manifest and the report hold every one.
ERRORS_SHOWN = 20


def print_summary(summary: Summary, console: Console | None = None) -> None:
    console = console or Console()
    q = f", {summary.quarantined} rows quarantined" if summary.quarantined else ""
    cached = f" ({summary.cache_hits} documents unchanged, from cache)" if summary.cache_hits else ""
    skipped = f", {len(summary.skipped)} skipped" if summary.skipped else ""
    console.print(
        f"[bold]tally run[/bold]: {summary.documents} documents ({summary.documents_ok} ok, "
        f"{len(summary.rejected)} rejected{skipped}), {summary.figures} figures{q} in {summary.seconds:.2f} s{cached}"
    )
    table = Table("kind", "figures", box=None, pad_edge=False)
    for kind, n in summary.by_kind.items():
        table.add_row(kind, str(n))
    console.print(table)
    for what, files in (("rejected", summary.rejected), ("skipped", summary.skipped)):
        for source, reason in files[:ERRORS_SHOWN]:
            console.print(f"  {what} {shown(source)}: {shown(reason)}", markup=False, highlight=False)
        if len(files) > ERRORS_SHOWN:
            console.print(f"  … and {len(files) - ERRORS_SHOWN} more {what} files: every one is in documents.parquet "
                          "and the manifest", markup=False, highlight=False)
    if summary.checks:
        parts = ", ".join(f"{n} {sev}" for sev, n in summary.checks.items())
        console.print(f"reconciliations: {sum(summary.checks.values())} checks ({parts})")
    for source, line, rule, message in summary.errors[:ERRORS_SHOWN]:
        console.print(f"  [red]error[/red] {safe(source)}:{line} {rule}: {safe(message)}", markup=True, highlight=False)
    n_errors = max(len(summary.errors), summary.checks.get("error", 0))  # a run keeps the first errors only
    if n_errors > ERRORS_SHOWN:
        where = "the review report" if summary.report else "`tally check`"
        console.print(f"  … and {n_errors - ERRORS_SHOWN} more errors: every one is in the "
                      f"reconciliations dataset and {where}", markup=False, highlight=False)
    console.print(f"published run {summary.run_id} to {safe(summary.out)}/: "
                  + ", ".join(p.rsplit("/", 1)[-1] for p in summary.published), soft_wrap=True)
    if summary.report:
        console.print(f"review report: {safe(summary.report)}", soft_wrap=True)


def print_figures(df: pl.DataFrame, title: str, console: Console | None = None) -> None:
    console = console or Console()
    table = Table(*df.columns, title=title)
    for row in df.iter_rows():
        table.add_row(*("" if v is None else safe(v) for v in row))
    console.print(table)


def print_check(report: Report, raw: Path, console: Console | None = None) -> None:
    console = console or Console(width=None if Console().is_terminal else 200)
    shown = [f for f in report.findings if f.severity != "info" or f.fails]
    if shown:
        table = Table("where", "rule", "severity", "message", title="tally check", show_lines=False)
        for f in shown:
            style = "red" if f.fails else ("yellow" if f.severity == "warning" else "")
            table.add_row(safe(f"{raw / f.source}:{f.line}"), f.rule, f.severity, safe(f.message), style=style)
        console.print(table)
    verdict = f"[red]{len(report.failures)} failing[/red]" if report.failures else "[green]clean[/green]"
    console.print(f"tally check: {len(report.documents)} documents, {report.figures} figures, "
                  f"{len(shown)} finding{'' if len(shown) == 1 else 's'}: {verdict}")
