"""Prefect settings for an embedded, offline and quiet run. Call `configure()` before importing prefect.

Where Prefect keeps its state: `$PREFECT_HOME` when set, else `$TALLY_HOME/prefect`, else
`$XDG_STATE_HOME/tally/prefect`, else `~/.local/state/tally/prefect`. The folder and its parents
are created (Prefect creates only the last level, and its ephemeral server fails without them), and
a folder that cannot be written is one `PrefectHomeError` line here rather than an embedded server
that retries until its start-up time-out.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from tally.flows.errors import PrefectHomeError

# Measured on this machine kind (../shared/STACK_NOTES.md): the default 20 s start-up timeout of
# the ephemeral server is too tight on a fresh database.
STARTUP_TIMEOUT_SECONDS = "120"

OFFLINE_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",  # the server otherwise calls an outside host
    "DO_NOT_TRACK": "1",  # the client otherwise sends events from an interactive terminal
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": STARTUP_TIMEOUT_SECONDS,
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_TASKS_RUNNER_THREAD_POOL_MAX_WORKERS": "4",
    "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
}


def state_dir() -> Path:
    if os.environ.get("TALLY_HOME"):
        return Path(os.environ["TALLY_HOME"]).expanduser()
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base).expanduser() / "tally"


def prefect_home() -> Path:
    if os.environ.get("PREFECT_HOME"):
        return Path(os.environ["PREFECT_HOME"]).expanduser()
    return state_dir() / "prefect"


def configure(verbose: bool | None = None) -> Path:
    """Set the environment for embedded Prefect; returns PREFECT_HOME. Settings already in the
    environment win, so a user with a Prefect server (PREFECT_API_URL) keeps using it.

    `verbose=False` (the command line without --verbose) keeps Prefect's console quiet: Tally
    prints its own one-line message for its errors, and Prefect's log with the tracebacks still
    goes to the Prefect API. `verbose=True` shows that log, at INFO, on the terminal."""
    if verbose is True:
        os.environ["PREFECT_LOGGING_LEVEL"] = "INFO"
        os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] = "0"
    elif verbose is False:
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    if "prefect" in sys.modules and "PREFECT_HOME" not in os.environ:
        # prefect read its settings already; changing PREFECT_HOME now would not take effect.
        return prefect_home()
    home = prefect_home()
    _writable(home)
    os.environ.setdefault("PREFECT_HOME", str(home))
    for key, value in OFFLINE_DEFAULTS.items():
        os.environ.setdefault(key, value)
    return home


def _writable(home: Path) -> None:
    """Create `home` with its parents and write a file in it, or raise PrefectHomeError."""
    try:
        home.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=home):
            pass
    except OSError as exc:
        raise PrefectHomeError(str(home), exc.strerror or type(exc).__name__) from exc
