"""Fault injection: mutate real and written texts the ways sources go wrong and count how many
mutations the reconciliation rules catch at error severity.

Mutations (each applied at every place it fits): a stated total off by one (list totals, part-
whole totals), a list item dropped, a list item added, one of two repeated mentions changed,
two digits of a part swapped. A mutation is caught when the mutated text has more error rows
than the clean one.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest

from tally.extract import extract
from tally.reconcile import reconcile
from tests.conftest import MEASUREMENTS

DATA = Path(__file__).parent / "data"
MIN_MUTATIONS = 200
MIN_DETECTION = 0.95


@dataclass(frozen=True)
class Mutation:
    doc: str
    kind: str
    where: int  # line
    text: str


def _figures(text: str, doc_id: str) -> pl.DataFrame:
    f = extract(text)
    return f.with_columns(
        pl.lit(doc_id).alias("doc_id"), pl.lit(doc_id).alias("source"),
        (pl.lit(doc_id + ":") + pl.col("start").cast(pl.String)).alias("figure_id"),
    )


def _errors(text: str, doc_id: str = "d") -> int:
    rec = reconcile([(doc_id, doc_id, text)], _figures(text, doc_id))
    return rec.filter(pl.col("severity") == "error").height


def _off_by_one(text: str, start: int, end: int, down: bool = False) -> str:
    """The figure's last digit one up (one down when `down`, or when it is 9 / 0)."""
    s = text[start:end]
    i = max(k for k, ch in enumerate(s) if ch.isdigit())
    d = int(s[i])
    d = d - 1 if (down and d > 0) or d == 9 else d + 1
    return text[:start] + s[:i] + str(d) + s[i + 1 :] + text[end:]


def _swap_digits(text: str, start: int, end: int) -> str | None:
    s = text[start:end]
    idx = [i for i, ch in enumerate(s) if ch.isdigit()]
    for a, b in itertools.pairwise(idx):
        if s[a] != s[b]:
            t = list(s)
            t[a], t[b] = t[b], t[a]
            return text[:start] + "".join(t) + text[end:]
    return None


WEAK_TIE = re.compile(r"which names the \w+ counted by|earlier figures of \w+ it could be|, weakly\)")


def mutations(name: str, text: str) -> Iterator[Mutation]:
    figs = _figures(text, name)
    by_id = {r["figure_id"]: r for r in figs.iter_rows(named=True)}
    rec = reconcile([(name, name, text)], figs).filter(pl.col("holds"))
    lines = text.split("\n")
    done_items: set[tuple[str, int]] = set()
    for r in rec.iter_rows(named=True):
        first = by_id[r["figure_ids"][0]]
        if WEAK_TIE.search(r["message"]):
            continue  # tied only by the noun a list's intro names: it fails as a warning, never an error
        if (r["rule"] in ("list_total", "part_whole") and first["kind"] == "count") or r["rule"] == "part_whole":
            if not any(ch.isdigit() for ch in first["text"]):  # "five priority actions" -> "6 priority actions"
                yield Mutation(name, "total off by one", first["line"],
                               text[: first["start"]] + str(int(first["value"]) + 1) + text[first["end"] :])
            else:
                # a whole with "of which" parts can only be caught when it drops below them
                yield Mutation(name, "total off by one", first["line"],
                               _off_by_one(text, first["start"], first["end"], down=r["relation"] == "at_least"))
        # a claim on the items of a list below, not the headings
        if r["rule"] == "list_total" and "items" in r["message"] and "(lines " in r["message"]:
            lo, hi = (int(x) for x in r["message"].split("(lines ")[1].split(")")[0].split(":")[0].split("-"))
            for ln in range(lo, hi + 1):
                line = lines[ln - 1]
                is_item = line.lstrip()[:1] in ("-", "•", "*", "➨") or line.lstrip()[:2].rstrip(".").isdigit()
                if (name, ln) in done_items or not is_item:
                    continue
                done_items.add((name, ln))
                yield Mutation(name, "list item dropped", ln, "\n".join(lines[: ln - 1] + lines[ln:]))
                yield Mutation(name, "list item added", ln, "\n".join([*lines[:ln], line, *lines[ln:]]))
        if r["rule"] == "repeated_mention":
            second = by_id[r["figure_ids"][-1]]
            if any(ch.isdigit() for ch in second["text"]):
                yield Mutation(name, "repeated mention changed", second["line"],
                               _off_by_one(text, second["start"], second["end"]))
        if r["rule"] == "part_whole":
            for fid in r["figure_ids"][1:]:
                part = by_id[fid]
                swapped = _swap_digits(text, part["start"], part["end"])
                if swapped is not None:
                    yield Mutation(name, "digits of a part swapped", part["line"], swapped)


def _corpus(raw_dir: Path, shared: Path | None) -> dict[str, str]:
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted(raw_dir.glob("*.txt"))}
    texts |= {p.name: p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*")) if p.is_file()}
    if shared is not None:
        texts |= {p.name: p.read_text(encoding="utf-8") for p in sorted((shared / "extra" / "raw").glob("*.txt"))}
    return texts


def test_fault_injection_detection_rate(raw_dir: Path, request: pytest.FixtureRequest) -> None:
    shared = Path(__file__).resolve().parents[2] / "shared" / "eval"
    texts = _corpus(raw_dir, shared if shared.exists() else None)
    caught: Counter[str] = Counter()
    total: Counter[str] = Counter()
    missed: list[Mutation] = []
    for name, text in texts.items():
        base = _errors(text)
        for m in mutations(name, text):
            total[m.kind] += 1
            if _errors(m.text) > base:
                caught[m.kind] += 1
            else:
                missed.append(m)
    n, hit = sum(total.values()), sum(caught.values())
    report = "\n".join(f"  {k:28} {caught[k]:4}/{total[k]:<4}" for k in sorted(total))
    rate = hit / max(1, n)
    summary = f"fault injection: {hit}/{n} mutations caught at error severity ({rate:.1%})\n{report}"
    print("\n" + summary)
    MEASUREMENTS.append(summary)
    for m in missed[:40]:
        print(f"  missed: {m.doc}:{m.where} {m.kind}")
    assert n >= MIN_MUTATIONS, f"only {n} mutations"
    assert rate >= MIN_DETECTION, f"{rate:.1%} caught:\n{report}"


def test_mutations_change_the_text(raw_dir: Path) -> None:
    text = (raw_dir / "ai-action-summit-consultations.txt").read_text(encoding="utf-8")
    kinds = Counter(m.kind for m in mutations("c", text) if m.text != text)
    assert {"total off by one", "list item dropped", "list item added", "repeated mention changed"} <= set(kinds)

