"""A percent against its count and the whole the sentence names (part of `percent_of`).

    "5,214 students cast ballots, a turnout of 61% of the 8,547 students enrolled"
    "7 412 habitants ont voté [...], soit 21,3 % des 34 796 Vallériens de 11 ans et plus"
    "Sur 5 284 électeurs inscrits, 2 903 ont pris part au vote, soit un taux de participation de 54,9 %"
    "92 intervenants, dont 39 femmes (42 %)"

The count is the one count before the percent in its sentence, the whole the count the percent
is "of" ("of the", "des"), the one the sentence opens with ("Sur", "Out of"), or the one before
"dont"/"of whom". A restating word between count and percent ("soit", "a turnout of") or the
parentheses tie them: an error when the share is off; a sentence alone ties them loosely.
"""

from __future__ import annotations

import re
from typing import Any

from tally.extract.lexicon import alternation
from tally.extract.tables.structure_words import PART_CUES
from tally.reconcile.base import Doc, Result, by_sentence, quote, share_result
from tally.settings import ReconcileSettings
from tally.vocabulary import Kind, Severity

_OF_WHOLE = re.compile(r"\s*(?:of\s+(?:the\s+|its\s+|our\s+|all\s+)?|des\s+|de\s+la\s+|du\s+|de\s+l['’]|d['’])\Z", re.IGNORECASE)
_RESTATING = re.compile(r"\b(?:soit|i\.\s?e\.|that\s+is|or|a\s+turnout\s+of|turnout|un\s+taux|taux|représentant|representing)\b",
                        re.IGNORECASE)
_OPENS_WITH_WHOLE = re.compile(r"\W*(?:sur|out\s+of|of|parmi)\s+(?:the\s+|les\s+|ces\s+)?\Z", re.IGNORECASE)
_PART_CUE_BEFORE = re.compile(rf"\b(?:{alternation(PART_CUES)})\s*\Z", re.IGNORECASE)
_NOUN_PAREN = re.compile(r"\s*(?:[^\W\d_][\w'’-]*\s*)?\(\s*")  # "39 femmes (42 %)", "39 (42 %)"
WHOLE_REACH = 25  # characters between "of the" and its whole


def _counts(figs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in figs if f["kind"] == Kind.COUNT and f["value"] and f["value_max"] is None
            and float(f["value"]).is_integer()]


def percents_of_stated_wholes(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    sentences = by_sentence(doc.figures)
    out = []
    for sid, figs in sentences.items():
        counts = _counts(figs)
        for p in figs:
            if p["kind"] != Kind.PERCENT or p["value"] is None or p["value_max"] is not None:
                continue
            before = [c for c in counts if c["end"] <= p["start"]]
            after = [c for c in counts if c["start"] >= p["end"]]
            found = _of_whole(doc, p, before, after) or _opening_whole(doc, sid, p, before) or \
                _whole_before_part(doc, p, before) or _whole_of_previous_sentence(doc, sid, p, before, after, sentences)
            if found is None:
                continue
            part, whole, tie, strong = found
            what = f"{quote(part['text'])} of {quote(whole['text'] + ' ' + (whole['counted'] or ''))}"
            out.append(share_result(p, part, whole, settings.percent_tolerance, what, tie,
                                    Severity.ERROR if strong else Severity.WARNING))
    return out


_Found = tuple[dict[str, Any], dict[str, Any], str, bool]


def _of_whole(doc: Doc, p: dict[str, Any], before: list[dict[str, Any]], after: list[dict[str, Any]]) -> _Found | None:
    """"a turnout of 61% of the 8,547 students enrolled", after "5,214 students cast ballots"."""
    if not after or len(before) != 1 or after[0]["start"] - p["end"] > WHOLE_REACH:
        return None  # "by 5,902 votes to 5,211, on a turnout of 48.2% of [...]": which count is the part is not said
    if not _OF_WHOLE.search(doc.text, p["end"], after[0]["start"]):
        return None
    whole, part = after[0], before[-1]
    if part["value"] > whole["value"]:
        return None
    restating = _RESTATING.search(doc.text[part["end"] : p["start"]])
    tie = f"{quote(doc.text[p['end'] : whole['start']].strip())} and {quote(restating.group(0)) if restating else 'the sentence'}"
    return part, whole, tie, restating is not None


def _opening_whole(doc: Doc, sid: int, p: dict[str, Any], before: list[dict[str, Any]]) -> _Found | None:
    """"Sur 5 284 électeurs inscrits, 2 903 ont pris part au vote, soit [...] 54,9 %"."""
    if len(before) < 2 or not _OPENS_WITH_WHOLE.match(doc.text, sid, before[0]["start"]):
        return None
    whole, part = before[0], before[-1]
    between = doc.text[part["end"] : p["start"]]
    restating = _RESTATING.search(between)
    if part is whole or part["value"] > whole["value"] or not restating:
        return None
    return part, whole, f"{quote(doc.text[sid : whole['start']].strip())} and {quote(restating.group(0))}", True


def _whole_before_part(doc: Doc, p: dict[str, Any], before: list[dict[str, Any]]) -> _Found | None:
    """"92 intervenants, dont 39 femmes (42 %)": the share in parentheses is of the count before "dont"."""
    if len(before) < 2:
        return None
    whole, part = before[-2], before[-1]
    if not _NOUN_PAREN.fullmatch(doc.text[part["end"] : p["start"]]):
        return None
    cue = _PART_CUE_BEFORE.search(doc.text, whole["end"], part["start"])
    if not cue or part["value"] > whole["value"] or part["start"] - whole["end"] > 40:
        return None
    return part, whole, f"{quote(cue.group(0))} and the parentheses", True


_COUNT_IN_PARENS = re.compile(r"\s*\(\s*\Z")


def _whole_of_previous_sentence(doc: Doc, sid: int, p: dict[str, Any], before: list[dict[str, Any]],
                                after: list[dict[str, Any]], sentences: dict[int, list[dict[str, Any]]]) -> _Found | None:
    """"1,104 attendees answered our feedback survey. 91% (1,005) said they would come back": a
    percent with its count in parentheses, no count before it in its sentence, and one count in the
    sentence before, of which it is a share. A warning when it is off: two sentences tie loosely."""
    if before or not after or not _COUNT_IN_PARENS.match(doc.text[p["end"] : after[0]["start"]]) or sid == 0:
        return None
    part = after[0]
    previous = _counts(sentences.get(doc.index.sentence_span(sid - 1)[0], []))
    if len(previous) != 1 or previous[0]["value"] < part["value"] or not previous[0]["head"]:
        return None
    whole = previous[0]
    return part, whole, f"the parentheses and the sentence before ({quote(whole['text'] + ' ' + whole['counted'])})", False
