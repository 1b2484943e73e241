"""Number forms that are not a plain numeral: scientific notation ("6.02×10^23"), fractions
("1/8 of a cup", "1⁄64", "one in four"), multiples ("sixfold") and "one" where it counts something
("one proposal asks...", "one of the 12 finalists", "l'un des 12 finalistes").

Each pass takes a Scan and returns the Figures it found, claiming their spans like the others.
"""

from __future__ import annotations

import re

from tally.extract.around import qualifier_before, what_is_counted
from tally.extract.lexicon import Folded, Lexicon, alternation
from tally.extract.nouns import WORD, counted_after, is_plural, singular
from tally.extract.numbers import parse_numeral, parse_words
from tally.extract.scan import Figure, Scan
from tally.extract.tables import english, french
from tally.extract.tables.news import FOLD_SUFFIXES, ONE_NOT_AFTER, ONE_NOT_BEFORE

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
# 6.02×10^23, 6.02 x 10^23, 1.6×10−19, 1.6 × 10⁻¹⁹, 3e8 is left to the formula mask.
_SCIENTIFIC = re.compile(
    r"(\d(?<![\w.,]\d)\d*(?:[.,]\d+)?)\s?(?:×\s?10\s?(?:\^|\*\*)?\s?([−-]?\d{1,3}|[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})"
    r"|[xX*]\s?10\s?(?:(?:\^|\*\*)\s?([−-]?\d{1,3})|([⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})))(?![\d])"
)
# 1/8 of, 3/4 de, 1⁄64 (U+2044 FRACTION SLASH).
# (the look-behinds stand after the first digit so that the patterns open on a digit: much faster
# to search, same matches)
_SCIENTIFIC_HINT = re.compile(r"[×xX*]\s?10")  # no match of this, no scientific figure
_FRACTION = re.compile(r"(\d(?<![\w/.,⁄]\d)\d{0,2})\s?([/⁄])\s?(\d{1,3})(?![\w/⁄]|[.,]\d)")
_FRACTION_OF = re.compile(r"\s+(?:of|de|d['’]|des|du)\b", re.IGNORECASE)
_OF_ONE = re.compile(r"\s+(?:of|d['’]|de)\s*(?:an?|une?)\s+(?=[^\W\d_])", re.IGNORECASE)  # "1/8 of a cup"
_ONE_WORDS = {"en": ("one", "1"), "fr": ("un", "une", "1")}
_IN_WORDS = {"en": ("in", "out of"), "fr": ("sur",)}
_DEN_WORDS = {"en": english.NUMBER_WORDS, "fr": french.NUMBER_WORDS}
_ONE_IN = {
    lang: Folded.of(
        rf"\b(?=[ou1])(?<![\w-])({alternation(_ONE_WORDS[lang])})\s+(?:{alternation(_IN_WORDS[lang])})\s+"
        rf"((?:{alternation(_DEN_WORDS[lang])})(?:-(?:{alternation(_DEN_WORDS[lang])}))?|\d{{1,4}})(?![\w-])",
    )
    for lang in ("en", "fr")
}
_FOLD = re.compile(
    rf"(?<![\w-])((?:{alternation(english.NUMBER_WORDS)})(?:-(?:{alternation(english.NUMBER_WORDS)}))?|\d+(?:[.,]\d+)?)"
    rf"-?(?:{alternation(FOLD_SUFFIXES)})(?![\w])",
    re.IGNORECASE,
)
# "multiplié par six", "multipliés par 3": a multiple in French.
_MULTIPLIED = re.compile(
    rf"(?<![\w])multipli(?:é|ée|és|ées|er|e|ent)\s+par\s+((?:{alternation(french.NUMBER_WORDS)})|\d+(?:[.,]\d+)?)(?![\w])",
    re.IGNORECASE,
)
# (folded: opens on the literal "one", the look-behind after it)
_ONE_EN = Folded.pair(r"\b(?=[oO])(?<![\w'’-])(one)(?![\w'’-])", r"(one)(?<![\w'’-]one)(?![\w'’-])")
_ONE_OF = re.compile(r"\s+of\s+(?:the|our|its|their|these|those|his|her|your|my)\s+(?:\d[\d,.]*\s+)?(?=[^\W\d_])",
                     re.IGNORECASE)
_UN_DES = re.compile(r"\b(?=[lLuU])(?<![\w-])(?:l['’])?(un|une)\s+(?:des|d['’]entre\s+(?:les|nos|ses|leurs|ces))\s+"
                     r"(?:\d[\d\s\u00a0\u202f]*\s+)?(?=[^\W\d_])", re.IGNORECASE)
_PREV_WORD = re.compile(r"([^\W\d_]+)[\s,]*$")


def scientific_figures(scan: Scan, lex: Lexicon) -> list[Figure]:
    """"6.02×10^23 molecules", "1.6×10−19": mantissa times a power of ten, read before the
    formula mask (which would take "02×1" for an equation)."""
    out: list[Figure] = []
    if not _SCIENTIFIC_HINT.search(scan.text):
        return out
    for m in _SCIENTIFIC.finditer(scan.text):
        a, b = m.span()
        if not scan.free(a, b):
            continue
        exponent = next(g for g in m.groups()[1:] if g is not None).translate(_SUPERSCRIPTS).replace("−", "-")
        try:
            value = float(f"{parse_numeral(m.group(1), lex.lang)!r}e{int(exponent)}")
        except (ValueError, OverflowError):
            continue
        qualifier, q_start = qualifier_before(scan.text, a, lex)
        counted, head = what_is_counted(scan, q_start, b, lex, "count")
        scan.take(a, b)
        out.append(Figure(a, b, value, "count", qualifier=qualifier, counted=counted, head=head))
    return out


def fraction_figures(scan: Scan, lex: Lexicon) -> list[Figure]:
    """"1/8 of a cup" (12.5 % of a cup), "1⁄64" (the fraction slash always makes a fraction),
    "one in four adults", "one out of five", "un sur quatre" (shares, in percent like "a third of")."""
    text, out = scan.text, []
    for m in _FRACTION.finditer(text) if "/" in text or "⁄" in text else ():
        a, b = m.span()
        num, den = int(m.group(1)), int(m.group(3))
        share = _FRACTION_OF.match(text, b) is not None
        if not scan.free(a, b) or den < 2 or num >= den or not (share or m.group(2) == "⁄"):
            continue
        out.append(_share(scan, lex, a, b, num / den, share))
    for m in scan.finditer(_ONE_IN[lex.lang]):
        a, b = m.span()
        if not scan.free(a, b):
            continue
        raw = m.group(2)
        try:
            out_of = float(raw) if raw.isdigit() else parse_words(raw, lex.lang)
        except ValueError:
            continue
        if out_of < 2 or out_of > 1000:
            continue
        out.append(_share(scan, lex, a, b, 1 / out_of, True))
    return out


def _share(scan: Scan, lex: Lexicon, a: int, b: int, ratio: float, share: bool) -> Figure:
    if of_one := _OF_ONE.match(scan.text, b):
        counted, head = counted_after(scan.text, of_one.end(), lex)
    else:
        counted, head = what_is_counted(scan, a, b, lex, "percent" if share else "count")
    scan.take(a, b)
    if share:
        return Figure(a, b, round(ratio * 100, 4), "percent", counted=counted, head=head)
    return Figure(a, b, ratio, "count", counted=counted, head=head)


def fold_figures(scan: Scan, lex: Lexicon) -> list[Figure]:
    """"a sixfold increase", "a 6-fold rise": a multiple (kind other, unit "fold")."""
    out = []
    text = scan.text
    for m in _MULTIPLIED.finditer(text) if lex.lang == "fr" and "multipli" in text else ():
        a, b = m.span(1)
        if not scan.free(a, b):
            continue
        raw = m.group(1)
        try:
            value = parse_numeral(raw, "fr") if raw[0].isdigit() else parse_words(raw.lower(), "fr")
        except ValueError:
            continue
        scan.take(a, b)
        out.append(Figure(a, b, value, "other", unit="fold"))
    for m in _fold_matches(text):
        a, b = m.span()
        if not scan.free(a, b):
            continue
        raw = m.group(1)
        try:
            value = parse_numeral(raw, lex.lang) if raw[0].isdigit() else parse_words(raw.lower(), "en")
        except ValueError:
            continue
        scan.take(a, b)
        out.append(Figure(a, b, value, "other", unit="fold"))
    return out


def _fold_matches(text: str) -> list[re.Match[str]]:
    """_FOLD matches, looked for only where "fold" occurs ("sixfold"; not the whole text for
    "scaffold" or "folder")."""
    out = []
    for word in ("fold", "Fold", "FOLD"):
        i = text.find(word)
        while i >= 0:
            m = _FOLD.search(text, max(0, i - 40), i + 4)
            if m is not None and m.end() == i + 4:
                out.append(m)
            i = text.find(word, i + 4)
    return sorted(out, key=lambda m: m.start())


def one_figures(scan: Scan, lex: Lexicon) -> list[Figure]:
    """"one" (English) where it counts: before a noun ("One proposal asks for...") or in "one of
    the 12 finalists"; not a pronoun ("no one", "one another", "one should"). In French only
    "l'un des 12 finalistes": "un", "une" are articles far more often than figures."""
    if lex.lang == "fr":
        return _un_des(scan, lex)
    text, out = scan.text, []
    for m in scan.finditer(_ONE_EN):
        a, b = m.span(1)
        if not scan.free(a, b):
            continue
        prev = _PREV_WORD.search(text, max(0, a - 30), a)
        if prev and prev.end() == a and prev.group(1).lower() in ONE_NOT_AFTER:
            continue
        counted, head = _one_counted(text, b, lex)
        if counted is None or "another" in text[b : b + 40].lower():  # "from one discipline to another"
            continue
        scan.take(a, b)
        out.append(Figure(a, b, 1.0, "count", counted=counted, head=head))
    return out


def _one_counted(text: str, b: int, lex: Lexicon) -> tuple[str | None, str | None]:
    """What "one" counts: "one of the 12 finalists" -> finalists; "one proposal asks" -> proposal;
    "one research centre" -> research centre; nothing for "one should", "one another"."""
    if of := _ONE_OF.match(text, b):
        w = WORD.match(text, of.end())
        if w and is_plural(w.group(), lex) and w.group().lower() not in lex.stopwords:
            counted, head = counted_after(text, of.end(), lex)
            return counted, head
        return None, None
    words: list[str] = []
    pos = b
    while len(words) < 2:
        gap = re.match(r"[ \t\u00a0]+", text[pos : pos + 4])
        if not gap:
            break
        w = WORD.match(text, pos + gap.end())
        if not w:
            break
        word = w.group()
        low = word.lower()
        if (low in lex.stopwords or low in ONE_NOT_BEFORE or low in lex.duration_units or word[0].isupper()
                or low.endswith(("ly", "ed", "ing")) or (words and low.endswith("s"))):
            break
        words.append(word)
        pos = w.end()
    if not words:
        return None, None
    if len(words) == 2:  # "one research centre in Lyon", but "one candidate withdrew."
        nxt = WORD.match(text, pos + 1) if text[pos : pos + 1] == " " else None
        if nxt is None or nxt.group().lower() not in lex.stopwords:
            words = words[:1]
    return " ".join(words), singular(words[-1], lex)


def _un_des(scan: Scan, lex: Lexicon) -> list[Figure]:
    out = []
    for m in _UN_DES.finditer(scan.text):
        a, b = m.span(1)
        if not scan.free(a, b):
            continue
        counted, head = counted_after(scan.text, m.end(), lex)
        if counted is None or not is_plural(counted.split()[-1], lex):
            continue
        scan.take(a, b)
        out.append(Figure(a, b, 1.0, "count", counted=counted, head=head))
    return out
