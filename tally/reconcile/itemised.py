"""Part of `part_whole`: the figures of a run of items summed against the whole their intro states.

    "The 27 sessions ran in three parallel tracks:"      Question 1 – ... ? (1 126 répondants)
    - Data Engineering: 10 sessions                      Tous les jours : 318 (28 %)
    - ML in Production: 9 sessions                       Une à plusieurs fois par semaine : 402 (36 %)
    - Data & Society: 8 sessions                         ...

A run is two or more consecutive short lines (list items, or "Label: N" lines) each holding
exactly one figure of a kind (counts or one currency), outside parentheses. The whole is the one
figure of that kind on the line just above the run (its intro) that counts what the items count.
When the intro states no figure but names what it breaks down ("Grants by category:", "Les idées
par catégorie"), the whole is an earlier figure of that noun in the same section: with one such
figure the check is a warning when it fails; with several, a check is made only when one of them
is the sum (info), since the text does not say which. A question that allows several answers
("plusieurs réponses possibles") is never summed. Errors only for items that name what their
intro's figure counts ("10 sessions" under "The 27 sessions").
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from tally.extract.lexicon import lexicon
from tally.extract.nouns import singular
from tally.extract.tables.structure_words import INTRO_STOPWORDS, MULTI_ANSWER, TOTAL_LABELS
from tally.read.structure import Line
from tally.reconcile.base import WORD, Doc, Result, failing, field_of, fmt, quote
from tally.reconcile.parts import _labelled_number, _sum_result, _tolerance
from tally.settings import ReconcileSettings
from tally.vocabulary import Kind, Qualifier, Relation, Rule, Severity

MAX_ITEM_WORDS = 14  # a longer text line is a sentence, not an item
REACH = 2500  # characters back from an intro without a figure to the whole it names
_MULTI = re.compile("|".join(re.escape(w) for w in MULTI_ANSWER), re.IGNORECASE)
_TOTAL_LINE = re.compile(rf"^\s*[-•*|]?\s*(?:{'|'.join(TOTAL_LABELS)})\b", re.IGNORECASE)


def _exact(f: dict[str, Any]) -> bool:
    return (f["value"] is not None and f["value_max"] is None and f["qualifier"] == Qualifier.EXACT
            and f["kind"] in (Kind.COUNT, Kind.MONEY))


def _aside(doc: Doc, f: dict[str, Any], line: Line) -> bool:
    lo = max(line.start, f["start"] - 200)
    return doc.text.rfind("(", lo, f["start"]) > doc.text.rfind(")", lo, f["start"])


def _marker(doc: Doc, f: dict[str, Any], line: Line) -> bool:
    """"1. Dépôt des idées": the number of a numbered item, not a figure of it."""
    return not doc.text[line.start : f["start"]].strip() and doc.text[f["end"] : f["end"] + 1] in (".", ")")


def _values(doc: Doc, line: Line, kind: str, unit: str | None, asides: bool = False) -> list[dict[str, Any]]:
    """The figures of a kind on a line, outside parentheses unless an amount is only there; on a
    "Label : value" line, those after the colon ("Zones 30 et rues apaisées : 431" holds one
    answer count, 431)."""
    every = [f for f in doc.in_span(line.start, line.end, (kind,)) if _exact(f) and f["unit"] == unit
             and not _labelled_number(doc, f) and not _marker(doc, f, line)]
    out = [f for f in every if asides or not _aside(doc, f, line)]
    if not out and kind == Kind.MONEY:
        out = every  # "1. First prize (€3,000): ..." holds its amount in parentheses
    colon = line.text.find(": ")
    if len(out) > 1 and colon > 0:
        out = [f for f in out if f["start"] > line.start + colon] or out
    return out


def _is_item(ln: Line) -> bool:
    if ln.kind == "list":
        return True
    return ln.kind == "text" and len(ln.text.split()) <= MAX_ITEM_WORDS and not ln.text.rstrip().endswith((".", ":"))


def _runs(doc: Doc) -> list[tuple[int, int]]:
    """(first, last) line indexes of runs of item lines, a Total line ending a run."""
    out, i, lines = [], 0, doc.lines
    while i < len(lines):
        if not _is_item(lines[i]) or _TOTAL_LINE.match(lines[i].text):
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and _is_item(lines[j + 1]) and not _TOTAL_LINE.match(lines[j + 1].text):
            j += 1
        if j > i:
            out.append((i, j))
        i = j + 1
    return out


def _intro(doc: Doc, first: int) -> Line | None:
    """The line just above a run (one blank line may stand between), if it is not an item."""
    k = first - 1
    if k >= 0 and doc.lines[k].kind == "blank":
        k -= 1
    if k < 0 or doc.lines[k].kind in ("blank", "border", "table") or doc.lines[k].kind == "list":
        return None
    return doc.lines[k]


def _with_intros(doc: Doc) -> list[tuple[int, int, Line]]:
    """Runs with the line that introduces them; a run whose first line is a short plain line
    ("Les idées par catégorie", "Question 1 – ... (1 126 répondants)") may be its own intro."""
    out = []
    for first, last in _runs(doc):
        intro = _intro(doc, first)
        if intro is not None:
            out.append((first, last, intro))
        head = doc.lines[first]
        if head.kind == "text" and last - first >= 2 and _titles(doc, head):
            out.append((first + 1, last, head))
    return out


def _titles(doc: Doc, line: Line) -> bool:
    """A line that titles the items after it rather than being one: a question, a figure in
    parentheses, or no figure at all ("Funnel: Applications: 55" is an item, not a title)."""
    figs = doc.in_span(line.start, line.end, (Kind.COUNT, Kind.MONEY))
    return "?" in line.text or not figs or all(_aside(doc, f, line) or _labelled_number(doc, f) for f in figs)


def _noun(text: str, lang: str) -> str | None:
    """The noun an intro without a figure breaks down: its first content word."""
    words = [w.lower() for w in WORD.findall(text)]
    content = [w for w in words if w not in INTRO_STOPWORDS and len(w) >= 4]
    return singular(content[0], lexicon(lang)) if content else None


def _counts(f: dict[str, Any], noun: str, lang: str) -> bool:
    head = f["head"] or ""
    return bool(head) and (singular(head.split()[-1], lexicon(lang)) == noun or singular(head.split()[0], lexicon(lang)) == noun)


def _in_sentence(f: dict[str, Any], noun: str, lang: str) -> bool:
    """"5 projets lauréats, pour 98 500 €": an amount whose sentence names the noun of the list."""
    return noun in {singular(w, lexicon(lang)) for w in WORD.findall((f["sentence"] or "").lower())}


def _labelled(doc: Doc, f: dict[str, Any], noun: str, lang: str) -> bool:
    """"Nombre de sièges à pourvoir : 9": the noun in the label of a field."""
    fl = field_of(doc, f)
    return fl.separated and noun in {singular(w, lexicon(lang)) for w in WORD.findall(fl.label)}


def item_sums(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    lang = "fr" if " les " in doc.text[:3000] or " des " in doc.text[:3000] else "en"
    out: list[Result] = []
    starts = [f["start"] for f in doc.figures]
    for first, last, intro in doc.derived(_with_intros):
        items = doc.lines[first : last + 1]
        if _several_answers(intro, items):
            continue  # answers_within
        sample = doc.in_span(items[0].start, items[0].end, (Kind.COUNT, Kind.MONEY))
        for kind, unit in {(f["kind"], f["unit"]) for f in sample}:
            for parts in _columns(doc, items, kind, unit, lang):
                heads = {_head(p, lang) for p in parts if p["head"]}
                result = _against_intro(doc, intro, parts, kind, unit, heads, lang)
                if result is None and not _values(doc, intro, kind, unit, asides=True):
                    result = _against_named(doc, intro, parts, kind, unit, heads, lang, starts)
                if result is not None:
                    out.append(result)
    return out


def _several_answers(intro: Line, items: list[Line]) -> bool:
    return bool(_MULTI.search(intro.text)) or any(_MULTI.search(ln.text) for ln in items)


def _each_within(doc: Doc, intro: Line, items: list[Line]) -> list[Result]:
    """"Question 2 – ... (plusieurs réponses possibles ; 1 089 répondants)": the answers do not sum,
    but none can exceed the respondents."""
    per_item = [_values(doc, ln, Kind.COUNT, None) for ln in items]
    wholes = [w for w in _values(doc, intro, Kind.COUNT, None, asides=True) if w["head"]]
    if len(wholes) != 1 or any(len(v) != 1 for v in per_item):
        return []
    w, out = wholes[0], []
    for (p,) in per_item:
        holds = p["value"] <= w["value"]
        msg = (f"{fmt(p['value'])} on {quote(doc.lines[doc.line_of(p['start']) - 1].text, 50)} "
               f"{'does not exceed' if holds else 'exceeds'} the {fmt(w['value'])} {w['counted']} of "
               f"{quote(intro.text, 60)} (several answers allowed: each within, not the sum)")
        out.append(Result(Rule.SUBSET, [p["figure_id"], w["figure_id"]], float(w["value"]), float(p["value"]),
                          Relation.NOT_MORE_THAN, holds, failing(holds), msg, int(p["line"])))
    return out


def _head(f: dict[str, Any], lang: str) -> str:
    return singular(f["head"].split()[-1], lexicon(lang))


def _columns(doc: Doc, items: list[Line], kind: str, unit: str | None, lang: str) -> list[list[dict[str, Any]]]:
    """The figures of the items, one per item: the one figure of the kind on each line, or, when a
    line holds several ("104 voix – 5 sièges"), one column per noun, each named once per line."""
    per_item = [_values(doc, ln, kind, unit) for ln in items]
    if all(len(v) == 1 for v in per_item):
        return [[v[0] for v in per_item]]
    if kind != Kind.COUNT or any(not v for v in per_item):
        return []
    columns = []
    for h in {_head(f, lang) for f in per_item[0] if f["head"]}:
        column = [[f for f in v if f["head"] and _head(f, lang) == h] for v in per_item]
        if all(len(c) == 1 for c in column):
            columns.append([c[0] for c in column])
    return columns


def _against_intro(doc: Doc, intro: Line, parts: list[dict[str, Any]], kind: str, unit: str | None,
                   heads: set[str], lang: str) -> Result | None:
    wholes = [w for w in _values(doc, intro, kind, unit, asides=True) if w["value"] >= max(p["value"] for p in parts)]
    if kind == Kind.COUNT:
        wholes = [w for w in wholes if w["head"] and (not heads or _counts(w, next(iter(heads)), lang))]
        if len(heads) > 1:
            return None
    if len(wholes) != 1:
        return None
    w = wholes[0]
    strong = kind == Kind.MONEY or bool(heads)
    how = f"the {len(parts)} items under the line that states it"
    return _sum_result(Rule.PART_WHOLE, w, parts, Relation.EQUALS, how, context=intro.text, strong=strong)


def _against_named(doc: Doc, intro: Line, parts: list[dict[str, Any]], kind: str, unit: str | None,
                   heads: set[str], lang: str, starts: list[int]) -> Result | None:
    noun = _noun(intro.text, lang)
    by_items = bool(heads) and len(heads) == 1 and noun not in heads
    if by_items:
        noun = next(iter(heads))  # "Listes en présence :" over "5 sièges" items: the seats stated earlier
    if noun is None or (kind == Kind.COUNT and heads and heads != {noun}):
        return None
    lo = bisect.bisect_left(starts, intro.start - REACH)
    hi = bisect.bisect_left(starts, intro.start)
    biggest = max(p["value"] for p in parts)
    earlier = [f for f in doc.figures[lo:hi] if f["kind"] == kind and _exact(f) and f["unit"] == unit and f["value"] > biggest]
    # a label that names the noun ties the list to its figure ("Nombre de sièges à pourvoir : 9"); a
    # count of the items' noun elsewhere, or an amount in a sentence naming the list's noun, may be
    # a larger whole the list is a part of ("1 640 votes exprimés" over the winners' votes): those
    # are reported only when the list adds up to one of them
    named = [f for f in earlier if _labelled(doc, f, noun, lang) or (not by_items and _counts(f, noun, lang))]
    loose = [f for f in earlier if f not in named
             and (_counts(f, noun, lang) or (kind == Kind.MONEY and _in_sentence(f, noun, lang)))]
    candidates = named or loose
    if not candidates:
        return None
    total = sum(float(p["value"]) for p in parts)
    agree = [w for w in candidates if abs(total - float(w["value"])) <= _tolerance([*parts, w])]
    exact = [w for w in agree if total == float(w["value"])]
    agree = exact if len(agree) > 1 and len(exact) == 1 else agree  # 98 500 €, not "une enveloppe de 100 000 €"
    terms = " + ".join(fmt(p["value"]) for p in parts)
    if len(named) == 1:
        w = named[0]
        how = (f"the {len(parts)} items under {quote(intro.text, 50)}, which names the {noun} counted by "
               f"{quote(w['text'])} (line {w['line']})")
        return _sum_result(Rule.PART_WHOLE, w, parts, Relation.EQUALS, how, context=intro.text, strong=False)
    if len(agree) != 1:
        return None
    w = agree[0]
    msg = (f"the {len(parts)} items under {quote(intro.text, 50)}: {terms} = {fmt(total)} add up to the stated "
           f"{quote(w['text'])} (line {w['line']}), the one of the {len(candidates)} earlier figures of {noun} it could be "
           f"(tied by the noun the list breaks down)")
    return Result(Rule.PART_WHOLE, [w["figure_id"]] + [p["figure_id"] for p in parts], float(w["value"]), total,
                  Relation.EQUALS, True, failing(True, Severity.WARNING), msg, int(w["line"]))


def answers_within(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    """Part of `subset`: the answers to a question that allows several, each within its respondents."""
    out: list[Result] = []
    for first, last, intro in doc.derived(_with_intros):
        items = doc.lines[first : last + 1]
        if _several_answers(intro, items):
            out.extend(_each_within(doc, intro, items))
    return out
