"""What a figure counts: the noun phrase after (or, in stat blocks, around) a number, and its head."""

from __future__ import annotations

import re

from tally.extract.lexicon import Lexicon

WORD = re.compile(r"[^\W\d_](?:[\w&'’/]|-(?=\w))*")
_GAP = re.compile(r"[ \t\u00a0\u202f*_]*(?:\n[ \t\u00a0\u202f*_]*)?")
_BLANKS = re.compile(r"\s*")
_DETS = r"the|our|their|its|these|those|all|les|la|le|l['’]|nos|ses|leurs|ces"
_OF = re.compile(rf"\s*(?:(?:of|de|des|du)\b|d['’])\s*(?P<det>(?:{_DETS})\s+)?", re.IGNORECASE)
_OF_NUMBER = re.compile(r"\s*(?:of|sur|parmi)\s+(?:the\s+|les\s+)?\d[\d,.\s\u00a0\u202f]*?(?=\s*[^\W\d_])", re.IGNORECASE)
_COPULA = re.compile(r"\s+(?:were|are|was|is|sont|étaient|furent)\s+", re.IGNORECASE)
MAX_WORDS = 5


def singular(word: str, lex: Lexicon) -> str:
    w = word.lower().strip("'’")
    if w in lex.irregular_singular:
        return lex.irregular_singular[w]
    if "/" in w:
        return "/".join(singular(p, lex) for p in w.split("/"))
    if w in lex.singular_s or len(w) <= 3:
        return w
    if lex.lang == "fr":
        if w.endswith(("eaux", "eux")):
            return w[:-1]
        if w.endswith("aux") and len(w) > 4:
            return w[:-3] + "al"
        return w[:-1] if w.endswith(("s", "x")) and not w.endswith(("ss", "us")) else w
    if w.endswith("es") and w[:-2] in lex.singular_s:
        return w[:-2]  # buses, campuses, viruses
    for suf, rep in (("ies", "y"), ("sses", "ss"), ("ches", "ch"), ("shes", "sh"), ("xes", "x"), ("zzes", "zz")):
        if w.endswith(suf) and len(w) > len(suf) + 1:
            return w[: -len(suf)] + rep
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def is_plural(word: str, lex: Lexicon) -> bool:
    w = word.lower()
    if w in lex.irregular_singular:
        return True
    return singular(w, lex) != w


def _plural_follows(text: str, pos: int, lex: Lexicon) -> bool:
    gap = _GAP.match(text, pos)
    nxt = WORD.match(text, gap.end()) if gap and "\n" not in gap.group() else None
    return bool(nxt) and nxt.group().lower() not in lex.stopwords and is_plural(nxt.group(), lex)  # type: ignore[union-attr]


def _phrase(text: str, pos: int, lex: Lexicon, *, cross_lines: bool) -> tuple[str | None, int]:
    """Words from `pos` that form the counted noun phrase; returns (phrase, end)."""
    words: list[tuple[int, int]] = []
    i = pos
    while len(words) < MAX_WORDS:
        gap = _GAP.match(text, i)
        assert gap is not None
        if "\n" in gap.group() and not cross_lines:
            break
        m = WORD.match(text, gap.end())
        if not m:
            break
        w = m.group()
        if w.lower() in lex.stopwords or w.lower().strip("'’") in lex.stopwords:
            break
        if words and w.lower().endswith("ed") and not text[words[-1][0] : words[-1][1]].lower().endswith("ly"):
            break  # "applications received", "audience stayed"; but "recently created clusters"
        words.append((m.start(), m.end()))
        i = m.end()
        if w.endswith(("'s", "’s", "s'", "s’")):
            continue  # a possessive modifies the next noun: "3 ministers' meetings"
        if w.lower() in lex.prenominal:
            continue  # "trois nouveaux partenaires"
        # the first plural noun ends the phrase; "women speakers" goes on
        if is_plural(w, lex) and not w.isupper() and (w.lower() not in lex.plural_modifiers
                                                      or not _plural_follows(text, i, lex)):
            break
    if not words:
        return None, pos
    return text[words[0][0] : words[-1][1]], words[-1][1]


_FIELD_BEFORE = re.compile(r"[\t|]|:\s")
FIELD_REACH = 80  # characters back from a figure to a field's separator (bounded: one line may be 50 MB)


def counted_after(text: str, pos: int, lex: Lexicon, *, alone_on_line: bool = False,
                  follow_copula: bool = True) -> tuple[str | None, str | None]:
    """The noun phrase a figure ending at `pos` counts, and its head noun (singular, lower case).

    "94 speakers across ..." -> ("speakers", "speaker"); "22% of STEM jobs" -> ("STEM jobs", "job");
    a number alone on its line takes the next non-empty line as its label ("11,661" / "participants").
    """
    start = pos
    determiner = False
    of = _OF.match(text, start)
    if of and of.end() > start and not re.match(r"\s*\d", text[of.end() : of.end() + 3]):
        start, determiner = of.end(), bool(of.group("det"))
    elif ofn := _OF_NUMBER.match(text, start):  # "8 of the 20 projects"
        start = ofn.end()
    if alone_on_line:
        blanks = _BLANKS.match(text, start)
        assert blanks is not None
        start = blanks.end()
    # a field's value ("Applications funded<TAB>263", "Votes: 1,204") names nothing on the next line
    field = _FIELD_BEFORE.search(text, max(text.rfind("\n", max(0, pos - FIELD_REACH), pos) + 1, pos - FIELD_REACH), pos)
    phrase, end = _phrase(text, start, lex, cross_lines=not field)
    copula = _COPULA.match(text, end if phrase else start)
    if copula and follow_copula and (phrase is None or determiner):
        # "of whom 103 were women", "130 of our attendees were students"
        after, _ = _phrase(text, copula.end(), lex, cross_lines=False)
        if after is not None and is_plural(WORD.findall(after)[-1], lex):
            phrase = after
    if phrase is None:
        return None, None
    last = WORD.findall(phrase)[-1]
    return " ".join(phrase.split()), singular(last, lex)


def label_before(text: str, line_start: int, lex: Lexicon) -> tuple[str | None, str | None]:
    """For a number alone on its line, a short label on the line above ("Participants" / "11,661")."""
    prev_end = text.rfind("\n", 0, max(0, line_start - 1))
    prev = text[prev_end + 1 : line_start].strip()
    words = WORD.findall(prev)
    if not prev or len(words) > 4 or any(ch.isdigit() for ch in prev) or prev.endswith((".", ":", "?")):
        return None, None
    if not words or words[-1].lower() in lex.stopwords:
        return None, None
    return " ".join(prev.split()), singular(words[-1], lex)
