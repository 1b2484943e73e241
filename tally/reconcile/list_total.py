"""`list_total`: a stated count of items ("five priority actions", "15 popular ideas around 6
themes") against the items enumerated after it, counted by marker, and the headings that group them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from tally.extract.tables.structure_words import GROUP_NOUNS
from tally.read.blocks import Block
from tally.reconcile.base import Doc, Result, failing, fmt, quote
from tally.settings import ReconcileSettings
from tally.vocabulary import Relation, Rule, Severity

RULE = Rule.LIST_TOTAL
MAX_LABEL_WORDS = 8  # a longer heading inside a list region is a new section, not a group label
MAX_GAP_BLOCKS = 3  # short blocks (logos, captions) between a claim and its list


@dataclass
class Region:
    items: list[Block]
    headings: list[Block]
    first: int  # index of the region's first block
    last: int

    def by_marker(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for b in self.items:
            counts[b.marker or "-"] = counts.get(b.marker or "-", 0) + 1
        return counts


def _is_label(b: Block) -> bool:
    t = b.text.strip()
    return len(t.split()) <= MAX_LABEL_WORDS and not any(ch in t for ch in ":?!.")


def _region(blocks: list[Block], start: int, stop_level: int | None = None) -> Region | None:
    """The list region beginning at or after block `start`: items and the label headings among
    them, up to a heading at `stop_level` or above (the level of the heading that announced it)."""
    i, gap = start, 0
    while i < len(blocks) and blocks[i].kind not in ("list_item", "heading") and gap < MAX_GAP_BLOCKS:
        if blocks[i].kind != "paragraph" or len(blocks[i].text.split()) > 4:
            return None
        i, gap = i + 1, gap + 1
    items: list[Block] = []
    headings: list[Block] = []
    first = i
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "list_item" and items and b.level < items[0].level:
            break  # an item less indented than the first ("2. Proposal (a)" after "   a) ...") opens a new part
        if b.kind == "list_item":
            items.append(b)
        elif b.kind == "heading" and stop_level is not None and b.level <= stop_level:
            break
        elif b.kind == "heading" and _is_label(b):
            headings.append(b)
        elif b.kind == "paragraph" and len(b.text.split()) <= 4 and not items:
            pass  # a caption before the first item
        else:
            break
        i += 1
    if not items:
        return None
    # a trailing heading without items belongs to what follows
    while headings and headings[-1].start > items[-1].start:
        headings.pop()
    return Region(items, headings, first, i - 1)


_SENTENCE_BREAK = re.compile(r"[.!?][\s\ue000-\uf8ff•]+[A-Z0-9]")
SHORT_BLOCK_WORDS = 15


def _announces(b: Block, figs: list[dict[str, Any]]) -> bool:
    """A block that can announce the list after it: a heading, a short line, an intro ending
    with ":", or one sentence that opens with the count ("15 proposals organized by ...")."""
    text = b.text.strip()
    if b.kind == "heading" or len(text.split()) <= SHORT_BLOCK_WORDS or text.endswith(":"):
        return True
    return bool(figs) and figs[0]["start"] - b.start < 40 and not _SENTENCE_BREAK.search(text)


def _tie(b: Block, figs: list[dict[str, Any]]) -> str:
    """How a block ties its counts to the list after it: a heading, a line ending with a colon,
    one sentence that opens with the count ("15 proposals organized by ..."), or only nearness."""
    text = b.text.strip()
    if b.kind == "heading":
        return "heading"
    if text.endswith(":"):
        return "colon"
    if figs and len(text[: figs[0]["start"] - b.start].split()) <= 1 and not _SENTENCE_BREAK.search(text):
        return "opens"  # "15 proposals organized by ...", "Our 4 priorities ...": the count is the subject
    return "near"


def _claim_figures(doc: Doc, start: int, end: int, settings: ReconcileSettings) -> list[dict[str, Any]]:
    return [f for f in doc.in_span(start, end)
            if f["qualifier"] == "exact" and 2 <= (f["value"] or 0) <= settings.list_total_max
            and float(f["value"]).is_integer() and f["head"]]


def _in_parentheses(text: str, f: dict[str, Any], block_start: int) -> bool:
    """"(until 8 pm)", "(64 cores each)": an aside, not what announces a list."""
    before = text[max(block_start, f["start"] - 300) : f["start"]]  # bounded: one block may be 50 MB
    return before.rfind("(") > before.rfind(")")


def _has_claim(doc: Doc, b: Block, settings: ReconcileSettings) -> bool:
    return bool(_claim_figures(doc, b.start, b.end, settings))


def _claims(doc: Doc, blocks: list[Block], region_first: int, settings: ReconcileSettings) -> list[dict[str, Any]]:
    """Count figures in the blocks just before a region: the heading or lines that announce it."""
    out: list[dict[str, Any]] = []
    j = region_first - 1
    while j >= 0 and region_first - j <= 6:
        b = blocks[j]
        if b.kind in ("list_item", "table_row", "stat"):
            break
        start = b.start
        if b.text.rstrip().endswith(":") and len(b.text.split()) > SHORT_BLOCK_WORDS:
            start = max(b.start + b.text.rfind("\n") + 1, b.start)  # an intro line at the end of a paragraph
            tail = doc.text[start : b.end]
            cut = max(tail.rfind(". "), tail.rfind("! "), tail.rfind("? "))
            start += cut + 2 if cut >= 0 else 0
        found = [f for f in _claim_figures(doc, start, b.end, settings) if not _in_parentheses(doc.text, f, b.start)]
        tie = _tie(b, found)
        figs = [{**f, "_in_heading": b.level if b.kind == "heading" else 0, "_tie": tie} for f in found]
        if not _announces(b, figs):
            break
        out = figs + out
        if b.kind == "heading":
            break
        j -= 1
    return out


def check(doc: Doc, settings: ReconcileSettings) -> list[Result]:
    results: list[Result] = []
    blocks = doc.blocks
    done: set[int] = set()
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind not in ("list_item", "heading") or i in done or (b.kind == "heading" and _has_claim(doc, b, settings)):
            i += 1
            continue
        above = next((blocks[j] for j in range(i - 1, max(-1, i - 7), -1) if blocks[j].kind == "heading"), None)
        stop_level = above.level if above is not None and _has_claim(doc, above, settings) else None
        region = _region(blocks, i, stop_level)
        if region is None:
            i += 1
            continue
        claims = _claims(doc, blocks, region.first, settings)
        results.extend(_compare(doc, claims, region))
        done.update(range(region.first, region.last + 1))
        i = region.last + 1
    return results


def _compare(doc: Doc, claims: list[dict[str, Any]], region: Region) -> list[Result]:
    out: list[Result] = []
    markers = region.by_marker()
    # a count of groups ("6 themes"), or a count in a heading above sub-headings ("## Our 3
    # programmes" over "### Research", ...), is checked against the region's headings
    grouped = bool(region.headings)

    def counts_groups(c: dict[str, Any]) -> bool:
        in_heading = c.get("_in_heading", 0)
        deeper = in_heading and all(h.level > in_heading for h in region.headings)
        return grouped and (c["head"] in GROUP_NOUNS or bool(deeper))

    group_claims = [c for c in claims if counts_groups(c)]
    item_claims = [c for c in claims if not counts_groups(c)]
    first_line = doc.line_of(region.items[0].start)
    last_line = doc.line_of(region.items[-1].start)
    where = f"lines {first_line}-{last_line}"
    for c in group_claims:
        observed = len(region.headings)
        if observed == 0:
            continue
        names = ", ".join(quote(h.text, 30) for h in region.headings[:6])
        out.append(_result(doc, c, observed, f"headings under it ({where}: {names})"))
    if len(item_claims) > 1 and len(item_claims) == len(markers) > 1:
        for c, (marker, n) in zip(item_claims, markers.items(), strict=True):
            out.append(_result(doc, c, n, f"items marked {marker} ({where})"))
        return out
    total = len(region.items)
    detail = " + ".join(f"{n} {m}" for m, n in markers.items()) if len(markers) > 1 else ""
    # "18 ideas around 5 themes" over 5 headings: the groups that match confirm the list is the
    # one the line announces, so its count of items is tied as tightly as by a colon
    if any(r.holds for r in out):
        item_claims = [{**c, "_tie": "groups"} if c.get("_tie") == "near" else c for c in item_claims]
    items = [_result(doc, c, total, f"list items ({where}{'; ' + detail if detail else ''})", _strong(c, item_claims))
             for c in item_claims]
    if any(r.holds for r in items):  # the list is the one a count announces: the other counts are not claims
        items = [r for r in items if r.holds]
    return out + items


def _strong(claim: dict[str, Any], claims: list[dict[str, Any]]) -> bool:
    """An error needs a tight tie: the one count (however often restated) of a heading, of a line
    that introduces the list with a colon, of the sentence it opens, or of a line whose count of
    groups matches the list's headings. Several counts before a list, or a sentence that merely
    stands near it, tie it weakly."""
    stated = {(c["value"], c["head"]) for c in claims}  # "Five Priority Actions" over "the five priority actions:"
    return len(stated) == 1 and claim.get("_tie") in ("heading", "colon", "opens", "groups")


def _result(doc: Doc, claim: dict[str, Any], observed: int, what: str, strong: bool = True) -> Result:
    stated = float(claim["value"])
    holds = stated == observed
    verb = "matches" if holds else "does not match"
    tie = {"heading": "the heading above the list", "colon": "the line that introduces the list with a colon",
           "opens": "the sentence it opens, just before the list",
           "groups": "the line just before the list, whose count of groups matches its headings"}.get(
        claim.get("_tie", ""), "a line just before the list")
    msg = (f"{quote(claim['sentence'])} states {fmt(stated)} {claim['counted']}; "
           f"{verb} the {observed} {what} (tied by {tie})")
    return Result(RULE, [claim["figure_id"]], stated, float(observed), Relation.EQUALS, holds,
                  failing(holds, Severity.ERROR if strong else Severity.WARNING), msg, int(claim["line"]))
