"""`tally check`: extract, reconcile and validate without publishing, for CI gates."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl

from tally.gate.diff import compare, load_published
from tally.pipeline import preflight
from tally.publish.audit import Curated
from tally.reconcile import RULES
from tally.settings import CheckPolicy, Settings
from tally.vocabulary import Severity, Status


@dataclass
class Finding:
    source: str
    line: int
    rule: str  # a reconciliation rule, schema:<check>, rejected, diff:<change>
    severity: str  # error, warning, info
    message: str
    fails: bool


@dataclass
class Report:
    raw: str
    documents: list[str] = field(default_factory=list)
    figures: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.fails]


def run_check(settings: Settings, against: Path | None = None) -> Report:
    """Every finding on `settings.raw`, each marked as failing the gate or not by the policy.

    The corpus is curated in batches (`tally.stream`, in `settings.workers` processes, nothing
    cached or written): its texts and rows are never held together, only the findings (and, with
    `against`, the published figures compared with each batch's)."""
    from tally import pipeline, stream

    policy = settings.check
    chunks = list(pipeline.batches(preflight(settings)))
    old = load_published(against) if against is not None else None
    report = Report(str(settings.raw))
    with stream.local_executor(settings, None, len(chunks)) as executor:
        for batch in stream.results(chunks, executor):
            curated = batch.curated
            report.documents += [i["source"] for i in batch.inputs]
            report.figures += curated.figures.height
            report.findings += _findings(curated, policy)
            if old is not None:
                sources = curated.documents["source"].to_list()
                report.findings += _changes(old.filter(pl.col("source").is_in(sources)), curated.figures, policy)
    if old is not None:  # documents published then, not read now
        gone = old.filter(~pl.col("source").is_in(report.documents))
        report.findings += _changes(gone, old.clear(), policy)
    report.findings.sort(key=lambda f: (f.source, f.line, f.rule, f.severity, f.message))  # the same order every run
    return report


def _findings(curated: Curated, policy: CheckPolicy) -> list[Finding]:
    fail_sev = set(policy.fail_on_severity)
    out = [Finding(r["source"], r["line"], r["rule"], r["severity"], r["message"], r["severity"] in fail_sev)
           for r in curated.reconciliations.filter(pl.col("severity") != Severity.INFO).iter_rows(named=True)]
    out += [Finding(q["source"] or "?", q["line"] or 1, f"schema:{q['rule']}", Severity.ERROR,
                    f"{q['dataset']} row {q['row_id']}: {q['reason']}", Severity.ERROR in fail_sev)
            for q in curated.quarantine.iter_rows(named=True)]
    out += [Finding(d["source"], 1, "rejected", Severity.WARNING, f"not read: {d['reason']}", Severity.WARNING in fail_sev)
            for d in curated.documents.filter(pl.col("status") == Status.REJECTED).iter_rows(named=True)]
    return out


def _changes(old: pl.DataFrame, new: pl.DataFrame, policy: CheckPolicy) -> list[Finding]:
    fail_changes = set(policy.fail_on_changes)
    return [Finding(c.source, c.line or 1, f"diff:{c.change}", Severity.ERROR if c.change in fail_changes else
                    Severity.INFO, c.message, c.change in fail_changes) for c in compare(old, new, policy.count_shift)]


def rule_names(report: Report) -> list[str]:
    names = [str(r) for r in RULES]
    extra = sorted({f.rule for f in report.findings} - set(names))
    return [*names, *extra]


def write_junit(report: Report, path: Path, raw: Path) -> None:
    """A testsuite per document, a testcase per document and rule; failures carry the messages
    with file:line."""
    root = ET.Element("testsuites", name="tally check")
    names = rule_names(report)
    total = failed = 0
    by_case: dict[tuple[str, str], list[Finding]] = {}
    for x in report.findings:  # grouped once: a look-up per case, not a scan of every finding
        by_case.setdefault((x.source, x.rule), []).append(x)
    for source in report.documents:
        suite = ET.SubElement(root, "testsuite", name=source)
        n = f = 0
        for rule in names:
            found = by_case.get((source, rule), [])
            case = ET.SubElement(suite, "testcase", classname=source, name=rule, file=str(raw / source),
                                 line=str(found[0].line if found else 1))
            n += 1
            bad = [x for x in found if x.fails]
            if bad:
                f += 1
                failure = ET.SubElement(case, "failure", message=bad[0].message, type=rule)
                failure.text = "\n".join(f"{raw / source}:{x.line}: [{x.severity}] {x.message}" for x in bad)
            elif found:
                out = ET.SubElement(case, "system-out")
                out.text = "\n".join(f"{raw / source}:{x.line}: [{x.severity}] {x.message}" for x in found)
        suite.set("tests", str(n))
        suite.set("failures", str(f))
        total, failed = total + n, failed + f
    root.set("tests", str(total))
    root.set("failures", str(failed))
    ET.indent(root)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def write_json(report: Report, path: Path) -> None:
    data = {"raw": report.raw, "documents": report.documents, "figures": report.figures,
            "failures": len(report.failures), "findings": [asdict(f) for f in report.findings]}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")


def github_annotations(report: Report, raw: Path) -> list[str]:
    """::error file=...,line=...:: lines for GitHub Actions."""
    def esc(s: str) -> str:
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    out = []
    for f in report.findings:
        level = "error" if f.fails else ("warning" if f.severity != "info" else "notice")
        out.append(f"::{level} file={raw / f.source},line={f.line},title=tally {f.rule}::{esc(f.message)}")
    return out
