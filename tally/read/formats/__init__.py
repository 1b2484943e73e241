"""Readers: the bytes of a raw file to the text Tally extracts from, with its structure.

    read(name, data) -> Reading(text, layout, format, reader, reader_version, encoding, note)

The format comes from the file's extension and its first bytes (`registry.py`): a `.pdf` must
start with `%PDF-`, a `.docx` must be a zip holding `word/document.xml`, and a PDF or Word file
saved under a text extension is read as what it is. Plain text and reStructuredText keep their
text as it is (their structure is read from the text by `tally/read/structure.py`); Markdown,
HTML, PDF and Word are parsed and rendered as a canonical text with its `Layout` (`layout.py`).

A file no reader can open raises `Unreadable` with the reason (the file becomes a rejected
document); a file of a format no reader knows gets `None` from `format_of` (a skipped file).
Parsers are imported only when a file needs them: importing Tally imports none of them.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from typing import Protocol

from tally.read.formats.layout import Layout
from tally.read.formats.registry import DOCX_PART, HTML_STARTS, MAGIC, READERS, SUFFIXES, ZIP_MAGIC


class Unreadable(Exception):
    """A file of a known format that cannot be read; the message is the reason."""


@dataclass(frozen=True)
class Reading:
    text: str
    layout: Layout | None  # None: the structure is read from the text itself
    format: str
    reader: str
    reader_version: str
    encoding: str | None = None
    note: str | None = None  # how the bytes were decoded, when not as UTF-8


class _Reader(Protocol):
    NAME: str

    def version(self) -> str: ...

    def read(self, data: bytes) -> Reading: ...


def suffix_of(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


def format_of(name: str, data: bytes) -> str | None:
    """The format of a file from its extension and first bytes; None when no reader knows it."""
    for magic, magic_fmt in MAGIC:
        if data.startswith(magic):
            return magic_fmt
    fmt: str | None = SUFFIXES.get(suffix_of(name))
    if data.startswith(ZIP_MAGIC) and DOCX_PART in data[:1 << 20] and fmt in (None, "txt", "docx"):
        return "docx"
    if fmt == "txt" and data.lstrip()[:20].lower().startswith(HTML_STARTS):
        return "html"
    return fmt


def known_suffixes() -> tuple[str, ...]:
    return tuple(SUFFIXES)


def _reader(fmt: str) -> _Reader:
    module, needs, extra = READERS[fmt]
    if needs is not None and importlib.util.find_spec(needs) is None:
        raise Unreadable(f"reading .{fmt} files needs the `{extra}` extra, which is not installed: "
                         f"pip install 'tally[{extra}]' (or 'tally[formats]' for every format)")
    mod: _Reader = importlib.import_module(f"tally.read.formats.{module}")
    return mod


def read(fmt: str, data: bytes) -> Reading:
    """Read bytes of format `fmt`; raises Unreadable with the reason."""
    reader = _reader(fmt)
    try:
        reading = reader.read(data)
    except Unreadable:
        raise
    except (RecursionError, MemoryError) as exc:
        raise Unreadable(f"the {reader.NAME} reader gave up on this .{fmt} file ({type(exc).__name__})") from None
    except Exception as exc:  # a parser's own error on a damaged file: a rejected file, never a crash
        raise Unreadable(f"damaged .{fmt} file: {reader.NAME} cannot read it ({type(exc).__name__}: {exc})") from None
    if not reading.text.strip():
        raise Unreadable("empty file")
    return Reading(reading.text, reading.layout, fmt, reader.NAME, reader.version(), reading.encoding, reading.note)


__all__ = ["Layout", "Reading", "Unreadable", "format_of", "known_suffixes", "read", "suffix_of"]
