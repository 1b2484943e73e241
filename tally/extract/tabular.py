"""What a figure in a table row or a short list item counts, from the row label and the line
that introduces the table ("Here is a breakdown of the number of tickets sold:")."""

from __future__ import annotations

import re

from tally.extract.lexicon import Lexicon
from tally.extract.nouns import WORD, counted_after, singular
from tally.read.structure import Line

_CELL_SPLIT = re.compile(r"\s*\|\s*")
_INTRO_OF = re.compile(
    r"\b(?:of|de|des|du)\s+(?:the\s+|les\s+|la\s+)?(?:(?:number|total|nombre)\s+(?:of|de|d['’])\s*)?", re.IGNORECASE
)
_DETERMINERS = re.compile(r"\b(?:here\s+(?:is|are)|voici)\s+(?:the\s+|les\s+|a\s+|an\s+)?", re.IGNORECASE)
_TIMES = re.compile(r"\s*[×xX*]\s*")
MAX_LOOKBACK_LINES = 40


def row_label(line: str) -> str | None:
    """The first cell of a table row that holds no digit ("Regular", "Student/Unwaged")."""
    for cell in _CELL_SPLIT.split(line.strip().strip("|")):
        cell = cell.strip()
        if cell and not any(ch.isdigit() for ch in cell):
            return " ".join(cell.split())
    return None


def intro_subject(text: str, lines: list[Line], i: int, lex: Lexicon) -> tuple[str | None, str | None]:
    """The noun phrase of the line that introduces the table or list holding line `i`."""
    j = i - 1
    steps = 0
    while j >= 0 and steps < MAX_LOOKBACK_LINES and lines[j].kind in ("table", "border", "blank", "list"):
        j -= 1
        steps += 1
    if j < 0:
        return None, None
    ln = lines[j]
    body = ln.text.strip()
    if ln.kind == "heading" or body.endswith(":"):
        body = body.rstrip(":").strip()
        of = list(_INTRO_OF.finditer(body))
        pos = ln.start + (ln.text.find(body) if body in ln.text else 0)
        det = _DETERMINERS.search(body)
        start = pos + (of[-1].end() if of else det.end() if det else 0)
        phrase, head = counted_after(text, start, lex)
        if phrase and phrase.lower() in ("other", "following"):
            return None, None
        return phrase, head
    return None, None


def table_counted(text: str, lines: list[Line], i: int, kind: str, lex: Lexicon) -> tuple[str | None, str | None]:
    """counted/head of a count or money cell in table row `i`."""
    label = row_label(lines[i].text)
    subject, head = intro_subject(text, lines, i, lex)
    if label is None:
        return subject, head
    if subject is None or head is None:
        words = WORD.findall(label)
        return label, singular(words[-1], lex) if words else None
    if kind == "money":
        return f"{label} {head} price", "price"
    return f"{label} {subject}", head


def times_counted(text: str, lines: list[Line], i: int, kind: str, money_text: str,
                  lex: Lexicon) -> tuple[str | None, str | None]:
    """"4 × £5,000" in a list introduced by "the sponsorship received:": 4 sponsorships of £5,000."""
    subject, head = intro_subject(text, lines, i, lex)
    if subject is None:
        return None, None
    if kind == "money":
        return subject, head
    return f"{subject} of {money_text}", head


def times_pair(line: str) -> re.Match[str] | None:
    """A list item of the form "N × amount"."""
    return re.match(r"^\s*(?:[-•*]\s+)?(\d[\d,. ]*)\s*[×xX*]\s*(\S.*?)\s*$", line)
