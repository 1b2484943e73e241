"""Amounts that multiply (part of `product`): per item, across units, and averages.

    "2 250 disques durs de 20 To chacun, soit 42 Po bruts"        2,250 × 20 TB = 45 PB, not 42
    "2,4 millions d'euros à 12 projets, soit 200 000 € chacun"      12 × 200,000 € = 2.4 million €
    "awards EUR 3.2 million to 14 start-ups. [...] Each winning start-up receives EUR 250,000"
    "Les 9 conférences ont réuni 1 236 auditeurs, soit 137 en moyenne par conférence"

What ties the figures: a restatement cue ("soit", "that is") after a count joined to an amount;
"each"/"chacun" after an amount in the sentence of its total; a sentence opening with "Each" or
"Chaque" and the noun a count before it counts; "on average"/"en moyenne" with "per"/"par" and the
noun of the count divided by. A stated figure agrees within half its last stated digit; storage
units may be decimal or binary (1 To = 1,000 or 1,024 Go). Anything looser is no check.
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import Any

from tally.extract.lexicon import lexicon
from tally.extract.nouns import singular
from tally.extract.tables.unit_scales import BASE_NOUNS, SCALE_WORDS, UNIT_SCALES
from tally.reconcile import products
from tally.reconcile.base import Doc, Result, by_sentence, failing, fmt, precision_unit, quote
from tally.reconcile.products import _NOT_A_LINK, _RESTATE
from tally.settings import ReconcileSettings
from tally.vocabulary import Kind, Qualifier, Relation, Rule, Severity

AMOUNTS = (Kind.MONEY, Kind.MEASURE)
MAX_LINK = 45
REACH = 1000  # characters back from "Each ..." to the count it names
_OF = re.compile(r"^\s*(?:[^\W\d_][\w'’-]*\s+){0,3}?(?:de|d['’]|of|with|à|at|x|×)\s*$", re.IGNORECASE)
_EACH_AFTER = re.compile(r"\s*(?:each|apiece|chacun|chacune|l['’]un|l['’]une)\b", re.IGNORECASE)
_EACH_OPENS = re.compile(r"\W*(?:each|every|chaque)\s+((?:[^\W\d_][\w'’-]*\s+){0,3})", re.IGNORECASE)
_AVERAGE = re.compile(r"\b(?:on\s+average|an\s+average\s+of|average|en\s+moyenne|moyenne\s+de)\b", re.IGNORECASE)
_PER = re.compile(r"\s*(?:en\s+moyenne\s+|on\s+average\s+)?(?:per|par|a|an)\s+([^\W\d_][\w'’-]*)", re.IGNORECASE)


def _exact(f: dict[str, Any]) -> bool:
    return f["value"] is not None and f["value_max"] is None and f["qualifier"] == Qualifier.EXACT


def _in(value: float, unit: str | None, target: str | None) -> list[float]:
    """`value` in `unit` expressed in `target`: one value, or the decimal and binary readings."""
    if unit == target:
        return [value]
    a, b = UNIT_SCALES.get(unit or ""), UNIT_SCALES.get(target or "")
    if a is None or b is None or a[0] != b[0]:
        return []
    decimal, binary = value * a[1] / b[1], value * a[2] / b[2]
    return [decimal] if binary == decimal else [decimal, binary]


def _agreeing(stated: dict[str, Any], readings: list[float]) -> tuple[float, bool]:
    """A reading that agrees with the stated figure within half its last digit, else the first
    (decimal) reading."""
    for r in readings:
        if abs(r - float(stated["value"])) <= precision_unit(stated) / 2:
            return r, True
    return readings[0], False


def _result(stated: dict[str, Any], parts: list[dict[str, Any]], readings: list[float], what: str, tie: str) -> Result:
    observed, holds = _agreeing(stated, readings)
    msg = (f"{what} = {fmt(observed)}{' ' + stated['unit'] if stated['unit'] else ''}; "
           f"{'agrees with' if holds else 'is not'} the stated {quote(stated['text'])} (tied by {tie})")
    return Result(Rule.PRODUCT, [stated["figure_id"]] + [p["figure_id"] for p in parts], float(stated["value"]),
                  round(observed, 6), Relation.EQUALS, holds, failing(holds), msg, int(stated["line"]))


def _times(n: dict[str, Any], x: dict[str, Any]) -> str:
    return f"{fmt(n['value'])} × {quote(x['text'])}"


def across_units(doc: Doc, figs: list[dict[str, Any]]) -> list[Result]:
    """"N things of X unit (each), that is P unit'": N × X against P, in P's unit."""
    out = []
    for k in range(2, len(figs)):
        n, x, p = figs[k - 2], figs[k - 1], figs[k]
        if not (p["kind"] in AMOUNTS and x["kind"] == p["kind"] and n["kind"] == Kind.COUNT
                and all(_exact(f) for f in (n, x, p)) and n["sid"] == p["sid"]):
            continue
        link, cue_text = doc.text[n["end"] : x["start"]], doc.text[x["end"] : p["start"]]
        cue = _RESTATE.search(cue_text)
        if not cue or len(cue_text) > MAX_LINK or len(link) > MAX_LINK or _NOT_A_LINK.search(link) or not _OF.match(link):
            continue
        readings = _in(float(n["value"]) * float(x["value"]), x["unit"], p["unit"])
        if readings:
            out.append(_result(p, [n, x], readings, _times(n, x), quote(cue.group(0).strip(" ,–—-"))))
    return out


def each_in_sentence(doc: Doc, figs: list[dict[str, Any]]) -> list[Result]:
    """"M to N things, that is X each": N × X against M, the one amount and count before X."""
    out = []
    sentences = by_sentence(figs)
    for x in figs:
        each = _EACH_AFTER.match(doc.text, x["end"])
        if x["kind"] not in AMOUNTS or not _exact(x) or not each:
            continue
        before = [f for f in sentences[x["sid"]] if f["end"] <= x["start"]]
        totals = [f for f in before if f["kind"] == x["kind"] and _in(1.0, x["unit"], f["unit"])]
        counts = [f for f in before if f["kind"] == Kind.COUNT and _exact(f) and f["value"] >= 2]
        if len(totals) != 1 or len(counts) != 1 or not _exact(totals[0]) or counts[0]["start"] < totals[0]["start"]:
            continue
        m, n = totals[0], counts[0]
        readings = _in(float(n["value"]) * float(x["value"]), x["unit"], m["unit"])
        out.append(_result(m, [n, x], readings, _times(n, x), f"{quote(each.group(0).strip())} after the amount"))
    return out


def each_opens(doc: Doc, figs: list[dict[str, Any]]) -> list[Result]:
    """"... EUR 3.2 million to 14 start-ups. Each winning start-up receives EUR 250,000": the
    sentence opening with "Each" names what the count counts; the total stands with the count."""
    lex = lexicon("fr" if " les " in doc.text[:3000] else "en")
    out = []
    counts = [f for f in figs if f["kind"] == Kind.COUNT and _exact(f) and f["head"] and f["value"] >= 2]
    starts = [c["start"] for c in counts]
    sentences = by_sentence(figs)
    for x in figs:
        if x["kind"] not in AMOUNTS or not _exact(x):
            continue
        s0, _ = doc.index.sentence_span(x["start"])
        m = _EACH_OPENS.match(doc.text, s0, x["start"])
        if not m or any(f["start"] < x["start"] and f["kind"] in AMOUNTS for f in sentences[x["sid"]]):
            continue
        nouns = {singular(w.lower(), lex) for w in m.group(1).split()} | {w.lower() for w in m.group(1).split()}
        window = counts[bisect.bisect_left(starts, s0 - REACH) : bisect.bisect_left(starts, s0)]
        named = [c for c in reversed(window) if c["end"] <= s0 and c["head"] in nouns]
        found = next(((c, t) for c in named if len(t := _totals(sentences[c["sid"]], x)) == 1), None)
        if found is None or found[1][0]["value"] <= x["value"]:
            continue
        n, totals = found
        readings = _in(float(n["value"]) * float(x["value"]), x["unit"], totals[0]["unit"])
        tie = f"{quote(m.group(0).strip())} naming the {fmt(n['value'])} {n['counted']} (line {n['line']})"
        out.append(_result(totals[0], [n, x], readings, _times(n, x), tie))
    return out


def _totals(sentence: list[dict[str, Any]], x: dict[str, Any]) -> list[dict[str, Any]]:
    """The amounts of a sentence that x's unit converts into."""
    return [f for f in sentence if f["kind"] == x["kind"] and _exact(f) and _in(1.0, x["unit"], f["unit"])]


def averages(doc: Doc, figs: list[dict[str, Any]]) -> list[Result]:
    """"9 conférences ont réuni 1 236 auditeurs, soit 137 en moyenne par conférence": the
    average X against M / N, N the count of what "par"/"per" names."""
    lex = lexicon("fr" if " les " in doc.text[:3000] else "en")
    out = []
    sentences = by_sentence(figs)
    for x in figs:
        if not _exact(x) or x["kind"] not in (Kind.COUNT, *AMOUNTS) or not _AVERAGE.search(x["sentence"]):
            continue
        per = _PER.match(doc.text, x["end"]) or _PER.match(doc.text, x["end"] + len(doc.text[x["end"] :].split(None, 1)[0]) + 1)
        if not per:
            continue
        noun = singular(per.group(1).lower(), lex)
        same = [f for f in sentences[x["sid"]] if f["end"] <= x["start"] and _exact(f)]
        counts = [f for f in same if f["kind"] == Kind.COUNT and f["head"] == noun]
        totals = [f for f in same if f["kind"] == x["kind"] and f not in counts and _in(1.0, x["unit"], f["unit"])]
        if len(counts) != 1 or len(totals) != 1 or not counts[0]["value"]:
            continue
        n, m = counts[0], totals[0]
        readings = [r / float(n["value"]) for r in _in(float(m["value"]), m["unit"], x["unit"])]
        what = f"{quote(m['text'])} / {fmt(n['value'])} {n['counted']}"
        out.append(_result(x, [m, n], readings, what, f"{quote(per.group(0).strip())} and the average"))
    return out


_PER_ITEM = re.compile(r"\s*(?:per|par|for\s+each|pour\s+chaque)\s+([^\W\d_][\w'’-]*)", re.IGNORECASE)
_IN_TOTAL_AFTER = re.compile(r"\s+(?:[^\W\d_][\w'’-]*\s+){0,2}?(?:in\s+total|in\s+all|altogether|au\s+total|en\s+tout)\b",
                             re.IGNORECASE)
PER_REACH = 400  # characters back from "X per node" to the count of nodes


def per_item_totals(doc: Doc, figs: list[dict[str, Any]]) -> list[Result]:
    """"148 nodes [...] / 128 cores per node, 18,944 cores in total": X per item, then the total
    ("in total", "au total" after it, or "that is", "soit" before it), against N × X where N is the
    one count of the item in the lines just before."""
    lex = lexicon("fr" if " les " in doc.text[:3000] else "en")
    out = []
    counts = [f for f in figs if f["kind"] == Kind.COUNT and _exact(f) and f["head"]]
    starts = [c["start"] for c in counts]
    for k, x in enumerate(figs):
        per = _PER_ITEM.match(doc.text, x["end"] + len(x["counted"] or "") + (1 if x["counted"] else 0))
        if per is not None and k and x["kind"] in AMOUNTS and _exact(x):
            out.extend(_total_before(doc, figs, k, per, lex))
        if k + 1 == len(figs):
            break
        p = figs[k + 1]
        if per is None or not (_exact(x) and _exact(p)) or x["kind"] != p["kind"] or p["sid"] != x["sid"]:
            continue
        if x["kind"] == Kind.COUNT and (not x["head"] or x["head"] != p["head"]):
            continue
        between = doc.text[per.end() : p["start"]]
        cue = _RESTATE.search(between) if len(between) <= MAX_LINK else None
        after = _IN_TOTAL_AFTER.match(doc.text, p["end"])
        if cue is None and (after is None or len(between) > 6 or between.strip(" ,;") != ""):
            continue
        item = singular(per.group(1).lower(), lex)
        window = counts[bisect.bisect_left(starts, x["start"] - PER_REACH) : bisect.bisect_left(starts, x["start"])]
        named = [c for c in window if c["head"] == item and c["line"] >= x["line"] - 2]
        if len(named) != 1:
            continue
        n = named[0]
        readings = _in(float(n["value"]) * float(x["value"]), x["unit"], p["unit"]) if x["kind"] != Kind.COUNT \
            else [float(n["value"]) * float(x["value"])]
        if readings:
            tie = f"{quote(per.group(0).strip())} and {quote((cue or after).group(0).strip(' ,–—-'))}"  # type: ignore[union-attr]
            out.append(_result(p, [n, x], readings, f"{fmt(n['value'])} {n['counted']} × {quote(x['text'])}", tie))
    return out


def _total_before(doc: Doc, figs: list[dict[str, Any]], k: int, per: re.Match[str], lex: Any) -> list[Result]:
    """"six high schools have decided how to spend $300,000 of the district's budget, $50,000 per
    school": the one amount before X in its sentence, against N × X where N is the one count of the
    item before it in the sentence. A warning when it does not hold (the sentence ties them)."""
    x = figs[k]
    before = [f for f in figs[:k] if f["sid"] == x["sid"]]
    totals = [f for f in before if f["kind"] == x["kind"] and _exact(f) and _in(1.0, x["unit"], f["unit"])]
    item = singular(per.group(1).lower(), lex)
    counts = [f for f in before if f["kind"] == Kind.COUNT and _exact(f) and f["head"] == item]
    if len(totals) != 1 or len(counts) != 1 or totals[0]["value"] <= x["value"]:
        return []
    m, n = totals[0], counts[0]
    readings = _in(float(n["value"]) * float(x["value"]), x["unit"], m["unit"])
    if not readings:
        return []
    r = _result(m, [n, x], readings, f"{fmt(n['value'])} {n['counted']} × {quote(x['text'])}",
                f"{quote(per.group(0).strip())} in the sentence of both, weakly")
    if not r.holds:
        r.severity = Severity.WARNING
    return [r]


def product(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    """The `product` rule: chains of counts (products.py), then amounts per item, across units,
    per item with a total, and averages."""
    figs = [f for f in doc.figures if f["value"] is not None]
    return (products.product(doc, settings) + across_units(doc, figs) + each_in_sentence(doc, figs)
            + each_opens(doc, figs) + per_item_totals(doc, figs) + averages(doc, figs))


_IN_OTHER_WORDS = re.compile(r"[,(]\s*(?:or|soit|that\s+is|i\.\s?e\.|c['’]est-à-dire)\s*\Z", re.IGNORECASE)


def in_words(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    """Part of `restatement`: a measure restated in words, "40 petabytes, or 40 million billion
    bytes", "12,5 pétaflops, soit 12,5 millions de milliards d'opérations par seconde"."""
    figs = [f for f in doc.figures if f["value"] is not None]
    out = []
    for k in range(1, len(figs)):
        m, c = figs[k - 1], figs[k]
        if m["value_max"] is not None:  # "passe de 12 à 40 pétaoctets, soit 40 millions de milliards": the upper end
            m = {**m, "value": m["value_max"], "value_max": None}
        scale = UNIT_SCALES.get(m["unit"] or "")
        if m["kind"] != Kind.MEASURE or c["kind"] != Kind.COUNT or scale is None or c["sid"] != m["sid"] \
                or c["value_max"] is not None:
            continue
        cue = _IN_OTHER_WORDS.search(doc.text[m["end"] : c["start"]])
        if not cue or c["start"] - m["end"] > 20:
            continue
        words = re.findall(r"[^\W\d_]+", doc.text[c["end"] : c["end"] + 60].lower())
        value, i = float(c["value"]), 0
        while i < len(words) and (words[i] in SCALE_WORDS or words[i] in ("de", "d", "of")):
            value *= SCALE_WORDS.get(words[i], 1.0)
            i += 1
        if i >= len(words) or BASE_NOUNS.get(words[i]) != scale[0]:
            continue
        observed = value / scale[1]
        holds = abs(observed - float(m["value"])) <= precision_unit(m) / 2
        msg = (f"{quote(doc.text[m['start'] : c['end']] + ' ' + ' '.join(words[: i + 1]))}: "
               f"{fmt(observed)} {m['unit']} in words {'agrees with' if holds else 'is not'} the stated {quote(m['text'])} "
               f"(tied by {quote(cue.group(0).strip(' ,'))})")
        out.append(Result(Rule.RESTATEMENT, [m["figure_id"], c["figure_id"]], float(m["value"]), round(observed, 6),
                          Relation.EQUALS, holds, failing(holds), msg, int(m["line"])))
    return out


# exact conversions between duration units ("3 ans, soit 36 mois"); a year in weeks or days is not exact
_PER_UNIT = {("year", "month"): 12, ("week", "day"): 7, ("day", "hour"): 24, ("hour", "minute"): 60,
             ("minute", "second"): 60}


def _factor(a: str, b: str) -> float | None:
    if (a, b) in _PER_UNIT:
        return float(_PER_UNIT[(a, b)])
    if (b, a) in _PER_UNIT:
        return 1 / _PER_UNIT[(b, a)]
    return None


def durations_restated(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    """Part of `restatement`: a duration restated in another unit ("un contrat doctoral de 3 ans,
    soit 36 mois", "2 years, i.e. 24 months", "90 minutes (1.5 hours)")."""
    figs = [f for f in doc.figures if f["kind"] == Kind.DURATION and f["value"] is not None and f["value_max"] is None]
    out = []
    for a, b in itertools.pairwise(figs):
        factor = _factor(a["unit"] or "", b["unit"] or "")
        between = doc.text[a["end"] : b["start"]]
        cue = _IN_OTHER_WORDS.search(between) or (re.fullmatch(r"\s*\(\s*", between) and re.search(r"\(", between))
        if factor is None or a["sid"] != b["sid"] or len(between) > 20 or not cue:
            continue
        observed = float(a["value"]) * factor
        holds = abs(observed - float(b["value"])) <= precision_unit(b) / 2
        msg = (f"{quote(a['text'])} is {fmt(observed)} {b['unit']}s; {'agrees with' if holds else 'is not'} the stated "
               f"{quote(b['text'])} (tied by {quote(cue.group(0).strip(' ,') or '(')})")
        out.append(Result(Rule.RESTATEMENT, [b["figure_id"], a["figure_id"]], float(b["value"]), round(observed, 6),
                          Relation.EQUALS, holds, failing(holds), msg, int(b["line"])))
    return out
