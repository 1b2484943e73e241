"""A total said to combine the sections above it (part of `part_whole`).

    1. HALLAM NORTH ... Electorate: 9,412      ...      Combined electorate: 47,257
    TRUSTEE AREA 1 ... Ballots cast: 3,214  ...  Across the two trustee areas, 5,322 ballots were cast
    • Partition CPU : 256 nœuds ... • Partition GPU : 48 nœuds ...  Au total, Orion 2 compte ainsi 304 nœuds

The total carries a word that says it combines ("combined", "across", "in all", "altogether",
"au total", "en tout", "cumulé"). Its parts are either the earlier "Label: N" fields whose label
is the total's own label or sentence without that word (one per section, two at least, as many
as a number in the combining phrase says: "the two trustee areas"), or the earlier counts of its
head noun in its own section, one per line. The tie is a label or a noun, not a syntax: a total
that does not add up is a warning, never an error.
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import Any

from tally.extract.tables.structure_words import COMBINING_FILLER
from tally.reconcile.base import WORD, Doc, Result, failing, field_of, fmt, quote
from tally.reconcile.parts import _tolerance
from tally.settings import ReconcileSettings
from tally.vocabulary import Kind, Qualifier, Relation, Rule, Severity

REACH = 6000  # characters back from a total to its parts
_COMBINING = re.compile(r"\b(?:combined|across|in\s+all|altogether|au\s+total|en\s+tout|cumulée?s?|cumulés?|overall)\b",
                        re.IGNORECASE)
_FILLER = COMBINING_FILLER


def _exact(f: dict[str, Any]) -> bool:
    return (f["kind"] in (Kind.COUNT, Kind.MONEY) and f["value"] is not None and f["value_max"] is None
            and f["qualifier"] == Qualifier.EXACT)


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in WORD.findall(text)) - _FILLER


def combined_totals(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    figs = [f for f in doc.figures if _exact(f)]
    starts = [f["start"] for f in figs]
    fields = [(f, field_of(doc, f)) for f in figs]
    labelled = [(f, fl) for f, fl in fields if fl.separated and fl.label]
    label_starts = [f["start"] for f, _ in labelled]
    out = []
    for k, (t, tf) in enumerate(fields):
        where = tf.label if tf.separated and tf.label else (t["sentence"] or "")
        cue = _COMBINING.search(where)
        if cue is None:
            continue
        lo = bisect.bisect_left(label_starts, t["start"] - REACH)
        hi = bisect.bisect_left(label_starts, t["start"])
        result = _by_label(doc, t, where, cue, labelled[lo:hi])
        if result is None:
            result = _by_head(doc, t, cue, figs[bisect.bisect_left(starts, t["start"] - REACH) : k])
        if result is not None:
            out.append(result)
    return out


def _stated_number(doc: Doc, t: dict[str, Any], cue: re.Match[str]) -> int | None:
    """"across the five divisions", "Across the two trustee areas": how many parts the phrase says."""
    for f in doc.in_span(max(0, t["start"] - 80), t["end"] + 80, (Kind.COUNT,)):
        if f is not t and f["sid"] == t["sid"] and f["value"] is not None and 2 <= f["value"] <= 50 \
                and cue.group(0).lower() == "across":
            return int(f["value"])
    return None


def _by_label(doc: Doc, t: dict[str, Any], where: str, cue: re.Match[str],
              fields: list[tuple[dict[str, Any], Any]]) -> Result | None:
    words = _words(where)
    parts = [f for f, fl in fields if f["kind"] == t["kind"] and f["unit"] == t["unit"] and fl.label
             and _words(fl.label) and _words(fl.label) <= words and not _COMBINING.search(fl.label)]
    if len(parts) < 2 or len({p["heading"] for p in parts}) != len(parts) or max(p["value"] for p in parts) >= t["value"]:
        return None  # one per section
    n = _stated_number(doc, t, cue)
    if n is not None and n != len(parts):
        return None
    label = field_of(doc, parts[0]).text
    return _result(t, parts, f"the {len(parts)} fields labelled {quote(label)} in the sections above", cue)


def _by_head(doc: Doc, t: dict[str, Any], cue: re.Match[str], before: list[dict[str, Any]]) -> Result | None:
    if t["kind"] != Kind.COUNT or not t["head"]:
        return None
    same = [f for f in before if f["kind"] == Kind.COUNT and f["head"] == t["head"] and f["heading"] == t["heading"]
            and f["value"] < t["value"]]
    lines = [f["line"] for f in same]
    if len(same) < 2 or len(set(lines)) != len(lines) or any(f["sid"] == t["sid"] for f in same):
        return None
    n = _stated_number(doc, t, cue)
    if n is not None and n != len(same):
        return None
    return _result(t, same, f"the {len(same)} counts of {t['head']} in the section above", cue)


def _result(t: dict[str, Any], parts: list[dict[str, Any]], what: str, cue: re.Match[str]) -> Result:
    total = sum(float(p["value"]) for p in parts)
    holds = abs(total - float(t["value"])) <= _tolerance([*parts, t])
    terms = " + ".join(fmt(p["value"]) for p in parts)
    msg = (f"{what}: {terms} = {fmt(total)} {'add up to' if holds else 'do not add up to'} the stated "
           f"{quote(t['text'])} (line {t['line']}; tied by {quote(cue.group(0))} and the shared words, weakly)")
    return Result(Rule.PART_WHOLE, [t["figure_id"]] + [p["figure_id"] for p in parts], float(t["value"]), total,
                  Relation.EQUALS, holds, failing(holds, Severity.WARNING), msg, int(t["line"]))


_FIELD_SEPARATOR = re.compile(r"\s*;\s*")


def channel_breakdowns(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    """"Vote en ligne : 15 112 votants ; vote papier dans les 14 mairies : 3 315 votants": the fields
    of one line, separated by ";", that count one noun, summed against the one other count of that
    noun in the document they add up to. The line does not say which whole it breaks down, so a
    check is made only where the parts add up to exactly one figure of their noun (info, never an
    accusation)."""
    counts = [f for f in doc.figures if _exact(f) and f["kind"] == Kind.COUNT and f["head"]]
    by_head: dict[str, list[dict[str, Any]]] = {}
    for f in counts:
        by_head.setdefault(f["head"], []).append(f)
    by_line: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for f in counts:
        by_line.setdefault((f["line"], f["head"]), []).append(f)
    out = []
    for (_, head), parts in by_line.items():
        if len(parts) < 2 or not all(field_of(doc, p).separated for p in parts):
            continue
        if not all(_FIELD_SEPARATOR.search(doc.text, a["end"], b["start"]) for a, b in itertools.pairwise(parts)):
            continue
        total = sum(float(p["value"]) for p in parts)
        wholes = [w for w in by_head[head] if w not in parts and float(w["value"]) == total]
        if len({w["value"] for w in wholes}) != 1:
            continue
        w = wholes[0]
        terms = " + ".join(fmt(p["value"]) for p in parts)
        msg = (f"the {len(parts)} fields of line {parts[0]['line']} ({terms} = {fmt(total)} {head}) add up to the stated "
               f"{quote(w['text'])} (line {w['line']}), the figure of that noun they break down (tied by the noun, weakly)")
        out.append(Result(Rule.PART_WHOLE, [w["figure_id"]] + [p["figure_id"] for p in parts], float(w["value"]), total,
                          Relation.EQUALS, True, failing(True), msg, int(parts[0]["line"])))
    return out
