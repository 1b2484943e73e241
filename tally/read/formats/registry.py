"""Which reader reads which file: extensions, magic bytes and the extra each reader needs.

A data table, apart from the logic in `formats/__init__.py`. The extras are those of
`pyproject.toml` (`pip install 'tally[pdf]'`, or `tally[formats]` for all of them).
"""

from __future__ import annotations

# extension -> format
SUFFIXES: dict[str, str] = {
    ".txt": "txt", ".text": "txt",
    ".md": "md", ".markdown": "md",
    ".rst": "rst",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}

# format -> (module under tally.read.formats, the import it needs, the extra that installs it)
READERS: dict[str, tuple[str, str | None, str | None]] = {
    "txt": ("text", None, None),
    "rst": ("text", None, None),  # underlined titles and grid tables: tally/read/structure.py reads them
    "md": ("markdown", "markdown_it", None),
    "html": ("html", "lxml", "html"),
    "pdf": ("pdf", "pdfplumber", "pdf"),
    "docx": ("docx", "docx", "docx"),
}

# Magic bytes that decide the format whatever the extension says (a PDF saved as .txt).
MAGIC: tuple[tuple[bytes, str], ...] = ((b"%PDF-", "pdf"),)
ZIP_MAGIC = b"PK\x03\x04"
DOCX_PART = b"word/document.xml"
HTML_STARTS = (b"<!doctype html", b"<html")

# Formats read as text: what their bytes must look like, checked before parsing.
TEXT_FORMATS = ("txt", "rst", "md", "html")
