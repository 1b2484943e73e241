"""Plain text and reStructuredText: decoded as they are; their structure is read from the text
(`tally/read/structure.py`: Markdown-like and underlined headings, lists, pipe and grid tables)."""

from __future__ import annotations

from tally.read.decoding import decode
from tally.read.formats import Reading, Unreadable
from tally.version import __version__

NAME = "text"


def version() -> str:
    return f"tally {__version__}"


def read(data: bytes) -> Reading:
    decoded = decode(data)
    if decoded.text is None:
        raise Unreadable(decoded.note or "not a text")
    return Reading(decoded.text, None, "", NAME, "", decoded.encoding, decoded.note)
