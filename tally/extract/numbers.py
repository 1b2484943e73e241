"""Turn the characters of a numeral into a float: separators, decimals, signs, number words."""

from __future__ import annotations

import unicodedata

from text_to_num import text2num

# Characters that group thousands: space, no-break space, narrow no-break space, thin space.
GROUP_SPACES = " \u00a0\u202f\u2009"
MINUS_SIGNS = "-\u2212\u2013"


def normalise_digits(s: str) -> str:
    """Full-width and other Unicode decimal digits to ASCII; other characters untouched."""
    if s.isascii():
        return s
    out = []
    for ch in s:
        if ch.isdigit() and not ch.isascii():
            try:
                out.append(str(unicodedata.decimal(ch)))
                continue
            except ValueError:
                pass
        out.append(ch)
    return "".join(out)


def parse_numeral(raw: str, lang: str = "en") -> float:
    """Parse digits with separators as written in `lang`.

    "11,661" -> 11661; "1 234,5" -> 1234.5; "1.932.881" -> 1932881; "2,5" (fr) -> 2.5;
    "1,5" (en) -> 15 is never produced: a comma not followed by exactly three digits is a decimal
    comma in any language.
    """
    s = normalise_digits(raw).strip()
    negative = bool(s) and s[0] in MINUS_SIGNS
    if negative or s[:1] == "+":
        s = s[1:]
    if s[:1] == "." and s[1:].isdigit():  # ".005": a decimal without its leading zero
        return -float(s) if negative else float(s)
    for sp in GROUP_SPACES:
        s = s.replace(sp, "")
    s = s.replace("'", "").replace("’", "")  # Swiss grouping 1'000
    if not s:
        raise ValueError(f"no digits in numeral {raw!r}")
    dots, commas = s.count("."), s.count(",")
    if dots and commas:
        # The later separator is the decimal one: 1,234.5 or 1.234,5
        if s.rfind(".") > s.rfind(","):
            s = s.replace(",", "")
        else:
            s = s.replace(".", "").replace(",", ".")
    elif commas:
        groups = s.split(",")
        thousands = all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3
        if commas > 1 or (thousands and lang != "fr"):
            s = s.replace(",", "")
        else:
            s = s.replace(",", ".")
    elif dots:
        groups = s.split(".")
        thousands = all(len(g) == 3 for g in groups[1:]) and len(groups[0]) <= 3
        if dots > 1 or (thousands and lang == "fr"):
            s = s.replace(".", "")
    value = float(s)
    return -value if negative else value


def parse_words(raw: str, lang: str = "en") -> float:
    """Number words to a value with text2num: "twenty-one" -> 21, "vingt et un" -> 21."""
    words = raw.strip().lower().replace("\u2011", "-")
    if lang == "en" and words.startswith(("a ", "an ")):
        words = "one " + words.split(" ", 1)[1]
    return float(text2num(words, lang if lang in ("en", "fr") else "en"))
