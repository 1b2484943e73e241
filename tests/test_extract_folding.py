"""Case-insensitive patterns run on the lowercased text (`Folded`, `Scan.finditer`) find what the
case-insensitive pattern finds, and words whose case folding is irregular are read, not crashed on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tally.extract import figure_rows, forms
from tally.extract.extractor import _FISCAL
from tally.extract.lexicon import Folded, lexicon

RAW = Path(__file__).resolve().parents[1] / "raw"


def _folded_patterns() -> list[tuple[str, Folded]]:
    out = [("fiscal", _FISCAL), ("one (en)", forms._ONE_EN)]
    out += [(f"one in ({lang})", rx) for lang, rx in forms._ONE_IN.items()]
    for lang in ("en", "fr"):
        lex = lexicon(lang)
        out += [(f"{lang} {name}", getattr(lex, name)) for name in ("number_words_re", "vague_re", "fraction_re",
                                                                     "one_unit_re")]
    return out


FOLDED = _folded_patterns()
SAMPLES = [
    "Twenty-Five thousand visitors, HALF OF THE 40 ideas, dozens of projects, in FY2024-25 and fiscal year 2023.",
    "One in four adults; ONE OUT OF FIVE; one of the 12 finalists; no one came; someone; one-off.",
    "Vingt-Cinq mille visiteurs, la MOITIÉ DES idées, des dizaines de projets, exercice fiscal 2024, en UNE seconde.",
    "l'Un des 12 lauréats; UN SUR QUATRE; pour un an; For A Year; within a DAY; quelques centaines.",
]


def _spans(rx: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], ...]]:
    return [tuple(m.span(g) for g in range(rx.groups + 1)) for m in rx.finditer(text)]


@pytest.mark.parametrize("name, rx", FOLDED, ids=[n for n, _ in FOLDED])
def test_folded_pattern_finds_what_the_case_insensitive_one_finds(name: str, rx: Folded) -> None:
    texts = SAMPLES + [t.upper() for t in SAMPLES] + [t.swapcase() for t in SAMPLES]
    texts += [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
    found = 0
    for text in texts:
        expected = _spans(rx.pattern, text)
        assert _spans(rx.folded, text.lower()) == expected, (name, text[:80])
        found += len(expected)
    assert found, f"{name}: no sample exercises the pattern"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aeiouyntsrlhdfmxAEIOUNTSRLHDFMX -'’0123456789İıſKéÉ")), max_size=80))
def test_folded_patterns_agree_on_any_text(text: str) -> None:
    low = text.lower()
    if len(low) != len(text):
        return  # Scan.finditer falls back to the case-insensitive pattern
    for name, rx in FOLDED:
        assert _spans(rx.folded, low) == _spans(rx.pattern, text), name


# (text, language, expected (text, value, kind) of every figure): words that lower to another
# length ("İ" -> "i" and a combining dot) or fold unusually ("ſ", long s) are read as their word.
CASES = [
    ("12 MOİS de travail", "fr", [("12 MOİS", 12.0, "duration")]),
    ("EN UNE SECONDE 3 MİNUTES", "fr", [("UNE SECONDE", 1.0, "duration"), ("3 MİNUTES", 3.0, "duration")]),
    ("It took 3 MİNUTES", "en", [("3 MİNUTES", 3.0, "duration")]),
    ("after 3 ſeconds", "en", [("3 ſeconds", 3.0, "duration")]),
    ("la MOİTİÉ des 40 İdées", "fr", [("la MOİTİÉ", 50.0, "percent"), ("40", 40.0, "count")]),
    ("DOZENS OF İDEAS", "en", [("DOZENS", 24.0, "count")]),
    ("HALF of the 40 İdeas", "en", [("HALF", 50.0, "percent"), ("40", 40.0, "count")]),
]


@pytest.mark.parametrize("text, lang, expected", CASES, ids=[c[0] for c in CASES])
def test_irregular_case_folding(text: str, lang: str, expected: list[tuple[str, float, str]]) -> None:
    assert [(r[2], r[3], r[5]) for r in figure_rows(text, lang)] == expected
