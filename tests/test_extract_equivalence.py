"""The extraction's speed-ups change nothing: case-insensitive patterns run on the lowercased text
(`Folded`, `Scan.finditer`) find what the case-insensitive pattern finds; each not-figure
pattern's trigger is part of every match of the pattern; and words whose case folding is
irregular are read, not crashed on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tally.extract import figure_rows, forms
from tally.extract.dates import find_dates
from tally.extract.extractor import _FISCAL
from tally.extract.lexicon import Folded, lexicon
from tally.extract.negatives import NOT_FIGURES
from tests import examples_en, examples_fr, examples_layouts
from tests.examples import ALL_GROUPS

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


EXAMPLE_SENTENCES = sorted({e.sentence for group in (ALL_GROUPS, examples_en.ALL, examples_fr.ALL, examples_layouts.ALL)
                            for examples in group.values() for e in examples})
NOISE = [
    "Call (555) 123-4567 or +33 1 23 45 67 89 or 01 23 45 67 89; see www.example.org/a/b.pdf or https://x.io/2024.",
    "Build v2.3.1 (0x1F, 3fa85f64e2) at 12:30 or 3 p.m.; i=1, 2×3, x^2, 𝟐𝟎; width=\"100%\"; :width: 100%; 24/7.",
    "Video dQw4w9WgXcQ, A100, H100 and G20; 4YFN; COVID-19; FTSE 100 +0.6%; PR-9573/72; 48.8566,2.3522; @tally #2025.",
]


def _spans(rx: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], ...]]:
    return [tuple(m.span(g) for g in range(rx.groups + 1)) for m in rx.finditer(text)]


@pytest.mark.parametrize("name, rx", FOLDED, ids=[n for n, _ in FOLDED])
def test_folded_pattern_finds_what_the_case_insensitive_one_finds(name: str, rx: Folded) -> None:
    texts = SAMPLES + [t.upper() for t in SAMPLES] + [t.swapcase() for t in SAMPLES]
    texts += [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))] + EXAMPLE_SENTENCES
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


@pytest.mark.parametrize("reason, rx, trigger", [t for t in NOT_FIGURES if t[2] is not None],
                         ids=[f"{r}-{i}" for i, (r, _, t) in enumerate(NOT_FIGURES) if t is not None])
def test_each_not_figure_match_holds_its_trigger(reason: str, rx: re.Pattern[str], trigger: object) -> None:
    texts = NOISE + SAMPLES + EXAMPLE_SENTENCES + [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
    found = 0
    for text in texts + [t.upper() for t in texts] + [t.lower() for t in texts]:
        for m in rx.finditer(text):
            assert trigger.search(text, m.start(), m.end()), (reason, m.group())  # type: ignore[attr-defined]
            found += 1
    assert found, f"{reason}: no sample exercises the pattern"


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


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_month_led_dates_found_at_month_starts_are_the_dates_of_a_full_search(lang: str) -> None:
    lex = lexicon(lang)
    texts = SAMPLES + EXAMPLE_SENTENCES + [p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))]
    texts += ["du 15 au 18 juin 2022, le 1er Mai, en SEPTEMBRE 2024, sept. 2023, fév. 2025, Août 2024 et mardi 3 déc.",
              "Dec. 6, 2024; June 30 – July 4, 2025; FEBRUARY 2025; Sept 2023; maintenant, domaine, mars 2024"]
    dated = 0
    for text in texts + [t.upper() for t in texts] + [t.title() for t in texts]:
        fast = find_dates(text, lex, low=text.lower())
        assert [(d.start, d.end, d.iso()) for d in fast] == [(d.start, d.end, d.iso()) for d in find_dates(text, lex)]
        dated += len(fast)
    assert dated > 100
