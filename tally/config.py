"""Defaults from `[tool.tally]` in the pyproject.toml of the current folder; the command line wins."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from tally.errors import TallyError


class ConfigError(TallyError):
    """The configuration file cannot be read or holds a bad value."""


def load(path: Path | None = None) -> dict[str, Any]:
    path = path or Path("pyproject.toml")
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read `{path}`: {exc}; fix the TOML syntax") from None
    section = data.get("tool", {}).get("tally", {})
    if not isinstance(section, dict):
        raise ConfigError(f"`[tool.tally]` in `{path}` must be a table")
    return section
