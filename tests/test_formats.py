"""Readers of Markdown, HTML, PDF and Word: the same report in every format gives the same figures
and the same reconciliation checks; figures say where they stand in the source; files no reader
can open are rejected with their reason, files of unknown formats skipped. The tests build their
own files (tests/formats_build.py: fpdf2 for PDF, python-docx for Word)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from tally.pipeline import curate_frames, read_batch
from tally.publish.audit import Curated
from tally.read.formats import Unreadable, format_of, known_suffixes, read
from tests import formats_build as build
from tests.helpers import run_local

FIGURE = ["text", "value", "value_max", "kind", "unit", "qualifier", "counted", "head", "date_iso", "line", "heading"]
CHECK = ["rule", "stated", "observed", "relation", "holds", "severity", "line", "message"]
REPORTS = {"en": build.ENGLISH, "fr": build.FRENCH}
FORMATS = ("txt", "md", "html", "pdf", "docx")


def _curate(raw: Path, files: dict[str, bytes]) -> Curated:
    raw.mkdir(exist_ok=True)
    for name, data in files.items():
        (raw / name).write_bytes(data)
    return curate_frames(read_batch(sorted(raw.iterdir()), raw))


def _by_source(frame: pl.DataFrame, cols: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    return {s: frame.filter(pl.col("source") == s).select(cols).rows() for s in sorted(set(frame["source"]))}


@pytest.fixture(scope="module", params=sorted(REPORTS))
def report(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Curated]:
    lang = request.param
    return lang, _curate(tmp_path_factory.mktemp(f"formats-{lang}"), build.every_format(REPORTS[lang], lang))


def test_every_format_is_read_by_its_reader(report: tuple[str, Curated]) -> None:
    lang, curated = report
    docs = {r["source"]: r for r in curated.documents.iter_rows(named=True)}
    assert {s: (d["status"], d["format"], d["reader"], d["language"]) for s, d in docs.items()} == {
        "report.txt": ("ok", "txt", "text", lang), "report.md": ("ok", "md", "markdown-it-py", lang),
        "report.html": ("ok", "html", "lxml", lang), "report.pdf": ("ok", "pdf", "pdfplumber", lang),
        "report.docx": ("ok", "docx", "python-docx", lang),
    }
    assert all(d["reader_version"].startswith("tally ") for d in docs.values())


def test_the_same_report_gives_the_same_figures_in_every_format(report: tuple[str, Curated]) -> None:
    _, curated = report
    figures = _by_source(curated.figures, FIGURE)
    expected = figures["report.txt"]
    assert len(expected) >= 15
    for source, rows in figures.items():
        assert rows == expected, source


def test_the_same_report_gives_the_same_checks_in_every_format(report: tuple[str, Curated]) -> None:
    lang, curated = report
    checks = _by_source(curated.reconciliations, CHECK)
    expected = checks["report.txt"]
    for source, rows in checks.items():
        assert rows == expected, source
    total = 8488.0 if lang == "en" else 6240.0
    held = {(r[0], r[1]) for r in expected if r[4]}
    assert ("part_whole", total) in held  # the table's rows sum to its Total row
    assert ("list_total", 3.0) in held  # "3 priorities:" and the three items after it


@pytest.mark.parametrize("lang", sorted(REPORTS))
def test_a_wrong_total_is_an_error_in_every_format(tmp_path: Path, lang: str) -> None:
    """The checks come from the structure each reader finds: a Total row off by 100 fails in all."""
    blocks = [b if b[0] != "table" else (b[0], b[1], [*b[2][:-1], [b[2][-1][0], b[2][-1][1].replace("4", "5", 1)]])
              for b in REPORTS[lang]]
    curated = _curate(tmp_path / "raw", build.every_format(blocks, lang))
    errors = curated.reconciliations.filter((pl.col("rule") == "part_whole") & (pl.col("severity") == "error"))
    assert sorted(errors["source"]) == sorted(f"report.{f}" for f in FORMATS)


def test_figures_give_their_source_line_and_page(report: tuple[str, Curated], tmp_path: Path) -> None:
    lang, curated = report
    files = build.every_format(REPORTS[lang], lang)
    figures = curated.figures
    for name in ("report.txt", "report.md", "report.html"):
        source = files[name].decode().splitlines()
        for row in figures.filter(pl.col("source") == name).iter_rows(named=True):
            assert row["page"] is None
            digits = "".join(ch for ch in row["text"] if ch.isdigit())[:3]
            assert digits in "".join(ch for ch in source[row["source_line"] - 1] if ch.isdigit()), (name, row)
    pdf = figures.filter(pl.col("source") == "report.pdf")
    assert pdf["source_line"].is_null().all()
    pages = dict(pdf.select("text", "page").rows())
    assert pages["12,500" if lang == "en" else "9 800"] == 1  # the first page
    assert pages["4,102" if lang == "en" else "3 010"] == 2  # the table, on the second page
    docx = figures.filter(pl.col("source") == "report.docx")
    assert docx["source_line"].min() == 1 and docx["page"].is_null().all()  # the heading: the body's paragraph 1


def test_structure_is_taken_from_the_reader_not_guessed(tmp_path: Path) -> None:
    """A short paragraph between two others looks like a title in plain text; in HTML it is a <p>,
    so the figures after it keep the heading above."""
    page = ("<html><body><main><h1>Annual report</h1><p>A quiet year</p>"
            "<p>We counted 300 ballots in 4 wards and the night went on for a very long time.</p></main></body></html>")
    curated = _curate(tmp_path / "raw", {"page.html": page.encode(), "page.txt": b"# Annual report\n\nA quiet year\n\n"
                      b"We counted 300 ballots in 4 wards and the night went on for a very long time.\n"})
    headings = dict(curated.figures.select("source", "heading").unique().rows())
    assert headings == {"page.html": "Annual report", "page.txt": "Annual report > A quiet year"}


def test_boilerplate_of_a_page_is_not_read() -> None:
    reading = read("html", build.html(build.ENGLISH).encode())
    for boilerplate in ("40213", "17 results", "5 other reports", "3 rue du Port", "Home"):
        assert boilerplate not in reading.text


def _pdf(text: str, **encryption: str) -> bytes:
    from fpdf import FPDF

    doc = FPDF()
    doc.add_page()
    if text:
        doc.set_font("Helvetica", "", 11)
        doc.cell(0, 10, text)
    else:
        doc.set_fill_color(200)
        doc.rect(10, 10, 100, 50, style="F")  # a picture of a page, no text layer
    if encryption:
        doc.set_encryption(**encryption)
    return bytes(doc.output())


GOOD_PDF = _pdf("We counted 300 ballots.")
HOSTILE = [
    ("scanned.pdf", _pdf(""), "rejected", "PDF has no text layer on its 1 page (scanned images?): run OCR on it first"),
    ("encrypted.pdf", _pdf("We counted 300 ballots.", owner_password="o", user_password="secret"), "rejected",
     "encrypted PDF: it needs a password to be read"),
    ("truncated.pdf", GOOD_PDF[: len(GOOD_PDF) // 3], "rejected", "corrupt PDF: pdfminer cannot parse it"),
    ("corrupt.docx", b"PK\x03\x04" + bytes(300), "rejected", "corrupt Word file: not a valid .docx archive"),
    ("not-a-zip.docx", b"Over 300 participants attended.", "rejected", "corrupt Word file"),
    ("menu.html", b"<html><body><nav><a>12 links</a></nav><footer>3 rue du Port</footer><script>var n = 4</script>"
     b"</body></html>", "rejected", "HTML page has no main content"),
    ("blank.md", b"  \n\n", "rejected", "empty file"),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "skipped", "unknown format (.png): Tally reads .txt"),
    ("data.csv", b"a,b\n1,2\n", "skipped", "unknown format (.csv)"),
    ("pdf-named.txt", GOOD_PDF, "ok", ""),  # read as what its bytes are
]


def test_hostile_files_are_rejected_or_skipped_with_their_reason(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.md").write_text("# Report\n\nOver 300 participants attended.\n", encoding="utf-8")
    for name, data, _, _ in HOSTILE:
        (raw / name).write_bytes(data)
    summary = run_local(raw, tmp_path / "out")
    documents = pl.read_parquet(tmp_path / "out" / "documents.parquet")
    got = {r["source"]: (r["status"], r["reason"] or "") for r in documents.iter_rows(named=True)}
    for name, _, status, reason in HOSTILE:
        assert got[name][0] == status and got[name][1].startswith(reason), (name, got[name])
    assert documents.filter(pl.col("source") == "pdf-named.txt")["format"].item() == "pdf"
    assert sorted(s for s, _ in summary.skipped) == ["data.csv", "photo.png"]
    assert len(summary.rejected) == 7 and summary.partial


def test_skipped_files_do_not_make_a_run_partial(tmp_path: Path) -> None:
    """A README.md is read; an image or a spreadsheet beside the texts is listed, not an error."""
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "README.md").write_text("# Sources\n\nThe 2 reports below.\n", encoding="utf-8")
    (raw / "report.txt").write_text("Over 300 participants attended.", encoding="utf-8")
    (raw / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(10))
    summary = run_local(raw, tmp_path / "out")
    assert not summary.partial and summary.documents == 3 and summary.documents_ok == 2
    assert summary.skipped == [("logo.png", f"unknown format (.png): Tally reads {', '.join(known_suffixes())} files")]
    manifest = (tmp_path / "out" / "manifest.json").read_text()
    assert '"documents_skipped": 1' in manifest


def test_a_missing_extra_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pdfplumber" else real(name, *a))
    with pytest.raises(Unreadable, match=r"needs the `pdf` extra, which is not installed: pip install 'tally\[pdf\]'"):
        read("pdf", GOOD_PDF)


@pytest.mark.parametrize(("name", "data", "fmt"), [
    ("a.md", b"# x", "md"), ("a.MARKDOWN", b"# x", "md"), ("a.rst", b"x\n=", "rst"), ("a.htm", b"<p>x", "html"),
    ("a.txt", b"<!DOCTYPE html><p>x</p>", "html"), ("a.txt", b"%PDF-1.4", "pdf"), ("a", b"x", None),
    ("a.docx", b"PK\x03\x04 word/document.xml", "docx"), ("a.bin", b"PK\x03\x04 word/document.xml", "docx"),
    ("a.zip", b"PK\x03\x04 other", None),
])
def test_the_format_comes_from_the_extension_and_the_bytes(name: str, data: bytes, fmt: str | None) -> None:
    assert format_of(name, data) == fmt


def test_markdown_keeps_list_numbers_nesting_and_tables() -> None:
    source = "Intro:\n\n3. third\n4. fourth\n   - nested 5 items\n\n| a | b |\n|---|---|\n| x | 1 |\n\n```\ncode 7\n```\n"
    reading = read("md", source.encode())
    assert reading.text == "Intro:\n\n3. third\n4. fourth\n  - nested 5 items\n\n| a | b |\n|---|---|\n| x | 1 |\n\ncode 7"
    assert reading.layout is not None
    assert [ln.kind for ln in reading.layout.lines] == ["text", "blank", "list", "list", "list", "blank", "table",
                                                         "border", "table", "blank", "text"]
    assert reading.layout.source_lines[4] == 5 and reading.layout.source_lines[-1] == 12  # the code's line, after the fence


def test_the_pipeline_caches_figures_per_reader(tmp_path: Path) -> None:
    """Two runs: the second takes the figures of every format from the cache, unchanged."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name, data in build.every_format(build.ENGLISH, "en").items():
        (raw / name).write_bytes(data)
    first = run_local(raw, tmp_path / "out")
    again = run_local(raw, tmp_path / "out")
    assert again.cache_hits == 5 and again.figures == first.figures


@pytest.mark.parametrize(("fmt", "data", "text"), [
    ("html", b'<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><p>We had 12 '
     b"people.</p></body></html>", "We had 12 people."),  # lxml refuses a str declaring its encoding: dropped first
    ("html", b"<html><body><article><p>A</p></article><article><p>B</p></article><div class='sidebar'>C 9</div>"
     b"</body></html>", "A\n\nB"),  # two articles: the body, without its sidebar
    ("html", b"<body><ol start='4'><li>four<ul><li>sub</li></ul></li><li>five</li></ol></body>",
     "4. four\n  - sub\n5. five"),
    ("md", b"# T\n\n<div>\n<b>40</b> projects\n</div>\n\nAfter 3 days.\n", "# T\n\n40 projects\n\nAfter 3 days."),
], ids=["xhtml declaration", "two articles", "nested numbered list", "markdown raw html"])
def test_reader_examples(fmt: str, data: bytes, text: str) -> None:
    assert read(fmt, data).text == text


def test_tally_extract_reads_every_format(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tally.cli import app

    outputs = {}
    for name, data in build.every_format(build.ENGLISH, "en").items():
        (tmp_path / name).write_bytes(data)
        result = CliRunner().invoke(app, ["extract", str(tmp_path / name), "--format", "csv"])
        assert result.exit_code == 0, (name, result.output)
        outputs[name] = result.output
    assert len(set(outputs.values())) == 1 and "8488.0" in outputs["report.pdf"]
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04" + bytes(50))
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "bad.docx")])
    assert result.exit_code == 2 and "bad.docx: corrupt Word file: not a valid .docx archive" in result.output


def test_a_pdf_heading_that_wraps_is_one_heading() -> None:
    title = "Results of the council election held in the twelve wards of the Kestle Valley in May 2024"
    body = ("We counted 8,488 ballots in the twelve wards, and the results were announced in the town hall the "
            "same evening before a crowd of residents, candidates and journalists.")
    blocks: list[build.Block] = [("h", 1, title), ("p", body), ("h", 2, "Next steps"),
                                 ("p", "The council meets on 3 June to elect the mayor and the 4 deputy mayors.")]
    reading = read("pdf", build.pdf(blocks))
    assert reading.text == build.markdown(blocks).rstrip("\n")
