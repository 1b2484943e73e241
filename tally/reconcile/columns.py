"""Text tables against the lines around them, and the cells of a row against each other.

    Projects funded: 8, for a total of £596,500          <- 8 rows; the Cost column sums to it
    | ID | Project | Votes | Cost |
    | EM-24-031 | Tree planting | 1,622 | £42,000 | ...

    Programme          Applications  Funded  Success rate
    Discovery Grants   612           118     19.3%          <- 118 / 612 = 19.3%

A table is a run of lines split into cells by "|" or tabs. The line just before it (or just after
it) may state the number of its rows and the total of one of its columns ("pour un total de",
"for a total of", "in all"); a column whose header names a rate ("Success rate", "Taux", "%")
holds the share of the two counts to its left. Ties: a total that matches a column, or a line
that also states the number of rows, is an error when it disagrees; a looser one a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from tally.extract.lexicon import alternation, lexicon
from tally.extract.nouns import singular
from tally.extract.tables.structure_words import TOTAL_CUES, TOTAL_LABELS
from tally.read.language import detect_language
from tally.reconcile.base import WORD, Doc, Result, failing, field_of, fmt, precision_unit, quote, share_result
from tally.settings import ReconcileSettings
from tally.vocabulary import Kind, Qualifier, Relation, Rule, Severity

_SEPARATOR = re.compile(r"\||\t")
_RULE_LINE = re.compile(r"^[\s|:+\-=]*$")
_RATE = re.compile(r"\b(?:rate|taux|share|part|percent(?:age)?|pourcentage)\b|%", re.IGNORECASE)
_SCALE = {"m": 1e6, "M": 1e6, "k": 1e3, "K": 1e3, "000": 1e3, "bn": 1e9, "Md": 1e9}
_HEADER_SCALE = re.compile(r"\((?:[£$€]\s?(m|M|k|K|bn|000)|(m|M|k|K|Md|bn)\s?[£$€]|[€$£]\s?'?(000)s?|(000)s?)\)")
_TOTAL_CUE = re.compile(rf"(?:{alternation(TOTAL_CUES)})\s*:?\s*$", re.IGNORECASE)
MAX_ROWS_CLAIM = 200
SHORT_LINE_WORDS = 12
_NUMBERED = re.compile(r"\s*(?:[^\W\d_][\w'’-]*\s+)?\d+\s*[.)–—-]")


@dataclass
class Table:
    first: int  # 1-based line numbers
    last: int
    header: str | None
    rows: list[int] = field(default_factory=list)  # data rows: lines with figures, no Total row
    cells: dict[int, dict[int, list[dict[str, Any]]]] = field(default_factory=dict)  # line -> cell -> figures


def _is_row(text: str) -> bool:
    return text.count("|") >= 2 or "\t" in text.strip("\n")


def _tables(doc: Doc) -> list[Table]:
    out: list[Table] = []
    n = 1
    while n <= len(doc.lines):
        if not _is_row(doc.lines[n - 1].text):
            n += 1
            continue
        start = n
        while n <= len(doc.lines) and (_is_row(doc.lines[n - 1].text) or
                                       (doc.lines[n - 1].text.strip() and _RULE_LINE.match(doc.lines[n - 1].text))):
            n += 1
        out.append(_table(doc, start, n - 1))
    return [t for t in out if len(t.rows) >= 2]


def _table(doc: Doc, first: int, last: int) -> Table:
    header_line = doc.lines[first - 1]
    figs_in_header = doc.in_span(header_line.start, header_line.end, (Kind.COUNT, Kind.MONEY, Kind.PERCENT))
    table = Table(first, last, None if figs_in_header else header_line.text)
    for n in range(first, last + 1):
        ln = doc.lines[n - 1]
        if _RULE_LINE.match(ln.text) or (n == first and table.header is not None):
            continue
        label = _SEPARATOR.split(ln.text.strip().strip("|"))[0].strip().lower()
        figs = [f for f in doc.in_span(ln.start, ln.end, (Kind.COUNT, Kind.MONEY, Kind.PERCENT, Kind.MEASURE, Kind.OTHER))
                if f["value"] is not None and f["value_max"] is None]
        if not figs or label in TOTAL_LABELS:
            continue
        table.rows.append(n)
        table.cells[n] = {}
        for f in figs:
            table.cells[n].setdefault(len(_SEPARATOR.findall(doc.text, ln.start, f["start"])), []).append(f)
    return table


def _header_cells(table: Table) -> list[str]:
    if table.header is None:
        return []
    cells = _SEPARATOR.split(table.header)
    return [c.strip() for c in cells]


def _column(table: Table, cell: int) -> list[dict[str, Any]] | None:
    """The figures of one column, one per data row, or None when a row has none or several."""
    out = []
    for n in table.rows:
        figs = table.cells[n].get(cell, [])
        if len(figs) != 1:
            return None
        out.append(figs[0])
    return out


def _sums_to(table: Table, value: float) -> bool:
    cells = {c for n in table.rows for c in table.cells[n]}
    return any((col := _column(table, c)) and sum(float(f["value"]) for f in col) == value for c in cells)


def _scale(header: str) -> float:
    m = _HEADER_SCALE.search(header)
    return _SCALE[next(g for g in m.groups() if g)] if m else 1.0


def _near_line(doc: Doc, n: int, step: int) -> int | None:
    """The first non-blank line from line n in direction step (-1 up, 1 down), within 2 lines."""
    for k in range(1, 3):
        m = n + step * k
        if not 1 <= m <= len(doc.lines):
            return None
        if doc.lines[m - 1].text.strip():
            return None if _is_row(doc.lines[m - 1].text) else m
    return None


def _stated_totals(doc: Doc, line_no: int) -> list[dict[str, Any]]:
    ln = doc.lines[line_no - 1]
    return [f for f in doc.in_span(ln.start, ln.end, (Kind.MONEY, Kind.COUNT, Kind.MEASURE))
            if f["value"] is not None and f["value_max"] is None
            and _TOTAL_CUE.search(doc.text, max(ln.start, f["start"] - 30), f["start"])]


def _row_claim(doc: Doc, line_no: int) -> dict[str, Any] | None:
    """The count a line introducing a table opens with ("Projects funded: 8, ...", "11 projets
    lauréats pour ..."): the number of its rows."""
    ln = doc.lines[line_no - 1]
    figs = [f for f in doc.in_span(ln.start, ln.end, (Kind.COUNT, Kind.MONEY)) if f["value"] is not None]
    if not figs or figs[0]["kind"] != Kind.COUNT or figs[0]["qualifier"] != Qualifier.EXACT:
        return None
    f = figs[0]
    if _NUMBERED.match(doc.text, ln.start, f["end"] + 2):
        return None  # "2. HALLAM SOUTH", "Diapo 2 –": a number of a title, not a count of rows
    if not f["head"] and not field_of(doc, f).label and len(ln.text.split()) > SHORT_LINE_WORDS:
        return None
    return f if float(f["value"]).is_integer() and 2 <= f["value"] <= MAX_ROWS_CLAIM else None


def _around(doc: Doc, table: Table, rule: Rule) -> list[Result]:
    out: list[Result] = []
    header = _header_cells(table)
    ncells = max((max(c) for c in table.cells.values() if c), default=-1) + 1
    for line_no in filter(None, (_near_line(doc, table.first, -1), _near_line(doc, table.last, 1))):
        claim = _row_claim(doc, line_no)
        rows = len(table.rows)
        if claim is not None and line_no < table.first and rule == Rule.LIST_TOTAL:
            holds = claim["value"] == rows
            if not holds and _sums_to(table, float(claim["value"])):
                continue  # "Répartition des 35 allocations": the total of a column, not a count of rows
            msg = (f"{quote(doc.lines[line_no - 1].text)} states {fmt(claim['value'])}; the table below has {rows} rows "
                   f"(lines {table.rows[0]}-{table.rows[-1]}; tied by the line that introduces the table)")
            out.append(Result(Rule.LIST_TOTAL, [claim["figure_id"]], float(claim["value"]), float(rows), Relation.EQUALS,
                              holds, failing(holds, Severity.WARNING), msg, int(claim["line"])))
        rows_tie = claim is not None and claim["value"] == rows
        for total in _stated_totals(doc, line_no) if rule == Rule.PART_WHOLE else []:
            if claim is not None and total["figure_id"] == claim["figure_id"]:
                continue
            cols = []
            for cell in range(ncells):
                col = _column(table, cell)
                if col and all(f["kind"] == total["kind"] or f["kind"] in (Kind.COUNT, Kind.OTHER) for f in col) \
                        and (col[0]["unit"] == total["unit"] or col[0]["unit"] is None):
                    scale = _scale(header[cell]) if cell < len(header) else 1.0
                    if total["kind"] == Kind.MONEY and col[0]["kind"] != Kind.MONEY and scale == 1.0:
                        continue  # plain numbers are not amounts unless the header gives the unit
                    cols.append((cell, col, scale))
            out.extend(_column_total(doc, table, total, cols, header, rows_tie))
    return out


def _column_total(doc: Doc, table: Table, total: dict[str, Any], cols: list[tuple[int, list[dict[str, Any]], float]],
                  header: list[str], rows_tie: bool) -> list[Result]:
    stated = float(total["value"])
    sums = [(cell, col, scale, sum(float(f["value"]) for f in col) * scale) for cell, col, scale in cols]
    if not sums:
        return []

    def tolerance(col: list[dict[str, Any]], scale: float) -> float:
        return precision_unit(total) / 2 + sum(precision_unit(f) * scale / 2 for f in col if precision_unit(f) > 1)

    fitting = [s for s in sums if abs(s[3] - stated) <= tolerance(s[1], s[2])]
    if fitting:
        cell, col, _, observed = fitting[0]
        holds, severity = True, Severity.INFO
    elif len(sums) == 1:
        cell, col, _, observed = sums[0]
        holds, severity = False, Severity.ERROR if rows_tie else Severity.WARNING
    else:
        return []
    name = quote(header[cell], 30) if cell < len(header) and header[cell] else f"column {cell + 1}"
    tie = "the line that also states its number of rows" if rows_tie else "a total cue next to the table"
    msg = (f"{quote(total['text'])} (line {total['line']}) {'is' if holds else 'is not'} the sum of the {name} column "
           f"(lines {table.rows[0]}-{table.rows[-1]}): {fmt(observed)} (tied by {tie})")
    return [Result(Rule.PART_WHOLE, [total["figure_id"]] + [f["figure_id"] for f in col], stated, observed,
                   Relation.EQUALS, holds, severity, msg, int(total["line"]))]


def _row_rates(doc: Doc, table: Table, settings: ReconcileSettings) -> list[Result]:
    """A rate column: each row's percent against the two counts just left of it (later / earlier)."""
    header = _header_cells(table)
    out = []
    for cell, name in enumerate(header):
        if not _RATE.search(name) or cell < 2:
            continue
        for n in table.rows:
            cells = table.cells[n]
            p = cells.get(cell, [])
            a, b = cells.get(cell - 2, []), cells.get(cell - 1, [])
            if len(p) != 1 or len(a) != 1 or len(b) != 1 or p[0]["kind"] != Kind.PERCENT:
                continue
            whole, part = a[0], b[0]
            if Kind.COUNT not in (whole["kind"],) or part["kind"] != Kind.COUNT or not whole["value"] \
                    or part["value"] > whole["value"]:
                continue
            what = (f"{quote(header[cell - 1], 30)} / {quote(header[cell - 2], 30)} on line {n} "
                    f"({fmt(part['value'])} / {fmt(whole['value'])})")
            out.append(share_result(p[0], part, whole, settings.percent_tolerance, what, f"the column {quote(name, 30)}"))
    return out


def row_counts(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    """Part of `list_total`: the count a line introducing a table states against its rows."""
    return [r for table in doc.derived(_tables) for r in _around(doc, table, Rule.LIST_TOTAL)]


def column_totals(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    """Part of `part_whole`: a total stated next to a table against one of its columns."""
    return [r for table in doc.derived(_tables) for r in _around(doc, table, Rule.PART_WHOLE)]


def row_rates(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    """Part of `percent_of`: a rate column against the two counts left of it."""
    return [r for table in doc.derived(_tables) for r in _row_rates(doc, table, settings)]




def named_column_totals(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    """Part of `part_whole`: a count column whose header names a noun ("Sièges au conseil
    municipal": 15, 4) against the counts of that noun the text states elsewhere ("Le conseil
    municipal, qui compte 19 sièges"). Nothing ties the table to that sentence but the noun, so a
    check is made only where the column adds up to the one value those counts state (info)."""
    lex = lexicon(detect_language(doc.text[:5000]))
    heads: dict[str, list[dict[str, Any]]] = {}
    for f in doc.figures:
        if f["kind"] == Kind.COUNT and f["head"] and f["value"] is not None and f["value_max"] is None:
            heads.setdefault(f["head"], []).append(f)
    out = []
    for table in doc.derived(_tables):
        header = _header_cells(table)
        for cell, name in enumerate(header):
            words = WORD.findall(name.lower())
            col = _column(table, cell) if words else None
            if not col or any(f["kind"] != Kind.COUNT for f in col):
                continue
            noun = singular(words[0], lex)
            total = sum(float(f["value"]) for f in col)
            stated = [w for w in heads.get(noun, []) if not (table.first <= w["line"] <= table.last)]
            if not stated or {float(w["value"]) for w in stated} != {total}:
                continue
            w = stated[0]
            terms = " + ".join(fmt(f["value"]) for f in col)
            msg = (f"the {quote(name, 40)} column (lines {table.rows[0]}-{table.rows[-1]}): {terms} = {fmt(total)} "
                   f"agrees with {quote(w['text'] + ' ' + (w['counted'] or ''))} (line {w['line']}; tied by the noun "
                   f"of its header, weakly)")
            out.append(Result(Rule.PART_WHOLE, [w["figure_id"]] + [f["figure_id"] for f in col], float(w["value"]), total,
                              Relation.EQUALS, True, Severity.INFO, msg, int(w["line"])))
    return out
