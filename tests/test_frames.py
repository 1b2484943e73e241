"""A frame as bytes (`tally.publish.frames`): the stage caches' entries and the batches sent back
by workers. Every dataset's rows come back exactly; a payload of another schema is refused, not
misread; a document's few figures take about a kilobyte, not the 5 kB of an Arrow IPC file."""

from __future__ import annotations

import io
from datetime import date

import polars as pl
import pytest

from tally.publish import frames
from tally.publish.cache import encode_frame
from tally.schemas import empty, extracted_schema, polars_schema
from tally.vocabulary import Dataset


def _rows(schema: pl.Schema, n: int) -> pl.DataFrame:
    """n rows of every column's type, every third value null."""
    def value(dtype: pl.DataType, i: int) -> object:
        if i % 3 == 2:
            return None
        if dtype == pl.String:
            return f"é {i}" * (i % 4)
        if dtype == pl.Int64:
            return i * 1_000_003
        if dtype == pl.Float64:
            return i / 7
        if dtype == pl.Boolean:
            return i % 2 == 0
        if dtype == pl.Date:
            return date(2024, 1 + i % 12, 1 + i % 28)
        if dtype == pl.List(pl.String):
            return [f"f{j}" for j in range(i % 3)]
        raise AssertionError(f"no example for {dtype}")

    return pl.DataFrame({c: [value(t, i) for i in range(n)] for c, t in schema.items()}, schema=schema)


SCHEMAS = {**{str(d): polars_schema(d) for d in Dataset}, "extracted": extracted_schema(),
           "meta": pl.Schema({"json": pl.String})}


@pytest.mark.parametrize("name", list(SCHEMAS))
@pytest.mark.parametrize(("rows", "offset"), [(0, 0), (1, 0), (40, 0), (40, 17), (5_000, 1_234)])
def test_every_dataset_comes_back_exactly(name: str, rows: int, offset: int) -> None:
    schema = SCHEMAS[name]
    frame = _rows(schema, rows + offset).slice(offset)  # a slice: buffers that do not start at 0
    back = frames.decode(frames.encode(frame), schema)
    assert back.schema == schema and back.equals(frame)


@pytest.mark.parametrize(("written", "read"), [
    ("figures", "reconciliations"),
    ("documents", "quarantine"),
    ("extracted", "figures"),
])
def test_a_payload_of_another_schema_is_refused(written: str, read: str) -> None:
    payload = frames.encode(_rows(SCHEMAS[written], 3))
    assert not frames.schema_matches(payload, SCHEMAS[read])
    with pytest.raises(frames.PayloadError):
        frames.decode(payload, SCHEMAS[read])


@pytest.mark.parametrize("payload", [b"", b"TLY1", b"PAR1" + b"\0" * 40])
def test_bytes_that_are_no_frame_are_refused(payload: bytes) -> None:
    with pytest.raises(frames.PayloadError):
        frames.decode(payload, SCHEMAS["figures"])


def test_a_column_of_another_type_is_another_schema() -> None:
    schema = pl.Schema({"n": pl.Int64})
    payload = frames.encode(pl.DataFrame({"n": [1, 2]}, schema={"n": pl.Int32}))
    with pytest.raises(frames.PayloadError):
        frames.decode(payload, schema)


def test_a_documents_few_figures_take_a_fraction_of_an_ipc_file() -> None:
    """The issue's 50,000 short notes: the figures cache was 80 times their text, each entry an
    IPC file with its schema twice."""
    schema = extracted_schema()
    four = _rows(schema, 4)
    ipc = io.BytesIO()
    four.write_ipc(ipc, compression="lz4")
    assert len(encode_frame(four)) < len(ipc.getvalue()) / 4
    assert len(frames.encode(empty(Dataset.RECONCILIATIONS))) < 300  # a document without checks


def _damaged_bodies(n: int) -> list[bytes]:
    """Payloads with a right header and a body with bytes changed (re-compressed, so the lz4 layer
    reads fine): what a checksum matching a damaged entry would let through."""
    import random
    import struct

    import pyarrow as pa

    head = struct.Struct("<4s8sQ")
    good = frames.encode(_rows(SCHEMAS["figures"], 60))
    magic, tag, size = head.unpack_from(good)
    message = pa.decompress(good[head.size:], decompressed_size=size, codec="lz4", asbytes=True)
    rng = random.Random(13)
    out = [head.pack(magic, tag, 1 << 40) + good[head.size:], good[: len(good) // 2]]
    for _ in range(n):
        body = bytearray(message)
        for _ in range(rng.choice((1, 3, 20))):
            body[rng.randrange(len(body))] = rng.randrange(256)
        out.append(head.pack(magic, tag, len(body)) + pa.compress(bytes(body), codec="lz4", asbytes=True))
    return out


def test_a_damaged_body_is_refused_never_misread_or_a_crash() -> None:
    """Reading unchecked record batches, polars segfaulted on 4 of 12 such payloads (adversarial
    review): every buffer is validated before polars sees it."""
    schema = SCHEMAS["figures"]
    good = _rows(schema, 60)
    for payload in _damaged_bodies(80):
        try:
            frame = frames.decode(payload, schema)
        except frames.PayloadError:
            continue
        assert frame.schema == schema  # a change that leaves a valid frame: values differ, never memory
        assert frame.height == good.height
