"""Shares of one whole must sum to 100 (part of `percent_of`).

    Profil des votants           Tranches d'âge
    - 18-29 ans : 21 %           "45%, 35% and 20% of the budget"
    - 30-44 ans : 34 % ...

A run of three or more consecutive lines (list items, table rows, "Label : N %" lines) with one
percent each, or three or more percents joined by commas and "and" in one sentence. The sum must
be 100 within half a last digit per share. A sum far from 100 (below 80 or above 120) is not a
breakdown of one whole: no check. Questions that allow several answers are skipped. A breakdown
off by more than its rounding is a warning: the text does not say the shares are exhaustive.
"""

from __future__ import annotations

import re
from typing import Any

from tally.reconcile.base import Doc, Result, failing, fmt, precision_unit, quote
from tally.settings import ReconcileSettings
from tally.vocabulary import Kind, Relation, Rule, Severity

MIN_SHARES = 3
PLAUSIBLE = (80.0, 120.0)
_SEVERAL = re.compile(r"plusieurs\s+réponses|réponses\s+multiples|several\s+answers|multiple\s+(?:answers|choices)|"
                      r"more\s+than\s+one\s+(?:answer|option)|could\s+choose|pouvaient\s+choisir", re.IGNORECASE)
_JOINED = re.compile(r"\s*(?:,|;|and|et|or|ou)\s*(?:and\s+|et\s+)?\Z", re.IGNORECASE)
_ROW_SEPARATOR = re.compile(r"[|\t:–—-]")


def _percents(doc: Doc, start: int, end: int) -> list[dict[str, Any]]:
    return [f for f in doc.in_span(start, end, (Kind.PERCENT,)) if f["value"] is not None and f["value_max"] is None]


def _line_runs(doc: Doc) -> list[list[dict[str, Any]]]:
    """Runs of consecutive lines that each hold one percent after a label."""
    runs: list[list[dict[str, Any]]] = []
    run: list[dict[str, Any]] = []
    for ln in doc.lines:
        shares = _percents(doc, ln.start, ln.end)
        label = doc.text[ln.start : shares[0]["start"]] if len(shares) == 1 else ""
        counts = [f for f in doc.in_span(ln.start, ln.end, (Kind.COUNT, Kind.MONEY)) if f["value"] is not None]
        # a row with two counts holds a rate of one to the other ("612  118  19.3%"), not a share
        if len(shares) == 1 and len(counts) <= 1 and _ROW_SEPARATOR.search(label) and ln.kind != "heading":
            run.append(shares[0])
            continue
        if len(run) >= MIN_SHARES:
            runs.append(run)
        run = []
    if len(run) >= MIN_SHARES:
        runs.append(run)
    return runs


def _sentence_runs(doc: Doc) -> list[list[dict[str, Any]]]:
    """Percents joined by commas and "and" in one sentence: "45%, 35% and 20%"."""
    runs: list[list[dict[str, Any]]] = []
    run: list[dict[str, Any]] = []
    for f in _percents(doc, 0, len(doc.text)):
        if run and f["sid"] == run[-1]["sid"] and _JOINED.match(doc.text[run[-1]["end"] : f["start"]]):
            run.append(f)
            continue
        if len(run) >= MIN_SHARES:
            runs.append(run)
        run = [f]
    if len(run) >= MIN_SHARES:
        runs.append(run)
    return runs


def _several_answers(doc: Doc, run: list[dict[str, Any]]) -> bool:
    start = doc.index.line_span(max(0, doc.index.line_span(run[0]["start"])[0] - 1))[0]
    before = doc.text[max(0, start - 300, run[0]["start"] - 600) : run[0]["start"]]  # bounded: one line may be 50 MB
    return bool(_SEVERAL.search(before))


def shares_of_one_whole(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    out = []
    seen: set[str] = set()
    for run, tie in [(r, "consecutive lines with one share each") for r in _line_runs(doc)] + \
                    [(r, "commas and “and” in one sentence") for r in _sentence_runs(doc)]:
        if run[0]["figure_id"] in seen or _several_answers(doc, run):
            continue
        seen.update(f["figure_id"] for f in run)
        total = sum(float(f["value"]) for f in run)
        if not PLAUSIBLE[0] <= total <= PLAUSIBLE[1]:
            continue
        tol = sum(precision_unit(f) / 2 for f in run) + 1e-9
        holds = abs(total - 100.0) <= tol
        lines = f"line {run[0]['line']}" if run[0]["line"] == run[-1]["line"] else f"lines {run[0]['line']}-{run[-1]['line']}"
        msg = (f"{len(run)} shares ({lines}: {' + '.join(quote(f['text']) for f in run)}) sum to {fmt(total)}%, "
               f"{'within' if holds else 'beyond'} ±{tol:.2g} of 100% (tied by {tie})")
        out.append(Result(Rule.PERCENT_OF, [f["figure_id"] for f in run], 100.0, round(total, 6), Relation.EQUALS, holds,
                          failing(holds, Severity.WARNING), msg, int(run[0]["line"])))
    return out
