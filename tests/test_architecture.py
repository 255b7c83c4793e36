"""The engine stays a pure engine: no user-interface library anywhere in scoring/."""

from __future__ import annotations

import ast
import subprocess
import sys

from conftest import REPO_ROOT

UI_LIBRARIES = {"streamlit", "altair"}


def test_no_module_in_scoring_imports_a_ui_library() -> None:
    offenders = []
    for path in sorted((REPO_ROOT / "scoring").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in UI_LIBRARIES]
    assert offenders == []


def test_importing_the_engine_does_not_load_streamlit() -> None:
    code = "import sys, scoring, scoring.cli; print('streamlit' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_public_api_is_declared() -> None:
    import scoring

    assert "load_catalog" in scoring.__all__
    assert all(hasattr(scoring, name) for name in scoring.__all__)
    assert (REPO_ROOT / "scoring" / "py.typed").exists()
