"""What a figure counts when the noun is not right after it: label-first fields ("Votes: 1,204"),
coordinated and elided nouns ("812 votes, Jones at 640 and Lee at 97"), shares of an earlier
noun ("9,500 visitors attended, 62% from abroad"; "21 réunions, dont sept") and the purpose of a
sum ("$50,000 as prizes", "12 millions d'euros seront investis dans les écoles").
"""

from __future__ import annotations

import re

from tally.extract.lexicon import Lexicon, alternation
from tally.extract.nouns import WORD, counted_after, is_plural, singular
from tally.extract.scan import Figure
from tally.extract.tables.news import (
    ELIDED_AFTER,
    ELISION_LINKS,
    ELISION_QUALIFIERS,
    LABEL_NOT_COUNTED,
    LABEL_NUMBER_WORDS,
    LABEL_PARTICIPLES,
    LABEL_PREPOSITIONS,
    MONEY_PURPOSE_AFTER_VERB,
    MONEY_PURPOSE_AUX,
    MONEY_PURPOSE_DIRECT,
    MONEY_PURPOSE_VERB_STEMS,
    MONEY_PURPOSE_VERBS,
    PURPOSE_DETERMINERS,
)
from tally.extract.tables.structure_words import STAGE_WORDS
from tally.read.context import TextIndex

# "Votes: 1,204", "- Coût : 85 000 €", "Attendance: 3,400 | Sessions: 56": a label of one to four
# words and a colon, at the start of a line or after a separator, right before the figure.
_LABEL = re.compile(
    r"(?:^|[.;|•·,(]|\s[-–—])[ \t*_#>-]*(?P<label>[^\W\d_][\w'’&/-]*(?:[ \t]+[^\W\d_][\w'’&/-]*){0,3})[ \t*_]*:[ \t*_]*$",
    re.MULTILINE,
)
LABEL_REACH = 80
_DET_WORDS = [d for d in PURPOSE_DETERMINERS if not d.endswith(("'", "’"))]
_DET = rf"(?:(?:{alternation(_DET_WORDS)})[ \t]+|l['’])?"
_PURPOSE_VERB = re.compile(
    rf"[ \t,]+(?:(?:{alternation(MONEY_PURPOSE_AUX)})[ \t]+)?(?:{alternation(MONEY_PURPOSE_VERBS)})[ \t]+"
    rf"(?:{alternation(MONEY_PURPOSE_AFTER_VERB)})[ \t]+{_DET}(?=[^\W\d_])",
    re.IGNORECASE,
)
_STRONG = [w for w in MONEY_PURPOSE_DIRECT if w not in ("for", "pour")]
_PURPOSE_DIRECT = re.compile(rf"[ \t]+(?:{alternation(_STRONG)})[ \t]+{_DET}(?=[^\W\d_])", re.IGNORECASE)
_PURPOSE_TO = re.compile(rf"[ \t]+(?:à|aux|au|to)[ \t]+{_DET}(?=[^\W\d_])", re.IGNORECASE)
_SPEND_VERB = re.compile(rf"\b(?:{alternation(MONEY_PURPOSE_VERB_STEMS)})\w*[ \t]+(?:\S+[ \t]+){{0,3}}$", re.IGNORECASE)
_PURPOSE_FOR = re.compile(rf"[ \t]+(?:for|pour)[ \t]+{_DET}(?=[^\W\d_])", re.IGNORECASE)
# "12 teams of five", "groupes de 4": a size, not a count of the noun before it.
_SIZE_BEFORE = re.compile(r"(?:\b(?:of|de|by|par)|[x×])[ \t]*$", re.IGNORECASE)
_LINKED = re.compile(
    rf"(?:[,;(]|\b(?:{alternation(ELISION_LINKS)})|\b[A-Z][\w'’-]*|['’]s?)[ \t\n]+"
    rf"(?:(?:{alternation(ELISION_QUALIFIERS)})[ \t]+)?$"
    rf"|[,;(][ \t\n]*$",
)
_OF_PLACE = re.compile(r"[ \t]+(?:d['’]|de[ \t]+|from[ \t]+)(?=[A-Z])")
_POSSESSIVE = re.compile(r"[^\W\d_]['’]s?[ \t]+$")
ELISION_REACH = 400
_ELISION = re.compile(r"^[dDlL]['’]")


def label_first(index: TextIndex, a: int, lex: Lexicon) -> tuple[str | None, str | None]:
    """The label of a "Label: N" field ending right before `a`, and its head noun: "Votes: 1,204"
    -> ("Votes", "vote"); "Number of votes: 1,204" -> ("votes", "vote"); "Taux de participation : 45 %"
    -> ("Taux de participation", "taux"); "Projects funded: 8" -> ("Projects funded", "project")."""
    ls, _ = index.line_span(a)
    m = _LABEL.search(index.text, max(ls, a - LABEL_REACH), a)
    if m is None:
        return None, None
    label = m.group("label")
    words = [_ELISION.sub("", w) for w in WORD.findall(label)]
    low = [w.lower() for w in words]
    if len(low) >= 3 and low[0] in LABEL_NUMBER_WORDS and low[1] in LABEL_PREPOSITIONS:
        words, low = words[2:], low[2:]
        label = " ".join(words)
    elif len(low) >= 2 and low[0] in LABEL_NUMBER_WORDS and _ELISION.match(label.split()[1]):
        words, low = words[1:], low[1:]
        label = " ".join(words)
    cut = next((i for i, w in enumerate(low) if w in LABEL_PREPOSITIONS or w in lex.stopwords), len(low))
    core = list(words[:cut])
    while len(core) > 1 and (core[-1].lower().endswith("ed") or core[-1].lower() in STAGE_WORDS
                             or core[-1].lower() in LABEL_PARTICIPLES):
        core.pop()  # "Projects funded", "Dossiers retenus"
    if not core:
        return None, None
    head = core[-1].lower()
    if head in LABEL_NOT_COUNTED or head in lex.stopwords or lex.month(head) is not None:
        return None, None
    return " ".join(label.split()), singular(head, lex)


_FIELD_LINE = re.compile(r"^[^\n:]{1,60}:[ \t*_]*\S")
_RESULT_ROW = re.compile(r"\d{3}|[|\t]")
TITLE_REACH = 2000  # characters of a line above read as a possible title
TITLE_LOOKUP_LINES = 8
TITLE_MAX_CHARS = 40


def item_title(index: TextIndex, a: int) -> str | None:
    """The short title a field belongs to when fields repeat down a list of items: "Project A" /
    "Votes: 812" / "Cost: $40,000"; "AREA 1" / (blank) / "Ballots cast: 3,214". Walks up over the
    item's other fields and at most one blank line; None when the line above is prose or an intro."""
    text = index.text
    ls, _ = index.line_span(a)
    blanks = 0
    for _ in range(TITLE_LOOKUP_LINES):
        if ls == 0:
            return None
        prev_start = text.rfind("\n", max(0, ls - 1 - TITLE_REACH), ls - 1) + 1
        if prev_start == 0 and ls - 1 > TITLE_REACH:
            return None  # a line that long is no title (and one line may be 50 MB)
        line = text[prev_start : ls - 1].strip(" \t*_#-•")
        ls = prev_start
        if not line:
            blanks += 1
            if blanks > 1:
                return None
            continue
        if _FIELD_LINE.match(line):
            continue
        if (len(line) > TITLE_MAX_CHARS or line.endswith((".", ":", "?", "!", ";", ",")) or len(line.split()) > 5
                or _RESULT_ROW.search(line)):
            return None  # prose, an intro, or a row of results ("Frank Ibbotson Independent 301")
        return " ".join(line.split())
    return None


def money_purpose_verb(text: str, b: int, lex: Lexicon) -> tuple[str | None, str | None]:
    """A purpose stated with a verb right after the sum, which wins over the words after it:
    "$40,000 went to prizes", "5 M€ investis dans la recherche"."""
    m = _PURPOSE_VERB.match(text, b)
    return counted_after(text, m.end(), lex, follow_copula=False) if m else (None, None)


def ends_line(text: str, b: int) -> bool:
    """Nothing but spaces and punctuation between `b` and the end of its line."""
    nl = text.find("\n", b, b + 200)
    return nl >= 0 and not text[b:nl].strip(" \t.,;*_|")


def money_purpose(text: str, a: int, b: int, lex: Lexicon, *, weak: bool = False) -> tuple[str | None, str | None]:
    """What a sum ending at `b` pays for, stated after it: "$50,000 as prizes", "€2m will be spent on
    roads", "12 millions d'euros seront investis dans les écoles", after a spending verb "consacre
    500 000 € à la rénovation";
    with `weak`, also "for"/"pour" ("1,5 million d'euros pour les routes")."""
    m = _PURPOSE_VERB.match(text, b) or _PURPOSE_DIRECT.match(text, b) or (_PURPOSE_FOR.match(text, b) if weak else None)
    if m is None and (to := _PURPOSE_TO.match(text, b)) and _SPEND_VERB.search(text, max(0, a - 60), a):
        m = to
    if m is None:
        return None, None
    return counted_after(text, m.end(), lex, follow_copula=False)


def _elided(f: Figure, lex: Lexicon, text: str = "") -> bool:
    """A count or share whose noun is left out: "Jones at 640", "45 against", "62% from abroad"."""
    if f.kind not in ("count", "percent"):
        return False
    if f.counted is None:
        return True
    words = f.counted.lower().split()
    if len(words) > 1:  # "75 of them women" counts women; "half of them online" the sessions before
        return words[0] in ELIDED_AFTER and not is_plural(words[-1], lex)
    word = words[0]
    if f.counted[:1].isupper() and _OF_PLACE.match(text, f.end):  # "80 d'Espagne": a place, not a noun
        return True
    # "25% led by women", "85% passed": a participle after a share, not its noun
    return word in ELIDED_AFTER or (f.kind == "percent" and word.endswith("ed"))


def _one_flow(text: str, a: int, b: int) -> bool:
    """No paragraph or field break between a and b: a line break only inside a wrapped sentence
    (after a word or a comma), not after "Projects on the ballot: 27"."""
    i = text.find("\n", a, b)
    while i >= 0:
        before = text[a:i].rstrip(" \t")
        if not before or not (before[-1].isalpha() or before[-1] == ","):
            return False
        i = text.find("\n", i + 1, b)
    return True


def fill_coordinated(text: str, index: TextIndex, figures: list[Figure], lex: Lexicon) -> None:
    """A count or share with its noun left out counts the noun of the last count before it in the
    same sentence, or after a possessive anywhere near ("Jones's 640"): "Smith finished with 812
    votes, Jones at 640 and Lee at 97" (votes); "Of the 300 replies received, 240 (80%) were in
    favour" (replies); "21 réunions, dont sept en ligne" (réunions)."""
    prev: Figure | None = None
    for f in figures:
        if (prev is not None and _elided(f, lex, text) and f.start - prev.end <= ELISION_REACH
                and _one_flow(text, prev.end, f.start) and not _SIZE_BEFORE.search(text, max(0, f.start - 6), f.start)
                and _LINKED.search(text, max(prev.end, f.start - 40), f.start)):
            same = index.sentence_span(prev.start) == index.sentence_span(f.start)
            if same or _POSSESSIVE.search(text, max(0, f.start - 30), f.start):
                f.counted, f.head = prev.counted, prev.head
                continue
        if f.kind == "count" and f.head is not None:
            prev = f
