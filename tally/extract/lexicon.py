"""One view over the word tables of a language, compiled into regular expressions on first use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from tally.extract.tables import english, french, units

LANGUAGES = ("en", "fr")


def fold(word: str) -> str:
    """The key of a word matched case-insensitively in its table: "MİNUTES" (dotted capital I,
    which lowers to i and a combining dot) and "ſeconds" (long s) are "minutes" and "seconds"."""
    return word.casefold().replace("\u0307", "")


def alternation(words: object, *, escape: bool = True) -> str:
    """A regex alternation of `words`, longest first so that no word shadows a longer one."""
    items = sorted(set(words), key=lambda w: (-len(w), w))  # type: ignore[call-overload]
    return "|".join(re.escape(w) if escape else w for w in items)


class Folded(NamedTuple):
    """A case-insensitive pattern and its case-sensitive twin for lowercased text (`Scan.finditer`)."""

    pattern: re.Pattern[str]
    folded: re.Pattern[str]

    @classmethod
    def of(cls, source: str) -> Folded:
        if re.search(r"\\[A-Z]", source):  # \W, \S, \D, \B lowered would change meaning
            raise ValueError(f"cannot fold a pattern with an upper-case escape: {source[:60]}")
        return cls(re.compile(source, re.IGNORECASE), re.compile(source.lower()))

    @classmethod
    def pair(cls, source: str, folded: str) -> Folded:
        """`source` (case-insensitive) and a faster pattern of the same matches on lowercased text."""
        return cls(re.compile(source, re.IGNORECASE), re.compile(folded))


@dataclass(frozen=True)
class Lexicon:
    lang: str
    months: dict[str, int]
    scales: dict[str, float]
    qualifiers_before: dict[str, str]
    qualifiers_after: dict[str, str]
    duration_units: dict[str, str]
    stopwords: frozenset[str]
    irregular_singular: dict[str, str]
    singular_s: frozenset[str]
    plural_modifiers: frozenset[str]
    verbs_s: frozenset[str]
    prenominal: frozenset[str]
    around_verbs: frozenset[str]
    fractions: dict[str, float]
    vague: dict[str, tuple[float, str]]
    currency_words: dict[str, str]
    number_words_re: Folded
    month_re: str
    qualifier_before_re: re.Pattern[str]
    qualifier_after_re: re.Pattern[str]
    scale_re: re.Pattern[str]
    currency_after_re: re.Pattern[str]
    currency_before_re: re.Pattern[str]
    percent_re: re.Pattern[str]
    duration_re: re.Pattern[str]
    measure_re: re.Pattern[str]
    ordinal_re: re.Pattern[str]
    vague_re: Folded
    fraction_re: Folded
    one_unit_re: Folded

    def month(self, word: str) -> int | None:
        w = word.lower().rstrip(".")
        return self.months.get(w) or english.MONTHS.get(w)


@cache
def lexicon(lang: str) -> Lexicon:
    """The compiled tables for `lang` ("en" or "fr"); French text also knows English months."""
    if lang not in LANGUAGES:
        lang = "en"
    table = french if lang == "fr" else english
    months = dict(table.MONTHS)
    # English months are proper nouns: match them capitalised only. French months are lowercase.
    en_months = "|".join(
        sorted({m.capitalize() for m in english.MONTHS} | {m.upper() for m in english.MONTHS}, key=len, reverse=True)
    )
    if lang == "fr":
        full = [m for m in french.MONTHS if len(m) > 4 or m in ("mai", "juin", "août", "aout", "mars")]
        abbr = [m for m in french.MONTHS if m not in full]
        fr_alt = alternation(full + [m.capitalize() for m in full])
        fr_abbr = alternation(abbr + [m.capitalize() for m in abbr])
        # One flat alternation of literals, in the order of (?:(?:fr_alt)|(?:fr_abbr)\.|(?:en)\.?):
        # the same matches, and the engine skips an alternative on its first letter (nested
        # groups made every French text's date patterns ten times slower).
        en_dotted = [rf"{m}\.?" for m in en_months.split("|")]
        month_re = "(?:" + "|".join(fr_alt.split("|") + [rf"{a}\." for a in fr_abbr.split("|")] + en_dotted) + ")"
    else:
        month_re = rf"(?:{en_months})\.?"
    currency_words = dict(units.CURRENCY_WORDS)
    cur_after = alternation(list(units.CURRENCY_SYMBOLS) + list(units.CURRENCY_CODES) + list(currency_words))
    cur_before = alternation(list(units.CURRENCY_SYMBOLS) + list(units.CURRENCY_CODES))
    scales = {**english.SCALES, **table.SCALES}
    # Single letters are scales only in upper case (M, K, B); lower-case m is metres, k is kilo.
    scale_words = [s for s in scales if len(s) > 1] + ["K", "k", "M", "B"]
    measures = units.MEASURE_UNITS
    ordinal_suffixes = units.ORDINAL_SUFFIXES_FR if lang == "fr" else units.ORDINAL_SUFFIXES_EN
    words = table.NUMBER_WORDS
    joiners = table.NUMBER_JOINERS
    word = rf"(?:{alternation(words)})"
    number_words_re = Folded.of(
        rf"(?<![\w-])(?:{word})(?:(?:[\s\-\u2011]|\s+(?:{alternation(joiners)})\s+|[\s\-]+(?:{alternation(joiners)})[\s\-]+)(?:{word}|{alternation(joiners)}))*(?!\w)(?!-(?:{word}))",
    )
    percent_words = alternation(english.PERCENT_WORDS + table.PERCENT_WORDS)
    durations = {**english.DURATION_UNITS, **table.DURATION_UNITS} if lang == "fr" else english.DURATION_UNITS
    q_before = {**table.QUALIFIERS_BEFORE}
    q_after = {**table.QUALIFIERS_AFTER}
    return Lexicon(
        lang=lang,
        months=months,
        scales=scales,
        qualifiers_before=q_before,
        qualifiers_after=q_after,
        duration_units=durations,
        stopwords=table.STOPWORDS,
        irregular_singular=table.IRREGULAR_SINGULAR,
        singular_s=table.SINGULAR_S,
        plural_modifiers=table.PLURAL_MODIFIERS,
        verbs_s=table.VERBS_S,
        prenominal=table.PRENOMINAL,
        around_verbs=table.AROUND_VERBS,
        fractions=table.FRACTIONS,
        vague=table.VAGUE,
        currency_words=currency_words,
        number_words_re=number_words_re,
        month_re=month_re,
        qualifier_before_re=re.compile(rf"(?:^|(?<=[\s(*_]))({alternation(q_before)}|~|≈|>=?|<=?|≥|≤)[\s*_]*$", re.IGNORECASE),
        qualifier_after_re=re.compile(rf"(?:\s*(\+)|\s+({alternation(q_after)})\b)", re.IGNORECASE),
        scale_re=re.compile(rf"[ \u00a0\u202f]?({alternation(scale_words)})(?![^\W\d_])"),
        currency_after_re=re.compile(rf"[ \u00a0\u202f]?({cur_after})(?![^\W\d_])"),
        currency_before_re=re.compile(rf"({cur_before})[ \u00a0\u202f]?\Z"),  # \Z: "$" would match before a line break
        percent_re=re.compile(rf"[ \u00a0\u202f]?(%|{percent_words})(?![^\W\d_])", re.IGNORECASE),
        duration_re=re.compile(
            rf"(?:[ \u00a0\u202f\-\u2011]|\s)?({alternation(durations)})(?![^\W\d_])",
            re.IGNORECASE,
        ),
        measure_re=re.compile(rf"[ \u00a0\u202f]?({alternation(measures)})(?![^\W\d_/])"),
        ordinal_re=re.compile(rf"({alternation(ordinal_suffixes)})(?![^\W\d_])"),
        vague_re=Folded.of(rf"(?<![\w-])({alternation(table.VAGUE)})(?![\w-])"),
        one_unit_re=Folded.of(
            rf"(?<![\w])(?:{alternation(table.ONE_UNIT_PREPOSITIONS)})\s*((?:{alternation(table.ONE_UNIT_ARTICLES)})\s+({alternation(durations)}))(?![\w-])",
        ),
        fraction_re=Folded.of(rf"(?<![\w-])({alternation(table.FRACTIONS)})(?=\s+(?:of|the|de|des|du)\b)"),
    )
