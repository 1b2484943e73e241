"""Find and decode the raw texts of a corpus folder; every file is accounted for."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from tally.errors import RawFolderError
from tally.read.decoding import decode

TEXT_SUFFIXES = (".txt",)
MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class RawDocument:
    """One raw file: its text when it could be read, else the reason it was rejected."""

    source: str  # path relative to the raw folder, with forward slashes
    doc_id: str  # sha256 of the file's bytes ("" when the bytes could not be read)
    text: str | None
    encoding: str | None
    reason: str | None  # why it was rejected, or how it was decoded when not as UTF-8

    @property
    def ok(self) -> bool:
        return self.text is not None


def discover(raw: Path) -> list[Path]:
    """Every file under `raw` but hidden ones, sorted: .txt files are read, the others are
    listed as rejected, so that every file is accounted for."""
    if not raw.exists():
        raise RawFolderError(f"raw folder `{raw}` does not exist: pass --raw with a folder of .txt files")
    if not raw.is_dir():
        raise RawFolderError(f"raw folder `{raw}` is not a folder: pass --raw with a folder of .txt files")
    files = [p for p in raw.rglob("*") if not any(part.startswith(".") for part in p.relative_to(raw).parts)
             and (p.is_file() or p.is_symlink() or not p.is_dir())]
    return sorted(files, key=lambda p: p.relative_to(raw).as_posix())


def require_texts(names: list[str], raw: Path) -> None:
    """A raw folder must hold at least one .txt file to curate."""
    if not any(n.lower().endswith(TEXT_SUFFIXES) for n in names):
        raise RawFolderError(f"raw folder `{raw}` holds no .txt file: put the texts to curate there")


def read_document(path: Path, raw: Path) -> RawDocument:
    """Read one file as UTF-8 (a BOM is dropped); reject it with a reason instead of raising."""
    source = path.relative_to(raw).as_posix()
    root = raw.resolve()
    try:
        real = path.resolve()
        if root not in real.parents:
            return RawDocument(source, "", None, None, f"symlink points outside the raw folder (to {real})")
        if not real.is_file():
            return RawDocument(source, "", None, None, "not a regular file")
        size = real.stat().st_size
        if size > MAX_BYTES:
            return RawDocument(source, "", None, None, f"file is {size} bytes, over the {MAX_BYTES}-byte limit")
        data = real.read_bytes()
    except OSError as exc:
        return RawDocument(source, "", None, None, f"cannot read file: {exc.strerror or exc}")
    doc_id = hashlib.sha256(data).hexdigest()
    if not data.strip():
        return RawDocument(source, doc_id, None, None, "empty file")
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return RawDocument(source, doc_id, None, None,
                           f"not a text file ({path.suffix or 'no suffix'}): only {', '.join(TEXT_SUFFIXES)} files are read")
    decoded = decode(data)
    if decoded.text is None:
        return RawDocument(source, doc_id, None, None, decoded.note)
    if not decoded.text.strip():
        return RawDocument(source, doc_id, None, decoded.encoding, "empty file")
    return RawDocument(source, doc_id, decoded.text, decoded.encoding, decoded.note)


def read_corpus(raw: Path) -> list[RawDocument]:
    return [read_document(p, raw) for p in discover(raw)]


