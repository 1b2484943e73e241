"""A frame as bytes, for the stage caches and for batches sent between processes: one Arrow record
batch message, without the schema (the reader knows it), lz4-compressed.

    b"TLY1" | 8 bytes: the schema's tag | 8 bytes: the message's length | lz4(record batch message)

Arrow's IPC file format repeats the schema in every payload: 5 kB for a document's four figures,
so that a cache of 50,000 short notes was 80 times their text. Here the schema is a tag of 8
bytes, checked before anything is decoded (`schema_matches`): a payload decodes only with the
schema it was written with, and any other is refused, not misread.
"""

from __future__ import annotations

import hashlib
import struct
from functools import lru_cache

import polars as pl
import pyarrow as pa

MAGIC = b"TLY1"
_HEAD = struct.Struct("<4s8sQ")  # magic, schema tag, length of the uncompressed message
CODEC = "lz4"
MAX_RATIO = 256  # lz4 compresses by at most ~255: a larger claimed size is damage


class PayloadError(ValueError):
    """The bytes are no frame of the expected schema."""


@lru_cache(maxsize=64)
def _arrow(schema: tuple[tuple[str, pl.DataType], ...]) -> tuple[pa.Schema, bytes]:
    """The Arrow schema polars writes for `schema`, and its tag (the first 8 bytes of its sha256)."""
    arrow = pl.DataFrame(schema=dict(schema)).to_arrow().schema.remove_metadata()
    return arrow, hashlib.sha256(arrow.serialize().to_pybytes()).digest()[:8]


def _key(schema: pl.Schema) -> tuple[tuple[str, pl.DataType], ...]:
    return tuple(schema.items())


def encode(frame: pl.DataFrame) -> bytes:
    arrow, tag = _arrow(_key(frame.schema))
    table = pa.Table.from_batches(frame.to_arrow().to_batches(), arrow).combine_chunks()
    batches = table.to_batches()
    batch = batches[0] if batches else pa.RecordBatch.from_pylist([], schema=arrow)
    message = batch.serialize().to_pybytes()
    return _HEAD.pack(MAGIC, tag, len(message)) + pa.compress(message, codec=CODEC, asbytes=True)


def schema_matches(payload: bytes, schema: pl.Schema) -> bool:
    """Whether `payload` is a frame written with exactly `schema` (its header only)."""
    if len(payload) < _HEAD.size:
        return False
    magic, tag, _ = _HEAD.unpack_from(payload)
    return bool(magic == MAGIC and tag == _arrow(_key(schema))[1])


def _batch(payload: bytes, schema: pl.Schema, validate: bool) -> pa.RecordBatch:
    if not schema_matches(payload, schema):
        raise PayloadError("not a frame of this schema")
    arrow, _ = _arrow(_key(schema))
    size = _HEAD.unpack_from(payload)[2]
    if size > MAX_RATIO * (len(payload) - _HEAD.size) + 1024:  # lz4 never packs tighter
        raise PayloadError(f"a damaged frame (it claims {size:,} bytes)")
    try:
        message = pa.decompress(payload[_HEAD.size:], decompressed_size=size, codec=CODEC)
        batch = pa.ipc.read_record_batch(message, arrow)
        if validate:  # offsets, lengths, UTF-8: a damaged body that reached polars could crash it
            batch.validate(full=True)
    except (OSError, pa.ArrowException) as exc:
        raise PayloadError(f"a damaged frame ({str(exc).splitlines()[0][:200]})") from exc
    return batch


def check(payload: bytes, schema: pl.Schema) -> None:
    """Raise PayloadError unless `payload` decodes as a valid frame of `schema` (every buffer
    checked, nothing handed to polars): what a process that only passes a payload on checks."""
    _batch(payload, schema, validate=True)


def decode(payload: bytes, schema: pl.Schema, validate: bool = True) -> pl.DataFrame:
    """The frame `encode` wrote; PayloadError if it was written with another schema, is no frame or
    is damaged. `validate=False` only for bytes `check`ed or made by `encode` in this run: a
    damaged payload can crash polars (a segfault), not only raise."""
    frame = pl.from_arrow(_batch(payload, schema, validate))
    assert isinstance(frame, pl.DataFrame)
    return frame
