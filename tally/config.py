"""Defaults from `[tool.tally]` in the pyproject.toml of the current folder; the command line wins."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from tally.errors import TallyError


class ConfigError(TallyError):
    """The configuration file cannot be read or holds a bad value."""


def load(path: Path | None = None) -> dict[str, Any]:
    """`[tool.tally]` of `path` (default ./pyproject.toml); a config file given with --config may
    also hold the keys at its top level or under `[tally]`."""
    explicit = path is not None
    path = path or Path("pyproject.toml")
    if not path.exists():
        if explicit:
            raise ConfigError(f"config file `{path}` does not exist: pass --config with a TOML file")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read `{path}`: {exc}; fix the TOML syntax") from None
    section = data.get("tool", {}).get("tally")
    if section is None and explicit:
        section = data.get("tally", data)
    section = section or {}
    if not isinstance(section, dict):
        raise ConfigError(f"`[tool.tally]` in `{path}` must be a table")
    return section


def reconcile_settings(section: dict[str, Any], where: str = "[tool.tally.reconcile]") -> Any:
    """The reconciliation settings of a config section, or ConfigError naming the bad key."""
    from tally.reconcile import Settings

    try:
        return Settings.from_mapping(section.get("reconcile", {}))
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"bad {where}: {exc}") from None
