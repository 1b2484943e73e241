"""The report as one self-contained HTML page: inline CSS, JS and SVG, nothing fetched.

Every piece of source text (file names, texts, messages, reasons) is escaped here with
`html.escape`, or embedded as JSON in a `<script type="application/json">` block with `<`, `>`
and `&` written as \\u escapes, so no text can close the block; the page's script reads it with
JSON.parse and puts it into the page with textContent only. The Content-Security-Policy allows
the page's own inline style and script by their sha256 and nothing else: no fetch, no image,
no frame, no form.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter
from html import escape
from importlib import resources
from typing import Any

from tally.report.charts import checks_by_severity, figures_by_kind
from tally.report.data import ReportData
from tally.report.palette import KIND_COLOURS, SEVERITY_COLOURS, SEVERITY_LABELS, SEVERITY_ORDER
from tally.report.views import CheckView, DocView, build_views, failing
from tally.vocabulary import Severity, Status


def _asset(name: str) -> str:
    return resources.files("tally.report").joinpath("assets", name).read_text(encoding="utf-8")


def _css() -> str:
    rules = [_asset("report.css")]
    for kind, colour in KIND_COLOURS.items():
        rules.append(f"mark.k-{kind}, .swatch.k-{kind} {{ background: {colour}; }}")
        rules.append(f"body.hide-k-{kind} mark.k-{kind}:not(.hl) {{ background: transparent; cursor: text; }}")
    for sev, colour in SEVERITY_COLOURS.items():
        rules.append(f"li.chk.s-{sev} {{ border-left-color: {colour}; }} li.chk.s-{sev} .sev, .badge.s-{sev} "
                     f"{{ color: {colour}; }} .badge.s-{sev} {{ background: {colour}; color: #fff; }}")
        rules.append(f"body.hide-s-{sev} li.chk.s-{sev} {{ display: none; }}")
    return "\n".join(rules)


def _sha256(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode() + "'"


def csp(style: str, script: str) -> str:
    return (f"default-src 'none'; style-src {_sha256(style)}; script-src {_sha256(script)}; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def json_block(value: Any) -> str:
    """JSON that is safe inside a <script type="application/json"> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _header(data: ReportData, docs: list[DocView], checks: list[CheckView]) -> str:
    info = data.info
    meta = " · ".join(escape(f"{k}: {info[k]}") for k in ("run_id", "created", "raw", "tally_version", "shown")
                      if info.get(k))
    return (f"<header><h1>Tally review report</h1><div class=\"meta\">{meta}</div></header>")


def _filters() -> str:
    kinds = "".join(f'<label class="filter"><input type="checkbox" checked data-filter="k-{k}"> '
                    f'<span class="swatch k-{k}"></span>{k}</label>' for k in KIND_COLOURS)
    sevs = "".join(f'<label class="filter"><input type="checkbox" checked data-filter="s-{s}"> '
                   f'<span class="badge s-{s}">{SEVERITY_LABELS[s]}</span></label>' for s in SEVERITY_ORDER)
    return (f'<section id="filters"><fieldset id="kind-filter"><legend>Figure kinds (legend; untick to '
            f'unhighlight)</legend>{kinds}</fieldset><fieldset id="severity-filter"><legend>Checks shown'
            f'</legend>{sevs}</fieldset></section>')


def _check(c: CheckView) -> str:
    attrs = f' data-doc="{c.doc}" data-figs="{" ".join(map(str, c.figures))}"' if c.doc is not None else ""
    cls = "chk s-" + escape(c.severity) + (" failing" if c.severity != Severity.INFO else "")
    extra = f" ({_plural(c.hidden_figures, 'figure')} not published)" if c.hidden_figures else ""
    return (f'<li class="{cls}" id="c-{c.index}" tabindex="0"{attrs}><span class="sev">'
            f'{escape(SEVERITY_LABELS.get(c.severity, c.severity))}</span><span class="rule">{escape(c.rule)}</span>'
            f'<span class="where">{escape(c.source)}:{c.line}</span><span class="msg">{escape(c.message)}{extra}</span></li>')


def _checks(checks: list[CheckView]) -> str:
    items = "".join(_check(c) for c in checks) or '<li class="empty">No checks.</li>'
    return (f'<section id="checks"><h2>Checks <span class="count">{failing(checks):,} failing of {len(checks):,}'
            f'</span></h2><p class="hint">Click a check to see its figures; <kbd>n</kbd>/<kbd>p</kbd> (or '
            f'<kbd>j</kbd>/<kbd>k</kbd>): next/previous failing check; in the list, arrows and Enter.</p>'
            f'<ol id="check-list">{items}</ol></section>')


def _cards(docs: list[DocView], checks: list[CheckView], data: ReportData) -> str:
    ok = sum(1 for d in docs if d.status == Status.OK)
    cards = [(len(docs), "documents"), (ok, "read"), (len(docs) - ok, "rejected"), (data.figures.height, "figures"),
             (failing(checks), "failing checks"), (len(checks), "checks"), (data.quarantine.height, "quarantined rows")]
    return '<div class="cards">' + "".join(f'<div class="card"><b>{n:,}</b>{w}</div>' for n, w in cards) + "</div>"


def _summary(docs: list[DocView], checks: list[CheckView], data: ReportData) -> str:
    sev = Counter(c.severity for c in checks)
    return (f'<section id="summary"><h2>Summary</h2>{_cards(docs, checks, data)}<div class="charts">'
            f'<figure><figcaption>Figures by kind per document</figcaption>{figures_by_kind(docs)}</figure>'
            f'<figure><figcaption>Checks by severity</figcaption>{checks_by_severity(sev)}</figure></div></section>')


def _doc_row(d: DocView) -> str:
    c = d.checks
    status = escape(d.status) + (f" ({escape(d.reason)})" if d.status != Status.OK and d.reason else "")
    name = f'<a href="#d-{d.index}" data-open="{d.index}">{escape(d.source)}</a>' if d.payload else escape(d.source)
    return (f'<tr class="st-{escape(d.status)}"><td class="src">{name}</td><td>{status}</td><td>{escape(d.language)}</td>'
            f'<td class="n">{d.n_figures:,}</td><td class="n">{c[Severity.ERROR]:,}</td>'
            f'<td class="n">{c[Severity.WARNING]:,}</td><td class="n">{c[Severity.INFO]:,}</td></tr>')


def _documents(docs: list[DocView]) -> str:
    rows = "".join(_doc_row(d) for d in docs)
    return (f'<section id="documents"><h2>Documents <span class="count">{len(docs):,}</span></h2><table id="doc-table">'
            '<thead><tr><th>document</th><th>status</th><th>language</th><th class="n">figures</th>'
            '<th class="n">errors</th><th class="n">warnings</th><th class="n">holds</th></tr></thead>'
            f'<tbody>{rows}</tbody></table></section>')


def _badges(d: DocView) -> str:
    out = []
    for sev in SEVERITY_ORDER:
        if d.checks[sev] and sev != Severity.INFO:
            out.append(f'<span class="badge s-{sev}">{_plural(d.checks[sev], SEVERITY_LABELS[sev])}</span>')
    return " ".join(out)


def _texts(docs: list[DocView]) -> str:
    items = "".join(f'<details class="doc" id="d-{d.index}" data-doc="{d.index}"><summary>{escape(d.source)}'
                    f'<span class="n">{_plural(d.n_figures, "figure")}</span> {_badges(d)}</summary>'
                    '<div class="doc-body"></div></details>' for d in docs if d.payload is not None)
    return (f'<section id="texts"><h2>Texts</h2><p class="hint">Each text is drawn when opened; hover or focus a '
            f'figure for its details.</p><button type="button" id="open-all">Open all</button><button type="button" '
            f'id="close-all">Close all</button>{items or "<p class=empty>No text was read.</p>"}</section>')


def _rejected(docs: list[DocView]) -> str:
    rows = "".join(f'<tr><td class="src">{escape(d.source)}</td><td>{escape(d.reason or "")}</td></tr>'
                   for d in docs if d.status != Status.OK)
    body = (f'<table id="rejected-table"><thead><tr><th>file</th><th>reason</th></tr></thead><tbody>{rows}</tbody>'
            '</table>') if rows else '<p class="empty">None: every file was read.</p>'
    return f'<section id="rejected"><h2>Rejected files</h2>{body}</section>'


def _quarantine(data: ReportData) -> str:
    q = data.quarantine
    rows = "".join(f'<tr><td>{escape(r["dataset"])}</td><td class="src">{escape(r["source"] or "")}</td>'
                   f'<td class="n">{r["line"] if r["line"] is not None else ""}</td><td>{escape(r["rule"])}</td>'
                   f'<td>{escape(r["reason"])}</td></tr>' for r in q.iter_rows(named=True))
    body = ('<table id="quarantine-table"><thead><tr><th>dataset</th><th>source</th><th class="n">line</th>'
            f'<th>rule</th><th>reason</th></tr></thead><tbody>{rows}</tbody></table>') if rows else \
        '<p class="empty">None: every row met its contract.</p>'
    return f'<section id="quarantine"><h2>Quarantined rows</h2>{body}</section>'


def render(data: ReportData) -> str:
    """The whole page."""
    docs, checks = build_views(data)
    style, script = _css(), _asset("report.js")
    blobs = "".join(f'<script type="application/json" id="t-{d.index}">{json_block(d.payload)}</script>'
                    for d in docs if d.payload is not None)
    title = escape(f"Tally review report {data.info.get('run_id', '')}".strip())
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{csp(style, script)}">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="referrer" content="no-referrer"><title>{title}</title><style>{style}</style></head>\n<body>'
            f'{_header(data, docs, checks)}<div class="layout"><aside>{_filters()}{_checks(checks)}</aside>'
            f'<main>{_summary(docs, checks, data)}{_documents(docs)}{_texts(docs)}{_rejected(docs)}'
            f'{_quarantine(data)}</main></div><div id="tip" role="tooltip" hidden></div>\n{blobs}\n'
            f"<script>{script}</script></body></html>\n")
