"""Find and decode the raw texts of a corpus folder; every file is accounted for."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from tally.errors import RawFolderError

TEXT_SUFFIXES = (".txt",)
MAX_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class RawDocument:
    """One raw file: its text when it could be read, else the reason it was rejected."""

    source: str  # path relative to the raw folder, with forward slashes
    doc_id: str  # sha256 of the file's bytes ("" when the bytes could not be read)
    text: str | None
    encoding: str | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.text is not None


def discover(raw: Path) -> list[Path]:
    """Every `*.txt` file under `raw`, sorted, following no symlink out of the folder."""
    if not raw.exists():
        raise RawFolderError(f"raw folder `{raw}` does not exist: pass --raw with a folder of .txt files")
    if not raw.is_dir():
        raise RawFolderError(f"raw folder `{raw}` is not a folder: pass --raw with a folder of .txt files")
    files = [p for p in raw.rglob("*") if p.suffix.lower() in TEXT_SUFFIXES and not p.name.startswith(".")]
    return sorted(files, key=lambda p: p.relative_to(raw).as_posix())


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
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return RawDocument(source, doc_id, None, None, "binary file (NUL bytes): not a text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return RawDocument(source, doc_id, None, None,
                           f"not valid UTF-8 at byte {exc.start} (line {line}): re-save the file as UTF-8")
    return RawDocument(source, doc_id, text, "utf-8", None)


def read_corpus(raw: Path) -> list[RawDocument]:
    return [read_document(p, raw) for p in discover(raw)]


