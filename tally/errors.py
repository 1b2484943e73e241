"""Named errors with the context a user needs to fix the problem."""

from __future__ import annotations


class TallyError(Exception):
    """Base class: every error Tally raises on purpose."""


class RawFolderError(TallyError):
    """The raw folder is missing, not a folder, or holds no text."""


class OutFolderError(TallyError):
    """The out folder cannot be created or written."""


class OutFolderLayoutError(OutFolderError):
    """The out folder holds something in the way of a publish (`current` is not a link): retrying
    does not help, a person has to move it."""


class NotPublishedError(TallyError):
    """A folder read as a publish holds no whole publish."""


class DataError(TallyError):
    """The data broke a rule: exit code 1 on the command line."""


class ValidationFailure(DataError):
    """A dataset broke its contract: nothing was published."""

    def __init__(self, dataset: str, failures: list[dict[str, object]] | None = None) -> None:
        self.dataset = dataset
        self.failures = list(failures or [])
        super().__init__(dataset, self.failures)

    def __reduce__(self) -> tuple[type[ValidationFailure], tuple[str, list[dict[str, object]]]]:
        return (type(self), (self.dataset, self.failures))  # crosses process and Prefect boundaries whole

    def __str__(self) -> str:
        lines = [f"dataset `{self.dataset}` failed validation; nothing was published:"]
        for f in self.failures[:10]:
            col = f" column `{f['column']}`" if f.get("column") else ""
            if f.get("where"):  # a row we can point at: file:line and the figure's text
                lines.append(f"  rule `{f['check']}`{col}: {f['where']}")
            else:
                row = f" row {f['index']}" if f.get("index") is not None else ""
                lines.append(f"  rule `{f['check']}`{col}{row}: {f['failure_case']}")
        if len(self.failures) > 10:
            lines.append(f"  ... and {len(self.failures) - 10} more failures")
        return "\n".join(lines)
