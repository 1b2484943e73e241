"""`product`: a chain of counts that multiply, restated as their product.

    "1,024 nodes, each with 2 processors of 64 cores, that is 131,072 cores"
    "256 nœuds équipés chacun de 2 processeurs de 96 cœurs, soit 49 152 cœurs"
    "48 nœuds de 4 accélérateurs, soit 192 GPU"      "12 teams of five – 60 participants in all"

The factors are consecutive counts of one sentence, each joined to the next by a word that
multiplies ("each", "with", "of", "per", "×", "chacun", "de", "par"); the product follows a
restatement cue ("that is", "i.e.", "in all", "in total", "soit", "au total"). The product must
count what the last factor counts (or the last factor names nothing). Anything else is no check.
"""

from __future__ import annotations

import math
import re
from typing import Any

from tally.reconcile.base import Doc, Result, failing, fmt, quote
from tally.settings import ReconcileSettings
from tally.vocabulary import Kind, Qualifier, Relation, Rule

MAX_LINK = 45  # characters between two factors
_MULTIPLY = re.compile(r"\b(?:each|with|of|per|chacun|chacune|de|d['’]|par|avec)\b|[×x*]", re.IGNORECASE)
_NOT_A_LINK = re.compile(r"[.;:!?()\n]|\b(?:and|et|or|ou|plus|including|dont)\b", re.IGNORECASE)
_RESTATE = re.compile(r"(?:^|[\s,–—(-])(?:that\s+is|i\.\s?e\.|in\s+all|in\s+total|a\s+total\s+of|for\s+a\s+total\s+of|"
                      r"soit|au\s+total|en\s+tout|c['’]est-à-dire)[\s:,]*(?:de\s+)?$", re.IGNORECASE)
# "12 teams of five – 60 participants in all": the cue after the product's noun
_RESTATE_AFTER = re.compile(r"\s+[^\W\d_][\w'’-]*\s+(?:in\s+all|in\s+total|altogether|au\s+total|en\s+tout)\b",
                            re.IGNORECASE)


def _factor(f: dict[str, Any]) -> bool:
    return (f["kind"] == Kind.COUNT and f["value"] is not None and f["value_max"] is None
            and f["qualifier"] == Qualifier.EXACT and float(f["value"]).is_integer())


def _chain(doc: Doc, figs: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    """The factors that end just before figure k, joined by multiplying words."""
    chain: list[dict[str, Any]] = []
    j = k - 1
    while j >= 0 and _factor(figs[j]) and figs[j]["sid"] == figs[k]["sid"]:
        if chain:
            link = doc.text[figs[j]["end"] : chain[0]["start"]]
            if len(link) > MAX_LINK or _NOT_A_LINK.search(link) or not _MULTIPLY.search(link):
                break
        chain.insert(0, figs[j])
        j -= 1
    return chain


def product(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    figs = [f for f in doc.figures if f["value"] is not None]
    out = []
    for k, total in enumerate(figs):
        if not _factor(total) or k == 0:
            continue
        between = doc.text[figs[k - 1]["end"] : total["start"]]
        cue = _RESTATE.search(between) or _RESTATE_AFTER.match(doc.text, total["end"])
        if not cue or len(between) > MAX_LINK:
            continue
        chain = _chain(doc, figs, k)
        last = chain[-1] if chain else None
        if len(chain) < 2 or last is None or (last["head"] and last["head"] != total["head"]):
            continue
        observed = float(math.prod(float(f["value"]) for f in chain))
        stated = float(total["value"])
        holds = observed == stated
        terms = " × ".join(fmt(f["value"]) for f in chain)
        msg = (f"{quote(doc.text[chain[0]['start'] : total['end']])}: {terms} = {fmt(observed)} "
               f"{'is' if holds else 'is not'} the stated {fmt(stated)} (tied by {quote(cue.group(0).strip(' ,–—-'))} "
               f"after counts joined by “each”, “of”, “per”)")
        out.append(Result(Rule.PRODUCT, [total["figure_id"]] + [f["figure_id"] for f in chain], stated, observed,
                          Relation.EQUALS, holds, failing(holds), msg, int(total["line"])))
    return out
