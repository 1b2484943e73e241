"""Property tests: generated figures written the ways press releases write them come back."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tally.extract import extract

NOUNS_EN = [("participants", "participant"), ("companies", "company"), ("researchers", "researcher"),
            ("people", "person"), ("projects", "project"), ("votes", "vote"), ("speeches", "speech"),
            ("startups", "startup"), ("women", "woman"), ("countries", "country")]
NOUNS_FR = [("participants", "participant"), ("chercheurs", "chercheur"), ("projets", "projet"),
            ("visiteurs", "visiteur"), ("entreprises", "entreprise"), ("votes", "vote"), ("réseaux", "réseau")]
QUALIFIERS_EN = [("", "exact"), ("more than ", "at_least"), ("over ", "at_least"), ("at least ", "at_least"),
                 ("up to ", "at_most"), ("fewer than ", "at_most"), ("nearly ", "approximate"),
                 ("almost ", "approximate"), ("about ", "approximate"), ("around ", "approximate"),
                 ("some ", "approximate"), ("approximately ", "approximate"), ("~", "approximate")]
QUALIFIERS_FR = [("", "exact"), ("plus de ", "at_least"), ("au moins ", "at_least"), ("jusqu'à ", "at_most"),
                 ("moins de ", "at_most"), ("près de ", "approximate"), ("environ ", "approximate"),
                 ("quelque ", "approximate")]
SEPARATORS_EN = [",", " ", "\u00a0", "\u202f", ""]
SEPARATORS_FR = [" ", "\u00a0", "\u202f", "", "."]
SCALES_EN = [("", 1), (" million", 1e6), (" billion", 1e9), ("M", 1e6), ("k", 1e3), (" thousand", 1e3)]
SCALES_FR = [("", 1), (" millions", 1e6), (" milliards", 1e9), (" mille", 1e3)]
TEMPLATES_EN = ["In total, {fig} {noun} took part.", "The report says: {fig} {noun} in 2024.",
                "{fig} {noun} signed the charter last week.", "Last year, {fig} {noun} joined; more will come."]
TEMPLATES_FR = ["Au total, {fig} {noun} ont participé.", "Le rapport indique {fig} {noun} en 2024.",
                "L'an dernier, {fig} {noun} ont rejoint le programme."]


def group(n: int, sep: str) -> str:
    s = str(n)
    if not sep or n < 1000:
        return s
    parts = []
    while s:
        parts.append(s[-3:])
        s = s[:-3]
    return sep.join(reversed(parts))


@st.composite
def english(draw: st.DrawFn) -> tuple[str, str, float, str, str]:
    scale_txt, scale = draw(st.sampled_from(SCALES_EN))
    if scale == 1:
        n = draw(st.integers(min_value=2, max_value=999_999_999))
        num, value = group(n, draw(st.sampled_from(SEPARATORS_EN))), float(n)
        if 1800 <= n <= 2100 and "," not in num and " " not in num:
            num = group(n, ",")  # a bare 4-digit number in that range reads as a year
    else:
        whole = draw(st.integers(min_value=1, max_value=999))
        dec = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=9)))
        num = f"{whole}.{dec}" if dec else str(whole)
        value = float(num) * scale
        num += scale_txt
    q_txt, q = draw(st.sampled_from(QUALIFIERS_EN))
    noun, head = draw(st.sampled_from(NOUNS_EN))
    plus = q == "exact" and draw(st.booleans())
    fig = f"{q_txt}{num}{'+' if plus else ''}"
    sentence = draw(st.sampled_from(TEMPLATES_EN)).format(fig=fig, noun=noun)
    return sentence, num, value, "at_least" if plus else q, head


@st.composite
def french(draw: st.DrawFn) -> tuple[str, str, float, str, str]:
    scale_txt, scale = draw(st.sampled_from(SCALES_FR))
    if scale == 1:
        n = draw(st.integers(min_value=2, max_value=999_999_999))
        sep = draw(st.sampled_from(SEPARATORS_FR))
        if sep == "." and n < 1_000_000:
            sep = " "  # "1.234" alone is ambiguous even in French text; the dot groups millions
        num, value = group(n, sep), float(n)
        if 1800 <= n <= 2100 and not sep:
            num = group(n, " ")
    else:
        whole = draw(st.integers(min_value=2, max_value=999))
        dec = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=9)))
        num = f"{whole},{dec}" if dec else str(whole)
        value = float(num.replace(",", ".")) * scale
        num += scale_txt
    q_txt, q = draw(st.sampled_from(QUALIFIERS_FR))
    noun, head = draw(st.sampled_from(NOUNS_FR))
    de = " de" if scale != 1 and scale_txt.strip() != "mille" else ""
    sentence = draw(st.sampled_from(TEMPLATES_FR)).format(fig=f"{q_txt}{num}{de}", noun=noun)
    return sentence, num, value, q, head


def _check(sentence: str, num: str, value: float, qualifier: str, head: str, lang: str) -> None:
    df = extract(sentence, lang)
    pos = sentence.index(num)
    hit = df.filter((df["start"] <= pos) & (df["end"] > pos))
    assert hit.height == 1, (sentence, df.to_dicts())
    row = hit.row(0, named=True)
    assert row["kind"] == "count", (sentence, row)
    assert abs(row["value"] - value) <= 1e-6 * value, (sentence, row)
    assert row["qualifier"] == qualifier, (sentence, row)
    assert row["head"] == head, (sentence, row)
    assert sentence[row["start"] : row["end"]] == row["text"]


@settings(max_examples=300, deadline=None)
@given(english())
def test_english_figures_round_trip(case: tuple[str, str, float, str, str]) -> None:
    _check(*case, lang="en")


@settings(max_examples=300, deadline=None)
@given(french())
def test_french_figures_round_trip(case: tuple[str, str, float, str, str]) -> None:
    _check(*case, lang="fr")
