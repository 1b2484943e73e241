"""Rows of results ("Ann Smith  Labour  1,566"): a stated majority or margin against the two
largest (`difference`), and a labelled vote total ("Valid votes: 4,081", "Exprimés : 872")
against their sum (part of `part_whole`).

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

from tally.reconcile.base import Doc, Result, failing, field_of, fmt, precision_unit, quote, share_result
from tally.reconcile.spans import date_spans
from tally.settings import ReconcileSettings
from tally.vocabulary import Kind, Qualifier, Relation, Rule

_MARGIN = re.compile(r"\b(?:majority|margin|lead|majorité|avance|écart)\b", re.IGNORECASE)
_ABSOLUTE = re.compile(r"\b(?:absolute|simple|absolue|relative|two-thirds|deux\s+tiers)\b", re.IGNORECASE)
# after a result's count: its unit and its share in either order ("1 652 voix (58,6 % des exprimés)")
_ROW_TAIL = re.compile(r"[\s|*_]*(?:votes?|voix)?[\s|*_]*(?:\(?[\d.,\s]*%[^)\n\d]{0,40}\)?)?[\s|*_]*(?:votes?|voix)?[\s|*_.]*$",
                       re.IGNORECASE)
# "YES: 6,118 (57.9%)": a field with its share of the vote is a row of results
_WITH_SHARE = re.compile(r":\s*\d[\d.,'\s\u00a0\u202f]*(?:votes?|voix)?\s*\(\s*\d[\d.,]*\s*%\s*\)\s*$", re.IGNORECASE)
_COLUMNS = re.compile(r"\t|\S {2,}\S")  # a text row of a table: cells apart by tabs or runs of spaces
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
    if not ln.text.strip() or not (ln.kind in ("table", "list") or _COLUMNS.search(ln.text) or _WITH_SHARE.search(ln.text)):
        return None  # a "Label : value" line of statistics is not a row of results
    counts = [f for f in doc.in_span(ln.start, ln.end, (Kind.COUNT,)) if f["value"] is not None]
    if len(counts) != 1 or not _ROW_TAIL.match(doc.text, counts[-1]["end"], ln.end):
        return None
    return counts[-1]


_NOT_A_RESULT = ("total", "majority", "turnout", "electorate", "rejected", "valid", "registered", "ballot", "blank",
                 "spoiled", "inscrits", "votants", "exprimés", "blancs", "nuls", "majorité", "participation", "dont",
                 "bulletins", "votes par", "postal", "by post", "suffrages")


ANY = "*any heading*"


def _is_result(doc: Doc, n: int, heading: str | None) -> dict[str, Any] | None:
    f = _row_count(doc, n)
    label = doc.lines[n - 1].text.lower().lstrip(" -*|•")
    same = heading == ANY or (f is not None and f["heading"] == heading)
    return f if f is not None and same and not label.startswith(_NOT_A_RESULT) else None


def _runs(doc: Doc, line_no: int, heading: str | None, step: int) -> list[list[dict[str, Any]]]:
    """The runs of two or more result rows above (step -1) or below (step 1) line `line_no`,
    nearest first; a blank line may stand between a run and the next."""
    runs: list[list[dict[str, Any]]] = []
    rows: list[dict[str, Any]] = []
    last = max(0, line_no - MAX_LINES_UP) if step < 0 else min(len(doc.lines) + 1, line_no + MAX_LINES_UP)
    for n in range(line_no + step, last, step):
        f = _is_result(doc, n, heading)
        if f is not None:
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
    """Majorities and margins against results; durations against the dates that bound them."""
    out = date_spans(doc, settings)
    for m in doc.figures:
        if not _margin_figure(doc, m):
            continue
        # the nearest results that can have such a margin: a winner with fewer votes than its
        # majority is not the winner of these results ("rejected: 22" above "a majority of 475")
        stated = float(m["value"])
        rows = next((r for r in _runs(doc, int(m["line"]), m["heading"], -1) if max(f["value"] for f in r) > stated), [])
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


# Labels of a line whose value is the sum of the results next to it.
MAX_GAP = 4  # lines between a vote total and the nearest row of its results
VOTE_TOTALS = ("valid votes", "total valid votes", "total votes", "votes exprimés", "suffrages exprimés", "exprimés")


def vote_totals(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    """"Valid votes: 4,081" below (or "Exprimés : 872" above) the rows of candidates: their sum."""
    out = []
    for t in doc.figures:
        if t["kind"] != Kind.COUNT or t["value"] is None or t["qualifier"] != Qualifier.EXACT:
            continue
        field = field_of(doc, t)
        if not field.separated or field.label not in VOTE_TOTALS or field.after.strip(" .|*"):
            continue
        line = int(t["line"])
        # the results right above ("Valid votes" after the table) or right below ("Exprimés" before
        # it); headings are not trusted here (a "Label: value" line can look like one)
        near = [r for step in (-1, 1) for r in _runs(doc, line, ANY, step)[:1] if abs(r[0]["line"] - line) <= MAX_GAP]
        if len(near) != 1:
            continue  # none, or results on both sides: which ones it totals is not said
        rows = near[0]
        observed = float(sum(float(f["value"]) for f in rows))
        stated = float(t["value"])
        holds = observed == stated
        terms = " + ".join(fmt(f["value"]) for f in sorted(rows, key=lambda f: f["start"]))
        msg = (f"{quote(field.text)} {fmt(stated)}: the {len(rows)} results next to it add up to {terms} = "
               f"{fmt(observed)} (tied by the label and the rows of results)")
        out.append(Result(Rule.PART_WHOLE, [t["figure_id"]] + [f["figure_id"] for f in rows], stated, observed,
                          Relation.EQUALS, holds, failing(holds), msg, line))
    return out


def _count_and_share(doc: Doc, ln: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """A line with one count and, after it, one percent: "YES: 6,118 (57.9%)", "Oui : 1 652 voix (58,6 %)"."""
    counts = [f for f in doc.in_span(ln.start, ln.end, (Kind.COUNT,)) if f["value"] is not None]
    shares = [f for f in doc.in_span(ln.start, ln.end, (Kind.PERCENT,)) if f["value"] is not None]
    if len(counts) != 1 or len(shares) != 1 or shares[0]["start"] < counts[0]["end"] or shares[0]["value_max"]:
        return None
    return counts[0], shares[0]


def _share_runs(doc: Doc) -> list[list[tuple[dict[str, Any], dict[str, Any]]]]:
    """Runs of consecutive lines that each give a count and its percent."""
    runs: list[list[tuple[dict[str, Any], dict[str, Any]]]] = [[]]
    for ln in doc.lines:
        pair = _count_and_share(doc, ln) if ln.kind != "heading" else None
        if pair is not None:
            runs[-1].append(pair)
        elif runs[-1]:
            runs.append([])
    return [r for r in runs if len(r) >= 2]


def row_shares(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    """Rows of results with their percents ("Tous les jours : 318 (28 %)" ...): when the percents
    add up to 100 within their rounding, they are shares of the rows' sum, and each must be its
    count's share of it (part of `percent_of`)."""
    out = []
    for run in _share_runs(doc):
        total_share = sum(float(p["value"]) for _, p in run)
        slack = sum(precision_unit(p) / 2 for _, p in run) + 0.01
        base = sum(float(c["value"]) for c, _ in run)
        if abs(total_share - 100.0) > slack or not base:
            continue
        whole = {**run[0][0], "value": base}  # the sum stands for the whole; the first row names it
        for c, p in run:
            out.append(share_result(p, c, whole, settings.percent_tolerance,
                                    f"{fmt(c['value'])} of the {len(run)} rows' {fmt(base)}",
                                    f"the rows' percents, which add up to {total_share:g}%"))
    return out
