"""Turnout in a block of labelled results: ballots cast over the electorate.

    Registered voters: 11,254          Électeurs inscrits : 412
    Ballots cast: 3,214                Votants : 187
    Turnout: 28.6%                     Taux de participation : 45,4 %

The three figures are tied by their labels and by standing in one block (a run of non-blank
lines); the check is made only when the block labels exactly one electorate and one count of
ballots (the first label of BALLOTS that is present), and is part of `percent_of`.
"""

from __future__ import annotations

import re
from typing import Any

from tally.reconcile.base import Doc, Result, field_of, fmt, quote, share_result
from tally.settings import ReconcileSettings
from tally.vocabulary import Kind

# Labels, lowercase, as they open a "Label: value" line; the first of BALLOTS present is the numerator.
TURNOUT = ("turnout", "overall turnout", "taux de participation", "participation")
ELECTORATE = ("electorate", "combined electorate", "registered voters", "registered electors", "électeurs inscrits",
              "inscrits")
BALLOTS = ("ballot papers issued", "ballots cast", "total ballot papers counted", "ballot papers counted", "votes cast",
           "votants", "nombre de votants", "bulletins rentrés")
_LEAD = re.compile(r"^[\s\-•*|]*")


def _label(doc: Doc, f: dict[str, Any]) -> str:
    """The label of a figure that is its line's value ("Turnout: 43.6%", an aside may follow)."""
    field = field_of(doc, f)
    return field.label if not field.after or field.after.startswith("(") else ""


def _is(label: str, names: tuple[str, ...]) -> str | None:
    return next((n for n in names if label == n or label.startswith(n + " ")), None)


MAX_BLOCK = 2000  # characters each side: a block of results is short, a text without blank lines is not one


def _block_of(doc: Doc, pos: int) -> tuple[int, int]:
    """The run of non-blank lines around `pos`."""
    text = doc.text
    start = text.rfind("\n\n", max(0, pos - MAX_BLOCK), pos)
    end = text.find("\n\n", pos, pos + MAX_BLOCK)
    return (max(0, pos - MAX_BLOCK) if start < 0 else start + 2), (min(len(text), pos + MAX_BLOCK) if end < 0 else end)


def _lines_naming(doc: Doc, a: int, b: int, names: tuple[str, ...]) -> int:
    """How many lines of the block open with one of `names`, whatever follows."""
    lines = (_LEAD.sub("", ln).lower() for ln in doc.text[a:b].split("\n"))
    return sum(1 for ln in lines if any(ln.startswith(n) for n in names))


def turnout(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    out = []
    for p in doc.figures:
        if p["kind"] != Kind.PERCENT or p["value"] is None or not _is(_label(doc, p), TURNOUT):
            continue
        a, b = _block_of(doc, p["start"])
        counts = [(f, _label(doc, f)) for f in doc.in_span(a, b) if f["value"]]
        electorate = [f for f, label in counts if _is(label, ELECTORATE)]
        ballots = next(([f for f, label in counts if _is(label, (name,))] for name in BALLOTS
                        if any(_is(label, (name,)) for _, label in counts)), [])
        if len(electorate) != 1 or len(ballots) != 1 or _lines_naming(doc, a, b, ELECTORATE) != 1:
            continue  # two electorates (two years, two areas) in one block: which one is meant is not said
        e, v = electorate[0], ballots[0]
        what = f"{fmt(v['value'])} {quote(_label(doc, v))} of {fmt(e['value'])} {quote(_label(doc, e))}"
        out.append(share_result(p, v, e, settings.percent_tolerance, what, "the labels of one block of results"))
    return out
