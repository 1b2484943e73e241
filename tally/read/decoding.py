"""Bytes to text: UTF-8 first, byte-order marks, then a detected legacy encoding
(charset-normalizer), or a reason why the bytes are not a text."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

# Among encodings charset-normalizer finds equally plausible, Western European press releases
# are most often in these, in this order.
PREFERRED = ("utf_8", "cp1252", "iso8859_15", "latin_1", "mac_roman", "cp1250")
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
TIE = 0.01


@dataclass(frozen=True)
class Decoded:
    text: str | None
    encoding: str | None
    note: str | None  # why a fallback was used, or why the bytes were rejected


def decode(data: bytes) -> Decoded:
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(enc), enc, None if enc == "utf-8-sig" else f"decoded as {enc} (byte-order mark)")
            except UnicodeDecodeError as exc:
                return Decoded(None, None, f"has a {enc} byte-order mark but is not valid {enc} at byte {exc.start}")
    if b"\x00" in data[:65536]:
        return Decoded(None, None, "binary file (NUL bytes): not a text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8", None)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        where = f"byte {exc.start} (line {line})"
    from charset_normalizer import from_bytes

    results = list(from_bytes(data[:2_000_000]))
    if not results:
        return Decoded(None, None, f"not valid UTF-8 at {where} and no text encoding fits: re-save it as UTF-8")
    best = results[0]
    tied = [r for r in results if r.chaos - best.chaos <= TIE and best.coherence - r.coherence <= TIE]
    tied.sort(key=lambda r: PREFERRED.index(r.encoding) if r.encoding in PREFERRED else len(PREFERRED))
    enc = tied[0].encoding
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return Decoded(None, None, f"not valid UTF-8 at {where} and not valid {enc}: re-save it as UTF-8")
    return Decoded(text, enc, f"not valid UTF-8 at {where}: decoded as {enc}")
