"""The import contracts of pyproject.toml ([tool.importlinter]) hold, and they can fail."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
LAYERS = "The stages import downward only"


def _lint_imports(repo: Path) -> subprocess.CompletedProcess[str]:
    """lint-imports on the `tally` package of `repo` (first on sys.path: cwd and PYTHONPATH)."""
    assert LINT_IMPORTS.exists(), f"{LINT_IMPORTS} missing: install the test extra (pip install -e '.[test]')"
    env = {**os.environ, "PYTHONPATH": str(repo)}
    return subprocess.run([str(LINT_IMPORTS), "--no-logo", "--no-cache"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=120)


def test_grimp_sees_schemas_and_flows_through_the_symlinks() -> None:
    code = (
        "import grimp, tally\n"
        f"assert tally.__file__.startswith({str(ROOT / 'tally')!r}), tally.__file__\n"
        "mods = grimp.build_graph('tally', cache_dir=None).modules\n"
        "need = {'tally.schemas', 'tally.schemas.figures', 'tally.flows', 'tally.flows.curate'}\n"
        "assert need <= mods, sorted(need - mods)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_the_contracts_are_kept() -> None:
    proc = _lint_imports(ROOT)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Contracts: 4 kept, 0 broken." in proc.stdout, proc.stdout


def test_an_upward_import_breaks_the_layers_contract(tmp_path: Path) -> None:
    # A copy of the package (the symlinked schemas/ and flows/ copied as folders) where a
    # reading module imports the pipeline: read is the lowest layer, pipeline the highest.
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "tally", repo / "tally", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / "pyproject.toml", repo / "pyproject.toml")
    files = repo / "tally" / "read" / "files.py"
    files.write_text(files.read_text(encoding="utf-8") + "\nimport tally.pipeline  # noqa: E402\n", encoding="utf-8")

    proc = _lint_imports(repo)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = " ".join(proc.stdout.split())  # lint-imports wraps long lines
    assert f"{LAYERS} (read <- extract <- reconcile <- publish <- pipeline) BROKEN" in out, proc.stdout
    assert "tally.read is not allowed to import tally.pipeline" in out, proc.stdout
    assert "Contracts: 3 kept, 1 broken." in out, proc.stdout
