"""A progress bar for long runs (files/s, figures, ETA), drawn only on a terminal.

The command line opens it around a run; the pipeline reports each document through `advance`,
which does nothing when no bar is open (tests, flows served by a worker, CI logs).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

MIN_FILES = 20  # below this a run is over before a bar helps

_bar: Progress | None = None
_task: TaskID | None = None
_figures = 0


@contextlib.contextmanager
def bar(total: int, console: Console | None = None) -> Iterator[None]:
    global _bar, _task, _figures
    console = console or Console(stderr=True)
    if total < MIN_FILES or not console.is_terminal:
        yield
        return
    _figures = 0
    with Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("[progress.data.speed]{task.fields[rate]}"),
                  TextColumn("{task.fields[figures]} figures"), TimeRemainingColumn(), console=console,
                  transient=True) as progress:
        _bar, _task = progress, progress.add_task("extract", total=total, figures=0, rate="")
        try:
            yield
        finally:
            _bar, _task = None, None


def advance(figures: int) -> None:
    global _figures
    if _bar is None or _task is None:
        return
    _figures += figures
    task = _bar.tasks[_task]
    rate = f"{task.speed:.0f} files/s" if task.speed else ""
    _bar.update(_task, advance=1, figures=_figures, rate=rate)
