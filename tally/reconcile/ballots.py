"""The arithmetic of a block of election statistics (part of `part_whole`).

    Inscrits : 1 318            Votants = Inscrits - Abstentions
    Abstentions : 412           Exprimés = Votants - Blancs - Nuls
    Votants : 906               Exprimés = the sum of the lists' votes (the table below)
    Blancs : 21
    Nuls : 13
    Exprimés : 872

The figures are tied by their labels ("Label : value" lines) and by standing in one block of
non-blank lines; a label present twice in a block (two rounds run together) makes no check.
Each identity is exact: an error when it does not hold.
"""

from __future__ import annotations

from typing import Any

from tally.reconcile.base import Doc, Result, failing, fmt, quote
from tally.reconcile.turnout import _block_of, _is, _label
from tally.settings import ReconcileSettings
from tally.vocabulary import Kind, Relation, Rule

REGISTERED = ("inscrits", "électeurs inscrits", "registered voters", "registered electors", "electorate")
ABSTENTIONS = ("abstentions",)
VOTERS = ("votants", "nombre de votants", "ballots cast", "ballot papers issued", "bulletins rentrés")
BLANK = ("blancs", "bulletins blancs", "votes blancs", "blank", "blank ballots")
NULL = ("nuls", "bulletins nuls", "votes nuls", "spoiled", "spoilt", "rejected", "rejected ballots", "invalid")
BLANK_OR_NULL = ("blancs ou nuls", "blancs et nuls", "bulletins blancs ou nuls", "bulletins blancs et nuls",
                 "votes blancs ou nuls", "blank or spoiled", "blank and spoiled", "blank or rejected")
VALID = ("exprimés", "suffrages exprimés", "valid votes", "bulletins valables", "votes valables")
ROLES = {"registered": REGISTERED, "abstentions": ABSTENTIONS, "voters": VOTERS, "blank_or_null": BLANK_OR_NULL,
         "blank": BLANK, "null": NULL, "valid": VALID}


def _role(label: str) -> str | None:
    return next((role for role, names in ROLES.items() if _is(label, names)), None)


def _blocks(doc: Doc) -> list[dict[str, dict[str, Any]]]:
    """The labelled counts of each block, by role; blocks naming a role twice are left out."""
    blocks: dict[tuple[int, int], dict[str, list[dict[str, Any]]]] = {}
    for f in doc.figures:
        if f["kind"] != Kind.COUNT or f["value"] is None or f["value_max"] is not None:
            continue
        role = _role(_label(doc, f))
        if role is not None:
            blocks.setdefault(_block_of(doc, f["start"]), {}).setdefault(role, []).append(f)
    return [{r: fs[0] for r, fs in roles.items()} for roles in blocks.values() if all(len(fs) == 1 for fs in roles.values())]


def _identity(whole: dict[str, Any], terms: list[tuple[str, dict[str, Any]]], what: str) -> Result:
    observed = float(terms[0][1]["value"]) + sum(float(f["value"]) * (1 if sign == "+" else -1) for sign, f in terms[1:])
    holds = observed == float(whole["value"])
    formula = fmt(terms[0][1]["value"]) + "".join(f" {sign} {fmt(f['value'])}" for sign, f in terms[1:])
    msg = (f"{quote(what)} {fmt(whole['value'])} (line {whole['line']}) {'is' if holds else 'is not'} {formula} = "
           f"{fmt(observed)} (tied by the labels of one block of statistics)")
    return Result(Rule.PART_WHOLE, [whole["figure_id"]] + [f["figure_id"] for _, f in terms], float(whole["value"]),
                  observed, Relation.EQUALS, holds, failing(holds), msg, int(whole["line"]))


def ballot_arithmetic(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    out = []
    for b in _blocks(doc):
        if {"voters", "registered", "abstentions"} <= b.keys():
            out.append(_identity(b["voters"], [("+", b["registered"]), ("-", b["abstentions"])], "voters"))
        if {"valid", "voters"} <= b.keys():
            spoiled = [b[r] for r in ("blank", "null") if r in b] if "blank_or_null" not in b else [b["blank_or_null"]]
            if spoiled and ("blank_or_null" in b or {"blank", "null"} <= b.keys()):
                out.append(_identity(b["valid"], [("+", b["voters"])] + [("-", f) for f in spoiled], "valid votes"))
    return out
