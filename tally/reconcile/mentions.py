"""`restatement` and `repeated_mention`: one quantity mentioned twice must agree.

restatement: a rounded or qualified figure ("over 11,000 participants", "121,000 votes",
"Près de 2 millions") against a precise one with the same head ("11,661 participants").
repeated_mention: exact, precise figures counting the same thing ("11,661 participants" in two
stat blocks) must be equal.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from tally.extract.tables.structure_words import NOT_RESTATED, PEOPLE_NOUNS
from tally.read.context import MAX_SENTENCE
from tally.reconcile.base import Doc, Result, failing, fmt, is_rounded, precision_unit, quote
from tally.settings import ReconcileSettings
from tally.vocabulary import Relation, Rule, Severity

KINDS = ("count", "money")


def _key(f: dict[str, Any]) -> tuple[str, str | None, str | None]:
    """What a figure counts, for restatements: people-taking-part nouns are one class."""
    head = f["head"]
    return f["kind"], f["unit"], "#people" if head in PEOPLE_NOUNS else head


class _Precise:
    """Precise figures grouped by (kind, unit, head), sorted by value: the nearest one to a value
    in O(log n)."""

    def __init__(self, figs: list[dict[str, Any]]) -> None:
        self.groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
        for f in sorted(figs, key=lambda f: (f["value"], f["start"])):
            self.groups.setdefault(_key(f), []).append(f)
        self.values = {k: [float(f["value"]) for f in g] for k, g in self.groups.items()}

    def nearest(self, r: dict[str, Any], reach: float) -> dict[str, Any] | None:
        """The precise figure of r's key closest in value to r (the first in the text on a tie),
        if within `reach`."""
        key, v = _key(r), float(r["value"])
        values = self.values.get(key)
        if not values:
            return None
        group = self.groups[key]
        pos = bisect.bisect_left(values, v)
        near = []
        for i in (pos - 1, pos):
            if 0 <= i < len(values):
                first = bisect.bisect_left(values, values[i])  # the first in the text of equal values
                near.append(group[first])
        best = min(near, key=lambda c: (abs(c["value"] - v), c["start"]))
        return best if abs(best["value"] - v) <= reach else None


def restatement(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    figs = [f for f in doc.figures if f["kind"] in KINDS and f["head"] and f["value"] and f["value_max"] is None]
    precise = _Precise([f for f in figs if not is_rounded(f)])
    out = []
    for r in figs:
        if not is_rounded(r):
            continue
        unit = precision_unit(r)
        # a precise figure it could be a rounding of: within one rounding step and 1% for a plain
        # round number ("121,000" and "122,325" contradict), within restatement_max_gap for
        # "over", "up to", "about"
        reach = unit + 0.01 * float(r["value"]) if r["qualifier"] == "exact" else max(
            2 * unit, settings.restatement_max_gap * float(r["value"]))
        p = precise.nearest(r, reach)
        if p is None:
            continue
        stated, observed = float(r["value"]), float(p["value"])
        q = r["qualifier"]
        if q == "at_least":
            relation, holds = Relation.AT_LEAST, observed >= stated
        elif q == "at_most":
            relation, holds = Relation.AT_MOST, observed <= stated
        elif q == "approximate":
            relation, holds = Relation.APPROXIMATELY, abs(observed - stated) <= max(unit, 0.1 * stated)
        else:
            relation, holds = Relation.ROUNDS_TO, abs(observed - stated) < unit
        gap = abs(observed - stated) / max(observed, 1.0)
        same_noun = r["head"] == p["head"]
        strong = gap <= settings.restatement_error_gap and same_noun
        severity = failing(holds, Severity.ERROR if strong else Severity.WARNING)
        verb = "agrees with" if holds else "contradicts"
        tie = "" if same_noun else f" (tied by {quote(r['head'])} and {quote(p['head'])} both counting people)"
        msg = (f"{quote(r['text'] + ' ' + (r['counted'] or ''))} (line {r['line']}, {q.replace('_', ' ')}) "
               f"{verb} {quote(p['text'] + ' ' + (p['counted'] or ''))} (line {p['line']}){tie}")
        out.append(Result(Rule.RESTATEMENT, [r["figure_id"], p["figure_id"]], stated, observed, relation, holds,
                          severity, msg, int(r["line"])))
    out.extend(_bounds(figs, settings.restatement_max_gap))
    return out


def _bounds(figs: list[dict[str, Any]], gap: float) -> list[Result]:
    """Two bounds on one count of the same noun, within `gap` of each other: "more than 20
    countries" is implied by "at least 22 countries"; "at least 30" and "fewer than 25" contradict.
    Bounds further apart bound different things ("over 20 scientists" in a team, "more than 3,800
    scientists" in the institute). Sorted per key, O(n log n)."""
    lows: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    highs: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for f in figs:
        key = (f["kind"], f["unit"], f["head"])
        if f["qualifier"] == "at_least":
            lows.setdefault(key, []).append(f)
        elif f["qualifier"] == "at_most":
            highs.setdefault(key, []).append(f)
    out = []
    for key, group in lows.items():
        group.sort(key=lambda f: (f["value"], f["start"]))
        values = [float(f["value"]) for f in group]
        for f in group:
            # the largest lower bound above f within the gap
            k = bisect.bisect_right(values, float(f["value"]) * (1 + gap)) - 1
            best = group[k]
            if best["value"] > f["value"]:
                out.append(Result(Rule.RESTATEMENT, [f["figure_id"], best["figure_id"]], float(f["value"]),
                                  float(best["value"]), Relation.AT_LEAST, True, Severity.INFO,
                                  f"{_said(f)} (line {f['line']}, at least) agrees with {_said(best)} "
                                  f"(line {best['line']}, at least)", int(f["line"])))
        for high in highs.get(key, []):
            k = bisect.bisect_right(values, float(high["value"]) * (1 + gap)) - 1
            if k >= 0 and values[k] > high["value"]:
                low = group[k]
                out.append(Result(Rule.RESTATEMENT, [low["figure_id"], high["figure_id"]], float(high["value"]),
                                  float(low["value"]), Relation.AT_MOST, False, Severity.WARNING,
                                  f"{_said(low)} (line {low['line']}, at least) contradicts {_said(high)} "
                                  f"(line {high['line']}, at most)", int(low["line"])))
    return out


def _said(f: dict[str, Any]) -> str:
    return quote(f["text"] + " " + (f["counted"] or ""))


def _masked(doc: Doc, f: dict[str, Any]) -> tuple[tuple[str, ...], frozenset[str]]:
    """The words of a figure's sentence with the figure masked, and the words of what it counts,
    in any order: "11,661 participants", "Participants 11,661" and "11,661" over a "participants"
    label line are one statement; "313 communes" and "272 sur 313 communes" are not."""
    s0, s1 = doc.index.sentence_span(f["start"])
    s0, s1 = max(s0, f["start"] - MAX_SENTENCE // 2), min(s1, f["end"] + MAX_SENTENCE // 2)  # one-line files
    masked = doc.text[s0 : f["start"]] + " # " + doc.text[f["end"] : s1]
    counted = frozenset(re.findall(r"\w+", f["counted"].lower()))
    words = tuple(sorted(w for w in re.findall(r"#|\w+", masked.lower()) if w not in counted))
    return words, counted


# "- Total: 5,902 votes" is the total of its own list (part_whole checks it), not a mention of
# the same quantity as another list's Total line
_TOTAL_ROW = re.compile(r"\s*(?:[-•*|]\s*)?(?:grand\s+)?total\b", re.IGNORECASE)
NEIGHBOURHOOD = 300  # characters around a figure whose figures are its neighbours


def _block_repeats(doc: Doc, members: list[dict[str, Any]]) -> bool:
    """Another figure near the first mention has a twin of the same value and noun near each of
    the others: the statement stands in a block that is repeated."""
    def around(f: dict[str, Any]) -> set[tuple[Any, ...]]:
        near = doc.in_span(max(0, f["start"] - NEIGHBOURHOOD), f["end"] + NEIGHBOURHOOD, KINDS)
        return {(g["value"], g["head"]) for g in near if g["figure_id"] != f["figure_id"] and g["head"]}

    first = around(members[0])
    return all(first & around(m) for m in members[1:])


def _named_on_its_line(doc: Doc, f: dict[str, Any]) -> bool:
    """The counted noun stands on the figure's own line ("11,661 participants", "Participants:
    11,661"), not only on a label line above or below it, which may belong to another figure."""
    start, end = doc.index.line_span(f["start"])
    start, end = max(start, f["start"] - 200), min(end, f["end"] + 200)  # bounded: one line may be 50 MB
    return f["counted"].split()[0].lower() in doc.text[start:end].lower()


def repeated_mention(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    figs = [f for f in doc.figures if f["kind"] in KINDS and f["counted"] and f["value"] is not None
            and f["qualifier"] == "exact" and f["value_max"] is None and not is_rounded(f)]
    figs = [f for f in figs if not _TOTAL_ROW.match(doc.text, doc.index.line_span(f["start"])[0])]
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for f in figs:
        counted = " ".join(f["counted"].lower().split())
        if len(counted.split()) > 1 and _named_on_its_line(doc, f):
            key: tuple[Any, ...] = (f["kind"], f["unit"], counted, f["heading"])
            groups.setdefault(key, []).append(f)
        groups.setdefault((f["kind"], f["unit"], counted, "#sentence", _masked(doc, f)), []).append(f)
    out = []
    seen: set[tuple[str, ...]] = set()
    for members in groups.values():
        if len(members) < 2 or len({m["line"] for m in members}) < len(members):
            continue  # two figures of one line are two columns of a row (2024 and 2025), not two mentions
        ids = tuple(sorted(m["figure_id"] for m in members))
        if ids in seen:
            continue
        seen.add(ids)
        first = members[0]
        values = sorted({float(m["value"]) for m in members})
        holds = len(values) == 1
        where = ", ".join(f"line {m['line']}: {fmt(m['value'])}" for m in members)
        # the same statement under two headings ("Votes: 5,902" for two contests) may be about two
        # things, unless figures around it repeat too (a stat block shown twice)
        one_section = len({m["heading"] for m in members}) == 1 or _block_repeats(doc, members)
        msg = (f"{len(members)} mentions of {quote(first['counted'])} "
               f"{'agree' if holds else 'disagree'} ({where}; tied by the same words around each"
               f"{'' if one_section else ', under different headings'})")
        out.append(Result(Rule.REPEATED_MENTION, list(ids), float(first["value"]),
                          float(values[-1] if values[0] == first["value"] else values[0]), Relation.EQUALS, holds,
                          failing(holds, Severity.ERROR if one_section else Severity.WARNING), msg, int(first["line"])))
    out.extend(_same_noun(figs, {i for ids in seen for i in ids}))
    return out


def _same_noun(figs: list[dict[str, Any]], tied: set[str]) -> list[Result]:
    """Counts of the same noun in different sentences, tied by nothing but the noun: equal ones
    restate each other ("In our programme of 26 talks" ... "We held 26 talks"). Unequal ones are
    left alone: a noun alone does not say they count the same thing (two rounds, two years, the
    columns of a table), so a difference accuses nothing."""
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for f in figs:
        if f["kind"] == "count" and f["head"] and f["head"] not in NOT_RESTATED and f["value"] >= 2 \
                and f["figure_id"] not in tied:
            groups.setdefault((f["unit"], " ".join(f["counted"].lower().split())), []).append(f)
    out = []
    for (_, counted), members in groups.items():
        by_value: dict[float, list[dict[str, Any]]] = {}
        for m in members:
            by_value.setdefault(float(m["value"]), []).append(m)
        values = sorted(by_value)
        for v in values:
            same = by_value[v]
            if len(same) >= 2 and len({m["sid"] for m in same}) == len(same) and len({m["line"] for m in same}) == len(same):
                where = ", ".join(f"line {m['line']}" for m in same)
                out.append(Result(Rule.REPEATED_MENTION, [m["figure_id"] for m in same], v, v, Relation.EQUALS, True,
                                  Severity.INFO, f"{len(same)} mentions of {fmt(v)} {quote(counted)} agree ({where}; "
                                                 f"tied by the noun only)", int(same[0]["line"])))
    return out
