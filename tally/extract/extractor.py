"""The passes that find the figures of one text. They run in order and never overlap:
scientific notation -> not-figures (URLs, codes, formulas) -> dates -> fiscal years and "une
seconde" -> fractions and multiples (tally.extract.forms) -> digit numerals (tally.extract.numerals)
-> vague amounts and fractions in words -> number words -> "one" where it counts.
"""

from __future__ import annotations

import re

from tally.extract.around import qualifier_before, what_is_counted
from tally.extract.dates import find_dates
from tally.extract.forms import fold_figures, fraction_figures, one_figures, scientific_figures
from tally.extract.layouts import fill_coordinated
from tally.extract.lexicon import Folded, fold, lexicon
from tally.extract.negatives import not_figure_spans
from tally.extract.numbers import parse_words
from tally.extract.numerals import numeral_figures
from tally.extract.scan import Figure, Scan
from tally.extract.tables.structure_words import FUNNEL_STAGES, STAGE_NOUNS
from tally.read.context import TextIndex
from tally.read.structure import Line, classify

# FY2024, FY 2023-24, FY24, fiscal year 2024 (the year figure covers the whole expression).
_FISCAL = Folded.of(
    r"\b(?:FY\s?'?|fiscal(?:\s+year)?\s+|exercice\s+(?:fiscal\s+)?)(\d{4}|\d{2})(?:\s?[-/–]\s?(\d{4}|\d{2}))?(?![\w])",
)


class Extractor:
    """Extraction for one language. It holds only the language's lexicon: each call keeps its state
    in a Scan, so one Extractor serves any number of texts, also from several threads at once."""

    def __init__(self, lang: str = "en") -> None:
        self.lex = lexicon(lang)
        self.lang = self.lex.lang

    def figures(self, text: str, index: TextIndex | None = None, lines: list[Line] | None = None) -> list[Figure]:
        index = index or TextIndex.build(text)
        scan = Scan(text, index, lines if lines is not None else classify(text))
        out = scientific_figures(scan, self.lex)
        for a, b, _reason in not_figure_spans(text):
            scan.take(a, b)
        out += self._dates(scan)
        out += self._fiscal_years(scan)
        out += self._one_unit_durations(scan)
        out += fraction_figures(scan, self.lex)
        out += fold_figures(scan, self.lex)
        out += numeral_figures(scan, self.lex)
        out += self._vague(scan)
        out += self._words(scan)
        out += one_figures(scan, self.lex)
        out.sort(key=lambda f: f.start)
        _fill_elided_nouns(text, out)
        fill_coordinated(text, index, out, self.lex)
        return out

    # -- dates ---------------------------------------------------------------------------------
    def _dates(self, scan: Scan) -> list[Figure]:
        out = []
        last_year: int | None = None
        for d in find_dates(scan.text, self.lex, low=scan.low):
            if not scan.free(d.start, d.end):
                continue
            scan.take(d.start, d.end)
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
    def _fiscal_years(self, scan: Scan) -> list[Figure]:
        out = []
        for m in scan.finditer(_FISCAL):
            a, b = m.span()
            if not scan.free(a, b):
                continue
            y1 = int(m.group(1))
            y1 = y1 + 2000 if y1 < 100 else y1
            y2 = None
            if m.group(2):
                y2 = int(m.group(2))
                y2 = (y1 // 100) * 100 + y2 if y2 < 100 else y2
                if y2 < y1:
                    y2 = None
            scan.take(a, b)
            out.append(Figure(a, b, float(y1), "year", value_max=float(y2) if y2 else None, unit="fiscal_year"))
        return out

    def _one_unit_durations(self, scan: Scan) -> list[Figure]:
        """"en une seconde", "for a year": one unit of time after a preposition."""
        out = []
        for m in scan.finditer(self.lex.one_unit_re):
            a, b = m.span(1)
            if not scan.free(a, b):
                continue
            scan.take(a, b)
            unit = self.lex.duration_units[fold(m.group(2))]
            out.append(Figure(a, b, 1.0, "duration", unit=unit))
        return out

    # -- words ---------------------------------------------------------------------------------
    def _vague(self, scan: Scan) -> list[Figure]:
        lex, text = self.lex, scan.text
        out = []
        for rx, table, kind in ((lex.fraction_re, lex.fractions, "percent"), (lex.vague_re, lex.vague, "count")):
            for m in scan.finditer(rx):
                a, b = m.span(1)
                if not scan.free(a, b):
                    continue
                entry = table[fold(m.group(1))]
                value, q = (entry, "exact") if isinstance(entry, float) else entry
                qualifier, q_start = qualifier_before(text, a, lex)
                if qualifier == "exact":
                    qualifier = q
                counted, head = what_is_counted(scan, q_start, b, lex, kind)
                scan.take(a, b)
                out.append(Figure(a, b, float(value), kind, qualifier=qualifier, counted=counted, head=head))
        return out

    def _words(self, scan: Scan) -> list[Figure]:
        lex, text = self.lex, scan.text
        out = []
        for m in scan.finditer(lex.number_words_re):
            a, b = m.span()
            if not scan.free(a, b):
                continue
            try:
                value = parse_words(text[a:b], self.lang)
            except ValueError:
                continue
            kind, unit, end = "count", None, b
            if pm := lex.percent_re.match(text, b):
                kind, end = "percent", pm.end()
            elif dm := lex.duration_re.match(text, b):
                kind, unit, end = "duration", lex.duration_units[fold(dm.group(1))], dm.end()
            qualifier, q_start = qualifier_before(text, a, lex, kind)
            counted = head = None
            if kind != "duration":
                counted, head = what_is_counted(scan, q_start, end, lex, kind)
            if kind == "count" and head in lex.duration_units and counted and len(counted.split()) <= 2:
                kind, unit, counted, head = "duration", lex.duration_units[head], None, None
            scan.take(a, end)
            out.append(Figure(a, end, value, kind, unit=unit, qualifier=qualifier, counted=counted, head=head))
        return out


ELISION_WINDOW = 600


def _is_participle(word: str) -> bool:
    """"shortlisted", "funded"; in French only stage participles ("présélectionnées", "retenus"):
    many French nouns end in -é(e)s too ("priorités", "idées")."""
    w = word.lower()
    if w in STAGE_NOUNS:
        return False  # "12 lauréats", "8 finalists" name what they count
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

