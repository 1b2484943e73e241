"""`difference`: a stated majority or margin against the two largest counts of the results above it.

    Candidate   Party    Votes
    Ann Smith   Labour   1,566          ...
    Bob Jones   Green    1,204          Majority: 362
    "elected with a majority of 74 votes"     « le oui l'emporte avec 535 voix d'avance »

The results are the nearest run of rows above the statement (table rows, list items or
"label  number" lines), each ending with one count (a percent may follow it), in the same
section; the statement names a majority or margin. Anything else is no check.
"""

from __future__ import annotations

import re
from typing import Any

from tally.reconcile.base import Doc, Result, failing, fmt, quote
from tally.settings import ReconcileSettings
from tally.vocabulary import Kind, Qualifier, Relation, Rule

_MARGIN = re.compile(r"\b(?:majority|margin|lead|majorité|avance|écart)\b", re.IGNORECASE)
_ABSOLUTE = re.compile(r"\b(?:absolute|simple|absolue|relative|two-thirds|deux\s+tiers)\b", re.IGNORECASE)
_ROW_TAIL = re.compile(r"[\s|*_]*(?:\(?[\d.,\s]*%\)?)?[\s|*_]*(?:votes?|voix)?[\s|*_.]*$", re.IGNORECASE)
MAX_LINES_UP = 40  # how far above the statement its results may stand


def _margin_figure(doc: Doc, f: dict[str, Any]) -> bool:
    if f["kind"] != Kind.COUNT or f["value"] is None or f["qualifier"] != Qualifier.EXACT or f["value_max"] is not None:
        return False
    start, _ = doc.index.line_span(f["start"])
    around = doc.text[max(start, f["start"] - 40) : f["end"] + 20]
    return bool(_MARGIN.search(around)) and not _ABSOLUTE.search(around)


def _row_count(doc: Doc, line_no: int) -> dict[str, Any] | None:
    """The one count a result row ends with ("Ann Smith | Labour | 1,566 | 38.4%"), else None."""
    ln = doc.lines[line_no - 1]
    if ln.kind not in ("table", "list", "text") or not ln.text.strip():
        return None
    counts = [f for f in doc.in_span(ln.start, ln.end, (Kind.COUNT,)) if f["value"] is not None]
    if not counts or not _ROW_TAIL.match(doc.text, counts[-1]["end"], ln.end):
        return None
    return counts[-1]


_NOT_A_RESULT = ("total", "majority", "turnout", "electorate", "rejected", "valid", "registered", "ballot", "blank",
                 "spoiled", "inscrits", "votants", "exprimés", "blancs", "nuls", "majorité", "participation")


def _runs_above(doc: Doc, line_no: int, heading: str | None) -> list[list[dict[str, Any]]]:
    """The runs of two or more result rows above line `line_no`, nearest first."""
    runs: list[list[dict[str, Any]]] = []
    rows: list[dict[str, Any]] = []
    for n in range(line_no - 1, max(0, line_no - MAX_LINES_UP), -1):
        f = _row_count(doc, n)
        label = doc.lines[n - 1].text.lower().lstrip(" -*|•")
        if f is not None and f["heading"] == heading and not label.startswith(_NOT_A_RESULT):
            rows.append(f)
            continue
        if len(rows) >= 2:
            runs.append(rows)
        if doc.lines[n - 1].text.strip() or len(rows) >= 2:
            rows = []
    if len(rows) >= 2:
        runs.append(rows)
    return runs


def difference(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    out = []
    for m in doc.figures:
        if not _margin_figure(doc, m):
            continue
        # the nearest results that can have such a margin: a winner with fewer votes than its
        # majority is not the winner of these results ("rejected: 22" above "a majority of 475")
        stated = float(m["value"])
        rows = next((r for r in _runs_above(doc, int(m["line"]), m["heading"]) if max(f["value"] for f in r) > stated), [])
        if not rows:
            continue
        first, second = sorted(rows, key=lambda f: -float(f["value"]))[:2]
        observed = float(first["value"]) - float(second["value"])
        holds = observed == stated
        cue = _MARGIN.search(m["sentence"])
        msg = (f"{quote(m['sentence'], 60)} states a margin of {fmt(stated)}; the two largest results above "
               f"(lines {first['line']} and {second['line']}) differ by {fmt(first['value'])} - {fmt(second['value'])} = "
               f"{fmt(observed)} (tied by {quote(cue.group(0) if cue else 'majority')} below the rows of results)")
        out.append(Result(Rule.DIFFERENCE, [m["figure_id"], first["figure_id"], second["figure_id"]], stated, observed,
                          Relation.EQUALS, holds, failing(holds), msg, int(m["line"])))
    return out
