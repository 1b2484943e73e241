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

# (reason, pattern, trigger, flags). Order does not matter: every pattern is applied and the
# spans merged. The trigger is a part of every match of its pattern (a text or a window without
# it holds no match) that the regex engine finds much faster, opening on a literal or a small
# class of characters (a regex), or strings of which one is in every match (a tuple, tested
# with `in`): a pattern runs only where its trigger is found, with the same spans. A trigger must
# not scan further than its pattern from where it opens: a window may be one 50 MB token.
_PATTERNS: tuple[tuple[str, str, str | tuple[str, ...] | None, int], ...] = (
    ("url", r"(?:https?://|ftp://|www\.)[^\s<>\"'）)\]]+", r"://|www\.", re.IGNORECASE),
    ("url", r"(?<![\w.-])[\w.-]+\.(?:com|org|net|fr|cl|io|edu|gov|eu|uk|de|int)(?:/[^\s<>\"')\]]*)?",
     r"\.(?:com|org|net|fr|cl|io|edu|gov|eu|uk|de|int)", re.IGNORECASE),
    ("email", r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", ("@",), 0),
    ("handle", r"(?<![\w])[@#][\w-]+", ("@", "#"), 0),
    # +56992895205, +33 1 23 45 67 89, (555) 123-4567, 01 23 45 67 89
    ("phone", r"(?<![\w+])\+\d[\d\s().\-]{6,}\d", ("+",), 0),
    ("phone", r"(?<!\w)\(?\d{3}\)?[\s.\-]\d{3}[\s.\-]\d{4}(?!\d)", r"\d\)?[\s.\-]\d{3}[\s.\-]\d{4}", 0),
    ("phone", r"(?<![\w,.])0\d(?:[\s.]\d{2}){4}(?![\d])", r"0\d[\s.]\d\d[\s.]\d\d", 0),
    ("file", r"(?<![\w./-])[\w./-]*\w\.(?:png|jpe?g|gif|svg|pdf|docx?|xlsx?|csv|txt|md|rst|html?|zip|json|parquet)\b",
     r"\.(?:png|jpe?g|gif|svg|pdf|docx?|xlsx?|csv|txt|md|rst|html?|zip|json|parquet)", re.IGNORECASE),
    # (a run of hex digits holding a digit and a letter holds the two side by side)
    ("hex_id", r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b|\b0x[0-9a-fA-F]+\b", r"[a-f][0-9]|[0-9][a-f]|0x", 0),
    ("video_id", r"\b(?=\w*\d)(?=\w*[A-Z])(?=\w*[a-z])[\w-]{10,12}\b", r"[A-Z]\w{0,11}\d|\d\w{0,11}[A-Z]", 0),
    # Letters glued to digits: A100, H100, DR16, PNRIA1, G20, 4YFN, COVID-19, R01.
    ("code", rf"(?<![\w$])(?=[A-Z])(?!FY\d){_NOT_GLUED_AMOUNT}(?=[\w-]*\d)[A-Z][\w]*\d[\w]*(?:-\d+)?(?![\w])",
     r"(?<![\w$])[A-Z]\w*\d", 0),
    # The number of a stock index's name: "FTSE 100 +0.6%", "CAC 40", "S&P 500".
    ("index", rf"(?=[A-Z])(?<![\w])(?:{_INDEXES})[ \u00a0]?\d{{2,4}}(?![\d%]|[.,]\d|[ \u00a0]?%)", rf"(?:{_INDEXES})", 0),
    ("code", rf"(?<![\w])\d+(?!(?:{_UNITS})(?![\w]))[A-Z]{{2,}}\w*(?![\w])", r"\d[A-Z][A-Z]", 0),
    ("code", rf"\b(?!(?:{_EXEMPT})\b)[A-Z]{{2,}}[- ]\d{{2,}}\b(?![,.]\d)(?!\s*(?:[-–]|to))", r"[A-Z][- ]\d\d", 0),
    # Mathematics: i=1, n × n, x^2, and digits among mathematical alphanumerics (U+1D400-1D7FF).
    ("formula", r"=\s*[-−]?\d+(?:[.,]\d+)?°?", ("=",), 0),
    # (every pattern that opens on \d+ starts at the first digit of a run: no quadratic rescans)
    ("formula", r"(?<!\d)\d+\s*[=×^]\s*[\w\U0001D400-\U0001D7FF]", ("=", "×", "^"), 0),
    ("formula", r"[\U0001D400-\U0001D7FF]\d+|(?<!\d)\d+[\U0001D400-\U0001D7FF]", "[\U0001D400-\U0001D7FF]", 0),
    # Markup attributes and directive options: width="100%", :width: 100%
    ("markup", r"(?m)^[ \t]*:[\w-]+:[^\n]*$", r":[\w-]+:", 0),
    ("markup", r"\b\w+=[\"'][^\"'\n]*[\"']", ("=\"", "='"), 0),
    ("version", r"\bv\d+(?:\.\d+)+\b|\b(?!\d{1,3}(?:\.\d{3}){2,}\b)\d+\.\d+\.\d+(?:[-.]\w+)?\b", r"v\d+\.\d|\.\d+\.", 0),
    ("always", r"(?=2)(?<![\w/])24/7(?![\w/])", ("24/7",), 0),  # "open 24/7"
    ("time", r"\b\d{1,2}[:h]\d{2}(?:\s?[ap]\.?m\.?)?\b|\b\d{1,2}\s?[ap]\.m\.", r"[:h]\d\d|\.m\.", re.IGNORECASE),
    ("coordinates", r"@?-?\d{1,3}\.\d{4,},-?\d{1,3}\.\d{4,}", r"\.\d{4}", 0),
)


class _Strings(tuple[str, ...]):
    """A trigger of plain strings, with the `search(text[, a, b])` of a regex trigger."""

    def search(self, text: str, a: int = 0, b: int | None = None) -> bool:
        return any(text.find(s, a, b) >= 0 for s in self)


Trigger = re.Pattern[str] | _Strings
NOT_FIGURES: tuple[tuple[str, re.Pattern[str], Trigger | None], ...] = tuple(
    (reason, re.compile(pattern, flags),
     _Strings(trigger) if isinstance(trigger, tuple) else re.compile(trigger, flags) if trigger else None)
    for reason, pattern, trigger, flags in _PATTERNS
)


_DIGIT = re.compile(r"\d")
_SPACE = re.compile(r"\s")
# How far around a digit a not-figure can reach, beyond the token holding the digit.
REACH = 40


def _windows(text: str) -> list[tuple[int, int]]:
    """Stretches of text around digits, widened to whitespace, merged. Only digits can be
    not-figures, so the patterns run on these stretches instead of the whole text."""
    out: list[tuple[int, int]] = []
    n = len(text)
    pos = 0
    while m := _DIGIT.search(text, pos):  # the first digit after the last window
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
        pos = out[-1][1]
    return out


def not_figure_spans(text: str) -> list[tuple[int, int, str]]:
    """Sorted (start, end, reason) spans of `text` whose digits must not become figures."""
    spans: list[tuple[int, int, str]] = []
    always = [(reason, rx) for reason, rx, t in NOT_FIGURES if t is None]
    # Strings are looked for in the whole text first (`in` is cheap); a regex trigger only in the
    # windows, where finding it costs less than the pattern it saves.
    gated = [(reason, rx, t) for reason, rx, t in NOT_FIGURES
             if t is not None and (not isinstance(t, _Strings) or t.search(text))]
    for a, b in _windows(text):
        for reason, rx in always + [(reason, rx) for reason, rx, t in gated if t.search(text, a, b)]:
            spans.extend((m.start(), m.end(), reason) for m in rx.finditer(text, a, b))
    spans.sort()
    return spans
