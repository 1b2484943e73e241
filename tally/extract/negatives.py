"""Spans of text whose digits are not figures: addresses, identifiers, codes and formulas."""

from __future__ import annotations

import re

from tally.extract.tables import english, news, units

# Upper-case words that may stand before a number and still make a figure ("EUR 100", "JULY 2025").
_EXEMPT = "|".join(list(units.CURRENCY_CODES) + [m.upper() for m in english.MONTHS] + ["CHF", "FY", "Q"])

# Currency codes glued to an amount ("AUD2.5m", "RM45", "$US12,000") are money, not codes; with
# letters or a dash after the digits ("RM45X", "AUD2024-17") they are codes again.
_GLUED = "|".join(sorted((re.escape(c) for c in news.GLUED_CURRENCIES if c.isalpha() or c.startswith("$")),
                         key=len, reverse=True))
_NOT_GLUED_AMOUNT = rf"(?!(?:{_GLUED})\d[\d,.]*(?:mln|bn|mn|Mds|Md|[mkbMKB])?(?![\w-]))"
_INDEXES = "|".join(sorted((re.escape(c) for c in news.STOCK_INDEXES), key=len, reverse=True))

_UNITS = "|".join(sorted((re.escape(u) for u in units.MEASURE_UNITS), key=len, reverse=True))

# (reason, pattern). Order does not matter: every pattern is applied and the spans merged.
NOT_FIGURES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("url", re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"'）)\]]+", re.IGNORECASE)),
    ("url", re.compile(r"(?<![\w.-])[\w.-]+\.(?:com|org|net|fr|cl|io|edu|gov|eu|uk|de|int)(?:/[^\s<>\"')\]]*)?", re.IGNORECASE)),
    ("email", re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("handle", re.compile(r"(?<![\w])[@#][\w-]+")),
    # +56992895205, +33 1 23 45 67 89, (555) 123-4567, 01 23 45 67 89
    ("phone", re.compile(r"(?<![\w+])\+\d[\d\s().\-]{6,}\d")),
    ("phone", re.compile(r"(?<!\w)\(?\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}(?!\d)")),
    ("phone", re.compile(r"(?<![\w,.])0\d(?:[\s.]\d{2}){4}(?![\d])")),
    ("file", re.compile(r"(?<![\w./-])[\w./-]*\w\.(?:png|jpe?g|gif|svg|pdf|docx?|xlsx?|csv|txt|md|rst|html?|zip|json|parquet)\b",
                        re.IGNORECASE)),
    ("hex_id", re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b|\b0x[0-9a-fA-F]+\b")),
    ("video_id", re.compile(r"\b(?=\w*\d)(?=\w*[A-Z])(?=\w*[a-z])[\w-]{10,12}\b")),
    # Letters glued to digits: A100, H100, DR16, PNRIA1, G20, 4YFN, COVID-19, R01.
    ("code", re.compile(rf"(?<![\w$])(?=[A-Z])(?!FY\d){_NOT_GLUED_AMOUNT}(?=[\w-]*\d)[A-Z][\w]*\d[\w]*(?:-\d+)?(?![\w])")),
    # The number of a stock index's name: "FTSE 100 +0.6%", "CAC 40", "S&P 500".
    ("index", re.compile(rf"(?=[A-Z])(?<![\w])(?:{_INDEXES})[ \u00a0]?\d{{2,4}}(?![\d%]|[.,]\d|[ \u00a0]?%)")),
    ("code", re.compile(rf"(?<![\w])\d+(?!(?:{_UNITS})(?![\w]))[A-Z]{{2,}}\w*(?![\w])")),
    ("code", re.compile(rf"\b(?!(?:{_EXEMPT})\b)[A-Z]{{2,}}[- ]\d{{2,}}\b(?![,.]\d)(?!\s*(?:[-–]|to))")),
    # Mathematics: i=1, n × n, x^2, and digits among mathematical alphanumerics (U+1D400-1D7FF).
    ("formula", re.compile(r"=\s*[-−]?\d+(?:[.,]\d+)?°?")),
    # (every pattern that opens on \d+ starts at the first digit of a run: no quadratic rescans)
    ("formula", re.compile(r"(?<!\d)\d+\s*[=×^]\s*[\w\U0001D400-\U0001D7FF]")),
    ("formula", re.compile(r"[\U0001D400-\U0001D7FF]\d+|(?<!\d)\d+[\U0001D400-\U0001D7FF]")),
    # Markup attributes and directive options: width="100%", :width: 100%
    ("markup", re.compile(r"(?m)^[ \t]*:[\w-]+:[^\n]*$")),
    ("markup", re.compile(r"\b\w+=[\"'][^\"'\n]*[\"']")),
    ("version", re.compile(r"\bv\d+(?:\.\d+)+\b|\b(?!\d{1,3}(?:\.\d{3}){2,}\b)\d+\.\d+\.\d+(?:[-.]\w+)?\b")),
    ("always", re.compile(r"(?=2)(?<![\w/])24/7(?![\w/])")),  # "open 24/7"
    ("time", re.compile(r"\b\d{1,2}[:h]\d{2}(?:\s?[ap]\.?m\.?)?\b|\b\d{1,2}\s?[ap]\.m\.", re.IGNORECASE)),
    ("coordinates", re.compile(r"@?-?\d{1,3}\.\d{4,},-?\d{1,3}\.\d{4,}")),
)


# What a pattern cannot match without (a class of characters, or a string), by the pattern's
# opening: a text or a window where it is not found skips the pattern, with the same spans.
TRIGGERS: dict[str, str] = {
    r"(?:https?://": "[:.]", r"(?<![\w.-])[\w.-]+\.": r"\.", r"(?<![\w.+-])[\w.+-]+@": "@", r"(?<![\w])[@#]": "[@#]",
    r"(?<![\w+])\+": r"\+", r"(?<![\w,.])0\d": "0", r"(?<![\w./-])[\w./-]*\w\.": r"\.",
    r"=\s*": "=", r"(?<!\d)\d+\s*[=×^]": "[=×^]", r"[\U0001D400": "[\U0001D400-\U0001D7FF]", r"(?m)^[ \t]*:": ":",
    r"\b\w+=": "=", r"\bv\d+": r"\.", r"(?=2)(?<![\w/])24/7": "24/7", r"@?-?\d{1,3}\.": r"\.",
}


def _trigger(rx: re.Pattern[str]) -> re.Pattern[str] | None:
    found = [t for opening, t in TRIGGERS.items() if rx.pattern.startswith(opening)]
    return re.compile(found[0]) if found else None


_TRIGGERED = tuple((reason, rx, _trigger(rx)) for reason, rx in NOT_FIGURES)
_DIGIT = re.compile(r"\d")
_SPACE = re.compile(r"\s")
# How far around a digit a not-figure can reach, beyond the token holding the digit.
REACH = 40


def _windows(text: str) -> list[tuple[int, int]]:
    """Stretches of text around digits, widened to whitespace, merged. Only digits can be
    not-figures, so the patterns run on these stretches instead of the whole text."""
    out: list[tuple[int, int]] = []
    n = len(text)
    for m in _DIGIT.finditer(text):
        if out and m.start() < out[-1][1]:
            continue
        a = max(0, m.start() - REACH)
        sp = text.rfind(" ", 0, a)
        nl = text.rfind("\n", max(0, sp), a)  # only a newline after the space matters (one line may be 50 MB)
        a = max(sp, nl) + 1 if a > 0 else 0
        b = min(n, m.end() + REACH)
        nxt = _SPACE.search(text, b)
        b = nxt.start() if nxt else n
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def not_figure_spans(text: str) -> list[tuple[int, int, str]]:
    """Sorted (start, end, reason) spans of `text` whose digits must not become figures."""
    spans: list[tuple[int, int, str]] = []
    always = [(reason, rx) for reason, rx, t in _TRIGGERED if t is None]
    gated = [(reason, rx, t) for reason, rx, t in _TRIGGERED if t is not None and t.search(text)]
    for a, b in _windows(text):
        for reason, rx in always + [(reason, rx) for reason, rx, t in gated if t.search(text, a, b)]:
            spans.extend((m.start(), m.end(), reason) for m in rx.finditer(text, a, b))
    spans.sort()
    return spans
