"""`tally check`: extract, reconcile and validate without publishing, for CI gates."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl

from tally.gate.diff import compare, load_published
from tally.pipeline import curate_frames, preflight, read_batch
from tally.reconcile import RULES
from tally.settings import Settings
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
    """Every finding on `settings.raw`, each marked as failing the gate or not by the policy."""
    policy = settings.check
    docs = read_batch(preflight(settings), settings.raw, settings.max_file_bytes)
    curated = curate_frames(docs, settings.reconcile)
    report = Report(str(settings.raw), [d.source for d in docs], curated.figures.height)
    fail_sev = set(policy.fail_on_severity)
    for r in curated.reconciliations.filter(pl.col("severity") != Severity.INFO).iter_rows(named=True):
        report.findings.append(Finding(r["source"], r["line"], r["rule"], r["severity"], r["message"],
                                       r["severity"] in fail_sev))
    for q in curated.quarantine.iter_rows(named=True):
        report.findings.append(Finding(q["source"] or "?", q["line"] or 1, f"schema:{q['rule']}", Severity.ERROR,
                                       f"{q['dataset']} row {q['row_id']}: {q['reason']}", Severity.ERROR in fail_sev))
    for d in curated.documents.filter(pl.col("status") == Status.REJECTED).iter_rows(named=True):
        report.findings.append(Finding(d["source"], 1, "rejected", Severity.WARNING, f"not read: {d['reason']}",
                                       Severity.WARNING in fail_sev))
    if against is not None:
        fail_changes = set(policy.fail_on_changes)
        for c in compare(load_published(against), curated.figures, policy.count_shift):
            fails = c.change in fail_changes
            report.findings.append(Finding(c.source, c.line or 1, f"diff:{c.change}",
                                           Severity.ERROR if fails else Severity.INFO, c.message, fails))
    report.findings.sort(key=lambda f: (f.source, f.line, f.rule))
    return report


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
    for source in report.documents:
        suite = ET.SubElement(root, "testsuite", name=source)
        n = f = 0
        for rule in names:
            found = [x for x in report.findings if x.source == source and x.rule == rule]
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
