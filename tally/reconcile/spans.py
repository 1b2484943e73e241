"""A stated duration against the dates that bound it (part of `difference`).

    "the two days of the Summit (February 10 and 11)"        "trois jours (du 10 au 12 octobre)"
    "ran for eight weeks, from 2 September to 27 October"    "30 years of surveys (1994–2023)"

The duration (in days, weeks or years) and the span (one date range, two dates joined by "and",
"to", "au", "et", or a range of years) stand in one sentence, within SPAN_REACH characters. Days
are counted inclusively, as people count them. An error needs the span in parentheses right after
the duration's words; anything looser is a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tally.reconcile.base import Doc, Result, failing, fmt, quote
from tally.settings import ReconcileSettings
from tally.vocabulary import Kind, Relation, Rule, Severity

SPAN_REACH = 80
DEFAULT_YEAR = 2001  # a year that is not a leap year, for days stated without one
_JOIN = re.compile(r"^\s*(?:and|to|et|au|à|-|–|—)\s*$", re.IGNORECASE)
_PAREN = re.compile(r"^[^()\n]{0,40}\((?:\s*(?:du|from|on|le|les|des|between|entre)\s+)?$", re.IGNORECASE)
_ISO = re.compile(r"^(\d{4}|-)-(\d{2})-(\d{2})$")
DAYS_PER = {"day": 1, "week": 7}


def _date(iso: str) -> tuple[int | None, int, int] | None:
    m = _ISO.match(iso)
    if not m:
        return None
    year = None if m.group(1) == "-" else int(m.group(1))
    return year, int(m.group(2)), int(m.group(3))


def _days(a: tuple[int | None, int, int], b: tuple[int | None, int, int]) -> int | None:
    """Days from a to b, both counted; a missing year is taken from the other date."""
    year_a = a[0] or b[0] or DEFAULT_YEAR
    year_b = b[0] or year_a
    try:
        start, end = dt.date(year_a, a[1], a[2]), dt.date(year_b, b[1], b[2])
    except ValueError:
        return None
    if end < start and b[0] is None:
        end = end.replace(year=end.year + 1)
    return (end - start).days + 1 if end >= start else None


def _span(doc: Doc, dates: list[dict[str, Any]], k: int) -> tuple[int | None, dict[str, Any], dict[str, Any]]:
    """(days, first, last) of the span that begins with date figure k."""
    f = dates[k]
    iso = f["date_iso"] or ""
    if "/" in iso:
        a, b = (_date(p) for p in iso.split("/", 1))
        return (_days(a, b) if a and b else None), f, f
    if k + 1 < len(dates) and _JOIN.match(doc.text[f["end"] : dates[k + 1]["start"]]):
        g = dates[k + 1]
        a, b = _date(iso), _date(g["date_iso"] or "")
        return (_days(a, b) if a and b else None), f, g
    return None, f, f


def _stated_spans(doc: Doc, d: dict[str, Any]) -> list[tuple[float, dict[str, Any], dict[str, Any]]]:
    """(length in the duration's unit, first, last) of the spans near a duration."""
    near = [f for f in doc.in_span(max(0, d["start"] - SPAN_REACH), d["end"] + SPAN_REACH, (Kind.DATE, Kind.YEAR))
            if f["sentence"] == d["sentence"]]
    out = []
    if d["unit"] == "year":
        for f in near:
            if f["kind"] == Kind.YEAR and f["value_max"] is not None:
                out.append((float(f["value_max"] - f["value"] + 1), f, f))
        return out
    dates = [f for f in near if f["kind"] == Kind.DATE and f["date_iso"]]
    for k in range(len(dates)):
        days, first, last = _span(doc, dates, k)
        if days is not None:
            out.append((days / DAYS_PER[d["unit"]], first, last))
    return out


def date_spans(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    out = []
    for d in doc.figures:
        if d["kind"] != Kind.DURATION or d["unit"] not in ("day", "week", "year") or d["value"] is None \
                or d["value_max"] is not None or not float(d["value"]).is_integer():
            continue
        spans = _stated_spans(doc, d)
        if len(spans) != 1:
            continue  # none, or several: which one it measures is not said
        observed, first, last = spans[0]
        stated = float(d["value"])
        holds = observed == stated
        tight = first["start"] > d["end"] and bool(_PAREN.match(doc.text[d["end"] : first["start"]]))
        what = doc.text[first["start"] : last["end"]]
        msg = (f"{quote(d['text'])} against {quote(what)}: {fmt(observed)} {d['unit']}s counting both ends "
               f"(tied by {'the parentheses after it' if tight else 'the sentence'})")
        ids = [d["figure_id"], first["figure_id"]] + ([last["figure_id"]] if last is not first else [])
        out.append(Result(Rule.DIFFERENCE, ids, stated, observed, Relation.EQUALS, holds,
                          failing(holds, Severity.ERROR if tight else Severity.WARNING), msg, int(d["line"])))
    return out
