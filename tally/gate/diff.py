"""What changed since a publish: figures added, removed or changed, and documents whose figure
count moved by more than a share (an extractor regression or a rewritten source)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from tally.errors import NotPublishedError, TallyError
from tally.publish.reader import read_published
from tally.publish.snapshots import CURRENT, io_cause
from tally.vocabulary import Change as ChangeKind

COMPARED = ("value", "value_max", "kind", "qualifier", "counted")


class AgainstError(TallyError):
    """The folder given with --against is not a published curated folder."""


@dataclass(frozen=True)
class Change:
    source: str
    line: int
    change: ChangeKind
    message: str


def _keyed(figures: pl.DataFrame) -> pl.DataFrame:
    """Figures keyed by (source, text, n): the n-th time that text is a figure in that document,
    which survives edits that move offsets."""
    return figures.sort("source", "start").with_columns(
        pl.int_range(pl.len()).over("source", "text").alias("n"))


def load_published(folder: Path) -> pl.DataFrame:
    """The figures of the publish in `folder` (through its `current` link, checked against the
    manifest), or of a bare `figures.parquet` there; a file that is not a whole parquet file is
    one AgainstError line, never a traceback."""
    path = folder / "figures.parquet"
    if not path.exists():
        raise AgainstError(f"`{folder}` holds no figures.parquet: pass --against with a folder `tally run` published")
    try:
        if os.path.islink(folder / CURRENT):
            return read_published(folder, "figures")
        return pl.read_parquet(path)
    except NotPublishedError as exc:
        raise AgainstError(f"--against {exc}") from None
    except (OSError, pl.exceptions.PolarsError) as exc:
        raise AgainstError(f"`{path}` cannot be read as parquet ({io_cause(exc)}): pass --against with a folder "
                           "`tally run` published") from None


def compare(old: pl.DataFrame, new: pl.DataFrame, count_shift: float = 0.2) -> list[Change]:
    a, b = _keyed(old), _keyed(new)
    key = ["source", "text", "n"]
    joined = a.join(b, on=key, how="full", suffix="_new", coalesce=True)
    out: list[Change] = []
    for r in joined.iter_rows(named=True):
        if r["figure_id"] is None:
            out.append(Change(r["source"], r["line_new"], ChangeKind.ADDED,
                              f"new figure {r['text']!r} ({r['kind_new']} {r['value_new']}, {r['counted_new'] or '-'})"))
        elif r["figure_id_new"] is None:
            out.append(Change(r["source"], r["line"], ChangeKind.REMOVED,
                              f"figure {r['text']!r} ({r['kind']} {r['value']}, {r['counted'] or '-'}) is gone"))
        else:
            diffs = [f"{c} {r[c]!r} -> {r[c + '_new']!r}" for c in COMPARED if r[c] != r[c + "_new"]]
            if diffs:
                out.append(Change(r["source"], r["line_new"], ChangeKind.CHANGED, f"{r['text']!r}: " + "; ".join(diffs)))
    before = dict(old.group_by("source").len().rows())
    after = dict(new.group_by("source").len().rows())
    for source in sorted(set(before) | set(after)):
        n0, n1 = before.get(source, 0), after.get(source, 0)
        if n0 and abs(n1 - n0) / n0 > count_shift:
            out.append(Change(source, 1, ChangeKind.COUNT_SHIFT,
                              f"figure count moved from {n0} to {n1} ({(n1 - n0) / n0:+.0%}, over ±{count_shift:.0%})"))
    out.sort(key=lambda c: (c.source, c.line or 0, c.change))
    return out
