"""An envelope, what was committed from it and what remains (part of `difference`).

    Total budget: £600,000                      "sur une enveloppe de 100 000 €"
    Projects funded: 8, for a total of £596,500  "5 projets lauréats, pour 98 500 €"
    Unspent: £3,500                             "Le reliquat de 1 500 € sera reporté"

The envelope is an amount named a budget or envelope; the committed amount one stated as a total
("for a total of", "pour un total de", "pour"); the remainder one named remaining or unspent
("reliquat", "restant"). The committed amount stays within the envelope, and the remainder is
their difference. The words tie them, not the sentence: a failure is a warning.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from tally.reconcile.base import Doc, Result, failing, fmt, precision_unit, quote
from tally.settings import ReconcileSettings
from tally.vocabulary import Kind, Relation, Rule, Severity

REACH = 3000  # characters between an envelope and what is said of it
PLAUSIBLE = (0.67, 2.0)
MAX_NEAR = 50  # candidates looked at around one figure  # an envelope is this many times what is committed from it
_ENVELOPE_BEFORE = re.compile(r"\b(?:budget|enveloppe|envelope|dotation|allocation|fund)\b[^.\n\d]{0,25}\Z", re.IGNORECASE)
_ENVELOPE_AFTER = re.compile(r"[^.\n\d]{0,25}?\b(?:budget|enveloppe|envelope)\b", re.IGNORECASE)
_COMMITTED = re.compile(r"(?:\btotal(?:ling|ing)?\s+(?:of\s+|de\s+)?|\bpour\s+(?:un\s+(?:total|montant)\s+de\s+)?|"
                        r"\bcommitted:?\s+|\bengagés?\s*:?\s+|\bmontant\s+engagé\s*:?\s*)\Z", re.IGNORECASE)
_REMAINDER = re.compile(r"\b(?:remaining|unspent|reliquat|left\s+over|balance|restant|reste|non\s+dépensés?|non\s+utilisés?)"
                        r"\b[^.\n\d]{0,15}\Z", re.IGNORECASE)


_SCALED = re.compile(r"\d\s*(?:k|m|bn|mn|md|million|millions|milliard|milliards|billion|thousand|mille)\b", re.IGNORECASE)


def _before(doc: Doc, f: dict[str, Any], pattern: re.Pattern[str]) -> bool:
    start = doc.index.line_span(f["start"])[0]
    return bool(pattern.search(doc.text, max(start, f["start"] - 40), f["start"]))


def _roles(doc: Doc) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    envelopes, committed, remainders = [], [], []
    for f in doc.figures:
        if f["kind"] != Kind.MONEY or f["value"] is None or f["value_max"] is not None:
            continue
        if _before(doc, f, _REMAINDER):
            remainders.append(f)
        elif _before(doc, f, _ENVELOPE_BEFORE):
            envelopes.append(f)
        elif _before(doc, f, _COMMITTED):  # "pour 98 500 € sur une enveloppe de 100 000 €"
            committed.append(f)
        elif _ENVELOPE_AFTER.match(doc.text, f["end"]):
            envelopes.append(f)
    return envelopes, committed, remainders


def _nearest(figs: list[dict[str, Any]], f: dict[str, Any], before_only: bool = False,
             ratio: tuple[float, float] = (0.0, float("inf"))) -> dict[str, Any] | None:
    """The figure of `figs` nearest to f in the text, of its unit, within REACH and whose value is
    within `ratio` times f's."""
    lo = bisect.bisect_left(figs, f["start"] - REACH, key=lambda g: g["start"])
    hi = bisect.bisect_right(figs, f["start"] + REACH, key=lambda g: g["start"])
    near = [g for g in figs[lo:hi] if g["unit"] == f["unit"] and (not before_only or g["start"] < f["start"])
            and ratio[0] * f["value"] <= g["value"] <= ratio[1] * f["value"]][:MAX_NEAR]
    return min(near, key=lambda g: abs(g["start"] - f["start"])) if near else None


def budget(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    envelopes, committed, remainders = _roles(doc)
    out = []
    for c in committed:
        env = _nearest(envelopes, c, ratio=PLAUSIBLE)
        if env is None:
            continue  # no envelope of its size: a total of something else
        holds = c["value"] <= env["value"]
        msg = (f"{quote(c['text'])} committed (line {c['line']}) {'stays within' if holds else 'exceeds'} the envelope "
               f"{quote(env['text'])} (line {env['line']}; tied by the words budget/envelope and total)")
        out.append(Result(Rule.DIFFERENCE, [c["figure_id"], env["figure_id"]], float(env["value"]), float(c["value"]),
                          Relation.NOT_MORE_THAN, holds, failing(holds, Severity.WARNING), msg, int(c["line"])))
    for r in remainders:
        s = _nearest(committed, r, before_only=True)
        e = _nearest(envelopes, s, ratio=PLAUSIBLE) if s is not None else None
        if e is None or s is None or s["value"] > e["value"] or r["value"] > e["value"]:
            continue
        observed = float(e["value"]) - float(s["value"])
        # amounts written in full are exact; "€1.2m" is rounded to its last digit
        tol = sum(precision_unit(f) / 2 for f in (e, s, r) if _SCALED.search(f["text"]))
        holds = abs(observed - float(r["value"])) <= tol
        msg = (f"the remainder {quote(r['text'])} (line {r['line']}) {'is' if holds else 'is not'} the envelope "
               f"{quote(e['text'])} less the committed {quote(s['text'])} = {fmt(observed)} "
               f"(tied by the words remaining/unspent, budget and total)")
        out.append(Result(Rule.DIFFERENCE, [r["figure_id"], e["figure_id"], s["figure_id"]], float(r["value"]), observed,
                          Relation.EQUALS, holds, failing(holds, Severity.WARNING), msg, int(r["line"])))
    return out
