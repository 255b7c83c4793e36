"""The built wheel carries the bundled data and runs on its own in a fresh environment.

Builds the wheel with ``uv build``, installs it into a new virtual environment from uv's
cache (``--offline``: no network), and runs ``recscore validate`` and ``recscore rank`` from
a folder that is not the checkout. About 5 s; skipped where uv is missing or the cache lacks
a dependency (then the reason says which).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from scoring.methods import rank

from conftest import REPO_ROOT, front_catalog

UV = shutil.which("uv")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if UV is None:
        pytest.skip("uv is not on PATH")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [UV, "build", "--wheel", "--out-dir", str(out), str(REPO_ROOT)],
        check=True,
        capture_output=True,
    )
    [built] = out.glob("recscore-*.whl")
    return built


def test_the_wheel_holds_the_bundled_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = {
        f"scoring/data/{path.relative_to(REPO_ROOT).as_posix()}"
        for folder in ("criteria", "seeds")
        for path in (REPO_ROOT / folder).rglob("*")
        if path.is_file()
    }
    assert "scoring/data/criteria/criteria.yaml" in bundled
    assert bundled <= names
    assert "scoring/py.typed" in names


def test_the_installed_wheel_validates_and_ranks(wheel: Path, tmp_path: Path) -> None:
    assert UV is not None
    venv = tmp_path / "venv"
    subprocess.run([UV, "venv", "--quiet", str(venv)], check=True, capture_output=True)
    python = venv / "bin" / "python"
    installed = subprocess.run(
        [UV, "pip", "install", "--offline", "--quiet", "--python", str(python), str(wheel)],
        capture_output=True,
        text=True,
    )
    if installed.returncode != 0:
        pytest.skip(f"the wheel's dependencies are not all in uv's cache: {installed.stderr}")
    env = {key: value for key, value in os.environ.items() if not key.startswith("RECSCORE_")}
    env["RECSCORE_WORKSPACE"] = str(tmp_path / "workspace")
    recscore = str(venv / "bin" / "recscore")
    validate = subprocess.run(
        [recscore, "validate"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert validate.returncode == 0, validate.stderr
    assert validate.stdout.startswith("OK: 8 criteria")
    ranked = subprocess.run(
        [recscore, "rank", "--top", "3"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert ranked.returncode == 0, ranked.stderr
    first = rank(front_catalog(), front_catalog().profiles["balanced"].weights).ids[0]
    assert front_catalog().recommendation(first).title in ranked.stdout
