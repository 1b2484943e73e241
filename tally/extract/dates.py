"""Calendar dates and periods: "Dec. 6, 2024", "February 6-7", "30 June-4 July 2025", "1/7/15"."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from tally.extract.lexicon import Lexicon, lexicon
from tally.extract.tables import english

DAY = r"(?:[0-3]?\d)(?:st|nd|rd|th|er|ᵉʳ)?"
# A day that no word, dot or comma stands right before: the look-behind after the first digit
# lets the pattern open on a digit, which the regex engine finds much faster than it tries a
# look-behind at every position (same matches as `(?<![\w.,]){DAY}`).
FIRST_DAY = r"(?:\d(?<![\w.,]\d)(?:(?<=[0-3])\d)?)(?:st|nd|rd|th|er|ᵉʳ)?"
YEAR = r"(?:1[0-9]\d\d|20\d\d)"
DASH = r"\s*[-–—]\s*"


@dataclass
class DateMatch:
    start: int
    end: int
    year: int | None
    month: int
    day: int | None
    year2: int | None = None
    month2: int | None = None
    day2: int | None = None

    def iso(self) -> str:
        def one(y: int | None, m: int, d: int | None) -> str:
            ys = f"{y:04d}" if y else "-"
            if d is None:
                return f"{ys}-{m:02d}" if y else f"--{m:02d}"
            return f"{ys}-{m:02d}-{d:02d}"

        first = one(self.year, self.month, self.day)
        if self.month2 is None:
            return first
        return first + "/" + one(self.year2, self.month2, self.day2)

    def bounds(self) -> tuple[dt.date | None, dt.date | None]:
        """First and last day of the period, or (None, None) when the year is unknown."""
        y1, y2 = self.year, self.year2 or self.year
        if y1 is None or y2 is None:
            return None, None
        try:
            start = dt.date(y1, self.month, self.day or 1)
            m2 = self.month2 or self.month
            if self.day2 is not None:
                end = dt.date(y2, m2, self.day2)
            elif self.day is None or self.month2 is not None:
                end = dt.date(y2, m2, calendar.monthrange(y2, m2)[1])
            else:
                end = start
        except ValueError:
            return None, None
        return start, end


def _day(s: str | None) -> int | None:
    if not s:
        return None
    return int(re.match(r"\d+", s).group())  # type: ignore[union-attr]


@cache
def _patterns(month_re: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    M = rf"(?P<m>{month_re})"
    M2 = rf"(?P<m2>{month_re})"
    Y = rf"(?P<y>{YEAR})"
    end = r"(?![\w])"
    return (
        # 30 June-4 July 2025, 6th-11th November 2023, 6-7 février 2025
        ("dmy_range", re.compile(rf"(?P<d>{FIRST_DAY})(?:\s+{M})?{DASH}(?P<d2>{DAY})\s+{M2}(?:,?\s+{Y})?{end}")),
        # February 6-7, June 30 – July 4, 2025
        ("mdy_range", re.compile(rf"{M}\s+(?P<d>{DAY}){DASH}(?:{M2}\s+)?(?P<d2>{DAY})(?:,?\s+{Y})?{end}")),
        # Dec. 6, 2024; Jan. 1st 2024; February 10
        ("mdy", re.compile(rf"{M}\s+(?P<d>{DAY})(?![\d,.]\d)(?:,?\s+{Y})?{end}")),
        # 18 September, 4 November 2024, 1er janvier 2024
        ("dmy", re.compile(rf"(?P<d>{FIRST_DAY})\s+{M}(?:,?\s+{Y})?{end}")),
        # February 2025, juin 2022
        ("my", re.compile(rf"{M},?\s+{Y}{end}")),
        # 1/7/15, 01/07/2015, 2015-07-01
        ("numeric", re.compile(r"(?P<a>\d(?<![\w/.]\d)\d?)/(?P<b>\d{1,2})/(?P<c>\d{4}|\d{2})(?![\w/])")),
        ("iso", re.compile(r"(?P<y>\d(?<![\w-]\d)\d{3})-(?P<m>\d{2})-(?P<d>\d{2})(?![\w-])")),
    )


# The patterns that open on a month name: they are tried only where a month name starts.
_MONTH_LED = frozenset({"mdy_range", "mdy", "my"})


@cache
def _month_openers(lang: str) -> tuple[str, ...]:
    """The lowercase month names and abbreviations a month of `lang` can open with, none the
    prefix of another ("sept" stands for "september" and "septembre")."""
    words = {w.lower() for w in [*english.MONTHS, *lexicon(lang).months]}
    return tuple(sorted(w for w in words if not any(o != w and w.startswith(o) for o in words)))


def _month_starts(low: str, lang: str) -> list[int]:
    """Every position of `low` (the lowercased text) where a month name may start."""
    starts: set[int] = set()
    for w in _month_openers(lang):
        i = low.find(w)
        while i >= 0:
            starts.add(i)
            i = low.find(w, i + 1)
    return sorted(starts)


def _finditer_at(rx: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """`rx.finditer(text)` for a pattern that can only match at `starts`: the same matches, found
    with one `match` per start instead of a search through every position."""
    end = 0
    for s in starts:
        if s >= end and (m := rx.match(text, s)):
            yield m
            end = m.end()


def find_dates(text: str, lex: Lexicon, *, us_order: bool = False, low: str | None = None) -> list[DateMatch]:
    """Every date or period in `text`, longest forms first, without overlaps. `low`, the text
    lowercased with the same length, lets the month-led patterns run only where a month starts."""
    taken = bytearray(len(text))  # characters already in a date: a check costs the match's length
    found: list[DateMatch] = []
    starts = _month_starts(low, lex.lang) if low is not None and len(low) == len(text) else None
    for name, rx in _patterns(lex.month_re):
        matches = _finditer_at(rx, text, starts) if starts is not None and name in _MONTH_LED else rx.finditer(text)
        for m in matches:
            a, b = m.span()
            if any(taken[a:b]):
                continue
            d = _from_match(name, m, lex, us_order)
            if d is None:
                continue
            taken[a:b] = b"\x01" * (b - a)
            found.append(d)
    found.sort(key=lambda d: d.start)
    _add_joined_days(text, found, lex)
    _add_leading_days(text, found, taken)
    _carry_years(text, found)
    return found


def _from_match(name: str, m: re.Match[str], lex: Lexicon, us_order: bool) -> DateMatch | None:
    g = m.groupdict()
    year: int | None
    month: int | None
    day: int | None
    try:
        if name == "numeric":
            a, b, c = int(g["a"]), int(g["b"]), int(g["c"])
            year = c + 2000 if c < 100 else c
            day, month = (b, a) if (us_order and a <= 12) or b > 12 else (a, b)
            dt.date(year, month, day)
            return DateMatch(m.start(), m.end(), year, month, day)
        if name == "iso":
            dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
            return DateMatch(m.start(), m.end(), int(g["y"]), int(g["m"]), int(g["d"]))
    except ValueError:
        return None
    month = lex.month(g["m"]) if g.get("m") else None
    month2 = lex.month(g["m2"]) if g.get("m2") else None
    year = int(g["y"]) if g.get("y") else None
    day, day2 = _day(g.get("d")), _day(g.get("d2"))
    if name == "dmy_range":
        month, month2 = (month or month2), month2
    if month is None:
        return None
    if (day is not None and not 1 <= day <= 31) or (day2 is not None and not 1 <= day2 <= 31):
        return None
    if name in ("dmy_range", "mdy_range"):
        return DateMatch(m.start(), m.end(), year, month, day, year, month2 or month, day2)
    return DateMatch(m.start(), m.end(), year, month, day)


_JOINED_DAY = re.compile(r"\s*(?:and|et|&|,)\s*(\d{1,2})(?:st|nd|rd|th)?(?![\w.,]?\d)(?!\s*[-–])")


def _add_joined_days(text: str, found: list[DateMatch], lex: Lexicon) -> None:
    """"February 10 and 11": the second day is a date of its own in the same month."""
    extra = []
    for d in found:
        if d.day is None or d.month2 is not None:
            continue
        m = _JOINED_DAY.match(text, d.end)
        if not m:
            continue
        after = text[m.end() : m.end() + 12]
        if re.match(rf"\s*{lex.month_re}", after):  # "10 and 11 March" is handled as dmy
            continue
        day = int(m.group(1))
        if 1 <= day <= 31 and day > d.day:
            extra.append(DateMatch(m.start(1), m.end(1), d.year, d.month, day))
    found.extend(extra)
    found.sort(key=lambda d: d.start)


_LEADING_DAY = re.compile(r"(?<![\w.,])(\d{1,2})(?:er|st|nd|rd|th)?\s*(?:au|à|to|and|et|&|,|until|till)\s*$", re.IGNORECASE)


def _add_leading_days(text: str, found: list[DateMatch], taken: bytearray) -> None:
    """"du 15 au 18 juin 2022", "10 and 11 March": the first day takes the month and year of the second."""
    extra = []
    for d in found:
        if d.day is None or d.month2 is not None:
            continue
        window_start = max(0, d.start - 14)
        m = _LEADING_DAY.search(text, window_start, d.start)
        if not m or m.end() != d.start:
            continue
        day = int(m.group(1))
        a, b = m.start(1), m.end(1)
        if 1 <= day < d.day and not any(taken[a:b]):
            extra.append(DateMatch(a, b, d.year, d.month, day))
    found.extend(extra)
    found.sort(key=lambda d: d.start)


_WEEKDAY = (r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun|"
            r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\.?,?\s+")
# "from 2 September to Sunday 27 October 2024": a weekday may stand before the later date
_LINK = re.compile(rf"\s*(?:to|until|till|through|and|et|au|à|jusqu'au|jusqu’au|–|-|—)\s*(?:{_WEEKDAY})?$", re.IGNORECASE)


def _carry_years(text: str, found: list[DateMatch]) -> None:
    """"from 18 September to 4 November 2024": the stated year is carried back to the first date."""
    for i in range(len(found) - 1, 0, -1):
        later, earlier = found[i], found[i - 1]
        if earlier.year is not None or later.year is None:
            continue
        between = text[earlier.end : later.start]
        if len(between) <= 24 and _LINK.match(between):
            year = later.year
            if (earlier.month, earlier.day or 1) > (later.month, later.day or 1):
                year -= 1  # "from 15 December to 10 January 2025"
            earlier.year = year
            if earlier.month2 is not None:
                earlier.year2 = year
