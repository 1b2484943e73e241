"""Find and decode the raw texts of a corpus folder; every file is accounted for.

Reading never leaves the raw folder and never blocks. Each file is opened once, one path
component at a time, each relative to the descriptor of the folder above it and with
`O_NOFOLLOW`, so a component swapped for a symlink between two steps fails instead of being
followed; the opened descriptor is then checked with `fstat` (a regular file, under the size
limit) and the bytes are read from it, never from the path again. A symlink inside the raw folder
is followed the same way, component by component from the raw folder's own descriptor, and only
while it stays inside the folder (at most `MAX_LINKS` links); one that leads out of it, loops or
dangles is a rejected file with its reason. FIFOs, sockets and devices are rejected without being
read (`O_NONBLOCK`: opening a FIFO never waits for a writer).
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import os
import stat
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

from tally.errors import RawFolderError
from tally.read import formats
from tally.read.formats import Layout, Unreadable
from tally.storage import is_remote, url_of

TEXT_SUFFIXES = formats.known_suffixes()  # the extensions a reader knows (tally/read/formats/registry.py)
MAX_BYTES = 200 * 1024 * 1024  # the default of the `max_file_bytes` setting
MAX_LINKS = 40  # symlinks followed for one file, as the kernel's own limit

_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
NAME_NOT_UTF8 = "file name is not valid UTF-8 (shown with \\x escapes)"
DISAPPEARED = "file disappeared before it could be read"


@dataclass(frozen=True)
class RawDocument:
    """One raw file: its text when it could be read, else the reason it was rejected."""

    source: str  # path relative to the raw folder, with forward slashes (bytes that are not UTF-8 as \xNN)
    doc_id: str  # sha256 of the file's bytes ("" when the bytes could not be read)
    text: str | None
    encoding: str | None
    reason: str | None  # why it was rejected or skipped, or how it was decoded when not as UTF-8
    format: str | None = None  # txt, md, rst, html, pdf, docx; None for a file no reader knows
    reader: str | None = None  # the reader that read it (text, markdown-it-py, lxml, pdfplumber, python-docx)
    reader_version: str | None = None
    layout: Layout | None = field(default=None, compare=False, repr=False)  # the structure the reader knows
    skipped: bool = False  # a file of a format no reader knows: listed, not read, not an error

    @property
    def ok(self) -> bool:
        return self.text is not None


def utf8_name(name: str) -> str:
    """`name` as valid UTF-8 text: bytes of a file name that are not UTF-8 (surrogate-escaped by
    Python) become `\\xNN`, so the name can be stored in parquet and JSON."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def discover(raw: Path) -> list[Path]:
    """Every entry under `raw` that is not a folder (files, symlinks, FIFOs, sockets, devices),
    hidden names and folders aside, sorted: files of a format a reader knows are read, the others
    are listed as skipped, so that every file is accounted for. Symlinked folders are not walked into (the
    link itself is listed); a folder that cannot be listed is listed itself (and rejected).
    An `s3://bucket/prefix` raw location lists its keys instead (`discover_remote`)."""
    if is_remote(raw):
        return discover_remote(raw)
    if not raw.exists():
        raise RawFolderError(f"raw folder `{utf8_name(str(raw))}` does not exist: pass --raw with a folder of texts")
    if not raw.is_dir():
        raise RawFolderError(f"raw folder `{utf8_name(str(raw))}` is not a folder: pass --raw with a folder of texts")
    found: list[tuple[str, Path]] = []
    folders: deque[tuple[str, Path]] = deque([("", raw)])
    while folders:
        rel, folder = folders.popleft()
        try:
            with os.scandir(folder) as entries:
                listed = [(e.name, e.is_dir(follow_symlinks=False)) for e in entries]
        except OSError:
            if rel:
                found.append((rel, folder))
            continue
        for name, is_dir in listed:
            if name.startswith("."):
                continue
            child = f"{rel}/{name}" if rel else name
            if is_dir:
                folders.append((child, folder / name))
            else:
                found.append((child, folder / name))
    return [p for _, p in sorted(found, key=lambda item: item[0])]


def discover_remote(raw: Path) -> list[Path]:
    """Every object under the prefix `raw` (`s3://bucket/prefix`), hidden names aside, sorted by
    key, as `raw / key` (the key relative to the prefix, as a local file's path relative to the raw
    folder). A bucket that does not exist or cannot be read is one RawFolderError naming it."""
    from tally.storage import s3

    url = url_of(raw)
    s3.check_bucket(url, "raw location", RawFolderError, "--raw")
    try:
        keys = s3.list_keys(url)
    except s3.errors() as exc:
        raise RawFolderError(f"cannot list raw location `{url}`: {s3.cause(exc)}") from None
    if not keys:
        raise RawFolderError(f"raw location `{url}` holds no object: upload the texts under that prefix "
                             "or pass --raw with another location")
    return [raw / rel for rel, _ in keys if not any(part.startswith(".") for part in rel.split("/"))]


def require_texts(names: list[str], raw: Path) -> None:
    """A raw folder must hold at least one file a reader knows (.txt, .md, .html, .pdf, ...)."""
    if not any(n.lower().endswith(TEXT_SUFFIXES) for n in names):
        raise RawFolderError(f"raw folder `{utf8_name(str(raw))}` holds no file Tally reads "
                             f"({', '.join(TEXT_SUFFIXES)}): put the texts to curate there")


class _Rejected(Exception):
    """A raw file that is not read, and why."""


def _kind(mode: int) -> str:
    for test, kind in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return f"not a regular file ({kind})"
    return "not a regular file"


def _inside(target: str, bases: tuple[str, ...]) -> list[str] | None:
    """The components of an absolute symlink target below the raw folder, or None if it lies outside."""
    norm = os.path.normpath(target)
    for base in bases:
        if norm == base:
            return []
        if norm.startswith(base.rstrip("/") + "/"):
            return norm[len(base.rstrip("/")) + 1 :].split("/")
    return None


def _open_inside(raw: Path, parts: tuple[str, ...]) -> int:
    """A descriptor of the regular file at `parts` below `raw`, opened without ever leaving the
    folder: no symlink is followed by the kernel; links inside the folder are followed here."""
    top = str(raw.absolute())
    bases = (os.path.normpath(top), os.path.realpath(top))
    fds = [os.open(raw, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)]
    names: list[str] = []  # the folders of `fds` below raw
    pending = deque(parts)
    links = 0
    shown = ""  # the last symlink followed, as a path, for the reasons

    def missing() -> _Rejected:
        return _Rejected(f"dangling symlink (to {shown}): its target does not exist" if links else DISAPPEARED)

    def follow(name: str) -> None:
        nonlocal links, shown
        target = os.readlink(name, dir_fd=fds[-1])
        links += 1
        if links > MAX_LINKS:
            raise _Rejected(f"symlink loop: more than {MAX_LINKS} links to follow")
        shown = os.path.normpath(os.path.join(top, *names, target))
        if os.path.isabs(target):
            below = _inside(target, bases)
            if below is None:
                raise _Rejected(f"symlink points outside the raw folder (to {shown})")
            while len(fds) > 1:
                os.close(fds.pop())
            names.clear()
            pending.extendleft(reversed(below))
        else:
            pending.extendleft(reversed(target.split("/")))

    try:
        while pending:
            name = pending.popleft()
            if name in ("", "."):
                continue
            if name == "..":
                if len(fds) == 1:
                    raise _Rejected(f"symlink points outside the raw folder (to {shown})")
                os.close(fds.pop())
                names.pop()
                continue
            try:
                st = os.stat(name, dir_fd=fds[-1], follow_symlinks=False)
                if stat.S_ISLNK(st.st_mode):
                    follow(name)
                    continue
                if pending:  # a folder on the way
                    if not stat.S_ISDIR(st.st_mode):
                        raise missing()
                    fds.append(os.open(name, _DIR, dir_fd=fds[-1]))
                    names.append(name)
                    continue
                if not stat.S_ISREG(st.st_mode):
                    raise _Rejected(_kind(st.st_mode))  # never opened: a FIFO, socket or device
                return os.open(name, _FILE, dir_fd=fds[-1])
            except FileNotFoundError:
                raise missing() from None
            except OSError as exc:
                if exc.errno not in (errno.ELOOP, errno.ENOTDIR, errno.EINVAL):
                    raise
                # replaced by a symlink (or a folder by a file) since the stat: look again; EINVAL
                # is readlink on what is no longer a link
                links += 1
                if links > MAX_LINKS:
                    raise _Rejected(f"symlink loop: more than {MAX_LINKS} links to follow") from None
                pending.appendleft(name)
        raise _Rejected(_kind(stat.S_IFDIR))  # the path names the raw folder itself
    finally:
        for fd in fds:
            os.close(fd)


def _read_fd(fd: int, limit: int) -> bytes:
    """The bytes of an opened regular file of at most `limit` bytes; reads stop at `limit` + 1, so
    a file growing past the limit while it is read is rejected, never read whole."""
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        raise _Rejected(_kind(st.st_mode))
    if st.st_size > limit:
        raise _Rejected(f"file is {st.st_size} bytes, over the {limit}-byte limit (setting `max_file_bytes`)")
    chunks = []
    total = 0
    while total <= limit:
        chunk = os.read(fd, min(1 << 20, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    if total > limit:
        raise _Rejected(f"file is over the {limit}-byte limit (setting `max_file_bytes`): it grew while being read")
    return b"".join(chunks)


def read_document(path: Path, raw: Path, max_bytes: int = MAX_BYTES,
                  fetched: bytes | BaseException | None = None) -> RawDocument:
    """Read one file with the reader of its format (`tally.read.formats`: text as UTF-8 with a BOM
    dropped, Markdown, HTML, PDF, Word); reject it with a reason instead of raising, or skip it
    when no reader knows its format. On object storage, `path` is `raw / key` (`discover_remote`)
    and `fetched` what `read_documents` already got for it (its bytes, or the error)."""
    if is_remote(raw):
        rel = url_of(path)[len(url_of(raw)) + 1:]
        source, name_note = rel, None
    else:
        rel = path.relative_to(raw).as_posix()
        source = utf8_name(rel)
        name_note = NAME_NOT_UTF8 if source != rel else None

    def rejected(reason: str, doc_id: str = "", encoding: str | None = None) -> RawDocument:
        return RawDocument(source, doc_id, None, encoding, utf8_name("; ".join(filter(None, (reason, name_note)))))

    try:
        data = _remote_bytes(path, max_bytes, fetched) if is_remote(raw) else _local_bytes(raw, rel, max_bytes)
    except _Rejected as exc:
        return rejected(str(exc))
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            return rejected(DISAPPEARED)
        return rejected(f"cannot read file: {exc.strerror or exc}")
    doc_id = hashlib.sha256(data).hexdigest()
    if not data.strip():
        return rejected("empty file", doc_id)
    fmt = formats.format_of(path.name, data)
    if fmt is None:
        reason = (f"unknown format ({utf8_name(path.suffix) or 'no extension'}): Tally reads "
                  f"{', '.join(TEXT_SUFFIXES)} files")
        return RawDocument(source, doc_id, None, None, "; ".join(filter(None, (reason, name_note))), skipped=True)
    try:
        reading = formats.read(fmt, data)
    except Unreadable as exc:
        return dataclasses.replace(rejected(str(exc), doc_id), format=fmt)
    note = "; ".join(filter(None, (reading.note, name_note))) or None
    return RawDocument(source, doc_id, reading.text, reading.encoding, note, fmt, reading.reader,
                       reading.reader_version, reading.layout)


def _local_bytes(raw: Path, rel: str, max_bytes: int) -> bytes:
    fd = _open_inside(raw, Path(rel).parts)
    try:
        return _read_fd(fd, max_bytes)
    finally:
        os.close(fd)


def _remote_bytes(path: Path, max_bytes: int, fetched: bytes | BaseException | None = None) -> bytes:
    """The bytes of an object, rejected past `max_bytes`; errors of the store are OSErrors."""
    from tally.storage import s3

    try:
        data = s3.read_bytes(url_of(path), max_bytes, fetched)
    except FileNotFoundError:
        raise
    except s3.errors() as exc:
        raise OSError(s3.cause(exc)) from None
    if len(data) > max_bytes:
        raise _Rejected(f"object is over the {max_bytes}-byte limit (setting `max_file_bytes`)")
    return data


def read_documents(paths: list[Path], raw: Path, max_bytes: int = MAX_BYTES) -> list[RawDocument]:
    """`read_document` of each path; on object storage the objects are fetched concurrently
    first (one GET each, in flight together), so a batch costs about one round trip, not one per file."""
    if not is_remote(raw) or not paths:
        return [read_document(p, raw, max_bytes) for p in paths]
    from tally.storage import s3

    fetched = s3.read_many([url_of(p) for p in paths], max_bytes)
    return [read_document(p, raw, max_bytes, f) for p, f in zip(paths, fetched, strict=True)]


def read_corpus(raw: Path, max_bytes: int = MAX_BYTES) -> list[RawDocument]:
    return read_documents(discover(raw), raw, max_bytes)
