"""A figure never reaches across a line break for its unit: the line above ends its own figure."""

from __future__ import annotations

import pytest

from tally.extract import extract

CASES = [
    ("Enveloppe : 1 500 000 €\n11 projets lauréats", "fr", "11", "count"),
    ("Budget: 2,000 $\n14 projects funded", "en", "14", "count"),
    ("Prize fund £\n12 winners", "en", "12", "count"),
    ("Enveloppe : 1 500 000 €\n11 projets lauréats", "fr", "1 500 000 €", "money"),
]


@pytest.mark.parametrize(("text", "lang", "figure", "kind"), CASES)
def test_the_unit_stays_on_its_line(text: str, lang: str, figure: str, kind: str) -> None:
    rows = {r["text"]: r for r in extract(text, lang).iter_rows(named=True)}
    assert figure in rows, list(rows)
    assert rows[figure]["kind"] == kind


# Swiss and some French sources group thousands with an apostrophe ("6'214 inscrits").
GROUPED = [
    ("Électeurs inscrits : 6'214", "fr", "6'214", 6214),
    ("OUI : 1'968 (68,24 %)", "fr", "1'968", 1968),
    ("Bulletins valables : 2’884", "fr", "2’884", 2884),
    ("Budget CHF 1'250'000 for 2026", "en", "CHF 1'250'000", 1250000),
]


@pytest.mark.parametrize(("text", "lang", "figure", "value"), GROUPED)
def test_apostrophe_groups_thousands(text: str, lang: str, figure: str, value: float) -> None:
    rows = {r["text"]: r for r in extract(text, lang).iter_rows(named=True)}
    assert figure in rows, list(rows)
    assert rows[figure]["value"] == value
