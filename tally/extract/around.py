"""The words around a figure, read by every pass that finds amounts: how sure the figure is
("more than 3,800", "3,800+") and what it counts ("3,800 participants", a table row, a label)."""

from __future__ import annotations

import re

from tally.extract.layouts import ends_line, item_title, label_first, money_purpose, money_purpose_verb
from tally.extract.lexicon import Lexicon
from tally.extract.nouns import counted_after, is_plural, label_before, singular
from tally.extract.scan import Scan
from tally.extract.tabular import intro_subject, table_counted, times_counted, times_pair
from tally.read.context import TextIndex

# Qualifiers that are also prepositions: "15 ideas around 6 themes", "grouped around 8 themes",
# "speakers over 2 days" (during) are not approximations or lower bounds.
_PREPOSITIONS = frozenset({"around", "about", "over", "autour de"})
_PREV_WORD = re.compile(r"([^\W\d_]+)[\s,*_]*$")  # the word just before, in the same sentence
_SIGNS = {"~": "approximate", "≈": "approximate", ">": "at_least", ">=": "at_least", "≥": "at_least",
          "<": "at_most", "<=": "at_most", "≤": "at_most"}
_MONEY_IN = re.compile(r"\s+(?:in|en)\s+(?=[^\W\d_])")
_NOUN_OF_BEFORE = re.compile(r"([^\W\d_][\w'’-]*)\s+(?:of|de|d['’])\s*$", re.IGNORECASE)


def qualifier_before(text: str, start: int, lex: Lexicon, kind: str | None = None) -> tuple[str, int]:
    """The qualifier before `start` and where it begins: "more than 3,800", "about 50", "≥ 10";
    ("exact", start) when there is none or when it is a preposition ("15 ideas around 6 themes")."""
    window = text[max(0, start - 40) : start]
    m = lex.qualifier_before_re.search(window)
    if not m:
        return "exact", start
    phrase = m.group(1).lower()
    if phrase in _PREPOSITIONS:
        prev = _PREV_WORD.search(window[: m.start(1)])
        w = prev.group(1).lower() if prev else ""
        if w in lex.around_verbs:
            return "exact", start
        plural_noun = bool(prev) and w not in lex.stopwords and w not in lex.verbs_s and is_plural(w, lex)
        if plural_noun and (phrase != "over" or kind == "duration"):
            return "exact", start
    q = lex.qualifiers_before.get(phrase)
    if q is None:
        q = _SIGNS.get(phrase, "exact")
    return q, start - (len(window) - m.start(1))


def qualifier_after(text: str, end: int, lex: Lexicon) -> tuple[str | None, int]:
    """The qualifier after `end` and where it ends: "3,800+", "50 or more"; (None, end) if none."""
    m = lex.qualifier_after_re.match(text, end)
    if not m:
        return None, end
    if m.group(1):
        return "at_least", m.end(1)
    return lex.qualifiers_after.get(m.group(2).lower()), end


def what_is_counted(scan: Scan, a: int, b: int, lex: Lexicon, kind: str = "count") -> tuple[str | None, str | None]:
    """What the figure spanning a..b counts: from a table row, an "N × amount" list item, the
    words after it, or, for a number alone on its line, the label line below or above."""
    text, index = scan.text, scan.index
    i = index.line(a) - 1
    ln = scan.lines[i]
    if ln.kind == "table":
        return table_counted(text, scan.lines, i, kind, lex)
    if ln.kind == "list" and (tp := times_pair(ln.text)):
        counted, head = times_counted(text, scan.lines, i, kind, tp.group(2), lex)
        if counted is not None:
            return counted, head
    alone = _alone_on_line(index, a, b)
    if alone and _label_sits_above(index, a):
        counted, head = label_before(text, index.line_span(a)[0], lex)
        if counted is not None:
            return counted, head
    if kind == "money":  # "$40,000 went to prizes"
        counted, head = money_purpose_verb(text, b, lex)
        if counted is not None:
            return counted, head
    if not alone and ends_line(text, b):  # "Votes: 812" above "Cost: $40,000"
        counted, head = _label_field(scan, i, a, lex)
        if counted is not None:
            return counted, head
    # "130 of our attendees were students" counts students; "half of the attendees were women"
    # is a share of the attendees.
    counted, head = counted_after(text, b, lex, alone_on_line=alone, follow_copula=kind == "count")
    if counted is None and kind == "money":
        counted, head = _money_noun(text, a, b, lex)
    if counted is None and not alone:  # "Votes: 1,204", "Coût : 85 000 €"
        counted, head = _label_field(scan, i, a, lex)
    if counted is None and alone:
        counted, head = label_before(text, index.line_span(a)[0], lex)
    return counted, head


def _label_field(scan: Scan, i: int, a: int, lex: Lexicon) -> tuple[str | None, str | None]:
    """A "Label: N" field ("Votes: 1,204"). In a list under an intro line ("Winners by sector:")
    the label is a category of what the intro names ("Food and agritech: 2"): left unsaid for now,
    as the funnel rule would read "2 Food and agritech winners" before "The 14 winners" as a stage
    that grew (see README, extraction second pass)."""
    if scan.lines[i].kind == "list" and intro_subject(scan.text, scan.lines, i, lex)[0] is not None:
        return None, None
    label, head = label_first(scan.index, a, lex)
    if label is not None and (title := item_title(scan.index, a)) is not None:
        return f"{title} {label}", head  # "Project A Votes": one item's votes, not another's
    return label, head


def _alone_on_line(index: TextIndex, a: int, b: int) -> bool:
    """"**4,512**" on a line of its own (markup aside)."""
    ls, le = index.line_span(a)
    if a - ls > 40 or le - b > 40:  # markup is short; and one line may be 50 MB
        return False
    return index.text[ls:a].strip(" \t*_#|") == "" and index.text[b:le].strip(" \t*_|") == ""


def _label_sits_above(index: TextIndex, a: int) -> bool:
    """Stat blocks written label-first: "Participants" / "4,512" / (blank line)."""
    ls, le = index.line_span(a)
    text = index.text
    above_end = ls - 1
    above_start = text.rfind("\n", 0, max(0, above_end)) + 1
    above = text[above_start:above_end].strip() if above_end > 0 else ""
    below_start = le + 1
    below_end = text.find("\n", below_start)
    below = text[below_start : below_end if below_end >= 0 else len(text)].strip()
    return bool(above) and not any(ch.isdigit() for ch in above) and not below


def _money_noun(text: str, a: int, b: int, lex: Lexicon) -> tuple[str | None, str | None]:
    """What a sum pays for: "$1 billion in commitments", "a prize of $10,000", "un don de 1M€"."""
    m = _MONEY_IN.match(text, b)
    if m:
        counted, head = counted_after(text, m.end(), lex)
        if counted is not None:
            return counted, head
    counted, head = money_purpose(text, a, b, lex)  # "$50,000 as prizes", "investis dans les écoles"
    if counted is not None:
        return counted, head
    before = _NOUN_OF_BEFORE.search(text[max(0, a - 40) : a])
    if before and before.group(1).lower() not in lex.stopwords:
        word = before.group(1)
        return word, singular(word, lex)
    return money_purpose(text, a, b, lex, weak=True)  # "1,5 million d'euros pour les routes"
