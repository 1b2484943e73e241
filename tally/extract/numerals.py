"""The digit-numeral pass: "3,800 participants", "1M€", "de 5 à 10 ans", "25%", "in 2024".

Each numeral is read in steps, each a small function over one _Numeral: ordinal suffix, range,
currency before, scale word, unit after, qualifier, what it counts, then year or figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tally.extract.around import qualifier_after, qualifier_before, what_is_counted
from tally.extract.lexicon import Lexicon, alternation, fold
from tally.extract.nouns import WORD, is_plural
from tally.extract.numbers import parse_numeral
from tally.extract.scan import Figure, Scan
from tally.extract.tables.news import GLUED_CURRENCIES, SIGN_WORDS, SIGNED_UNITS, UPPER_BOUND_PREFIXES
from tally.extract.tables.units import CURRENCY_CODES, CURRENCY_SYMBOLS, MEASURE_UNITS

_SEP = "[ \u00a0\u202f\u2009]"
_NOT_BEFORE = r"(?<![\w/#@+\-−.,])(?<![\w][.,])"
# A sign ("−3", "+0.4%" after an index name), or a prefix glued by a hyphen: "sub-10", "minus-12".
_START = rf"(?:{_NOT_BEFORE}[+−-]?|(?<=(?<![\w])sub-)|(?<=(?<![\w])minus[- ]))"
# (?=...) first: most positions hold no digit, sign or dot and fail at once instead of trying
# every branch's look-behinds.
NUMERAL = re.compile(
    rf"(?=[\d+−.-])(?:{_START}\d{{1,3}}(?:(?:,\d{{3}})+|(?:\.\d{{3}}){{2,}}|(?:{_SEP}\d{{3}})+|(?:['’]\d{{3}})+)(?:[.,]\d+)?"
    r"(?![\d]|[.,]\d)"
    rf"|{_START}\d+(?:[.,]\d+)?(?![\d]|[.,]\d)"
    rf"|{_NOT_BEFORE}[+−-]?\.\d+(?![\d]|[.,]\d))"  # ".005 per cent"
)
# The second number of a range ("1-2", "2019-2023") stands right after a dash: no look-behind.
_RANGE_END = re.compile(
    rf"\d{{1,3}}(?:(?:,\d{{3}})+|(?:\.\d{{3}}){{2,}}|(?:{_SEP}\d{{3}})+|(?:['’]\d{{3}})+)(?:[.,]\d+)?(?![\d]|[.,]\d)"
    r"|\d+(?:[.,]\d+)?(?![\d]|[.,]\d)"
)
_RANGE_CURRENCY = re.compile(r"(?:US\$|[€$£¥])\s?")
_RANGE_LINK = re.compile(r"\s+(?:and|et)\s+|\s*(?:[-–—]|(?:to|à|a)\b)\s*", re.IGNORECASE)
_RANGE_OPENERS = re.compile(r"(?:between|entre|from|de|du|des)\s+\S*$", re.IGNORECASE)
_LINKS_AFTER_OPENER = ("and", "et", "a")  # "between 10 and 20", "entre 5 et 10": not "10 and 20"
_YEAR_MIN, _YEAR_MAX = 1800, 2100
MAX_DIGITS = 18  # beyond this a digit run is an identifier, not a quantity
_LOWER_SCALE_AFTER_MONEY = re.compile(r"[ \u00a0]?(mln|bn|mn|m|b|k)(?![^\W\d_])")
# "12m devices", "3bn people": a lower-case scale glued to a count, before a plural noun.
_LOWER_SCALE_GLUED = re.compile(r"(mln|bn|mn|m)[ \u00a0]+(?=[^\W\d_])")
# Races whose distance is glued to "m": "the 100m hurdles" is not 100 million hurdles.
_RACE_NOUNS = frozenset({"hurdles", "relay", "relays", "sprint", "sprints", "freestyle", "backstroke", "breaststroke",
                         "butterfly", "medley", "steeplechase", "final", "finals", "heats", "dash", "races", "race"})
_RACE_METRES = re.compile(r"m[ \u00a0]+([^\W\d_]+)")
# "AUD2.5m", "RM45", "$US12,000": a currency glued before the digits.
_GLUED_CURRENCY = re.compile(rf"(?=[A-Z$])(?<![\w$])(?:{alternation(GLUED_CURRENCIES)})[ \u00a0]?(?=\d)")
_SIGNED_UNIT = re.compile(rf"[ \u00a0]?({alternation(SIGNED_UNITS)})(?![^\W\d_])")
_NAME_BEFORE = re.compile(r"(\S+)[ \t]([A-Z][\w!&-]*)[ \t]$")


@dataclass
class _Numeral:
    """A digit numeral being read: its digits, its value (scaled) and what the words around it add."""

    raw: str
    value: float
    start: int
    end: int
    value_max: float | None = None
    kind: str | None = None
    unit: str | None = None
    scale: float = 1.0
    bound: str | None = None  # "sub-10": at most 10


def numeral_figures(scan: Scan, lex: Lexicon) -> list[Figure]:
    """Every figure written in digits that no earlier pass claimed; each claims its span."""
    out = []
    for g in _GLUED_CURRENCY.finditer(scan.text):
        m = _RANGE_END.match(scan.text, g.end())
        if m is None or not scan.free(g.start(), m.end()):
            continue
        fig = _numeral(scan, lex, m)
        if fig is not None:
            scan.take(fig.start, fig.end)
            out.append(fig)
    for m in NUMERAL.finditer(scan.text):
        if not scan.free(*m.span()):
            continue
        fig = _numeral(scan, lex, m)
        if fig is not None:
            scan.take(fig.start, fig.end)
            out.append(fig)
    return out


def _numeral(scan: Scan, lex: Lexicon, m: re.Match[str]) -> Figure | None:
    """The figure one digit numeral starts: "10th", "$1–2 million", "more than 3,800 people", "2024"."""
    n = _parse(m, lex.lang)
    if n is None:
        return None
    if (ordinal := _ordinal(scan.text, n, lex)) is not None:
        return ordinal
    _prefix(scan.text, n)
    _range(scan, n, lex.lang)
    _currency_before(scan.text, n, lex)
    _scale(scan.text, n, lex)
    _unit_after(scan.text, n, lex)
    qualifier, q_start = _qualifier(scan.text, n, lex)
    counted, head = _counted(scan, n, lex, q_start)
    if _is_year(n, counted, lex):
        kind = "other" if _in_name(scan.text, n.start, lex) else "year"  # "Cluster 2030", "IMO 2024"
        return Figure(n.start, n.end, n.value, kind, value_max=n.value_max)
    return _figure(n, lex, qualifier, counted, head)


def _parse(m: re.Match[str], lang: str) -> _Numeral | None:
    """The value of "3,800", "1 234,5", "1.932.881"; None for a run of digits (an id, a hash, a
    dump) longer than MAX_DIGITS or digits that do not parse."""
    raw = m.group()
    if sum(ch.isdigit() for ch in raw) > MAX_DIGITS:
        return None
    try:
        value = parse_numeral(raw, lang)
    except ValueError:
        return None
    return _Numeral(raw, value, m.start(), m.end())


def _prefix(text: str, n: _Numeral) -> None:
    """A sign word or a bound glued before the digits: "minus-12" is -12, "sub-10" is at most 10."""
    before = text[max(0, n.start - 6) : n.start].lower()
    for word, sign in SIGN_WORDS.items():
        if before.endswith(word):
            n.value, n.start = n.value * sign, n.start - len(word)
            return
    for prefix in UPPER_BOUND_PREFIXES:
        if before.endswith(prefix):
            n.bound = "at_most"


def _ordinal(text: str, n: _Numeral, lex: Lexicon) -> Figure | None:
    """An ordinal suffix glued to ungrouped digits: "10th", "1er", "6e"."""
    om = lex.ordinal_re.match(text, n.end)
    if om is None or not n.raw.lstrip("-−").isdigit():
        return None
    return Figure(n.start, om.end(), n.value, "ordinal")


def _range(scan: Scan, n: _Numeral, lang: str) -> None:
    """The end of a range, if not below its start: "1-2", "2019-2023", "$1–$2", "de 5 à 10"."""
    m2 = _range_end(scan.text, n.start, n.end)
    if m2 is None or not scan.free(m2.start(), m2.end()):
        return
    try:
        v2 = parse_numeral(m2.group(), lang)
    except ValueError:
        return
    if v2 >= n.value:
        n.value_max, n.end = v2, m2.end()


def _range_end(text: str, a: int, b: int) -> re.Match[str] | None:
    """The number after "1-", "10 to ", "$1–$"; after "and", "et" or "a" only when an opener
    stands before the first number ("between 10 and 20", "entre 5 et 10")."""
    link = _RANGE_LINK.match(text, b)
    if not link:
        return None
    word = link.group().strip().lower()
    if word in _LINKS_AFTER_OPENER and not _RANGE_OPENERS.search(text[max(0, a - 30) : a]):
        return None
    cur2 = _RANGE_CURRENCY.match(text, link.end())
    return _RANGE_END.match(text, cur2.end() if cur2 else link.end())


def _currency_before(text: str, n: _Numeral, lex: Lexicon) -> None:
    """A currency symbol or code before the digits makes money: "$5", "€ 12", "EUR 100"."""
    cur = lex.currency_before_re.search(text[max(0, n.start - 5) : n.start])
    if cur:
        n.kind, n.unit = "money", _currency(cur.group(1), lex)
        n.start -= len(cur.group(0))


def _scale(text: str, n: _Numeral, lex: Lexicon) -> None:
    """A scale word multiplies the value and the range's end: "1M", "4.2 billion", "2,5 millions";
    after money lower-case ones too: "$5m", "€3bn"."""
    for _ in range(2):  # "4 hundred million"
        sm = lex.scale_re.match(text, n.end)
        if sm is None and n.kind == "money":
            sm = _LOWER_SCALE_AFTER_MONEY.match(text, n.end)
        if sm is None and n.kind is None and n.scale == 1.0:
            sm = _glued_lower_scale(text, n.end, lex)
        if sm is None:
            return
        scale = lex.scales.get(sm.group(1)) or lex.scales.get(sm.group(1).lower()) or 1.0
        if scale <= n.scale and n.scale != 1.0:
            return
        n.scale *= scale
        n.end = sm.end(1)
        n.value *= scale
        if n.value_max is not None:
            n.value_max *= scale


def _glued_lower_scale(text: str, end: int, lex: Lexicon) -> re.Match[str] | None:
    """"12m devices", "3bn people" (not "the 100m hurdles"): a lower-case scale glued to a count
    and followed by a plural noun."""
    sm = _LOWER_SCALE_GLUED.match(text, end)
    if sm is None:
        return None
    w = WORD.match(text, sm.end())
    if w is None:
        return None
    word = w.group().lower()
    if word in lex.stopwords or word in _RACE_NOUNS or not is_plural(word, lex):
        return None
    return sm


def _unit_after(text: str, n: _Numeral, lex: Lexicon) -> None:
    """The unit after a numeral with none before it: "1M€", "12 millions d'euros", "100 EUR", "25%";
    a measure or a duration only without a scale word: "5 km", "3 days"."""
    if n.kind is not None:
        return
    if n.value < 0 and (sm := _SIGNED_UNIT.match(text, n.end)):  # "-12 degrees": a temperature
        n.kind, n.unit, n.end = "measure", SIGNED_UNITS[sm.group(1)], sm.end()
    elif cm := lex.currency_after_re.match(text, n.end):
        n.kind, n.unit, n.end = "money", _currency(cm.group(1), lex), cm.end()
    elif pm := lex.percent_re.match(text, n.end):
        n.kind, n.end = "percent", pm.end()
    elif n.scale == 1.0 and (rm := _RACE_METRES.match(text, n.end)) and rm.group(1).lower() in _RACE_NOUNS:
        n.kind, n.unit, n.end = "measure", "m", n.end + 1  # "the 100m hurdles", "400m relay"
    elif n.scale == 1.0 and (mm := lex.measure_re.match(text, n.end)):
        n.kind, n.unit, n.end = "measure", MEASURE_UNITS[mm.group(1)], mm.end()
    elif n.scale == 1.0 and (dm := lex.duration_re.match(text, n.end)):
        n.kind, n.unit, n.end = "duration", lex.duration_units[fold(dm.group(1))], dm.end()


def _currency(token: str, lex: Lexicon) -> str:
    """The ISO code of "$", "eur", "euros", "dollars"."""
    if token in CURRENCY_SYMBOLS:
        return CURRENCY_SYMBOLS[token]
    if token.upper() in CURRENCY_CODES:
        return token.upper()
    return lex.currency_words.get(token.lower(), token.upper())


def _qualifier(text: str, n: _Numeral, lex: Lexicon) -> tuple[str, int]:
    """The qualifier and where it begins: "more than 3,800", "about $5M"; one after the numeral wins
    and extends it: "3,800+", "50 or more"."""
    qualifier, q_start = qualifier_before(text, n.start, lex, n.kind)
    if n.bound is not None:
        qualifier, q_start = n.bound, n.start - len("sub-")
    q_after, end_q = qualifier_after(text, n.end, lex)
    if q_after:
        qualifier, n.end = q_after, max(n.end, end_q)
    return qualifier, q_start


def _counted(scan: Scan, n: _Numeral, lex: Lexicon, q_start: int) -> tuple[str | None, str | None]:
    """What a bare number, a sum or a share counts: "3,800 participants", "$1 billion in
    commitments", "45% of attendees"; nothing for a measure or a duration."""
    if n.kind not in (None, "money", "percent"):
        return None, None
    return what_is_counted(scan, q_start, n.end, lex, n.kind or "count")


def _is_year(n: _Numeral, counted: str | None, lex: Lexicon) -> bool:
    """Four bare digits from 1800 to 2100 (and a range of them) that count nothing plural:
    "in 2024", "2019-2023", but not "2024 participants"."""
    if n.kind is not None or n.scale != 1.0 or not (n.raw.isdigit() and len(n.raw) == 4):
        return False
    if not (_YEAR_MIN <= n.value <= _YEAR_MAX and (n.value_max is None or n.value_max <= _YEAR_MAX)):
        return False
    return not (counted and is_plural(counted.split()[-1], lex))


def _in_name(text: str, a: int, lex: Lexicon) -> bool:
    """A year that ends a proper name ("Hi! PARIS Cluster 2030", "at IMO 2024"): the word
    before it is capitalised and is not the first word of its line or sentence."""
    m = _NAME_BEFORE.search(text, max(0, a - 60), a)
    if not m or m.end() != a:
        return False
    word, prev = m.group(2), m.group(1)
    sentence_start = prev.endswith((".", "!", "?", ":", "•"))
    return not (word.lower() in lex.stopwords or lex.month(word) is not None or sentence_start)


def _figure(n: _Numeral, lex: Lexicon, qualifier: str, counted: str | None, head: str | None) -> Figure:
    """A count, sum, share, measure or duration; a count of time units is a duration: "2 intense
    days". Measures and durations count nothing."""
    kind, unit = n.kind or "count", n.unit
    if kind == "count" and head in lex.duration_units and counted and len(counted.split()) <= 2:
        kind, unit = "duration", lex.duration_units[head]
    if kind in ("measure", "duration"):
        counted = head = None
    return Figure(n.start, n.end, n.value, kind, value_max=n.value_max, unit=unit, qualifier=qualifier,
                  counted=counted, head=head)
