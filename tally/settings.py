"""Settings as typed models: `[tool.tally]` of ./pyproject.toml, then a `--config` file, then the
command-line flags, each overriding the one before. A wrong type or an unknown key is one
`ConfigError` line naming where it was set, the key, the value and what is expected.

    [tool.tally]
    raw = "raw"
    out = "curated"                 # or object storage: "s3://bucket/prefix" (README, "Object storage")
    keep = 5
    max_file_bytes = 209715200
    [tool.tally.reconcile]
    rules = { subset = false }
    list_total_max = 200
    [tool.tally.check]
    fail_on_severity = ["error"]
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, ValidationError, field_validator

from tally.errors import TallyError
from tally.storage import location
from tally.vocabulary import Change, Rule, Severity

PYPROJECT = Path("pyproject.toml")

_FROZEN = ConfigDict(extra="forbid", frozen=True)
Share = Annotated[StrictFloat, Field(ge=0.0, le=1.0)]


class ConfigError(TallyError):
    """The configuration cannot be read or holds a bad value: exit code 2."""


class ReconcileSettings(BaseModel):
    """Rule switches and thresholds of the reconciliation checks (`[tool.tally.reconcile]`)."""

    model_config = _FROZEN

    rules: dict[Rule, StrictBool] = Field(default_factory=lambda: dict.fromkeys(Rule, True))
    list_total_max: Annotated[StrictInt, Field(ge=1)] = 200  # larger stated counts are not lists to count
    restatement_max_gap: Share = 0.25  # a rounded and a precise figure further apart count different things
    restatement_error_gap: Share = 0.2  # beyond this a failed restatement is a warning, not an error
    percent_tolerance: Annotated[StrictFloat, Field(ge=0.0)] = 0.5  # points beyond the stated rounding

    @field_validator("rules")
    @classmethod
    def _all_rules(cls, value: dict[Rule, bool]) -> dict[Rule, bool]:
        """A rule left out of `rules` stays on."""
        return {rule: value.get(rule, True) for rule in Rule}

    def enabled(self, rule: Rule) -> bool:
        return self.rules[rule]

    def key(self) -> str:
        """A short hash of these settings, for cache keys."""
        return hashlib.sha256(self.model_dump_json().encode()).hexdigest()[:12]


class CheckPolicy(BaseModel):
    """Which findings fail `tally check` (`[tool.tally.check]`)."""

    model_config = _FROZEN

    fail_on_severity: tuple[Severity, ...] = (Severity.ERROR,)
    fail_on_changes: tuple[Change, ...] = (Change.CHANGED, Change.COUNT_SHIFT)
    count_shift: Annotated[StrictFloat, Field(ge=0.0)] = 0.2


class Settings(BaseModel):
    """Everything a run or a check reads from configuration (`[tool.tally]`)."""

    model_config = _FROZEN

    raw: Path = Path("raw")
    out: Path = Path("curated")
    keep: Annotated[StrictInt, Field(ge=1)] = 5  # snapshots kept in <out>/snapshots
    max_file_bytes: Annotated[StrictInt, Field(ge=1)] = 200 * 1024 * 1024  # larger raw files are rejected
    report: StrictBool = True  # write the review report (report.html) into every snapshot
    workers: Annotated[StrictInt, Field(ge=1)] | None = None  # processes for the batches; None: the core count
    reconcile: ReconcileSettings = Field(default_factory=ReconcileSettings)
    check: CheckPolicy = Field(default_factory=CheckPolicy)

    @field_validator("raw", "out", mode="after")
    @classmethod
    def _location(cls, value: Any) -> Any:
        """`s3://bucket/prefix` (object storage) as a `storage.RemotePath`, whose str is the URL again."""
        return location(value)


# What a value of each pydantic error type should have been, in the words of a TOML file.
EXPECTED = {
    "bool_type": "true or false",
    "int_type": "a whole number",
    "float_type": "a number",
    "tuple_type": 'a list, e.g. ["error"]',
    "list_type": 'a list, e.g. ["error"]',
    "dict_type": "a table, e.g. { subset = false }",
    "model_type": "a table",
    "path_type": "a path, as a string",
    "string_type": "a string",
}


def _toml(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(value)


def _key(loc: tuple[Any, ...]) -> tuple[str, str]:
    """(the TOML table, the key in it) of a pydantic error location: `rules.subset`, `fail_on_severity[0]`."""
    parts = [p for p in loc if p != "[key]"]
    table = "[tool.tally]"
    if len(parts) > 1 and parts[0] in ("reconcile", "check"):
        table, parts = f"[tool.tally.{parts[0]}]", parts[1:]
    key = ""
    for p in parts:
        key += f"[{p}]" if isinstance(p, int) else (f".{p}" if key else str(p))
    return table, key


def _message(error: Any, origin: str) -> str:
    loc, kind = tuple(error["loc"]), error["type"]
    if loc and loc[-1] == "[key]":  # a bad key of a table such as `rules`
        table, key = _key(loc[:-2])
        return f"{origin} {table}: unknown name {_toml(error['input'])} in `{key}`: {error['msg'].lower()}"
    table, key = _key(loc)
    if kind == "extra_forbidden":
        return f"{origin} {table}: unknown key `{key}`: remove it or check its spelling"
    expected = EXPECTED.get(kind) or error["msg"].removeprefix("Input should be ").removeprefix("Value error, ")
    return f"{origin} {table}: `{key}` = {_toml(error['input'])} is not valid: expected {expected}"


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _has(layer: dict[str, Any], loc: tuple[Any, ...]) -> bool:
    node: Any = layer
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        elif isinstance(node, dict) and str(part) in {str(k) for k in node}:
            node = {str(k): v for k, v in node.items()}[str(part)]
        else:
            return False
    return True


def read_section(path: Path, explicit: bool) -> dict[str, Any]:
    """`[tool.tally]` of a TOML file; a file given with --config may also hold the keys under
    `[tally]` or at its top level."""
    if not path.exists():
        if explicit:
            raise ConfigError(f"config file `{path}` does not exist: pass --config with a TOML file")
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"cannot read `{path}`: {exc}; fix the TOML syntax") from None
    tool = data.get("tool")
    section = tool.get("tally") if isinstance(tool, dict) else None
    if section is None and explicit:
        section = data.get("tally", {k: v for k, v in data.items() if k != "tool"})
    if section is None:
        return {}
    if not isinstance(section, dict):
        raise ConfigError(f"`[tool.tally]` in `{path}` must be a table")
    return section


def load(config: Path | None = None, *, cwd: Path | None = None, **flags: Any) -> Settings:
    """Settings from ./pyproject.toml, then `config`, then the flags that are not None."""
    here = cwd or Path.cwd()
    layers = [(f"{PYPROJECT}", read_section(here / PYPROJECT, explicit=False))]
    if config is not None:
        layers.append((f"{config}", read_section(config, explicit=True)))
    layers.append(("command line", {k: v for k, v in flags.items() if v is not None}))
    merged: dict[str, Any] = {}
    for _, layer in layers:
        merged = _merge(merged, layer)
    try:
        return Settings.model_validate(merged)
    except ValidationError as exc:
        error = exc.errors()[0]
        origin = next((name for name, layer in reversed(layers) if _has(layer, error["loc"])), layers[-1][0])
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigError(_message(error, f"bad setting in {origin}") + more) from None
