"""Shares of an amount (part of `percent_of`): a percent of a stated sum and the amount it gives.

    "Le budget [...] s'élève à 86 000 €, financé à 60 % par la Ville (51 600 €), à 25 % par la
     Région (21 500 €) [...]"                                    51,600 / 86,000 = 60.0%
    "L'investissement de 24 millions d'euros est financé à hauteur de 9,6 millions d'euros par
     l'État, soit 40 %"                                          9.6 / 24 = 40.0%
    "a budget of $2.5 million, of which $1 million (40%) from the state"

The whole is the one amount of the same currency before the first share in the sentence, larger
than the part. The part is the amount in parentheses just after the percent (a few words between,
no other figure), or the amount just before the percent that a restating word ("soit", "or",
"that is") or parentheses tie to it. Anything else is no check.
"""

from __future__ import annotations

import re
from typing import Any

from tally.reconcile.base import Doc, Result, by_sentence, failing, fmt, precision_unit, quote, share_result
from tally.reconcile.parts import _tolerance
from tally.settings import ReconcileSettings
from tally.vocabulary import Kind, Qualifier, Relation, Rule, Severity

_AFTER_PERCENT = re.compile(r"\s*(?:[^\W\d_][\w'’-]*\s+){0,5}?\(\s*\Z")  # "60 % par la Ville ("
_RESTATING = r"(?:soit|or|i\.\s?e\.|that\s+is|representing|représentant)"
_BEFORE_PERCENT = re.compile(rf"\A(?:[^\d.;!?()]{{0,30}}?,\s*{_RESTATING}\s+|\s*\(\s*)\Z", re.IGNORECASE)


def _amount(f: dict[str, Any]) -> bool:
    return f["kind"] == Kind.MONEY and f["value"] is not None and f["value_max"] is None and bool(f["value"])


def _share(f: dict[str, Any]) -> bool:
    return f["kind"] == Kind.PERCENT and f["value"] is not None and f["value_max"] is None \
        and f["qualifier"] == Qualifier.EXACT and 0 < f["value"] < 100


_Share = tuple[dict[str, Any], dict[str, Any], dict[str, Any], str]  # percent, part, whole, what tied them


def funded_shares(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    out = []
    for p, part, whole, tie in doc.derived(_shares):
        if part["start"] > p["start"]:  # "60 % par la Ville (51 600 €)": the amount restates the share
            out.append(_amount_result(p, part, whole, settings, tie))
        else:
            what = f"{quote(part['text'])} of {quote(whole['text'])}"
            out.append(share_result(p, part, whole, settings.percent_tolerance, what, tie))
    return out


def shares_within(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    """Part of `subset`: "9,6 millions d'euros [...] soit 40 %" of "24 millions d'euros"."""
    return [_within(part, whole, tie) for p, part, whole, tie in doc.derived(_shares) if part["start"] < p["start"]]


def _shares(doc: Doc) -> list[_Share]:
    """The shares of an amount in the document, each with its part and whole (once per document:
    `percent_of` and `subset` both read them)."""
    out = []
    for figs in by_sentence(doc.figures).values():
        shares = [k for k, f in enumerate(figs) if _share(f)]
        if not shares:
            continue
        first = shares[0]
        for k in shares:
            p = figs[k]
            part, tie = _part_of(doc, figs, k)
            if part is None:
                continue
            wholes = [w for w in figs[:first] if _amount(w) and w["unit"] == part["unit"] and w["value"] > part["value"]
                      and w is not part]
            if len(wholes) != 1:
                continue
            out.append((p, part, wholes[0], tie))
    return out


_FUNDED = re.compile(r"\b(?:financée?s?|funded|paid\s+for|apportée?s?|provided|contributed|réparti\w*|split|"
                     r"comes?\s+from|came\s+from|sources?)\b", re.IGNORECASE)
_PARTIAL = re.compile(r"\b(?:notamment|including|among\s+others|entre\s+autres|reste|remainder|rest|remaining|solde|"
                      r"balance|le\s+solde)\b", re.IGNORECASE)
_IN_PARENS = re.compile(r"\(\s*\Z")


def funding_sources(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    """Part of `part_whole`: "Le projet, d'un montant de 7,8 millions d'euros, a été financé par la
    Région (4,2 millions d'euros), l'État (2,4 millions d'euros) et l'Union européenne (1,2 million
    d'euros)": the amounts in parentheses after each source sum to the amount before them. A
    sentence that says the list is partial ("notamment", "le reste") is no check; a sum that does
    not hold is a warning (the sources are tied by the sentence and its parentheses)."""
    out = []
    for figs in by_sentence(doc.figures).values():
        amounts = [f for f in figs if _amount(f)]
        verb = _FUNDED.search(amounts[0]["sentence"] or "") if len(amounts) >= 3 else None
        if verb is None or _PARTIAL.search(amounts[0]["sentence"] or ""):
            continue
        whole = amounts[0]
        parts = [f for f in amounts[1:] if _IN_PARENS.search(doc.text, max(0, f["start"] - 3), f["start"])]
        if len(parts) != len(amounts) - 1 or len(parts) < 2 or any(p["unit"] != whole["unit"] for p in parts) \
                or _IN_PARENS.search(doc.text, max(0, whole["start"] - 3), whole["start"]):
            continue
        total = sum(float(p["value"]) for p in parts)
        holds = abs(total - float(whole["value"])) <= _tolerance([*parts, whole])
        terms = " + ".join(fmt(p["value"]) for p in parts)
        msg = (f"the {len(parts)} amounts in parentheses after their sources: {terms} = {fmt(total)} "
               f"{'add up to' if holds else 'do not add up to'} the stated {quote(whole['text'])} "
               f"(tied by {quote(verb.group(0))} and the parentheses, weakly)")
        out.append(Result(Rule.PART_WHOLE, [whole["figure_id"]] + [p["figure_id"] for p in parts], float(whole["value"]),
                          total, Relation.EQUALS, holds, failing(holds, Severity.WARNING), msg, int(whole["line"])))
    return out


def _within(part: dict[str, Any], whole: dict[str, Any], tie: str) -> Result:
    """Part of `subset`: the amount a share is of stays within the sum it is a share of."""
    holds = part["value"] <= whole["value"]
    msg = (f"{quote(part['text'])} {'is within' if holds else 'exceeds'} the {quote(whole['text'])} it is a share of "
           f"(tied by {tie})")
    return Result(Rule.SUBSET, [part["figure_id"], whole["figure_id"]], float(whole["value"]), float(part["value"]),
                  Relation.NOT_MORE_THAN, holds, failing(holds), msg, int(part["line"]))


def _amount_result(p: dict[str, Any], part: dict[str, Any], whole: dict[str, Any], settings: ReconcileSettings,
                   tie: str) -> Result:
    """The amount in parentheses against the percent of the whole, within what the rounding of the
    percent (half its last digit, plus the percent tolerance) and of the amount allow."""
    expected = float(p["value"]) / 100 * float(whole["value"])
    tol = (precision_unit(p) / 2 + settings.percent_tolerance) / 100 * float(whole["value"]) + precision_unit(part) / 2
    holds = abs(expected - float(part["value"])) <= tol
    msg = (f"{p['text']} of {quote(whole['text'])} is {fmt(round(expected, 2))}; the text says {quote(part['text'])} "
           f"({'within' if holds else 'beyond'} ±{fmt(round(tol, 2))}; tied by {tie})")
    return Result(Rule.PERCENT_OF, [part["figure_id"], p["figure_id"], whole["figure_id"]], float(part["value"]),
                  round(expected, 6), Relation.APPROXIMATELY, holds, failing(holds), msg, int(part["line"]))


def _part_of(doc: Doc, figs: list[dict[str, Any]], k: int) -> tuple[dict[str, Any] | None, str]:
    p = figs[k]
    nxt = figs[k + 1] if k + 1 < len(figs) else None
    if nxt is not None and _amount(nxt) and _AFTER_PERCENT.match(doc.text[p["end"] : nxt["start"]]):
        return nxt, f"the parentheses after {quote(doc.text[p['start'] : nxt['start']].rstrip(' ('))}"
    prev = figs[k - 1] if k > 0 else None
    if prev is not None and _amount(prev):
        cue = _BEFORE_PERCENT.match(doc.text[prev["end"] : p["start"]])
        if cue:
            word = cue.group(0).strip(" ,(") or "the parentheses"
            return prev, quote(word) if word != "the parentheses" else word
    return None, ""
