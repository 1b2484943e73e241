"""A part of a whole the text names but does not restate (part of `subset`).

    "Total ballot papers counted: 10,605" ... "Postal votes made up 3,904 of the ballot papers counted"
    "Électeurs inscrits : 6'214" ... "Les électeurs suisses de l'étranger, au nombre de 312, sont
     compris dans le total des électeurs inscrits"

The part is a count followed by "of the", "among the", "des", "parmi les", "dans le total des"
and a noun phrase with no number; the whole is the one earlier count whose label or counted noun
has every word of that phrase. A part above its whole is a warning: a label is a loose tie.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from tally.extract.tables.structure_words import COMBINING_FILLER
from tally.reconcile.base import WORD, Doc, Result, failing, field_of, fmt, quote
from tally.settings import ReconcileSettings
from tally.vocabulary import Kind, Qualifier, Relation, Rule, Severity

REACH = 6000
_NAMED = re.compile(r"[^\d.;:!?()]{0,60}?\b(?:of\s+the|of\s+all\s+the|among\s+the|des|parmi\s+les|dans\s+le\s+total\s+des)\s+"
                    r"((?:[^\W\d_][\w'’-]*\s*){1,4})", re.IGNORECASE)
_STOP = frozenset(["for", "in", "on", "at", "pour", "en", "à", "sur", "du", "de", "le", "la", "les", "were", "was", "are"])


def _words(text: str) -> list[str]:
    out = []
    for w in WORD.findall(text.lower()):
        if w in _STOP:
            break  # the phrase ends at a preposition or a verb
        out.append(w)
    return [w for w in out if w not in COMBINING_FILLER]


def _exact(f: dict[str, Any]) -> bool:
    return f["kind"] == Kind.COUNT and f["value"] is not None and f["value_max"] is None and f["qualifier"] == Qualifier.EXACT


def named_wholes(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    counts = [f for f in doc.figures if _exact(f)]
    starts = [f["start"] for f in counts]
    names = [frozenset(WORD.findall(f"{field_of(doc, f).label} {f['counted'] or ''}".lower())) for f in counts]
    out = []
    for k, p in enumerate(counts):
        m = _NAMED.match(doc.text, p["end"])
        if m is None or (k + 1 < len(counts) and counts[k + 1]["start"] < m.end()):
            continue
        phrase = _words(m.group(1))
        if len(phrase) < 2:
            continue  # "of the jury": one word names too much
        lo = bisect.bisect_left(starts, p["start"] - REACH)
        wholes = [counts[i] for i in range(lo, k) if set(phrase) <= names[i] and counts[i]["sid"] != p["sid"]]
        if len({w["value"] for w in wholes}) != 1:
            continue
        w = wholes[-1]
        holds = p["value"] <= w["value"]
        msg = (f"{fmt(p['value'])} {quote(doc.text[p['end'] : m.end()].strip())} is part of the {fmt(w['value'])} "
               f"{quote(' '.join(phrase))} stated on line {w['line']}; it {'does not exceed' if holds else 'exceeds'} it "
               f"(tied by the words of the label, weakly)")
        out.append(Result(Rule.SUBSET, [p["figure_id"], w["figure_id"]], float(w["value"]), float(p["value"]),
                          Relation.NOT_MORE_THAN, holds, failing(holds, Severity.WARNING), msg, int(p["line"])))
    return out
