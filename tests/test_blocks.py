"""Document structure: headings, list items and markers, stat blocks, table rows, paragraphs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tally.read.blocks import blocks, blocks_frame, marker_of

MARKDOWN = """# Annual report

## Highlights

We funded 48 projects.

## Programmes

### Research

- Climate data
- Open hardware

### Education

1. Summer schools
2. Teacher training
"""

SLIDES = """ Summit in numbers

12,450
participants

86
countries

 Seven tracks
• AI & health
• AI & climate
"""

WEB_PAGE = """Home | News | Contact

Press release
City opens 3 new libraries
The city opened three libraries on Monday, bringing the network to 24 sites across all districts of the town.
Opening hours:
- Monday to Friday: 9 am to 7 pm
- Saturday: 10 am to 6 pm
"""

RST = """2015 in numbers
===============

Tickets sold
------------

Here is a breakdown:

+---------+-----+
| Regular | 112 |
+---------+-----+
"""


def kinds(text: str) -> list[tuple[str, str | None, str]]:
    return [(b.kind, b.marker, b.text.splitlines()[0].strip()) for b in blocks(text)]


def test_markdown_headings_nest() -> None:
    bs = blocks(MARKDOWN)
    heads = [(b.text, b.level, b.heading) for b in bs if b.kind == "heading"]
    assert heads == [("# Annual report", 1, None), ("## Highlights", 2, "Annual report"),
                     ("## Programmes", 2, "Annual report"), ("### Research", 3, "Annual report > Programmes"),
                     ("### Education", 3, "Annual report > Programmes")]
    items = [(b.marker, b.heading) for b in bs if b.kind == "list_item"]
    assert items == [("-", "Annual report > Programmes > Research")] * 2 + [
        ("1.", "Annual report > Programmes > Education")] * 2


def test_slide_deck_stat_blocks_and_bullets() -> None:
    assert kinds(SLIDES) == [
        ("heading", None, "Summit in numbers"), ("stat", None, "12,450"), ("stat", None, "86"),
        ("heading", None, "Seven tracks"), ("list_item", "•", "• AI & health"), ("list_item", "•", "• AI & climate"),
    ]
    stat = blocks(SLIDES)[1]
    assert (stat.line_start, stat.line_end) == (3, 4)


def test_web_page_title_lines_and_lists() -> None:
    got = kinds(WEB_PAGE)
    assert ("heading", None, "City opens 3 new libraries") in got
    assert [k for k in got if k[0] == "list_item"] == [("list_item", "-", "- Monday to Friday: 9 am to 7 pm"),
                                                       ("list_item", "-", "- Saturday: 10 am to 6 pm")]


def test_rst_underlined_headings_and_grid_tables() -> None:
    bs = blocks(RST)
    assert [(b.text.splitlines()[0], b.level) for b in bs if b.kind == "heading"] == [
        ("2015 in numbers", 1), ("Tickets sold", 2)]
    assert [b.text for b in bs if b.kind == "table_row"] == ["| Regular | 112 |"]


@pytest.mark.parametrize(("line", "marker"), [
    ("- ♥ Train the population", "♥"), ("- ⚡ Integrate AI", "⚡"), ("• Scientists strive", "•"),
    ("* item", "*"), ("12. twelfth", "1."), ("a) first", "a."), ("➨ A declaration", "➨"), ("Plain text", None),
])
def test_markers(line: str, marker: str | None) -> None:
    assert marker_of(line) == marker


def test_consultation_lists_are_grouped_under_their_themes(raw_dir: Path) -> None:
    df = blocks_frame((raw_dir / "ai-action-summit-consultations.txt").read_text(encoding="utf-8"))
    items = df.filter(df["kind"] == "list_item")
    citizens = items.filter(items["marker"].is_in(["♥", "⚡"]))
    assert dict(citizens["marker"].value_counts().rows()) == {"♥": 15, "⚡": 9}
    assert citizens["heading"].n_unique() == 6
    assert (df["line_start"] <= df["line_end"]).all()


def test_every_line_with_text_is_in_one_block(raw_dir: Path) -> None:
    for path in raw_dir.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        covered: set[int] = set()
        for b in blocks(text):
            lines = set(range(b.line_start, b.line_end + 1))
            assert not covered & lines, (path.name, b)
            covered |= lines
        for n, line in enumerate(text.split("\n"), start=1):
            if line.strip() and not set(line.strip()) <= set("=-~^*+#|: "):
                assert n in covered, (path.name, n, line)


# Lines of results documents: which are section titles and which are fields or items.
RESULT_LINES = [
    ("1. HALLAM NORTH", "heading"),
    ("4. KESTLE VALLEY (two seats)", "heading"),
    ("1. Association des parents d'élèves : 104 voix", "list"),
    ("Total votes: 8,488", "text"),
    ("Ballot papers counted: 4,602 (each voter could vote for up to two candidates)", "text"),
]


@pytest.mark.parametrize(("line", "kind"), RESULT_LINES, ids=[line for line, _ in RESULT_LINES])
def test_titles_and_fields_of_results(line: str, kind: str) -> None:
    from tally.read.structure import classify

    text = f"Intro line of the page.\n\n{line}\n\nA much longer paragraph of text that follows the line under test here.\n"
    assert classify(text)[2].kind == kind
