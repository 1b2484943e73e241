"""Inline SVG charts: figures by kind per document (stacked bars) and checks by severity.

Pure strings with every label escaped; colours are presentation attributes (no inline style,
which the page's Content-Security-Policy forbids)."""

from __future__ import annotations

from collections import Counter
from html import escape

from tally.report.palette import KIND_COLOURS, SEVERITY_COLOURS, SEVERITY_LABELS, SEVERITY_ORDER
from tally.report.views import DocView

MAX_BARS = 25  # documents shown in the per-document chart (those with most figures)
ROW, LABEL_W, BAR_W = 18, 230, 420


def _label(text: str, width: int = 34) -> str:
    return escape(text if len(text) <= width else text[: width - 1] + "…")


def figures_by_kind(docs: list[DocView]) -> str:
    shown = sorted((d for d in docs if d.n_figures), key=lambda d: (-d.n_figures, d.source))[:MAX_BARS]
    if not shown:
        return '<p class="empty">No figures.</p>'
    top = max(d.n_figures for d in shown)
    height = ROW * len(shown) + 4
    parts = [f'<svg class="chart" id="chart-kinds" role="img" aria-labelledby="chart-kinds-t" '
             f'viewBox="0 0 {LABEL_W + BAR_W + 60} {height}" width="{LABEL_W + BAR_W + 60}" height="{height}">',
             '<title id="chart-kinds-t">Figures by kind per document</title>']
    for n, d in enumerate(shown):
        y = n * ROW + 2
        parts.append(f'<a href="#d-{d.index}" data-open="{d.index}"><text x="{LABEL_W - 6}" y="{y + 12}" '
                     f'text-anchor="end" font-size="11">{_label(d.source)}</text></a>')
        x = float(LABEL_W)
        for kind, colour in KIND_COLOURS.items():
            count = d.kinds.get(kind, 0)
            if not count:
                continue
            w = BAR_W * count / top
            parts.append(f'<rect class="bar k-{kind}" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{ROW - 4}" '
                         f'fill="{colour}" stroke="#555" stroke-width="0.5"><title>{escape(d.source)}: {count} '
                         f'{kind}</title></rect>')
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 12}" font-size="11">{d.n_figures}</text>')
    parts.append("</svg>")
    more = len([d for d in docs if d.n_figures]) - len(shown)
    note = f'<p class="note">The {len(shown)} documents with most figures; {more} more in the table.</p>' if more > 0 else ""
    return "".join(parts) + note


def checks_by_severity(counts: Counter[str]) -> str:
    top = max([*counts.values(), 1])
    height = ROW * len(SEVERITY_ORDER) + 4
    parts = [f'<svg class="chart" id="chart-severity" role="img" aria-labelledby="chart-sev-t" '
             f'viewBox="0 0 360 {height}" width="360" height="{height}">',
             '<title id="chart-sev-t">Checks by severity</title>']
    for n, sev in enumerate(SEVERITY_ORDER):
        y, count = n * ROW + 2, counts.get(sev, 0)
        w = 220 * count / top
        parts.append(f'<text x="84" y="{y + 12}" text-anchor="end" font-size="11">{SEVERITY_LABELS[sev]}</text>'
                     f'<rect class="bar s-{sev}" x="90" y="{y}" width="{w:.1f}" height="{ROW - 4}" '
                     f'fill="{SEVERITY_COLOURS[sev]}"><title>{count} {SEVERITY_LABELS[sev]}</title></rect>'
                     f'<text x="{90 + w + 4:.1f}" y="{y + 12}" font-size="11">{count}</text>')
    parts.append("</svg>")
    return "".join(parts)
