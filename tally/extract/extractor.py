"""The passes that find the figures of one text. They run in order and never overlap:
not-figures (URLs, codes, formulas) -> dates -> digit numerals -> vague amounts and
fractions -> number words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tally.extract.dates import find_dates
from tally.extract.lexicon import Lexicon, lexicon
from tally.extract.negatives import not_figure_spans
from tally.extract.nouns import counted_after, is_plural, label_before, singular
from tally.extract.numbers import parse_numeral, parse_words
from tally.extract.tables.structure_words import FUNNEL_STAGES
from tally.extract.tables.units import CURRENCY_CODES, CURRENCY_SYMBOLS, MEASURE_UNITS
from tally.extract.tabular import table_counted, times_counted, times_pair
from tally.read.context import TextIndex
from tally.read.structure import Line, classify

_SEP = "[ \u00a0\u202f\u2009]"
_NOT_BEFORE = r"(?<![\w/#@+\-−.,])(?<![\w][.,])"
NUMERAL = re.compile(
    rf"{_NOT_BEFORE}[−-]?\d{{1,3}}(?:(?:,\d{{3}})+|(?:\.\d{{3}}){{2,}}|(?:{_SEP}\d{{3}})+)(?:[.,]\d+)?(?![\d]|[.,]\d)"
    rf"|{_NOT_BEFORE}[−-]?\d+(?:[.,]\d+)?(?![\d]|[.,]\d)"
)
# The second number of a range ("1-2", "2019-2023") stands right after a dash: no look-behind.
_RANGE_END = re.compile(
    rf"\d{{1,3}}(?:(?:,\d{{3}})+|(?:\.\d{{3}}){{2,}}|(?:{_SEP}\d{{3}})+)(?:[.,]\d+)?(?![\d]|[.,]\d)"
    r"|\d+(?:[.,]\d+)?(?![\d]|[.,]\d)"
)
_RANGE_CURRENCY = re.compile(r"(?:US\$|[€$£¥])\s?")
_RANGE_LINK = re.compile(r"\s+(?:and|et)\s+|\s*(?:[-–—]|(?:to|à|a)\b)\s*", re.IGNORECASE)
_RANGE_OPENERS = re.compile(r"(?:between|entre|from|de|du|des)\s+\S*$", re.IGNORECASE)
_PLUS = re.compile(r"\+(?![\d])")
_YEAR_MIN, _YEAR_MAX = 1800, 2100
MAX_DIGITS = 18  # beyond this a digit run is an identifier, not a quantity
# FY2024, FY 2023-24, FY24, fiscal year 2024 (the year figure covers the whole expression).
_FISCAL = re.compile(
    r"\b(?:FY\s?'?|fiscal(?:\s+year)?\s+|exercice\s+(?:fiscal\s+)?)(\d{4}|\d{2})(?:\s?[-/–]\s?(\d{4}|\d{2}))?(?![\w])",
    re.IGNORECASE,
)
_LOWER_SCALE_AFTER_MONEY = re.compile(r"(m|bn|k|mn)(?![^\W\d_])")


@dataclass
class Figure:
    start: int
    end: int
    value: float | None
    kind: str
    value_max: float | None = None
    unit: str | None = None
    qualifier: str = "exact"
    counted: str | None = None
    head: str | None = None
    date_start: Any = None
    date_end: Any = None
    date_iso: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


class _Spans:
    """Character spans already claimed by a pass (or excluded as not-figures)."""

    def __init__(self) -> None:
        self._mask: bytearray = bytearray()

    def reset(self, n: int) -> None:
        self._mask = bytearray(n)

    def free(self, a: int, b: int) -> bool:
        return not any(self._mask[a:b])

    def take(self, a: int, b: int) -> None:
        self._mask[a:b] = b"\x01" * (b - a)


# Qualifiers that are also prepositions: "15 ideas around 6 themes", "grouped around 8 themes",
# "speakers over 2 days" (during) are not approximations or lower bounds.
_PREPOSITIONS = frozenset({"around", "about", "over", "autour de"})
_PREV_WORD = re.compile(r"([^\W\d_]+)[\s,*_]*$")  # the word just before, in the same sentence


def _qualifier_before(text: str, start: int, lex: Lexicon, kind: str | None = None) -> tuple[str, int]:
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
        q = {"~": "approximate", "≈": "approximate", ">": "at_least", ">=": "at_least", "≥": "at_least",
             "<": "at_most", "<=": "at_most", "≤": "at_most"}.get(phrase, "exact")
    return q, start - (len(window) - m.start(1))


def _qualifier_after(text: str, end: int, lex: Lexicon) -> tuple[str | None, int]:
    m = lex.qualifier_after_re.match(text, end)
    if not m:
        return None, end
    if m.group(1):
        return "at_least", m.end(1)
    return lex.qualifiers_after.get(m.group(2).lower()), end


_NAME_BEFORE = re.compile(r"(\S+)[ \t]([A-Z][\w!&-]*)[ \t]$")


def _in_name(text: str, a: int, lex: Lexicon) -> bool:
    """A year that ends a proper name ("Hi! PARIS Cluster 2030", "at IMO 2024"): the word
    before it is capitalised and is not the first word of its line or sentence."""
    m = _NAME_BEFORE.search(text, max(0, a - 60), a)
    if not m or m.end() != a:
        return False
    word, prev = m.group(2), m.group(1)
    sentence_start = prev.endswith((".", "!", "?", ":", "•"))
    return not (word.lower() in lex.stopwords or lex.month(word) is not None or sentence_start)


def _alone_on_line(index: TextIndex, a: int, b: int) -> bool:
    ls, le = index.line_span(a)
    line = index.text[ls:le]
    return line[: a - ls].strip(" \t*_#|") == "" and line[b - ls :].strip(" \t*_|") == ""


def _counted(text: str, index: TextIndex, a: int, b: int, lex: Lexicon, lines: list[Line] | None = None,
             kind: str = "count") -> tuple[str | None, str | None]:
    """What the figure spanning a..b counts: from a table row, an "N × amount" list item, the
    words after it, or, for a number alone on its line, the label line below or above."""
    if lines is not None:
        i = index.line(a) - 1
        ln = lines[i]
        if ln.kind == "table":
            return table_counted(text, lines, i, kind, lex)
        if ln.kind == "list" and (tp := times_pair(ln.text)):
            counted, head = times_counted(text, lines, i, kind, tp.group(2), lex)
            if counted is not None:
                return counted, head
    alone = _alone_on_line(index, a, b)
    if alone and _label_sits_above(index, a):
        counted, head = label_before(text, index.line_span(a)[0], lex)
        if counted is not None:
            return counted, head
    # "130 of our attendees were students" counts students; "half of the attendees were women"
    # is a share of the attendees.
    counted, head = counted_after(text, b, lex, alone_on_line=alone, follow_copula=kind == "count")
    if counted is None and kind == "money":
        counted, head = _money_noun(text, a, b, lex)
    if counted is None and alone:
        counted, head = label_before(text, index.line_span(a)[0], lex)
    return counted, head


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


_MONEY_IN = re.compile(r"\s+(?:in|en)\s+(?=[^\W\d_])")
_NOUN_OF_BEFORE = re.compile(r"([^\W\d_][\w'’-]*)\s+(?:of|de|d['’])\s*$", re.IGNORECASE)


def _money_noun(text: str, a: int, b: int, lex: Lexicon) -> tuple[str | None, str | None]:
    """What a sum pays for: "$1 billion in commitments", "a prize of $10,000", "un don de 1M€"."""
    m = _MONEY_IN.match(text, b)
    if m:
        counted, head = counted_after(text, m.end(), lex)
        if counted is not None:
            return counted, head
    before = _NOUN_OF_BEFORE.search(text[max(0, a - 40) : a])
    if before and before.group(1).lower() not in lex.stopwords:
        word = before.group(1)
        return word, singular(word, lex)
    return None, None


class Extractor:
    """Extraction for one language; reusable across texts."""

    def __init__(self, lang: str = "en") -> None:
        self.lex = lexicon(lang)
        self.lang = self.lex.lang
        self._spans = _Spans()
        self._lines: list[Line] | None = None

    def figures(self, text: str, index: TextIndex | None = None, lines: list[Line] | None = None) -> list[Figure]:
        self._spans.reset(len(text))
        index = index or TextIndex.build(text)
        self._lines = lines if lines is not None else classify(text)
        for a, b, _reason in not_figure_spans(text):
            self._spans.take(a, b)
        out = self._dates(text)
        out += self._fiscal_years(text)
        out += self._one_unit_durations(text)
        out += self._numerals(text, index)
        out += self._vague(text, index)
        out += self._words(text, index)
        out.sort(key=lambda f: f.start)
        _fill_elided_nouns(text, out)
        return out

    # -- dates ---------------------------------------------------------------------------------
    def _dates(self, text: str) -> list[Figure]:
        out = []
        last_year: int | None = None
        for d in find_dates(text, self.lex):
            if not self._spans.free(d.start, d.end):
                continue
            self._spans.take(d.start, d.end)
            iso = d.iso()
            if d.year is not None:
                last_year = d.year
            elif last_year is not None:  # a day without a year takes the last year stated before it
                d.year = last_year
                if d.month2 is not None:
                    d.year2 = last_year
            lo, hi = d.bounds()
            out.append(Figure(d.start, d.end, float(d.year) if d.year else None, "date",
                              date_start=lo, date_end=hi, date_iso=iso))
        return out

    # -- fiscal years and "une seconde" ----------------------------------------------------------
    def _fiscal_years(self, text: str) -> list[Figure]:
        out = []
        for m in _FISCAL.finditer(text):
            a, b = m.span()
            if not self._spans.free(a, b):
                continue
            y1 = int(m.group(1))
            y1 = y1 + 2000 if y1 < 100 else y1
            y2 = None
            if m.group(2):
                y2 = int(m.group(2))
                y2 = (y1 // 100) * 100 + y2 if y2 < 100 else y2
                if y2 < y1:
                    y2 = None
            self._spans.take(a, b)
            out.append(Figure(a, b, float(y1), "year", value_max=float(y2) if y2 else None, unit="fiscal_year"))
        return out

    def _one_unit_durations(self, text: str) -> list[Figure]:
        """"en une seconde", "for a year": one unit of time after a preposition."""
        out = []
        for m in self.lex.one_unit_re.finditer(text):
            a, b = m.span(1)
            if not self._spans.free(a, b):
                continue
            self._spans.take(a, b)
            unit = self.lex.duration_units[m.group(2).lower()]
            out.append(Figure(a, b, 1.0, "duration", unit=unit))
        return out

    # -- digits --------------------------------------------------------------------------------
    def _numerals(self, text: str, index: TextIndex) -> list[Figure]:
        out = []
        for m in NUMERAL.finditer(text):
            a, b = m.span()
            if not self._spans.free(a, b):
                continue
            fig = self._numeral(text, index, m)
            if fig is not None:
                self._spans.take(fig.start, fig.end)
                out.append(fig)
        return out

    def _numeral(self, text: str, index: TextIndex, m: re.Match[str]) -> Figure | None:
        lex = self.lex
        a, b = m.span()
        raw = m.group()
        if sum(ch.isdigit() for ch in raw) > MAX_DIGITS:
            return None  # a run of digits (an id, a hash, a dump) is not a figure
        try:
            value = parse_numeral(raw, self.lang)
        except ValueError:
            return None
        grouped = not raw.lstrip("-−").isdigit()
        start, end = a, b
        value_max: float | None = None
        kind: str | None = None
        unit: str | None = None

        # Ordinal suffix glued to the digits: 10th, 1er, 6e
        om = lex.ordinal_re.match(text, b)
        if om and not grouped:
            return Figure(a, om.end(), value, "ordinal")

        # Range: 1-2, 2019-2023, between 10 and 20, de 5 à 10
        link = _RANGE_LINK.match(text, b)
        if link:
            cur2 = _RANGE_CURRENCY.match(text, link.end())
            m2 = _RANGE_END.match(text, cur2.end() if cur2 else link.end())
            word = link.group().strip().lower()
            opener = _RANGE_OPENERS.search(text[max(0, a - 30) : a])
            if m2 and self._spans.free(m2.start(), m2.end()) and (word not in ("and", "et", "a") or opener):
                try:
                    v2 = parse_numeral(m2.group(), self.lang)
                except ValueError:
                    v2 = None
                if v2 is not None and v2 >= value:
                    value_max, end = v2, m2.end()

        # Money symbol or code before
        cur = lex.currency_before_re.search(text[max(0, start - 5) : start])
        if cur:
            kind, unit = "money", _currency(cur.group(1), lex)
            start -= len(cur.group(0))

        # Scale word: 1M, 4.2 billion, 2,5 millions
        scale = 1.0
        sm = lex.scale_re.match(text, end)
        if sm is None and kind == "money":
            sm = _LOWER_SCALE_AFTER_MONEY.match(text, end)
        if sm:
            scale = lex.scales.get(sm.group(1)) or lex.scales.get(sm.group(1).lower()) or 1.0
            end = sm.end()

        # Currency after: 1M€, 12 millions d'euros, 100 EUR
        if kind is None:
            cm = lex.currency_after_re.match(text, end)
            if cm:
                kind, unit, end = "money", _currency(cm.group(1), lex), cm.end()
        if kind is None and (pm := lex.percent_re.match(text, end)):
            kind, end = "percent", pm.end()
        if kind is None and scale == 1.0 and (mm := lex.measure_re.match(text, end)):
            kind, unit, end = "measure", MEASURE_UNITS[mm.group(1)], mm.end()
        if kind is None and scale == 1.0 and (dm := lex.duration_re.match(text, end)):
            kind, unit, end = "duration", lex.duration_units[dm.group(1).lower()], dm.end()

        if scale != 1.0:
            value *= scale
            if value_max is not None:
                value_max *= scale

        qualifier, q_start = _qualifier_before(text, start, lex, kind)
        q_after, end_q = _qualifier_after(text, end, lex)
        if q_after:
            qualifier, end = q_after, max(end, end_q)

        counted = head = None
        if kind is None:
            integral = raw.isdigit() and len(raw) == 4
            is_year = integral and _YEAR_MIN <= value <= _YEAR_MAX and (value_max is None or value_max <= _YEAR_MAX)
            counted, head = _counted(text, index, q_start, end, lex, self._lines)
            if is_year and scale == 1.0 and not (counted and is_plural(counted.split()[-1], lex)):
                kind = "other" if _in_name(text, a, lex) else "year"  # "Cluster 2030", "IMO 2024"
                return Figure(a, end, value, kind, value_max=value_max)
            kind = "count"
        elif kind in ("money", "percent"):
            counted, head = _counted(text, index, q_start, end, lex, self._lines, kind)
        if kind == "count" and head in lex.duration_units and counted and len(counted.split()) <= 2:
            kind, unit = "duration", lex.duration_units[head]  # "two intense days"
        if kind in ("date", "year", "ordinal", "measure", "duration"):
            counted = head = None
        return Figure(start, end, value, kind, value_max=value_max, unit=unit, qualifier=qualifier,
                      counted=counted, head=head)

    # -- words ---------------------------------------------------------------------------------
    def _vague(self, text: str, index: TextIndex) -> list[Figure]:
        lex = self.lex
        out = []
        for rx, table, kind in ((lex.fraction_re, lex.fractions, "percent"), (lex.vague_re, lex.vague, "count")):
            for m in rx.finditer(text):
                a, b = m.span(1)
                if not self._spans.free(a, b):
                    continue
                entry = table[m.group(1).lower()]
                value, q = (entry, "exact") if isinstance(entry, float) else entry
                qualifier, q_start = _qualifier_before(text, a, lex)
                if qualifier == "exact":
                    qualifier = q
                counted, head = _counted(text, index, q_start, b, lex, self._lines, kind)
                self._spans.take(a, b)
                out.append(Figure(a, b, float(value), kind, qualifier=qualifier, counted=counted, head=head))
        return out

    def _words(self, text: str, index: TextIndex) -> list[Figure]:
        lex = self.lex
        out = []
        for m in lex.number_words_re.finditer(text):
            a, b = m.span()
            if not self._spans.free(a, b):
                continue
            try:
                value = parse_words(m.group(), self.lang)
            except ValueError:
                continue
            kind, unit, end = "count", None, b
            if pm := lex.percent_re.match(text, b):
                kind, end = "percent", pm.end()
            elif dm := lex.duration_re.match(text, b):
                kind, unit, end = "duration", lex.duration_units[dm.group(1).lower()], dm.end()
            qualifier, q_start = _qualifier_before(text, a, lex, kind)
            counted = head = None
            if kind != "duration":
                counted, head = _counted(text, index, q_start, end, lex, self._lines, kind)
            if kind == "count" and head in lex.duration_units and counted and len(counted.split()) <= 2:
                kind, unit, counted, head = "duration", lex.duration_units[head], None, None
            self._spans.take(a, end)
            out.append(Figure(a, end, value, kind, unit=unit, qualifier=qualifier, counted=counted, head=head))
        return out


ELISION_WINDOW = 600


def _is_participle(word: str) -> bool:
    """"shortlisted", "funded"; in French only stage participles ("présélectionnées", "retenus"):
    many French nouns end in -é(e)s too ("priorités", "idées")."""
    w = word.lower()
    return w.endswith("ed") or w in FUNNEL_STAGES or w.endswith(("ionné", "ionnés", "ionnée", "ionnées"))


_PREPOSITION_AFTER = re.compile(r"\s+(?:on|in|at|from|sur|en)\s+(?=[^\W\d_])")


def _fill_elided_nouns(text: str, figures: list[Figure]) -> None:
    """A count whose noun is left out counts the noun of the count before it:
    "55 applications received ... 25 shortlisted" -> "shortlisted applications";
    "6 on main list, 3 on complementary list" -> applications."""
    prev: Figure | None = None
    for f in figures:
        if f.kind != "count":
            continue
        c = f.counted
        near = prev is not None and f.start - prev.end <= ELISION_WINDOW
        if near and c and " " not in c and _is_participle(c):
            assert prev is not None and prev.counted is not None
            f.counted, f.head = f"{c} {prev.counted.split()[-1]}", prev.head
            continue
        if near and c is None and _PREPOSITION_AFTER.match(text, f.end):
            assert prev is not None and prev.counted is not None
            f.counted, f.head = prev.counted.split()[-1], prev.head
            continue
        if f.head is not None:
            prev = f


def _currency(token: str, lex: Lexicon) -> str:
    if token in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[token]
    if token.upper() in CURRENCY_CODES:
        return token.upper()
    return lex.currency_words.get(token.lower(), token.upper())
