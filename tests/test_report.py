"""The review report without a browser: text segments, escaping, the CSP, the CLI and the run.

The browser half (the page as a person uses it) is tests/test_report_browser.py."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from tally import pipeline
from tally.cli import app
from tally.report import REPORT_FILE, build_report, from_published
from tally.report.render import json_block
from tally.report.segments import segments
from tally.report.views import number
from tally.settings import Settings

runner = CliRunner()


@dataclass(frozen=True)
class Seg:
    text: str
    spans: list[tuple[int, int]]
    expected: list[object]


SEGMENTS = {
    "two figures": Seg("Over 3,800 of 11,661 people", [(5, 10), (14, 20)],
                       ["Over ", [0, "3,800"], " of ", [1, "11,661"], " people"]),
    "spans given out of order": Seg("a 1 b 2", [(6, 7), (2, 3)], ["a ", [1, "1"], " b ", [0, "2"]]),
    "figure at both ends": Seg("12 and 13", [(0, 2), (7, 9)], [[0, "12"], " and ", [1, "13"]]),
    "nested: a year in a date range": Seg("from 1 to 3 May 2025.", [(5, 20), (16, 20)],
                                          ["from ", [0, "1 to 3 May ", [1, "2025"]], "."]),
    "crossing: cut at the first one's end": Seg("abcdef", [(1, 4), (2, 6)], ["a", [0, "b", [1, "cd"]], "ef"]),
    "past the end of the text: clamped": Seg("abc", [(1, 9)], ["a", [0, "bc"]]),
    "empty span: still one node": Seg("abc", [(1, 1)], ["a", [0], "bc"]),
    "no figures": Seg("plain", [], ["plain"]),
    "astral characters count once (Python indexes)": Seg("🎉 5 people", [(2, 3)], ["🎉 ", [0, "5"], " people"]),
}


def _nodes(tree: list[object]) -> int:
    return sum(1 + _nodes(n[1:]) for n in tree if isinstance(n, list))


def _flat(tree: list[object]) -> str:
    return "".join(n if isinstance(n, str) else _flat(n[1:]) for n in tree)  # type: ignore[arg-type]


@pytest.mark.parametrize("case", SEGMENTS.values(), ids=SEGMENTS.keys())
def test_segments(case: Seg) -> None:
    tree = segments(case.text, case.spans)
    assert tree == case.expected
    assert _flat(tree) == case.text and _nodes(tree) == len(case.spans)  # the text whole, one node per figure


@pytest.mark.parametrize(("value", "shown"), [(11661.0, "11,661"), (0.25, "0.25"), (None, ""), (22.5, "22.5"),
                                              (1.5e9, "1,500,000,000"), (1234567.5, "1,234,567.5"),
                                              (0.1 + 0.2, "0.3"), (-3.0, "-3"), (float("nan"), "")])
def test_numbers(value: float | None, shown: str) -> None:
    assert number(value) == shown


HOSTILE = ['<script>window.__pwned = 1</script>', '"><img src=x onerror="window.__pwned=2">', "</textarea>",
           "<!-- x -->", "</script><script>window.__pwned=3</script>", "&lt;b&gt; & \u2028"]


@pytest.mark.parametrize("payload", HOSTILE)
def test_json_blocks_cannot_be_closed(payload: str) -> None:
    block = json_block({"t": payload})
    assert "<" not in block and ">" not in block and "&" not in block.replace("\\u0026", "")
    assert json.loads(block) == {"t": payload}


def _run(raw: Path, out: Path, **settings: object) -> pipeline.Summary:
    return pipeline.run(Settings(raw=raw, out=out, **settings), use_cache=False)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pipeline.Summary]:
    root = tmp_path_factory.mktemp("report")
    raw = root / "raw"
    raw.mkdir()
    (raw / '<img src=x onerror="window.__pwned=4">.txt').write_text(
        "\n".join(HOSTILE) + "\nWe sold 1,200 tickets online and 300 tickets at the door, a total of 1,600 tickets.\n",
        encoding="utf-8")
    (raw / "empty.txt").write_bytes(b"")
    return raw, _run(raw, root / "curated")


def test_a_run_writes_the_report_into_its_snapshot(hostile: tuple[Path, pipeline.Summary]) -> None:
    summary = hostile[1]
    snap = Path(summary.snapshot)
    assert summary.report == str(snap / REPORT_FILE)
    manifest = json.loads((snap / "manifest.json").read_text(encoding="utf-8"))
    data = (snap / REPORT_FILE).read_bytes()
    assert manifest["files"] == {REPORT_FILE: {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}}
    assert (Path(summary.out) / REPORT_FILE).resolve() == (snap / REPORT_FILE).resolve()


def test_every_source_text_is_escaped(hostile: tuple[Path, pipeline.Summary]) -> None:
    page = Path(hostile[1].report).read_text(encoding="utf-8")
    body = page.split("<body>", 1)[1]
    # the page's own markup only: one script element (the page's), no img, no textarea, no comment
    assert re.findall(r"<script>", body) == ["<script>"] and body.count("</script>") == page.count('type="application/json"') + 1
    assert "<img" not in page and "<textarea" not in page.lower() and "</textarea" not in page.lower() and "<!--" not in page
    assert "&lt;img src=x onerror=&quot;window.__pwned=4&quot;&gt;.txt" in page  # the file name, escaped
    assert "empty file" in page  # the rejected file and its reason


def test_the_csp_pins_the_inline_style_and_script(hostile: tuple[Path, pipeline.Summary]) -> None:
    page = Path(hostile[1].report).read_text(encoding="utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    script = re.search(r"<script>(.*?)</script></body>", page, re.S)
    assert style and script

    def pin(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert policy.group(1) == (f"default-src 'none'; style-src {pin(style.group(1))}; script-src {pin(script.group(1))}; "
                               "img-src data:; base-uri 'none'; form-action 'none'")
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing from the network


def test_report_false_writes_none(tmp_path: Path, raw_dir: Path) -> None:
    summary = _run(raw_dir, tmp_path / "curated", report=False)
    assert summary.report == "" and not (Path(summary.snapshot) / REPORT_FILE).exists()
    assert "files" not in json.loads((Path(summary.snapshot) / "manifest.json").read_text(encoding="utf-8"))


def test_the_command_reads_the_texts_again_and_says_which_changed(tmp_path: Path, raw_dir: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(raw_dir, raw)
    summary = _run(raw, tmp_path / "curated")
    changed = raw / "hi-paris-ai-action-week.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    out = tmp_path / "page.html"
    result = runner.invoke(app, ["report", "--curated", str(tmp_path / "curated"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"tally report: wrote {out} (")
    page = out.read_text(encoding="utf-8")
    assert "hi-paris-ai-action-week.txt` changed since this publish (its sha256 differs)" in page
    data = from_published(tmp_path / "curated")
    docs = pl.read_parquet(tmp_path / "curated" / "documents.parquet")
    assert len(data.texts) == docs.height - 1 and len(data.missing) == 1
    assert data.info["run_id"] == summary.run_id
    # the same publish, the raw folder untouched: the page of the command is the run's but for its time
    changed.write_text(changed.read_text(encoding="utf-8").removesuffix("\nOne more line.\n"), encoding="utf-8")
    rebuilt = build_report(from_published(tmp_path / "curated"))
    in_run = Path(summary.report).read_text(encoding="utf-8")
    assert re.sub(r"created: [^ ]+", "", rebuilt) == re.sub(r"created: [^ ]+", "", in_run)


def test_the_command_without_a_publish_is_one_line(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--curated", str(tmp_path), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert result.output == f"tally: `{tmp_path}` holds no publish (no `current` link): run `tally run` first\n"


def test_the_flow_links_the_report_from_its_artifacts(hostile: tuple[Path, pipeline.Summary],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The artifacts task's own code, without a server (`task.fn`): the summary names the report
    by its file URL and a link artifact points at it."""
    from tally.flows import curate as flow_module
    from tally.publish.audit import Curated

    made: dict[str, dict[str, object]] = {}
    for name in ("create_markdown_artifact", "create_link_artifact", "create_table_artifact"):
        monkeypatch.setattr(flow_module, name, lambda _n=name, **kw: made.setdefault(kw["key"], {"kind": _n, **kw}))
    summary = hostile[1]
    out = Path(summary.out)
    frames = {n: pl.read_parquet(out / f"{n}.parquet") for n in ("documents", "figures", "reconciliations", "metrics",
                                                                 "quarantine")}
    flow_module.artifacts_task.fn(summary, Curated(**frames))
    uri = Path(summary.report).resolve().as_uri()
    assert made["tally-review-report"]["kind"] == "create_link_artifact" and made["tally-review-report"]["link"] == uri
    assert f"- review report: [report.html]({uri})" in str(made["tally-curate-summary"]["markdown"])


@pytest.fixture(scope="module")
def three_docs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, pipeline.Summary]:
    root = tmp_path_factory.mktemp("budget")
    raw = root / "raw"
    raw.mkdir()
    (raw / "a-consistent.txt").write_text("We sold 1,200 tickets online and 300 at the door: 1,500 tickets.\n" * 3,
                                          encoding="utf-8")
    (raw / "b-wrong.txt").write_text("The 469 volunteers break down as follows:\n- 295 in health\n- 113 in energy\n"
                                     "- 56 in culture\n", encoding="utf-8")
    (raw / "c-plain.txt").write_text("There were 40 stands and 12 talks over 2 days in 2025.\n", encoding="utf-8")
    return raw, _run(raw, root / "curated")


@pytest.mark.parametrize("budget, shown", [(10_000, {"a-consistent.txt", "b-wrong.txt", "c-plain.txt"}),
                                           (1, {"b-wrong.txt"}), (5, {"b-wrong.txt"})])
def test_a_report_shows_documents_with_failing_checks_first_within_its_figure_budget(
        three_docs: tuple[Path, pipeline.Summary], budget: int, shown: set[str]) -> None:
    from tally.report.data import from_staged

    raw, summary = three_docs
    assert any(e[0] == "b-wrong.txt" for e in summary.errors)
    data = from_staged(Path(summary.snapshot), raw, {"run_id": summary.run_id}, budget)
    assert set(data.documents["source"].to_list()) == shown
    assert set(data.figures["doc_id"].to_list()) <= set(data.documents["doc_id"].to_list())
    assert set(data.texts) == set(data.documents["doc_id"].to_list())
    if len(shown) < 3:
        assert data.info["shown"].startswith(f"{len(shown)} of 3 documents")
        assert " of 1 failing checks" in data.info["shown"]  # what the cut leaves out of the checks too
        assert "every row is in the datasets" in build_report(data)
    else:
        assert "shown" not in data.info
