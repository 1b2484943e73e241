"""The wheel, built and installed into a fresh virtual environment, holds only `tally` and runs.

The repository's top-level `schemas/` and `flows/` folders reach the wheel through the symlinks
tally/schemas and tally/flows, as `tally.schemas` and `tally.flows`: installed, `import schemas`
and `import flows` fail. The fresh venv gets Tally's dependencies without reinstalling them: a
.pth file puts the running interpreter's site-packages on its sys.path. Python does not process
the .pth files of a folder added that way, so the editable install of the repository (itself a
.pth file there) stays invisible, and only the installed wheel provides `tally`.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import time
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import MEASUREMENTS

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"


def _clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without what would bring the repository or a server in."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PREFECT_API_URL")}
    return {**env, **extra}


def _site_packages() -> list[str]:
    """The site-packages folders of the running interpreter (where Tally's dependencies are)."""
    return [*site.getsitepackages(), *([site.getusersitepackages()] if site.ENABLE_USER_SITE else [])]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from the repository (build isolation fetches hatchling from the registry)."""
    out = tmp_path_factory.mktemp("wheel")
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-w", str(out),
         "--disable-pip-version-check", "--progress-bar", "off"],
        cwd=out, env=_clean_env(), capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, (
        "building the wheel failed; it needs the build backend (hatchling) from the package registry, "
        f"so check that PyPI is reachable.\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}")
    MEASUREMENTS.append(f"packaging: wheel built in {time.monotonic() - start:.1f} s")
    wheels = list(out.glob("tally-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed and the dependencies borrowed: its python."""
    home = tmp_path_factory.mktemp("venv")
    env_dir = home / "venv"
    venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # The wheel first, into a venv that sees nothing else: pip finds no other `tally` to replace.
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
         "--disable-pip-version-check", str(wheel)],
        cwd=home, env=_clean_env(), capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             cwd=home, env=_clean_env(), capture_output=True, text=True, check=True).stdout.strip()
    ours = [p for p in dict.fromkeys(_site_packages()) if Path(p).is_dir()]
    (Path(purelib) / "zz_borrowed_dependencies.pth").write_text("".join(f"{p}\n" for p in ours), encoding="utf-8")
    return python


def _python(python: Path, code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(python), "-c", code], cwd=cwd, env=_clean_env(), capture_output=True, text=True,
                          timeout=120)


def test_the_wheel_holds_only_tally(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = sorted({n.split("/")[0] for n in names})
    MEASUREMENTS.append(f"packaging: the wheel's top level: {', '.join(top)} ({len(names)} files)")
    assert top == ["tally", f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.dist-info"], top
    for name in ("tally/schemas/__init__.py", "tally/schemas/figures.py", "tally/flows/__init__.py",
                 "tally/flows/curate.py", "tally/read/files.py", "tally/pipeline.py"):
        assert name in names, name
    assert not [n for n in names if n.startswith(("raw/", "tests/", "schemas/", "flows/", "curated/"))]


def test_the_installed_wheel_provides_tally_and_nothing_else(installed: Path, tmp_path: Path) -> None:
    env_dir = installed.parent.parent
    code = (
        "import importlib.util, sys, tally, tally.schemas, tally.flows.curate\n"
        "print(tally.__file__)\n"
        "print(importlib.util.find_spec('tally.schemas').origin)\n"
        "print('|'.join(sys.path))\n"
        "for name in ('schemas', 'flows'):\n"
        "    try:\n"
        "        __import__(name)\n"
        "    except ModuleNotFoundError:\n"
        "        print(name, 'missing')\n"
        "    else:\n"
        "        print(name, 'FOUND at', sys.modules[name].__file__)\n"
    )
    proc = _python(installed, code, tmp_path)
    assert proc.returncode == 0, proc.stderr
    tally_file, schemas_file, path, *imports = proc.stdout.splitlines()
    assert Path(tally_file).is_relative_to(env_dir), tally_file
    assert Path(schemas_file).is_relative_to(env_dir), schemas_file
    assert imports == ["schemas missing", "flows missing"], imports
    # The editable install of the repository (a .pth file in the borrowed site-packages) is not
    # processed: neither the repository nor the folder it maps is on sys.path.
    entries = {Path(p).resolve() for p in path.split("|") if p}
    assert ROOT not in entries
    for pth in [p for sp in _site_packages() for p in Path(sp).glob("*.pth")]:
        for line in pth.read_text(encoding="utf-8").splitlines():
            target = pth.parent / line.strip()
            if line.strip() and not line.startswith(("#", "import")) and target.is_dir():
                assert target.resolve() not in entries, f"{pth.name} was processed: {line}"
    site_packages = Path(tally_file).parent.parent
    assert not (site_packages / "schemas").exists() and not (site_packages / "flows").exists()


def test_tally_run_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    work = tmp_path / "work"  # outside the repository: no pyproject.toml, no schemas/ or flows/
    work.mkdir()
    prefect_home = tmp_path / "prefect"
    prefect_home.mkdir()
    env = _clean_env(PREFECT_HOME=str(prefect_home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
                     PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120",
                     PATH=f"{installed.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    tally = installed.parent / ("tally.exe" if os.name == "nt" else "tally")
    assert tally.exists(), "the wheel installed no `tally` command"
    start = time.monotonic()
    proc = subprocess.run([str(tally), "run", "--raw", str(raw), "--out", str(tmp_path / "curated")],
                          cwd=work, env=env, capture_output=True, text=True, timeout=300)
    MEASUREMENTS.append(f"packaging: `tally run` (Prefect, ephemeral server) from the wheel in {time.monotonic() - start:.1f} s")
    assert proc.returncode == 0, f"--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}"
    assert (tmp_path / "curated" / "figures.parquet").is_file()
    assert list(work.iterdir()) == []
