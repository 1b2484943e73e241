"""The extractor's shape: one Extractor shared between threads reads every text as alone, it keeps
no state from a call, and the numeral pass is made of small functions."""

from __future__ import annotations

import ast
import dataclasses
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import tally.extract.numerals
from tally.extract import Extractor

ROOT = Path(__file__).resolve().parents[1]
TEXTS = sorted([*(ROOT / "raw").glob("*.txt"), *(ROOT / "tests" / "data").glob("*.*")])
THREADS = 8
ROUNDS = 2
MAX_FUNCTION_LINES = 40


def _rows(ex: Extractor, text: str) -> list[tuple[Any, ...]]:
    return [dataclasses.astuple(f) for f in ex.figures(text)]


@pytest.fixture
def busy_switching() -> Iterator[None]:
    """Threads switch as often as the interpreter allows, so that their calls interleave."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(interval)


@pytest.mark.usefixtures("busy_switching")
@pytest.mark.parametrize("lang", ["en", "fr"])
def test_one_extractor_shared_by_threads_reads_as_sequential_calls(lang: str) -> None:
    texts = [p.read_text(encoding="utf-8") for p in TEXTS]
    assert len(texts) >= THREADS, "the corpus must give each thread a text of its own to start with"
    expected = [_rows(Extractor(lang), t) for t in texts]
    shared = Extractor(lang)
    start = threading.Barrier(THREADS)
    found: dict[tuple[int, int, int], list[tuple[Any, ...]]] = {}
    errors: list[BaseException] = []

    def work(k: int) -> None:
        try:
            start.wait()
            for r in range(ROUNDS):
                for j in range(len(texts)):
                    i = (j + k) % len(texts)  # each thread starts on a different text
                    found[(k, r, i)] = _rows(shared, texts[i])
        except BaseException as e:  # reported below: an exception in a thread does not fail the test
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(found) == THREADS * ROUNDS * len(texts)
    wrong = sorted({TEXTS[i].name for (_k, _r, i), rows in found.items() if rows != expected[i]})
    assert not wrong, f"rows differ from sequential calls for {wrong}"


def test_numeral_functions_are_short() -> None:
    path = Path(tally.extract.numerals.__file__)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lengths = {
        node.name: node.end_lineno - min([node.lineno] + [d.lineno for d in node.decorator_list]) + 1
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None
    }
    assert len(lengths) >= 10, sorted(lengths)
    long = {name: n for name, n in lengths.items() if n > MAX_FUNCTION_LINES}
    assert not long, f"functions of {path.name} longer than {MAX_FUNCTION_LINES} lines: {long}"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_extractor_keeps_only_its_language(lang: str) -> None:
    ex = Extractor(lang)
    before = dict(vars(ex))
    assert set(before) == {"lex", "lang"}
    for path in TEXTS:
        ex.figures(path.read_text(encoding="utf-8"))
    assert vars(ex).keys() == before.keys()
    assert all(vars(ex)[k] is v for k, v in before.items())
    with pytest.raises(dataclasses.FrozenInstanceError):
        ex.lex.lang = "de"  # the language data cannot change either
