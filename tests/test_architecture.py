"""The engine stays a pure engine: no user-interface library anywhere in scoring/."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

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


def test_the_dashboard_does_not_import_the_cli() -> None:
    offenders = [
        f"{path.relative_to(REPO_ROOT)}: {name}"
        for path in [REPO_ROOT / "app.py", *sorted((REPO_ROOT / "app_pages").rglob("*.py"))]
        for name in _imported(path)
        if name == "scoring.cli" or name.startswith("scoring.cli.")
    ]
    assert offenders == []


def test_importing_scoring_loads_no_heavy_library() -> None:
    code = (
        "import sys, scoring; print(sorted(m for m in ('numpy', 'pandas', 'scipy', 'pydantic') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
    code = (
        "import sys, scoring.option_sets, scoring.methods; print('scipy.optimize' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_no_circular_import_among_engine_modules() -> None:
    """Imports (at module level or deferred inside functions; not those under
    TYPE_CHECKING) form no cycle among scoring's modules."""
    modules = {_module_name(path): path for path in (REPO_ROOT / "scoring").rglob("*.py")}
    graph = {
        name: {
            target
            for imported in _imported(path, runtime_only=True)
            for target in _targets(imported, modules)
            if target != name and not name.startswith(f"{target}.")  # its own package
        }
        for name, path in modules.items()
    }
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _targets(imported: str, modules: dict[str, Path]) -> list[str]:
    """The scoring modules an import names: the module itself, or its package's
    ``__init__`` (a package import runs it), excluding the root package's lazy one."""
    found = []
    name = imported
    while name and name != "scoring":
        if name in modules:
            found.append(name)
        name = name.rpartition(".")[0]
    return found


def _imported(path: Path, runtime_only: bool = False) -> list[str]:
    """Names of the modules ``path`` imports (``from a.b import c`` gives a.b and a.b.c);
    ``runtime_only`` leaves out imports under ``if TYPE_CHECKING``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = _runtime(tree.body) if runtime_only else list(ast.walk(tree))
    names = []
    for node in nodes:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _runtime(body: list[ast.stmt]) -> list[ast.AST]:
    """Every node that can run: all of ``body`` but the blocks under ``if TYPE_CHECKING``."""
    found: list[ast.AST] = []
    for node in body:
        if (
            isinstance(node, ast.If)
            and isinstance(node.test, ast.Name)
            and (node.test.id == "TYPE_CHECKING")
        ):
            found += _runtime(node.orelse)
            continue
        found.append(node)
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                found += _runtime([child])
            else:
                found += list(ast.walk(child))
    return found


# Files another change is splitting; their caches move to app_pages.caching with the split.
CACHE_RULE_PENDING = {"app_pages/charts.py"}


def test_the_app_caches_only_through_app_pages_caching() -> None:
    """One cache mechanism (app_pages.caching.cached): no lru_cache, no OrderedDict, no
    module-level dict filled at run time, no direct st.cache_* outside the caching module."""
    offenders = []
    for path in sorted((REPO_ROOT / "app_pages").rglob("*.py")):
        name = path.relative_to(REPO_ROOT).as_posix()
        if name not in CACHE_RULE_PENDING and name != "app_pages/caching.py":
            offenders += _cache_offences(path.read_text(encoding="utf-8"), name)
    assert offenders == []


def test_the_cache_rule_catches_each_forbidden_mechanism() -> None:
    samples = {
        "from functools import lru_cache": "lru_cache",
        "import functools\n@functools.cache\ndef f(): pass": "cache",
        "from collections import OrderedDict": "OrderedDict",
        "_memo: dict[str, int] = {}": "empty dict",
        "_memo = dict()": "dict()",
        "import streamlit as st\n@st.cache_data\ndef f(): pass": "cache_data",
    }
    for source, word in samples.items():
        found = _cache_offences(source, "sample.py")
        assert len(found) == 1, source
        assert word in found[0], source
    assert _cache_offences("LABELS = {'a': 1}\n", "sample.py") == []  # a constant table


def _cache_offences(source: str, name: str) -> list[str]:
    offenders = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in {"functools", "collections"}:
            banned = {"lru_cache", "cache", "OrderedDict"}
            offenders += [f"{name}: {a.name}" for a in node.names if a.name in banned]
        elif isinstance(node, ast.Attribute) and node.attr in {
            "lru_cache",
            "cache",
            "OrderedDict",
            "cache_data",
            "cache_resource",
        }:
            offenders.append(f"{name}: .{node.attr}")
    for statement in tree.body:  # module level: a mutable mapping kept between reruns
        value = statement.value if isinstance(statement, ast.Assign | ast.AnnAssign) else None
        if isinstance(value, ast.Dict) and not value.keys:
            offenders.append(f"{name}:{statement.lineno}: module-level empty dict")
        elif (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Name)
            and value.func.id in {"dict", "defaultdict", "OrderedDict"}
            and not value.args
        ):
            offenders.append(f"{name}:{statement.lineno}: module-level {value.func.id}()")
    return offenders


def test_pages_show_failures_through_the_shared_component() -> None:
    """Every page shows a failure with app_pages.components (problems listed, no traceback):
    no st.exception anywhere, and no page builds its own error box from an exception's text."""
    offenders = []
    for path in sorted((REPO_ROOT / "app_pages").rglob("*.py")):
        name = path.relative_to(REPO_ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "exception":
                offenders.append(f"{name}: st.exception")
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "error"
                and any(
                    isinstance(arg, ast.Call)
                    and isinstance(arg.func, ast.Name)
                    and arg.func.id == "str"
                    for arg in node.args
                )
            ):
                offenders.append(f"{name}:{node.lineno}: st.error(str(...))")
    assert offenders == []


def test_the_readme_names_every_engine_module() -> None:
    """The README's module list matches the tree: each module of scoring/ is named there, in
    backticks (the renderers as one ``render_*``)."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    missing = [
        path.relative_to(REPO_ROOT).as_posix()
        for path in sorted((REPO_ROOT / "scoring").rglob("*.py"))
        if path.stem not in {"__init__", "__main__"}
        and not path.stem.startswith("render_")
        and f"`{path.stem}`" not in readme
        and f"`{path.name}`" not in readme
    ]
    assert missing == []
