"""`part_whole`, `subset` and `percent_of`: parts against their whole.

part_whole: parts summed against a stated total ("1.364.000 ... et 569.020 ..., soit un total de
1.932.881"; the rows of a table against its Total row), with a rounding tolerance in the manner
of XBRL calculation checks (half a rounding step per figure); "of which", "including", "dont"
lists must not exceed their whole.
subset: a part cannot exceed its whole ("8 of the 20 projects", "of whom 103 were women"), and
a later stage of a funnel cannot exceed an earlier one (55 applications, 25 shortlisted, 8 funded).
percent_of: a percent against its count and base ("272 of 313 (88%)" is 86.9%).
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import Any

from tally.extract.lexicon import alternation, lexicon
from tally.extract.nouns import singular
from tally.extract.tables.structure_words import (
    FUNNEL_STAGES,
    NUMBERED_NOUNS,
    OF_BASE,
    OF_THESE,
    PART_CUES,
    POOL_NOUNS,
    STAGE_WORDS,
    TOTAL_CUES,
    TOTAL_LABELS,
)
from tally.extract.tabular import row_label
from tally.reconcile.base import Doc, Result, by_sentence, failing, field_of, fmt, precision_unit, quote, share_result
from tally.reconcile.results import row_shares, vote_totals
from tally.reconcile.turnout import turnout
from tally.settings import ReconcileSettings
from tally.vocabulary import Qualifier, Relation, Rule, Severity

SUMMABLE = ("count", "money")
ANY_KIND = ("count", "money", "percent", "duration", "date", "year", "ordinal", "measure", "other")
# "soit" is also "that is" ("38 classes, soit 1 012 élèves"); "overall" and a bare "total" also
# qualify rates and scores: they tie a sum weakly (a warning when it does not hold)
WEAK_TOTAL_CUES = frozenset({"soit", "overall", "total", "total:"})


_TOTAL_BEFORE = re.compile(rf"(?:^|[\s,;:(—–-])(?:{alternation(TOTAL_CUES)})\s*:?\s*(?:de\s+|of\s+)?$", re.IGNORECASE)
_PART_CUE = re.compile(rf"\b(?:{alternation(PART_CUES)})\b", re.IGNORECASE)
_TOTAL_LABEL = re.compile(rf"^\s*(?:[-•*]\s+)?[|*_]*\s*(?:{alternation(TOTAL_LABELS)})\b", re.IGNORECASE)  # "- Total: 5,902"
_OF_BASE = re.compile(rf"^\s+{OF_BASE}\s+(?:[^\W\d_]+\s+)?$", re.IGNORECASE)


def _same_measure(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a["kind"] == b["kind"] and a["unit"] == b["unit"]


def _same_thing(whole: dict[str, Any], parts: list[dict[str, Any]]) -> bool:
    """Parts count what their whole counts: "38 classes de 14 établissements, soit 1 012 élèves"
    is not a sum, nor "160 GPUs, of which 8 nodes". Parts that name nothing are taken as the
    whole's (a breakdown such as "1,112 online and 300 on paper")."""
    if whole["kind"] == "money" and not whole["head"]:
        return True  # "27 millions d'euros, dont 15 millions de l'ANR et 12 de la Région": sources, not things
    heads = {p["head"] for p in parts if p["head"]}
    return not heads or heads == {whole["head"]}


def _on_total_row(doc: Doc, f: dict[str, Any]) -> bool:
    ln = doc.lines[doc.line_of(f["start"]) - 1]
    return bool(_TOTAL_LABEL.match(ln.text)) and ln.kind in ("table", "list", "text")


def _tolerance(figs: list[dict[str, Any]]) -> float:
    """Half a rounding step for each rounded figure ("1.364.000"); exact counts add nothing."""
    return sum(precision_unit(f) / 2 for f in figs if precision_unit(f) != 1.0)


def _sum_result(rule: Rule, whole: dict[str, Any], parts: list[dict[str, Any]], relation: Relation, how: str,
                context: str | None = None, strong: bool = True) -> Result:
    total = sum(float(p["value"]) for p in parts)
    stated = float(whole["value"])
    tol = _tolerance([*parts, whole])
    holds = abs(total - stated) <= tol if relation == Relation.EQUALS else total <= stated + tol
    terms = " + ".join(fmt(p["value"]) for p in parts)
    verb = "add up to" if holds else "do not add up to"
    if relation == "at_least":
        verb = "stay within" if holds else "exceed"
    msg = f"{how}: {terms} = {fmt(total)} {verb} the stated {fmt(stated)} {quote(context or whole['sentence'], 60)}"
    return Result(rule, [whole["figure_id"]] + [p["figure_id"] for p in parts], stated, total, relation, holds,
                  failing(holds, Severity.ERROR if strong else Severity.WARNING), msg, int(whole["line"]))


def _by_sentence(figs: list[dict[str, Any]]) -> dict[str, list[int]]:
    """Positions in `figs` of the figures of each sentence, in text order."""
    out: dict[str, list[int]] = {}
    for k, f in enumerate(figs):
        out.setdefault(f["sid"], []).append(k)
    return out


def part_whole(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    out: list[Result] = []
    figs = [f for f in doc.figures if f["kind"] in SUMMABLE and f["value"] is not None and f["value_max"] is None]
    text = doc.text
    sentences = _by_sentence(figs)
    for k, w in enumerate(figs):
        before = text[max(0, w["start"] - 30) : w["start"]]
        mates = sentences[w["sid"]]
        if _on_total_row(doc, w):
            continue  # a Total row of a table or list: its column above is the parts (_total_rows)
        # "A and B, soit un total de C": the parts are the earlier figures of the same sentence
        cue = _TOTAL_BEFORE.search(before)
        if cue:
            parts = [figs[i] for i in mates if i < k and _same_measure(figs[i], w)]
            if len(parts) >= 2 and _same_thing(w, parts):
                word = cue.group(0).strip(" ,;:(—–-")
                strong = word.lower() not in WEAK_TOTAL_CUES
                how = f"the parts before the total, tied by {quote(word)}"
                out.append(_sum_result(Rule.PART_WHOLE, w, parts, Relation.EQUALS, how, strong=strong))
                continue
        # "C comments were received, of which A ... and B ...": the parts follow in the same sentence
        later = [figs[i] for i in mates if i > k and _same_measure(figs[i], w)]
        later = _coordinated(doc, later) if later else later  # "of which A and B", not the lines below
        part_cue = _PART_CUE.search(text, w["end"], later[0]["start"]) if len(later) >= 2 else None
        if part_cue and _same_thing(w, later):
            how = f"the parts listed after the whole, tied by {quote(part_cue.group(0))}"
            out.append(_sum_result(Rule.PART_WHOLE, w, later, Relation.AT_LEAST, how))
    out.extend(_breakdowns(doc, figs, settings))
    out.extend(_total_rows(doc, figs))
    out.extend(vote_totals(doc, settings))
    return out


_COLON_AFTER = re.compile(r"[^\d.;!?\n]{0,40}?:\s", re.IGNORECASE)
_LABEL_NUMBER = re.compile(rf"\b(?:{alternation(sorted(NUMBERED_NOUNS))})\.?\s*\Z", re.IGNORECASE)
_OF_THESE = re.compile(rf"\W*(?:{alternation(OF_THESE)})\b", re.IGNORECASE)


def _labelled_number(doc: Doc, f: dict[str, Any]) -> bool:
    """"day 1", "Question 2": a number that names, not a count."""
    return bool(_LABEL_NUMBER.search(doc.text, max(0, f["start"] - 12), f["start"]))


ASIDE_REACH = 200  # characters back from a figure to the parenthesis that may open its aside
_COORDINATION = re.compile(r",|;|\b(?:and|et|or|ou|plus)\b", re.IGNORECASE)


def _coordinated(doc: Doc, figs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The run of figures joined by commas or "and" from the first one: "1,112 online and 300 on
    paper [returned through nine libraries]" stops before "nine"; asides in parentheses are skipped."""
    out: list[dict[str, Any]] = []
    for f in figs:
        lo = max(0, f["start"] - ASIDE_REACH)
        if doc.text.rfind("(", lo, f["start"]) > doc.text.rfind(")", lo, f["start"]) or doc.text[f["end"] : f["end"] + 1] == "-":
            continue  # an aside, or a compound ("a two-member division")
        if out:
            gap = doc.text[out[-1]["end"] : f["start"]]
            if len(gap) > 60 or not _COORDINATION.search(gap):
                break
        out.append(f)
    return out


def _breakdowns(doc: Doc, figs: list[dict[str, Any]], settings: ReconcileSettings) -> list[Result]:
    """"We received 1,412 responses: 1,112 online and 300 on paper" (a colon opens the parts of
    the count before it: they sum to it) and "(186 people). Of these, 97 (52.2%) opposed the move
    and 89 (47.8%) supported it" (the parts stay within it; their percents are shares of it)."""
    out: list[Result] = []
    sentences = _by_sentence(figs)
    for k, w in enumerate(figs):
        colon = _COLON_AFTER.match(doc.text, w["end"])
        if not colon:
            continue
        line_end = doc.index.line_span(w["start"])[1]
        after = [figs[i] for i in sentences[w["sid"]] if i > k and colon.end() <= figs[i]["start"] < line_end
                 and _same_measure(figs[i], w) and not _labelled_number(doc, figs[i])]
        parts = _coordinated(doc, after)
        if len(parts) >= 2 and w["head"] and all(p["value"] <= w["value"] for p in parts):
            how = "the parts after the colon that follows it"
            out.append(_sum_result(Rule.PART_WHOLE, w, parts, Relation.EQUALS, how, strong=_same_thing(w, parts)))
    for sentence, positions in sentences.items():
        first = figs[positions[0]]
        s0 = doc.index.sentence_span(first["start"])[0]
        cue = _OF_THESE.match(doc.text, s0)
        if not cue or positions[0] == 0:
            continue
        w = figs[positions[0] - 1]
        parts = [figs[i] for i in positions if _same_measure(figs[i], w) and not _labelled_number(doc, figs[i])]
        if len(parts) < 2 or doc.index.sentence_span(w["start"])[1] + 3 < s0 - 2 or w["sid"] == sentence:
            continue
        how = f"the parts of the sentence after it, tied by {quote(cue.group(0).strip(' ,'))}"
        out.append(_sum_result(Rule.PART_WHOLE, w, parts, Relation.AT_LEAST, how))
        for part in parts:
            share = next((p for p in doc.in_span(part["end"], part["end"] + 12, ("percent",)) if p["value"] is not None), None)
            if share is not None and _PAREN_OPEN.match(doc.text[part["end"] : share["start"]]):
                out.append(share_result(share, part, w, settings.percent_tolerance,
                                        f"{quote(doc.text[part['start'] : share['end'] + 1])} of {fmt(w['value'])}",
                                        f"the parentheses and {quote(cue.group(0).strip(' ,'))}"))
    return out


def _total_rows(doc: Doc, figs: list[dict[str, Any]]) -> list[Result]:
    """Tables and line lists with a Total row: each column's rows above must sum to it."""
    out = []
    lines = doc.lines
    starts = [f["start"] for f in figs]

    def within(a: int, b: int) -> list[dict[str, Any]]:
        return figs[bisect.bisect_left(starts, a) : bisect.bisect_left(starts, b)]

    for i, ln in enumerate(lines):
        if not _TOTAL_LABEL.match(ln.text) or ln.kind not in ("table", "list", "text"):
            continue
        totals = within(ln.start, ln.end)
        if not totals:
            continue
        # the rows above, up to a blank-free break of the same kind of line
        family = ("table", "border") if ln.kind == "table" else ("list", "text")
        rows = []
        j = i - 1
        while j >= 0 and lines[j].kind in family and lines[j].text.strip() and not lines[j].text.rstrip().endswith(":"):
            if lines[j].kind != "border":
                rows.append(lines[j])
            j -= 1
        rows.reverse()
        if len(rows) < 2:
            continue
        for col, total in enumerate(totals):
            cell = _cell(doc.text, ln.start, total["start"]) if ln.kind == "table" else col
            parts = []
            for r in rows:
                cells = within(r.start, r.end)
                if r.kind == "text" and not _ends_with_figures(doc.text, r.end, doc.in_span(r.start, r.end, ANY_KIND)) \
                        and not _same_tail(doc, r, ln, cells, totals):
                    continue  # "Répartition des 35 allocations par domaine" is a caption, not a row
                if ln.kind == "table":
                    cells = [f for f in cells if _cell(doc.text, r.start, f["start"]) == cell]
                    pick = cells[0] if len(cells) == 1 else None
                else:
                    pick = cells[col] if len(cells) == len(totals) else None
                if pick is not None and _same_measure(pick, total):
                    parts.append(pick)
            if len(parts) >= 2:
                label = row_label(ln.text) or "Total"
                how = f"the {len(parts)} rows above {quote(label)}"
                out.append(_sum_result(Rule.PART_WHOLE, total, parts, Relation.EQUALS, how, context=ln.text))
                if len(totals) == 1:
                    out.extend(_row_shares(doc, total, parts, label))
    return out


def _row_shares(doc: Doc, total: dict[str, Any], parts: list[dict[str, Any]], label: str) -> list[Result]:
    """"YES  41,208  68.3%" over "Total  60,335": a row's one percent is its count's share of the
    Total row (tied by the table)."""
    out = []
    for part in parts:
        start, end = doc.index.line_span(part["start"])
        shares = [p for p in doc.in_span(start, end, ("percent",)) if p["value"] is not None and p["value_max"] is None]
        if len(shares) != 1 or not total["value"] or shares[0]["start"] < part["end"]:
            continue
        what = f"{fmt(part['value'])} of the {fmt(total['value'])} in {quote(label)}"
        out.append(share_result(shares[0], part, total, 0.05, what, "the table's rows"))
    return out


def _ends_with_figures(text: str, row_end: int, cells: list[dict[str, Any]]) -> bool:
    """A row of a text table: a label, then its figures, nothing after the last one."""
    return bool(cells) and not text[cells[-1]["end"] : row_end].strip(" \t*_|")


def _same_tail(doc: Doc, row: Any, total_line: Any, cells: list[dict[str, Any]], totals: list[dict[str, Any]]) -> bool:
    """"Samedi 11 octobre : 1 865 visiteurs" over "Total : 4 870 visiteurs": a row that ends with
    the noun its Total line ends with."""
    if not cells or not totals:
        return False
    tail = doc.text[cells[-1]["end"] : row.end].strip(" \t*_|.").lower()
    total_tail = doc.text[totals[-1]["end"] : total_line.end].strip(" \t*_|.").lower()
    return bool(tail) and tail == total_tail and len(tail.split()) <= 3


def _cell(text: str, line_start: int, pos: int) -> int:
    """Which cell of a table row the character at `pos` stands in (count of | before it)."""
    return text.count("|", line_start, pos)


def subset(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    out: list[Result] = []
    text = doc.text
    counts = [f for f in doc.figures if f["kind"] == "count" and f["value"] is not None and f["value_max"] is None]
    for k, a in enumerate(counts):
        # "8 of the 20 projects", "272 out of 313"
        for b in counts[k + 1 : k + 2]:
            between = text[a["end"] : b["start"]]
            if _OF_BASE.match(between) and b["start"] - a["end"] < 30:
                out.append(_subset_result(a, b, f"{quote(text[a['start'] : b['end']])}"))
        # "~200 attendees, of whom 103 were women", "36 people, including 27 ..."
        if k + 1 < len(counts):
            b = counts[k + 1]
            between = text[a["end"] : b["start"]]
            if b["sid"] == a["sid"] and len(between) < 40 and _PART_CUE.search(between) and not _OF_BASE.match(between):
                out.append(_subset_result(b, a, quote(text[a["start"] : b["end"]]), strong=_same_thing(a, [b])))
    out.extend(_of_the_whole(doc, counts))
    out.extend(_of_which_same_noun(doc))
    out.extend(_pronoun_parts(doc, counts))
    out.extend(_funnels(doc, counts))
    out.extend(_amount_part(doc))
    out.extend(_nested(doc, out))
    out.extend(_from_origins(doc, counts))
    return out


_CUE_JUST_BEFORE = re.compile(rf"\b(?:{alternation(PART_CUES)})\s*:?\s*\Z", re.IGNORECASE)


def _of_which_same_noun(doc: Doc) -> list[Result]:
    """"40 nodes, 4 × GPUs per node (160 GPUs), of which 8 nodes are reserved"; "40 pétaoctets,
    soit [...], dont 4 pétaoctets de stockage flash": a part after "of which"/"dont" within the
    nearest earlier figure of its sentence that counts the same noun (or has the same unit), with
    other figures between them."""
    out = []
    for figs in by_sentence(f for f in doc.figures if f["value"] is not None and f["kind"] in ("count", "measure")).values():
        for k, p in enumerate(figs):
            cue = _CUE_JUST_BEFORE.search(doc.text, max(0, p["start"] - 20), p["start"])
            if cue is None or k < 2 or p["value_max"] is not None:
                continue  # the part right after its whole is `subset`'s own case
            same = [w for w in figs[: k - 1] if w["kind"] == p["kind"] and (
                (p["kind"] == "count" and p["head"] and w["head"] == p["head"]) or (p["kind"] == "measure" and p["unit"]
                                                                                    and w["unit"] == p["unit"]))]
            if not same:
                continue
            w = same[-1]
            whole = {**w, "value": w["value_max"]} if w["value_max"] is not None else w  # "de 12 à 40 Po": now 40
            what = f"{quote(doc.text[w['start'] : w['end']])} … {quote(cue.group(0) + ' ' + p['text'])}"
            out.append(_subset_result(p, whole, what))
    return out


def _nested(doc: Doc, subsets: list[Result]) -> list[Result]:
    """"~200 attendees, of whom 103 were women [...] 130 of our attendees were students (75 of
    them women)": women among the students are among the women attendees, so 75 <= 103. From the
    parts already tied to their wholes: a part of a part, of the same noun as a part of the whole."""
    by_id = {f["figure_id"]: f for f in doc.figures}
    whole_of: dict[str, str] = {}
    parts_of: dict[str, list[str]] = {}
    for r in subsets:
        if r.rule == Rule.SUBSET and r.holds and len(r.figure_ids) == 2 and "funnel" not in r.message:
            part, whole = r.figure_ids
            whole_of.setdefault(part, whole)
            parts_of.setdefault(whole, []).append(part)
    out = []
    for b_id, c_id in whole_of.items():
        w_id = whole_of.get(c_id)
        b = by_id.get(b_id)
        if w_id is None or b is None or not b["head"]:
            continue
        for a_id in parts_of.get(w_id, []):
            a = by_id[a_id]
            if a_id in (c_id, b_id) or a["head"] != b["head"]:
                continue
            c = by_id[c_id]
            what = (f"{fmt(b['value'])} {a['counted']} among {fmt(c['value'])} {c['counted']} (line {b['line']}) are among "
                    f"the {fmt(a['value'])} {a['counted']} of the {fmt(by_id[w_id]['value'])} {by_id[w_id]['counted']} "
                    f"(line {a['line']})")
            out.append(_subset_result(b, a, what, strong=False))
    return out


# "over 20 scientists, engineers, and students from 8 institutions", "200 people from more than
# 20 countries", "1 400 chercheurs issus de 38 laboratoires": each origin sends at least one
_FROM = re.compile(r"[^.;:()\d]{0,60}?\b(?:from|issus?\s+de|issues?\s+de|venus?\s+de|venues?\s+de|originaires?\s+de|"
                   r"représentant|representing)\s+(?:(?:more\s+than|over|at\s+least|plus\s+de|au\s+moins)\s+)?\Z", re.IGNORECASE)


def _from_origins(doc: Doc, counts: list[dict[str, Any]]) -> list[Result]:
    out = []
    for a, b in itertools.pairwise(counts):
        if a["sid"] != b["sid"] or not a["head"] or not b["head"] or a["head"] == b["head"]:
            continue
        link = _FROM.fullmatch(doc.text, a["end"], b["start"])
        if not link:
            continue
        said = quote(doc.text[a["start"] : b["end"]] + " " + (b["counted"] or ""))
        what = f"{said} (tied by {quote(link.group(0).split()[-1])})"
        out.append(_subset_result(b, a, what, strong=False))
    return out


AMOUNTS = ("money", "measure")
_CUE_BEFORE_PART = re.compile(rf"\b(?:{alternation(PART_CUES)})\s*:?\s*\Z", re.IGNORECASE)


def _amount_part(doc: Doc) -> list[Result]:
    """"40 petabytes [...], of which 5 petabytes on flash", "42 km d'aménagements, dont 18 km de
    pistes": one amount after "of which"/"dont" is within the amount of the same unit before it."""
    out = []
    amounts = (f for f in doc.figures if f["kind"] in AMOUNTS and f["value"] is not None and f["value_max"] is None)
    for figs in by_sentence(amounts).values():
        for k, b in enumerate(figs):
            cue = _CUE_BEFORE_PART.search(doc.text, max(0, b["start"] - 20), b["start"])
            if not cue or k == 0:
                continue
            same = [f for f in figs if _same_measure(f, b)]
            before = [f for f in same if f["end"] <= cue.start()]
            after = [f for f in same if f["start"] >= b["start"]]
            if not before or len(after) != 1:
                continue  # several parts: part_whole sums them
            a = before[-1]
            what = quote(doc.text[a["start"] : b["end"]])
            out.append(_subset_result(b, a, f"{what} (tied by {quote(cue.group(0).strip(' :'))})"))
    return out


_OF_THE_BEFORE = re.compile(r"(?:^|[\s(])(?:of|out\s+of|among|sur|parmi)\s+(?:the|these|those|les|ces|our|nos)\s*$",
                            re.IGNORECASE)


def _of_the_whole(doc: Doc, counts: list[dict[str, Any]]) -> list[Result]:
    """"Of the 48 funded projects, 36 are led by ...": the count after the comma is a part."""
    out = []
    text = doc.text
    for k, a in enumerate(counts[:-1]):
        if not _OF_THE_BEFORE.search(text[max(0, a["start"] - 20) : a["start"]]):
            continue
        b = counts[k + 1]
        between = text[a["end"] : b["start"]]
        if b["sid"] == a["sid"] and "," in between and len(between) < 60:
            cue = _OF_THE_BEFORE.search(text[max(0, a["start"] - 20) : a["start"]])
            lead = max(0, a["start"] - 20) + (cue.start() if cue else 20)
            out.append(_subset_result(b, a, quote(text[lead : b["end"]].strip()), strong=_same_thing(a, [b])))
    return out


_OF_THEM = re.compile(r"^\s+(?:of\s+them|of\s+those|of\s+whom|d['’]entre\s+(?:eux|elles))\b", re.IGNORECASE)
_OF_OUR = re.compile(r"^\s+(?:of|among)\s+(?:our|the|its|their|these|those|nos|les|ces)\s+([^\W\d_][\w'’-]*)", re.IGNORECASE)


def _pronoun_parts(doc: Doc, counts: list[dict[str, Any]]) -> list[Result]:
    """"130 ... students (75 of them women)": a part of the count before it in the sentence;
    "130 of our attendees": a part of the attendees counted earlier ("~200 attendees")."""
    lex = lexicon("fr" if any(w in doc.text[:2000] for w in (" les ", " des ")) else "en")
    out = []
    text = doc.text
    largest: dict[str, dict[str, Any]] = {}  # the largest count of each head so far (the first on a tie)
    for k, b in enumerate(counts):
        if k:
            prev = counts[k - 1]
            if prev["head"] is not None and (prev["head"] not in largest or prev["value"] > largest[prev["head"]]["value"]):
                largest[prev["head"]] = prev
        after = text[b["end"] : b["end"] + 40]
        if _OF_THEM.match(after) and k > 0 and counts[k - 1]["sid"] == b["sid"]:
            a = counts[k - 1]
            out.append(_subset_result(b, a, quote(text[a["start"] : b["end"] + 12])))
            continue
        m = _OF_OUR.match(after)
        if m:
            head = singular(m.group(1), lex)
            whole = largest.get(head)
            if whole is not None:
                out.append(_subset_result(b, whole, f"{quote(text[b['start'] : b['end'] + len(m.group(0))])} "
                                                    f"(of {fmt(whole['value'])} {whole['counted']}, line {whole['line']})"))
    return out


def _subset_result(part: dict[str, Any], whole: dict[str, Any], what: str, strong: bool = True) -> Result:
    """A part within its whole; `strong` when both count the same thing (else a failure is a
    warning: "200 attendees, of whom 103 women" ties weakly, "9 datasets, including 1,200,000
    records" not at all)."""
    holds = part["value"] <= whole["value"] or whole["qualifier"] in (Qualifier.AT_LEAST, Qualifier.APPROXIMATE)
    msg = f"{what}: the part {fmt(part['value'])} {'is within' if holds else 'exceeds'} the whole {fmt(whole['value'])}"
    return Result(Rule.SUBSET, [part["figure_id"], whole["figure_id"]], float(whole["value"]), float(part["value"]),
                  Relation.NOT_MORE_THAN, holds, failing(holds, Severity.ERROR if strong else Severity.WARNING), msg,
                  int(part["line"]))


_AUX = r"(?:(?:were|was|are|is|have\s+been|had\s+been|got|ont\s+été|ont|sont|a\s+été|été)\s+)?"
_STAGE_BEFORE = re.compile(rf"\b(?:{alternation(sorted(STAGE_WORDS))})(?:\s*[:|\t]\s*|\s+)(?:[^\W\d_][\w'’-]*\s+)?\Z",
                           re.IGNORECASE)
# "the project was selected [by the jury] as one of the 50 global initiatives"
_STAGE_ONE_OF = re.compile(rf"\b(?:{alternation(sorted(STAGE_WORDS))})\b[^.;:\d]{{0,80}}\b(?:as\s+)?(?:one\s+of\s+(?:the\s+)?|"
                           rf"among\s+(?:the\s+)?|parmi\s+les\s+|l['’]une?\s+des\s+)\Z", re.IGNORECASE)
_STAGE_AFTER = re.compile(rf"\s+{_AUX}(?:{alternation(sorted(STAGE_WORDS))})\b", re.IGNORECASE)
POOL_REACH = 600  # characters from a pool ("312 applications") to a stage of another noun


def _named_stage(f: dict[str, Any]) -> bool:
    """A count whose own words name a later stage ("25 shortlisted", "12 lauréats")."""
    return bool({w.lower() for w in (f["counted"] or "").split()} & FUNNEL_STAGES)


def _said_stage(doc: Doc, f: dict[str, Any]) -> bool:
    """A count said to be a later stage by the word just before it or after its noun ("awarded
    21 grants", "48 companies were invited", "41 projets ont été présélectionnés")."""
    s0 = doc.index.sentence_span(f["start"])[0]
    if _STAGE_BEFORE.search(doc.text, max(s0, f["start"] - 30), f["start"]) or \
            _STAGE_ONE_OF.search(doc.text, max(s0, f["start"] - 130), f["start"]):
        return True
    found = doc.text.find(f["counted"], f["end"], f["end"] + 40) if f["counted"] else -1
    return bool(_STAGE_AFTER.match(doc.text, found + len(f["counted"]) if found >= 0 else f["end"]))


def _pool_noun(doc: Doc, f: dict[str, Any]) -> bool:
    """A count of a pool ("312 applications"), by its noun or its label ("Applications received 1,284",
    "Projects on the ballot: 27")."""
    if f["head"] in POOL_NOUNS:
        return True
    words = field_of(doc, f).label.split()
    return bool(words) and (words[0] in POOL_NOUNS or words[0].rstrip("s") in POOL_NOUNS)


def _funnels(doc: Doc, counts: list[dict[str, Any]]) -> list[Result]:
    """Stages of one selection ("55 applications received ... 25 shortlisted ... 8 funded";
    "120 candidatures ; 40 présélectionnées ... 12 lauréates"), each against the stage before it
    of the same noun. A stage only said by a verb ("received 94 applications and awarded 21
    grants") is checked against the pool just before it, as a warning: the noun does not tie it."""
    out = []
    root: dict[str, dict[str, Any]] = {}  # the pool: first count of a head that names no stage
    last_stage: dict[str, dict[str, Any]] = {}
    pool: dict[str, Any] | None = None  # the latest count of a pool noun, or the stage said after it
    part_of: int | None = None  # the sentence whose counts after "dont"/"of which" are parts, not stages
    for k, f in enumerate(counts):
        head = f["head"] or ""
        if k and counts[k - 1]["sid"] == f["sid"] and _PART_CUE.search(doc.text, counts[k - 1]["end"], f["start"]):
            part_of = f["sid"]
        if part_of == f["sid"]:
            continue  # "12 lauréats, dont 5 en Occitanie, 4 [...] et 3 [...]"
        if not _named_stage(f):
            if _said_stage(doc, f) and pool is not None and _follows(doc, pool, f):
                out.append(_stage_result(pool, f, strong=False))
                pool = {**f, "_stage": True}
            else:
                root.setdefault(head, f)
                if _pool_noun(doc, f) and f["qualifier"] != Qualifier.AT_MOST:  # "up to 5 projects" is a rule
                    pool = f
            continue
        prev = last_stage.get(head) or root.get(head)
        own_stage = (f["counted"] or "").split()[-1:] and (f["counted"] or "").split()[-1].lower() in FUNNEL_STAGES
        if prev is None and own_stage:
            # a stage named by its own noun ("12 lauréates"): the count before it in the paragraph
            prev = next((c for c in reversed(counts[max(0, k - 50) : k]) if c["head"] != f["head"]
                         and (_pool_noun(doc, c) or _said_stage(doc, c) or _named_stage(c))), None)
            if prev is not None and f["start"] - prev["end"] >= 400:
                prev = None
        if prev is not None and f["start"] - prev["start"] < 1500 and not _columns_of_a_row(f, prev):
            out.append(_stage_result(prev, f, strong=True))
        last_stage[head] = f
    return out


def _follows(doc: Doc, prev: dict[str, Any], f: dict[str, Any]) -> bool:
    """A stage said by a verb follows its pool in the same section, within POOL_REACH, and a
    stage it follows in the same paragraph ("In 2024, 17 grants were awarded" further on is
    another selection)."""
    if f["start"] - prev["end"] >= POOL_REACH or prev["heading"] != f["heading"] or _columns_of_a_row(f, prev):
        return False
    return not prev.get("_stage") or "\n\n" not in doc.text[prev["end"] : f["start"]].replace("\r", "")


def _stage_result(prev: dict[str, Any], f: dict[str, Any], strong: bool) -> Result:
    holds = f["value"] <= prev["value"] or prev["qualifier"] in (Qualifier.AT_LEAST, Qualifier.APPROXIMATE)
    msg = (f"funnel: {fmt(f['value'])} {f['counted'] or ''} (line {f['line']}) "
           f"{'does not exceed' if holds else 'exceeds'} the earlier stage {fmt(prev['value'])} "
           f"{prev['counted'] or ''} (line {prev['line']})"
           f"{'' if strong else ' (tied by the words of a selection, not by one noun)'}")
    return Result(Rule.SUBSET, [f["figure_id"], prev["figure_id"]], float(prev["value"]), float(f["value"]),
                  Relation.NOT_MORE_THAN, holds, failing(holds, Severity.ERROR if strong else Severity.WARNING), msg,
                  int(f["line"]))


def _columns_of_a_row(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two figures of one line counting the same thing, with no word between them, are two columns
    ("Projets lauréats 19 23", "| 268 | 312 |"); "48 companies were invited [...] and 14 were
    selected" is a sentence."""
    if a["line"] != b["line"] or a["counted"] != b["counted"]:
        return False
    first, second = (a, b) if a["start"] < b["start"] else (b, a)
    sentence = first["sentence"] or ""
    return len(sentence) < 2 or not re.search(r"[^\W\d_]{3,}", _between(first, second))


def _between(first: dict[str, Any], second: dict[str, Any]) -> str:
    """The words between two figures of one sentence, their counted nouns left out."""
    text = (first["sentence"] or "")
    i, j = text.find(first["text"]), text.find(second["text"], max(0, text.find(first["text"]) + len(first["text"])))
    if i < 0 or j < 0:
        return ""
    gap = text[i + len(first["text"]) : j]
    return gap.replace(first["counted"] or "\0", "", 1)


def percent_of(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    """A percent beside "A of B" ("272 of 313 (88%)", "45% of the line-up (18 of 40 speakers)")
    must be A/B. A and B are whole counts; when several percents stand near, the check is made
    with the one that fits, else with the nearest, as a warning."""
    out = []
    text = doc.text
    counts = [f for f in doc.figures if f["kind"] == "count" and f["value"] is not None and f["value_max"] is None
              and float(f["value"]).is_integer()]
    percents: dict[str, list[dict[str, Any]]] = {}
    for f in doc.figures:
        if f["kind"] == "percent" and f["value"] is not None and f["value_max"] is None:
            percents.setdefault(f["sid"], []).append(f)
    for k, a in enumerate(counts[:-1]):
        b = counts[k + 1]
        if not (_OF_BASE.match(text[a["end"] : b["start"]]) and b["value"] and a["value"] <= b["value"]):
            continue
        near = [p for p in percents.get(a["sid"], []) if abs(p["start"] - a["start"]) <= 120]
        if not near:
            continue
        checks = [share_result(p, a, b, settings.percent_tolerance, quote(text[a["start"] : b["end"]]),
                               f"{quote(text[a['end'] : b['start']].strip())} and the sentence",
                               Severity.ERROR if len(near) == 1 else Severity.WARNING) for p in near]
        fitting = [c for c in checks if c.holds]
        nearest = min(range(len(near)), key=lambda i: min(abs(near[i]["start"] - a["end"]), abs(near[i]["end"] - a["start"])))
        out.append(fitting[0] if fitting else checks[nearest])
    out.extend(_share_of_stated_base(doc, counts, percents, settings))
    out.extend(turnout(doc, settings))
    out.extend(row_shares(doc, settings))
    return out


_PAREN_OPEN = re.compile(r"^\s*\(\s*$")


def _share_of_stated_base(doc: Doc, counts: list[dict[str, Any]], percents: dict[str, list[dict[str, Any]]],
                          settings: ReconcileSettings) -> list[Result]:
    """"Of the 300 replies received, 240 (80%) were in favour": a percent in parentheses right
    after a count is that count's share of the whole the sentence opened with ("of the", "sur
    les", "parmi les")."""
    out = []
    text = doc.text
    by_start = {f["start"]: f for f in counts}
    ends = sorted((f["end"], f["start"]) for f in counts)
    in_sentence: dict[str, list[dict[str, Any]]] = {}
    for f in counts:
        in_sentence.setdefault(f["sid"], []).append(f)
    for sentence, ps in percents.items():
        for p in ps:
            k = bisect.bisect_right(ends, (p["start"], -1)) - 1
            if k < 0 or not _PAREN_OPEN.match(text[ends[k][0] : p["start"]]):
                continue
            a = by_start[ends[k][1]]
            bases = [b for b in in_sentence.get(sentence, []) if b["end"] <= a["start"] and b["value"]
                     and _OF_THE_BEFORE.search(text[max(0, b["start"] - 20) : b["start"]])] if a["sid"] == sentence else []
            if len(bases) != 1 or a["value"] > bases[0]["value"] or a["start"] - bases[0]["end"] > 200:
                continue
            b = bases[0]
            cue = _OF_THE_BEFORE.search(text[max(0, b["start"] - 20) : b["start"]])
            lead = (cue.group(0).strip() + " ") if cue else ""
            what = f"{quote(text[a['start'] : p['end'] + 1])} of {quote(lead + text[b['start'] : b['end']])}"
            out.append(share_result(p, a, b, settings.percent_tolerance, what,
                                    f"the parentheses and {quote(lead.strip())}"))
    return out
