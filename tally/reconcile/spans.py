"""A stated duration against the dates that bound it (part of `difference`).

    "the two days of the Summit (February 10 and 11)"        "trois jours (du 10 au 12 octobre)"
    "ran for eight weeks, from 2 September to 27 October"    "30 years of surveys (1994–2023)"

The duration (in days, weeks or years) and the span (one date range, two dates joined by "and",
"to", "au", "et", or a range of years) stand in one sentence, within SPAN_REACH characters. Days
are counted inclusively, as people count them. An error needs the span in parentheses right after
the duration's words; anything looser is a warning.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tally.reconcile.base import Doc, Result, failing, fmt, quote
from tally.settings import ReconcileSettings
from tally.vocabulary import Kind, Relation, Rule, Severity

SPAN_REACH = 80
DEFAULT_YEAR = 2001  # a year that is not a leap year, for days stated without one
_JOIN = re.compile(r"^\s*(?:and|to|until|through|et|au|à|jusqu'au|jusqu’au|-|–|—)\s*(?:(?:monday|tuesday|wednesday|thursday|"
                   r"friday|saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche),?\s+)?$", re.IGNORECASE)
_PAREN = re.compile(r"^[^()\n]{0,40}\((?:\s*(?:du|from|on|le|les|des|between|entre)\s+)?$", re.IGNORECASE)
_ISO = re.compile(r"^(\d{4}|-)-(\d{2})-(\d{2})$")
DAYS_PER = {"day": 1, "week": 7}
_Found = tuple[float, dict[str, Any], dict[str, Any]]


def _date(iso: str) -> tuple[int | None, int, int] | None:
    m = _ISO.match(iso)
    if not m:
        return None
    year = None if m.group(1) == "-" else int(m.group(1))
    return year, int(m.group(2)), int(m.group(3))


def _days(a: tuple[int | None, int, int], b: tuple[int | None, int, int]) -> int | None:
    """Days from a to b, both counted; a missing year is taken from the other date."""
    year_a = a[0] or b[0] or DEFAULT_YEAR
    year_b = b[0] or year_a
    try:
        start, end = dt.date(year_a, a[1], a[2]), dt.date(year_b, b[1], b[2])
    except ValueError:
        return None
    if end < start and b[0] is None:
        end = end.replace(year=end.year + 1)
    return (end - start).days + 1 if end >= start else None


def _span(doc: Doc, dates: list[dict[str, Any]], k: int) -> tuple[int | None, dict[str, Any], dict[str, Any]]:
    """(days, first, last) of the span that begins with date figure k."""
    f = dates[k]
    iso = f["date_iso"] or ""
    if "/" in iso:
        a, b = (_date(p) for p in iso.split("/", 1))
        return (_days(a, b) if a and b else None), f, f
    if k + 1 < len(dates) and _JOIN.match(doc.text[f["end"] : dates[k + 1]["start"]]):
        g = dates[k + 1]
        a, b = _date(iso), _date(g["date_iso"] or "")
        return (_days(a, b) if a and b else None), f, g
    return None, f, f


def _stated_spans(doc: Doc, d: dict[str, Any]) -> list[tuple[float, dict[str, Any], dict[str, Any]]]:
    """(length in the duration's unit, first, last) of the spans near a duration."""
    near = [f for f in doc.in_span(max(0, d["start"] - SPAN_REACH), d["end"] + SPAN_REACH, (Kind.DATE, Kind.YEAR))
            if f["sid"] == d["sid"]]
    out = []
    if d["unit"] == "year":
        for f in near:
            if f["kind"] == Kind.YEAR and f["value_max"] is not None:
                out.append((float(f["value_max"] - f["value"] + 1), f, f))
        return out
    dates = [f for f in near if f["kind"] == Kind.DATE and f["date_iso"]]
    for k in range(len(dates)):
        days, first, last = _span(doc, dates, k)
        if days is not None:
            out.append((days / DAYS_PER[d["unit"]], first, last))
    return out


_CAPITAL = re.compile(r"(?<=[\w,;:] )[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ]{3,}\b")
_NOT_EVENT_WORDS = (
    "January February March April May June July August September October November December Monday Tuesday "
    "Wednesday Thursday Friday Saturday Sunday Janvier Février Mars Avril Juin Juillet Août Septembre Octobre "
    "Novembre Décembre This That These Those There Their They From With")
_NOT_EVENT = frozenset(_NOT_EVENT_WORDS.split())


def _event_words(sentence: str) -> set[str]:
    """Capitalised words inside a sentence ("the two days of the Summit"): names of what lasted."""
    return {w for w in _CAPITAL.findall(sentence) if w not in _NOT_EVENT}


class _Spans:
    """Every date range of a document, by sentence, by section and by the names in its sentence,
    for the durations stated away from their dates."""

    def __init__(self, doc: Doc) -> None:
        dates = [f for f in doc.figures if f["kind"] == Kind.DATE and f["date_iso"]]
        self.by_sentence: dict[int, list[_Found]] = {}
        self.by_section: dict[str | None, list[_Found]] = {}
        self.by_word: dict[str, list[_Found]] = {}
        for k in range(len(dates)):
            days, first, last = _span(doc, dates, k)
            if days is None:
                continue
            found = (float(days), first, last)
            s0 = doc.index.sentence_span(first["start"])[0]
            self.by_sentence.setdefault(s0, []).append(found)
            self.by_section.setdefault(first["heading"], []).append(found)
            for w in _event_words(first["sentence"]):
                self.by_word.setdefault(w, []).append(found)

    def away(self, doc: Doc, d: dict[str, Any]) -> tuple[list[_Found], str]:
        """The spans a duration with none in its sentence measures, and what tied them: the
        sentence before it, its section, or a name both sentences give ("the two days of the Summit")."""
        s0 = doc.index.sentence_span(d["start"])[0]
        before = self.by_sentence.get(doc.index.sentence_span(max(0, s0 - 1))[0], []) if s0 else []
        if before:
            return before, "the sentence before it"
        section = self.by_section.get(d["heading"], [])
        if section:
            return section, f"the date ranges of its section {quote(d['heading'] or '')}"
        sentence = d["sentence"]
        here = max(0, sentence.find(d["text"]))
        for w in sorted(_event_words(sentence), key=lambda w: (abs(sentence.find(w) - here), w)):  # nearest first
            if self.by_word.get(w):
                return self.by_word[w], f"{quote(w)} in both sentences"
        return [], ""





def date_spans(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    out = []
    spans_of_doc: _Spans | None = None
    for d in doc.figures:
        if d["kind"] != Kind.DURATION or d["unit"] not in ("day", "week", "year") or d["value"] is None \
                or d["value_max"] is not None or not float(d["value"]).is_integer():
            continue
        spans = _stated_spans(doc, d)
        tie = ""
        if not spans and d["unit"] != "year":
            spans_of_doc = spans_of_doc or _Spans(doc)
            found, tie = spans_of_doc.away(doc, d)
            spans = [(days / DAYS_PER[d["unit"]], a, b) for days, a, b in found]
            if len({s[0] for s in spans}) != 1:
                continue  # ranges of different lengths: which one it measures is not said
            spans = spans[:1]
        if len(spans) != 1:
            continue  # none, or several: which one it measures is not said
        observed, first, last = spans[0]
        stated = float(d["value"])
        holds = observed == stated
        tight = not tie and first["start"] > d["end"] and bool(_PAREN.match(doc.text[d["end"] : first["start"]]))
        what = doc.text[first["start"] : last["end"]]
        tie = tie or ("the parentheses after it" if tight else "the sentence")
        where = f" (line {first['line']})" if first["line"] != d["line"] else ""
        msg = (f"{quote(d['text'])} against {quote(what)}{where}: "
               f"{fmt(observed)} {d['unit']}s counting both ends (tied by {tie})")
        ids = [d["figure_id"], first["figure_id"]] + ([last["figure_id"]] if last is not first else [])
        out.append(Result(Rule.DIFFERENCE, ids, stated, observed, Relation.EQUALS, holds,
                          failing(holds, Severity.ERROR if tight else Severity.WARNING), msg, int(d["line"])))
    return out


_ORIGIN = re.compile(r"\b(?:created|founded|established|launched|set\s+up|opened|started|since|créée?s?|fondée?s?|lancée?s?|"
                     r"ouverte?s?|depuis|démarrée?s?)\s+(?:in\s+|en\s+)?\Z", re.IGNORECASE)
_END = re.compile(r"\b(?:completed|finished|ended|closed|until|achevée?s?|terminée?s?|clos|close|jusqu['’]en)\s+"
                  r"(?:in\s+|en\s+)?\Z", re.IGNORECASE)
ORIGIN_REACH = 30  # characters between "created in" and its year
YEAR_SLACK = 1  # "for the past 12 years" since 2012, written in 2025: 12 or 13 years, as people count


PARAGRAPH_REACH = 3000  # characters around a figure that its paragraph may span


def _paragraph(doc: Doc, pos: int) -> tuple[int, int]:
    """The paragraph around pos, at most PARAGRAPH_REACH characters each way (one-line files)."""
    lo, hi = max(0, pos - PARAGRAPH_REACH), min(len(doc.text), pos + PARAGRAPH_REACH)
    start = doc.text.rfind("\n\n", lo, pos)
    end = doc.text.find("\n\n", pos, hi)
    return (lo if start < 0 else start + 2), (hi if end < 0 else end)


def _document_year(doc: Doc) -> int | None:
    """The year of the document: that of its first full date (the dateline)."""
    for f in doc.figures:
        if f["kind"] == Kind.DATE and f["date_iso"] and f["date_iso"][:4].isdigit():
            return int(f["date_iso"][:4])
    return None


def _year_after(doc: Doc, start: int, end: int, cue: re.Pattern[str]) -> dict[str, Any] | None:
    for f in doc.in_span(start, end, (Kind.YEAR, Kind.DATE)):
        year = f["value"] if f["kind"] == Kind.YEAR else None
        if year is not None and cue.search(doc.text, max(start, f["start"] - ORIGIN_REACH), f["start"]):
            return f
    return None


PARAGRAPH_REACH = 3000  # characters of a paragraph read on either side of a duration


def anniversaries(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    """"Created in 2012, [...] For the past 12 years" (dateline 2025); "Un projet de 5 ans" over
    "lancé en 2021 et achevé en 2026": a number of years against the years the text gives for its
    start and end (the document's own year when no end is said), within a year."""
    out = []
    year: int | None = None
    looked = False
    for d in doc.figures:
        if d["kind"] != Kind.DURATION or d["unit"] != "year" or d["value"] is None or d["value_max"] is not None:
            continue
        start, end = _paragraph(doc, d["start"])
        if end - start < 200 and len(doc.text[start:end].split()) <= 8:  # a heading over the paragraph that says it
            end = _paragraph(doc, min(len(doc.text) - 1, end + 2))[1]
        start, end = max(start, d["start"] - PARAGRAPH_REACH), min(end, d["end"] + PARAGRAPH_REACH)  # one-line files
        origin = _year_after(doc, start, end, _ORIGIN)
        if origin is None:
            continue
        until = _year_after(doc, start, end, _END)
        if not looked:
            year, looked = _document_year(doc), True
        last = float(until["value"]) if until is not None else year
        if last is None or last <= origin["value"]:
            continue
        observed = float(last) - float(origin["value"])
        holds = abs(observed - float(d["value"])) <= YEAR_SLACK
        where = f"{quote(until['text'])} (line {until['line']})" if until is not None else f"the document's year, {last:.0f}"
        cue = _ORIGIN.search(doc.text, max(0, origin["start"] - ORIGIN_REACH), origin["start"])
        msg = (f"{quote(d['text'])} (line {d['line']}) against {quote(origin['text'])} (line {origin['line']}) to {where}: "
               f"{fmt(observed)} years, within a year {'' if holds else 'not '}(tied by "
               f"{quote(cue.group(0).strip() if cue else 'since')})")
        ids = [d["figure_id"], origin["figure_id"]] + ([until["figure_id"]] if until is not None else [])
        out.append(Result(Rule.DIFFERENCE, ids, float(d["value"]), observed, Relation.APPROXIMATELY, holds,
                          failing(holds, Severity.WARNING), msg, int(d["line"])))
    return out
