"""Counts of items named in the sentence itself (part of `list_total`).

    "focusing on fairness and privacy in AI systems, two critical issues"      2 named before
    "three priorities: housing, transport and schools"                         3 named after
    "Eventually 8 funded thanks to an additional funding: physics, chemistry, [...] mathematics"

A small count of a plural noun in apposition after a coordination ("A and B, two N"), or a count
whose clause ends with a colon followed by a comma list ending in "and"/"et" or at the sentence's
end. Items are counted by their commas and last "and". An error needs the colon right after the
count's noun ("three priorities: ...") or the apposition right after the coordination ("fairness
and privacy, two critical issues"); anything looser is a warning.
"""

from __future__ import annotations

import re
from typing import Any

from tally.extract.tables.structure_words import CLAUSE_WORDS
from tally.reconcile.base import Doc, Result, failing, quote
from tally.settings import ReconcileSettings
from tally.vocabulary import Kind, Qualifier, Relation, Rule, Severity

MAX_NAMED = 12
MAX_ITEM_WORDS = 6
# Verbs and pronouns that make a piece a clause rather than a name.
_AND = re.compile(r"\s+(?:and|et|&)\s+", re.IGNORECASE)
_LEAD = re.compile(r".*\b(?:on|of|in|about|for|to|such\s+as|including|like|between|sur|de|des|du|entre|comme|notamment|"
                   r"dont|with|avec)\s+", re.IGNORECASE | re.DOTALL)
_APPOSITION = re.compile(r",\s*\Z")
_COLON = re.compile(r"[^.;:!?\n\d]{0,60}:\s", re.IGNORECASE)
_NOUN_COLON = re.compile(r"\s*[^\W\d_][\w'’-]*(?:\s+[^\W\d_][\w'’-]*)?\s*:\s", re.IGNORECASE)


def _small_count(f: dict[str, Any]) -> bool:
    return (f["kind"] == Kind.COUNT and f["qualifier"] == Qualifier.EXACT and f["value"] is not None
            and f["value_max"] is None and 2 <= f["value"] <= MAX_NAMED and float(f["value"]).is_integer()
            and bool(f["head"]))


def _items(segment: str) -> list[str] | None:
    """The items of "A, B and C" (None when the pieces do not read as short names)."""
    pieces = [p.strip(" *_\"“”'") for p in re.split(r",\s*|;\s*", segment.strip())]
    pieces = [p for p in pieces if p]
    if not pieces:
        return None
    last = _AND.split(pieces[-1])
    pieces = pieces[:-1] + [p.strip() for p in last if p.strip()]
    if len(pieces) < 2 or any(len(p.split()) > MAX_ITEM_WORDS or any(ch.isdigit() for ch in p) for p in pieces):
        return None
    if any(w.lower() in CLAUSE_WORDS for p in pieces for w in p.split()):
        return None  # "Kestle is a two-member division, and the other four elect one": clauses, not names
    return pieces


def _named_before(doc: Doc, f: dict[str, Any]) -> tuple[list[str], str] | None:
    """"fairness and privacy in AI systems, two critical issues": the coordination before the comma."""
    s0 = doc.index.sentence_span(f["start"])[0]
    before = doc.text[max(s0, f["start"] - 120) : f["start"]]
    if not _APPOSITION.search(before):
        return None
    clause = re.split(r"[.;:()\n]", before.rstrip(" ,"))[-1]
    lead = _LEAD.match(clause.split(" and ")[0] if " and " in clause else clause)
    if lead is None:
        return None  # where the coordination begins is not said ("We discussed health, climate and work in ...")
    segment = clause[lead.end() :]
    if not _AND.search(segment):
        return None
    items = _items(segment)
    return (items, segment) if items else None


def _named_after(doc: Doc, f: dict[str, Any]) -> tuple[list[str], str, bool] | None:
    """"three priorities: housing, transport and schools": the comma list after the colon."""
    colon = _COLON.match(doc.text, f["end"])
    if not colon:
        return None
    tight = bool(_NOUN_COLON.match(doc.text, f["end"]))
    rest = doc.text[colon.end() : colon.end() + 400]
    end = re.search(r"[.!?](?=\s|$)", rest)
    rest = rest[: end.start()] if end else rest
    pieces = re.split(r"\n[ \t]*\n", rest)
    segment = pieces[0]
    for piece in pieces[1:]:  # a list broken by a blank line ("climate,\n\ngeophysics, ...")
        if not segment.rstrip().endswith(","):
            break
        segment += " " + piece
    segment = " ".join(segment.split()).rstrip(" .")
    items = _items(segment)
    return (items, segment, tight) if items else None


def named_items(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    out = []
    for f in doc.figures:
        if not _small_count(f):
            continue
        before = _named_before(doc, f)
        found: tuple[list[str], str, str, bool] | None = None
        if before is not None:
            found = (before[0], before[1], "the coordination before it", True)
        else:
            after = _named_after(doc, f)
            if after is not None:
                found = (after[0], after[1], "the colon after it" if after[2] else "a colon later in its sentence", after[2])
        if found is None:
            continue
        items, segment, tie, tight = found
        holds = len(items) == f["value"]
        msg = (f"{quote(f['text'] + ' ' + (f['counted'] or ''))} {'matches' if holds else 'does not match'} the "
               f"{len(items)} items named in {quote(segment)} (tied by {tie})")
        out.append(Result(Rule.LIST_TOTAL, [f["figure_id"]], float(f["value"]), float(len(items)), Relation.EQUALS, holds,
                          failing(holds, Severity.ERROR if tight else Severity.WARNING), msg, int(f["line"])))
    return out
