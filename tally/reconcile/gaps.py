"""The years between two ages or years of one sentence (part of `difference`).

    "Our participants ranged in age from 21 to 58: 37 years separate the youngest and the oldest"
    "Our speakers spanned 42 years: Jo is 19 and Tomasz is 61."
    "Les âges allaient de 8 à 92 ans, soit 84 ans d'écart."

A number of years is tied to the two ends only by a word that says it measures the gap between
them ("separate", "spanned", "apart", "gap", "écart", "séparent") in the same sentence, and the
ends are either one stated range ("from 21 to 58", "de 8 à 92 ans") or the only two bare numbers
of the sentence after the gap. Off by one year is a warning (birthdays), beyond it an error.
"""

from __future__ import annotations

import re
from typing import Any

from tally.reconcile.base import Doc, Result, by_sentence, fmt, quote
from tally.settings import ReconcileSettings
from tally.vocabulary import Kind, Qualifier, Relation, Rule, Severity

_GAP_WORD = re.compile(r"\b(?:separates?|separating|spann?(?:ed|ing|s)?|apart|gap|difference|écarts?|sépar\w*)\b", re.IGNORECASE)


def _years(f: dict[str, Any]) -> bool:
    return (f["kind"] == Kind.DURATION and f["unit"] == "year" and f["value"] is not None and f["value_max"] is None
            and f["qualifier"] == Qualifier.EXACT)


def _ends(sentence: list[dict[str, Any]], gap: dict[str, Any]) -> list[float] | None:
    ranges = [f for f in sentence if f is not gap and f["value"] is not None and f["value_max"] is not None
              and f["kind"] in (Kind.COUNT, Kind.DURATION)]
    if len(ranges) == 1:
        return [float(ranges[0]["value"]), float(ranges[0]["value_max"])]
    bare = [f for f in sentence if f["start"] > gap["end"] and f["kind"] == Kind.COUNT and f["value"] is not None
            and f["value_max"] is None and not f["counted"]]
    if len(ranges) == 0 and len(bare) == 2 and len([f for f in sentence if f["start"] > gap["end"]]) == 2:
        return [float(bare[0]["value"]), float(bare[1]["value"])]
    return None


def age_gaps(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    out = []
    for sentence in by_sentence(doc.figures).values():
        gaps = [f for f in sentence if _years(f)]
        if len(gaps) != 1:
            continue
        gap = gaps[0]
        cue = _GAP_WORD.search(gap["sentence"] or "")
        ends = _ends(sentence, gap) if cue else None
        if cue is None or ends is None:
            continue
        lo, hi = min(ends), max(ends)
        observed, stated = hi - lo, float(gap["value"])
        off = abs(observed - stated)
        holds = off == 0
        severity = Severity.INFO if holds else (Severity.WARNING if off <= 1 else Severity.ERROR)
        msg = (f"{quote(gap['text'])} between {fmt(lo)} and {fmt(hi)}: {fmt(hi)} - {fmt(lo)} = {fmt(observed)} "
               f"{'agrees' if holds else 'does not agree'} (tied by {quote(cue.group(0))} in the sentence)")
        ids = [gap["figure_id"]] + [f["figure_id"] for f in sentence if f is not gap and f["value"] is not None]
        out.append(Result(Rule.DIFFERENCE, ids[:3], stated, observed, Relation.EQUALS, holds, severity, msg, int(gap["line"])))
    return out
