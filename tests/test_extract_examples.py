"""Every example of tests/examples.py through `extract`, one parametrized test."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tally.extract import extract
from tests import examples_en, examples_fr, examples_layouts
from tests.examples import ALL_GROUPS, Example

GROUPS = {**ALL_GROUPS, **examples_en.ALL, **examples_fr.ALL, **examples_layouts.ALL}


def _params() -> list[object]:
    out = []
    for group, examples in GROUPS.items():
        for i, ex in enumerate(examples):
            marks = [pytest.mark.xfail(reason=ex.gap, strict=True)] if ex.gap else []
            out.append(pytest.param(ex, id=f"{group}-{i}-{ex.text[:24]}", marks=marks))
    return out


@pytest.mark.parametrize("ex", _params())
def test_example(ex: Example) -> None:
    df = extract(ex.sentence, ex.lang)
    found = re.search(rf"(?<![\w]){re.escape(ex.text)}(?![\w])", ex.sentence)
    assert found, "the example's text must occur in its sentence"
    pos = found.start()
    overlapping = df.filter((df["start"] < pos + len(ex.text)) & (df["end"] > pos))
    if ex.kind == "none":
        bad = overlapping.filter(overlapping["kind"].is_in(["count", "percent", "money", "measure", "duration"]))
        assert bad.height == 0, bad.to_dicts()
        return
    assert overlapping.height == 1, f"expected one figure at {ex.text!r}, got {overlapping.to_dicts()}"
    row = overlapping.row(0, named=True)
    assert row["text"] == ex.text
    assert row["kind"] == ex.kind
    if isinstance(ex.value, str):
        if ex.value.startswith("--"):
            assert row["date_iso"].startswith(ex.value)
        else:
            assert row["date_start"] == dt.date.fromisoformat(ex.value)
            if ex.value_max is not None:
                assert row["date_end"] == dt.date.fromisoformat(str(ex.value_max))
    else:
        assert row["value"] == pytest.approx(ex.value)
        assert row["value_max"] == (pytest.approx(ex.value_max) if ex.value_max is not None else None)
    assert row["qualifier"] == ex.qualifier
    if ex.head is not None:
        assert row["head"] == ex.head
    if ex.unit is not None:
        assert row["unit"] == ex.unit


def test_the_table_is_large_and_bilingual() -> None:
    rows = [ex for examples in GROUPS.values() for ex in examples]
    assert len(rows) >= 400
    assert sum(ex.lang == "fr" for ex in rows) >= 100
