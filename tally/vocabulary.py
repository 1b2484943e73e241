"""The closed value sets of the data contract, one enumeration each.

The pandera models in `tally.schemas` check columns against these; the extractor, the rules and
the CLI use the same members. A value is a `StrEnum`, so it compares equal to its string and is
written to parquet as that string.
"""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """What a figure is."""

    COUNT = "count"
    PERCENT = "percent"
    MONEY = "money"
    DURATION = "duration"
    DATE = "date"
    YEAR = "year"
    ORDINAL = "ordinal"
    MEASURE = "measure"
    OTHER = "other"


class Qualifier(StrEnum):
    """How exactly a figure is stated: "11,661", "more than 3,800", "up to 50", "about 200"."""

    EXACT = "exact"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    APPROXIMATE = "approximate"


class Status(StrEnum):
    """What became of a raw file."""

    OK = "ok"
    REJECTED = "rejected"  # a file a reader should read but cannot: the run is partial (exit code 3)
    SKIPPED = "skipped"  # a file of a format no reader knows (a README.md is read; a .png is skipped)


class Language(StrEnum):
    EN = "en"
    FR = "fr"
    UNDETERMINED = "und"


class Severity(StrEnum):
    """How bad a reconciliation check that does not hold is (a check that holds is info)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Relation(StrEnum):
    """How a check relates what a text states to what it observes."""

    EQUALS = "equals"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"
    ROUNDS_TO = "rounds_to"
    NOT_MORE_THAN = "not_more_than"
    APPROXIMATELY = "approximately"


class Rule(StrEnum):
    """The reconciliation rules (`tally.reconcile.RULES` maps each to its function)."""

    LIST_TOTAL = "list_total"
    RESTATEMENT = "restatement"
    REPEATED_MENTION = "repeated_mention"
    PART_WHOLE = "part_whole"
    SUBSET = "subset"
    PERCENT_OF = "percent_of"
    PRODUCT = "product"
    DIFFERENCE = "difference"


class Change(StrEnum):
    """What `tally check --against` reports between a publish and now."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    COUNT_SHIFT = "count_shift"


class Dataset(StrEnum):
    """The published datasets, in the order they are written."""

    DOCUMENTS = "documents"
    FIGURES = "figures"
    RECONCILIATIONS = "reconciliations"
    METRICS = "metrics"
    QUARANTINE = "quarantine"


def values(enum: type[StrEnum]) -> list[str]:
    """The members' strings, in declaration order (for pandera `isin` checks)."""
    return [str(m) for m in enum]


# metric column of `metrics` -> head nouns (English and French) that count it
METRICS: dict[str, tuple[str, ...]] = {
    "participants": ("participant", "attendee", "visitor", "visiteur", "inscrit"),
    "proposals": ("proposal", "proposition", "idea", "idée", "submission", "contribution"),
    "votes": ("vote", "suffrage", "ballot"),
    "respondents": ("respondent", "répondant", "response", "réponse"),
    "signatures": ("signature",),
    "comments": ("comment", "commentaire"),
    "applications": ("application", "candidature"),
}
