"""HTML with lxml: the main content of a page (navigation, header, footer, sidebars, scripts and
styles dropped, `<main>`, `role=main` or the one `<article>` kept when the page has one), read as
headings, list items (nested, numbered in `<ol>`), table rows and paragraphs, each with the line
of its element in the source."""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from tally.read.decoding import decode
from tally.read.formats import Reading, Unreadable
from tally.read.formats._versions import of
from tally.read.formats.html_rules import (
    DROP_NAMES,
    DROP_ROLES,
    DROP_TAGS,
    HEADINGS,
    INLINE_TAGS,
    LISTS,
    MAIN_XPATHS,
)
from tally.read.formats.layout import Canvas

NAME = "lxml"
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")  # lxml refuses a str that declares an encoding
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
NO_MAIN = "HTML page has no main content: only navigation, header, footer, scripts or styles"


def version() -> str:
    return of("lxml")


def _tag(el: Any) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _boilerplate(el: Any) -> bool:
    if _tag(el) in DROP_TAGS or (el.get("role") or "").lower() in DROP_ROLES:
        return True
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    return bool(DROP_NAMES.search(" ".join(filter(None, (el.get("class"), el.get("id"))))))


def _drop(el: Any) -> None:
    """Remove `el` and what it holds, keeping the text that follows it (its tail)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _clean(root: Any) -> None:
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or (el is not root and _boilerplate(el)):  # comments, boilerplate
            _drop(el)


def _main(doc: Any) -> Any:
    for xpath in MAIN_XPATHS:
        found = doc.xpath(xpath)
        if len(found) == 1 or (found and xpath != "//article"):
            return found[0]
    body = doc.find("body")
    return body if body is not None else doc


def _text(el: Any, skip: tuple[str, ...] = ()) -> str:
    """The text of `el`, without its children of the `skip` tags (nested lists)."""
    parts = [el.text or ""]
    for child in el:
        if _tag(child) in skip:
            parts.append(child.tail or "")
            continue
        parts.append(" " if _tag(child) == "br" else _text(child, skip))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split()) if el.tag else ""


class _Walker:
    def __init__(self) -> None:
        self.canvas = Canvas()

    def block(self, el: Any, depth: int = 0) -> None:
        """A block container: runs of inline content become paragraphs, block children are walked."""
        run: list[str] = [el.text or ""]
        line = el.sourceline
        for child in el:
            tag = _tag(child)
            if tag in INLINE_TAGS or not tag:
                run.append(" " if tag == "br" else _text(child))
            else:
                self.canvas.paragraph("".join(run), line)
                run = []
                self.element(child, depth)
                line = child.sourceline
            run.append(child.tail or "")
        self.canvas.paragraph("".join(run), line)

    def element(self, el: Any, depth: int) -> None:
        tag = _tag(el)
        if tag in HEADINGS:
            self.canvas.heading(_text(el), HEADINGS[tag], el.sourceline)
        elif tag in LISTS:
            self.items(el, depth)
        elif tag == "table":
            self.table(el)
        elif tag == "pre":
            for k, line in enumerate("".join(el.itertext()).splitlines()):
                self.canvas.paragraph(line, (el.sourceline or 0) + k or None)
        elif tag in ("p", "dt", "dd", "caption", "figcaption", "blockquote") and not any(
                _tag(c) in (*HEADINGS, *LISTS, "table", "p", "div") for c in el.iter()):
            self.canvas.paragraph(_text(el), el.sourceline)
        else:
            self.block(el, depth)

    def items(self, el: Any, depth: int) -> None:
        ordered = _tag(el) == "ol"
        n = int(el.get("start") or 1) if (el.get("start") or "1").isdigit() else 1
        for li in el:
            if _tag(li) != "li":
                continue
            self.canvas.item(_text(li, LISTS), depth, f"{n}." if ordered else "-", li.sourceline)
            n += 1
            for sub in li.iter(*LISTS):
                if sub.getparent() is li or all(_tag(a) != "li" for a in _between(sub, li)):
                    self.items(sub, depth + 1)

    def table(self, el: Any) -> None:
        for tr in el.iter("tr"):
            if any(_tag(a) == "table" for a in _between(tr, el)):
                continue  # a row of a nested table
            cells = [c for c in tr if _tag(c) in ("td", "th")]
            head = _tag(tr.getparent()) == "thead" or (bool(cells) and all(_tag(c) == "th" for c in cells))
            self.canvas.row([_text(c) for c in cells], tr.sourceline, header=head)
        self.canvas.end_table()


def _between(el: Any, top: Any) -> list[Any]:
    """The ancestors of `el` below `top`."""
    out = []
    p = el.getparent()
    while p is not None and p is not top:
        out.append(p)
        p = p.getparent()
    return out


def read(data: bytes) -> Reading:
    decoded = decode(data)
    if decoded.text is None:
        raise Unreadable(decoded.note or "not a text")
    try:  # lxml.etree's own elements: lxml.html's element classes cost a look-up per element (30% of the time)
        doc = etree.fromstring(_XML_DECLARATION.sub("", decoded.text, count=1), _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise Unreadable(f"HTML page cannot be parsed: {exc}") from None
    if doc is None:
        raise Unreadable(NO_MAIN)
    main = _main(doc)
    _clean(main)
    walker = _Walker()
    walker.block(main)
    if walker.canvas.empty:
        raise Unreadable(NO_MAIN)
    text, layout = walker.canvas.render()
    return Reading(text, layout, "", NAME, "", decoded.encoding, decoded.note)
