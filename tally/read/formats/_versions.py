"""Reader versions: Tally's own and that of the parser a reader wraps."""

from __future__ import annotations

from functools import cache
from importlib.metadata import PackageNotFoundError, version

from tally.version import __version__


@cache  # importlib.metadata scans the installed distributions on every call
def of(package: str) -> str:
    """`tally 0.6.0 + <package> <version>`: a reader's output changes with either."""
    try:
        return f"tally {__version__}; {package} {version(package)}"
    except PackageNotFoundError:
        return f"tally {__version__}; {package} (version unknown)"
