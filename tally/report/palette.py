"""Colours and labels of the report: one per figure kind and per check severity (a data table).

Kind colours are light fills that keep dark text readable (contrast over 7:1 with #1a1a1a);
the severity colours are the usual red, amber and grey-green of review tools.
"""

from __future__ import annotations

from tally.vocabulary import Kind, Severity

KIND_COLOURS: dict[str, str] = {
    Kind.COUNT: "#b9dcff",
    Kind.PERCENT: "#ffd59e",
    Kind.MONEY: "#b8ecb8",
    Kind.DURATION: "#e3c8ff",
    Kind.DATE: "#ffc9de",
    Kind.YEAR: "#f5e79e",
    Kind.ORDINAL: "#c8f0ec",
    Kind.MEASURE: "#dcd3c3",
    Kind.OTHER: "#e0e0e0",
}

SEVERITY_COLOURS: dict[str, str] = {
    Severity.ERROR: "#c62828",
    Severity.WARNING: "#b26a00",
    Severity.INFO: "#4f7a5a",
}

SEVERITY_LABELS: dict[str, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "holds",
}

# the order checks are listed in: what needs a reader's eyes first
SEVERITY_ORDER: tuple[str, ...] = (Severity.ERROR, Severity.WARNING, Severity.INFO)
