"""The workspace: overrides saved, merged, set aside, never lost; the CLI reads them."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.errors import Code
from scoring.loading import load_catalog
from scoring.methods import rank
from scoring.model import Catalog, Score
from scoring.saved_profiles import save_profile
from scoring.score_edits import revert_overrides, save_score_edits
from scoring.workspace import ENV_VARIABLE, Workspace, apply_overrides, load_workspace

from conftest import ProjectMaker, score, snapshot


@pytest.fixture
def catalog(make_project: ProjectMaker) -> Catalog:
    return load_catalog(make_project())


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


def test_locate_prefers_explicit_then_environment_then_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(ENV_VARIABLE, raising=False)
    assert Workspace.locate().root == Path("workspace")
    monkeypatch.setenv(ENV_VARIABLE, str(tmp_path / "env"))
    assert Workspace.locate().root == tmp_path / "env"
    assert Workspace.locate(tmp_path / "cli").root == tmp_path / "cli"


def test_missing_workspace_is_empty_and_not_created(workspace: Workspace, catalog: Catalog) -> None:
    state = load_workspace(workspace, catalog)
    assert state.overrides == {}
    assert state.profiles == {}
    assert state.problems == ()
    assert not workspace.root.exists()


def test_saved_override_survives_a_reload_and_changes_the_catalog(
    workspace: Workspace, catalog: Catalog
) -> None:
    save_score_edits(workspace, catalog, {("t-restart", "leverage"): score(5, 4, 5, "mine")})
    state = load_workspace(workspace, catalog)  # a new session or a server restart
    assert state.overrides == {("t-restart", "leverage"): Score(**score(5, 4, 5, "mine"))}
    changed = apply_overrides(catalog, state.overrides)
    assert changed.recommendation("t-restart").scores["leverage"].value == 5
    assert catalog.recommendation("t-restart").scores["leverage"].value == 2, "immutable"
    assert changed.values[changed.recommendation_ids.index("t-restart"), 0] == 5


def test_override_changes_the_ranking_and_revert_restores_it(
    workspace: Workspace, catalog: Catalog
) -> None:
    weights = {"leverage": 1, "buy_in": 1, "risk": 1}
    before = rank(catalog, weights).ids.tolist()
    save_score_edits(workspace, catalog, {("t-costs", "buy_in"): score(5, 5, 5)})
    after = rank(apply_overrides(catalog, load_workspace(workspace, catalog).overrides), weights)
    assert after.ids.tolist() != before
    revert_overrides(workspace, [("t-costs", "buy_in")])
    state = load_workspace(workspace, catalog)
    assert state.overrides == {}
    assert rank(apply_overrides(catalog, state.overrides), weights).ids.tolist() == before


def test_two_sessions_editing_different_scores_both_keep_their_edits(
    workspace: Workspace, catalog: Catalog
) -> None:
    cells = [(rec, cid) for rec in catalog.recommendation_ids for cid in catalog.criterion_ids]
    barrier = threading.Barrier(len(cells))
    errors: list[BaseException] = []

    def edit(key: tuple[str, str]) -> None:
        try:
            barrier.wait()
            save_score_edits(workspace, catalog, {key: score(3, 1, 5, f"by {key}")})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=edit, args=(cell,)) for cell in cells]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    overrides = load_workspace(workspace, catalog).overrides
    assert {key: s.rationale for key, s in overrides.items()} == {key: f"by {key}" for key in cells}


def test_revert_all_keeps_the_file_valid(workspace: Workspace, catalog: Catalog) -> None:
    save_score_edits(workspace, catalog, {("t-restart", "leverage"): score(4, 3, 5)})
    save_score_edits(workspace, catalog, {("t-costs", "risk"): score(2, 1, 3)})
    revert_overrides(workspace)
    assert load_workspace(workspace, catalog).overrides == {}
    data = yaml.safe_load(workspace.overrides_path.read_text(encoding="utf-8"))
    assert data == {"schema_version": 1, "overrides": {}}


def test_no_temporary_files_are_left_behind(workspace: Workspace, catalog: Catalog) -> None:
    save_score_edits(workspace, catalog, {("t-restart", "leverage"): score(4, 3, 5)})
    save_profile(workspace, catalog, "Mine", {"leverage": 1})
    leftovers = [p.name for p in workspace.root.rglob("*.tmp")]
    assert leftovers == []


@pytest.mark.parametrize(
    ("content", "code"),
    [
        ("schema_version: 1\noverrides: [unclosed\n", Code.YAML_SYNTAX),
        ("- just\n- a list\n", Code.WRONG_TYPE),
        ("schema_version: 2\noverrides: {}\n", Code.SCHEMA_VERSION),
        ("", Code.EMPTY_FILE),
    ],
)
def test_corrupt_overrides_file_is_reported_then_set_aside_once_by_a_save(
    workspace: Workspace, catalog: Catalog, content: str, code: Code
) -> None:
    workspace.root.mkdir(parents=True)
    workspace.overrides_path.write_text(content, encoding="utf-8")
    state = load_workspace(workspace, catalog)
    assert state.overrides == {}
    assert code in {p.code for p in state.problems}
    assert all(p.file.endswith("overrides.yaml") for p in state.problems)
    assert any("next save sets it aside" in p.hint for p in state.problems)
    # Loading is read-only: nothing moved, nothing rewritten.
    assert workspace.overrides_path.read_text(encoding="utf-8") == content
    assert not list(workspace.root.glob("overrides.yaml.corrupt-*"))
    save_score_edits(workspace, catalog, {("t-restart", "leverage"): score(4, 3, 5)})
    set_aside = list(workspace.root.glob("overrides.yaml.corrupt-*"))
    assert len(set_aside) == 1
    assert set_aside[0].read_text(encoding="utf-8") == content, "moved, byte for byte"
    assert code.value in {c.value for c in _codes_in(workspace, catalog, set_aside[0])}
    # Reported on later loads without a fix that would overwrite the new file; kept.
    [problem] = [p for p in load_workspace(workspace, catalog).problems if p.code == Code.SET_ASIDE]
    assert set_aside[0].name in problem.found
    assert "rename it back" not in problem.hint
    save_score_edits(workspace, catalog, {("t-restart", "risk"): score(2, 1, 3)})
    assert list(workspace.root.glob("overrides.yaml.corrupt-*")) == set_aside
    assert set(load_workspace(workspace, catalog).overrides) == {
        ("t-restart", "leverage"),
        ("t-restart", "risk"),
    }


def _codes_in(workspace: Workspace, catalog: Catalog, path: Path) -> set[Code]:
    from scoring.workspace import _parse_overrides

    found: list[Any] = []
    _parse_overrides(path, found)
    return {p.code for p in found}


def test_override_of_an_unknown_recommendation_is_kept_but_not_applied(
    workspace: Workspace, catalog: Catalog
) -> None:
    workspace.root.mkdir(parents=True)
    data = {
        "schema_version": 1,
        "overrides": {
            "gone": {"leverage": score(3, 2, 4)},
            "t-costs": {"leverage": score(3, 2, 4), "vanished": score(3, 2, 4)},
        },
    }
    workspace.overrides_path.write_text(yaml.safe_dump(data), encoding="utf-8")
    state = load_workspace(workspace, catalog)
    assert set(state.overrides) == {("t-costs", "leverage")}
    found = {(p.code, p.key_path) for p in state.problems}
    assert (Code.UNKNOWN_RECOMMENDATION, "overrides.gone") in found
    assert (Code.UNKNOWN_CRITERION, "overrides.t-costs.vanished") in found
    save_score_edits(workspace, catalog, {("t-restart", "risk"): score(2, 1, 3)})
    kept = yaml.safe_load(workspace.overrides_path.read_text(encoding="utf-8"))["overrides"]
    assert "gone" in kept
    assert "vanished" in kept["t-costs"]


def test_bundled_files_are_never_written(make_project: ProjectMaker, tmp_path: Path) -> None:
    root = make_project()
    catalog = load_catalog(root)
    before = snapshot(root)
    workspace = Workspace(tmp_path / "elsewhere")
    save_score_edits(workspace, catalog, {("t-restart", "leverage"): score(4, 3, 5)})
    save_profile(workspace, catalog, "Mine", {"leverage": 1})
    revert_overrides(workspace)
    assert snapshot(root) == before


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    values=st.lists(
        st.tuples(
            st.floats(1, 5, allow_nan=False), st.floats(0, 2), st.floats(0, 2), st.text(min_size=1)
        ),
        min_size=1,
        max_size=6,
    )
)
def test_save_then_load_returns_the_same_scores(
    tmp_path_factory: pytest.TempPathFactory,
    catalog: Catalog,
    values: list[tuple[float, float, float, str]],
) -> None:
    workspace = Workspace(tmp_path_factory.mktemp("ws"))
    cells = [(rec, cid) for rec in catalog.recommendation_ids for cid in catalog.criterion_ids]
    edits = {}
    for cell, (value, down, up, text) in zip(cells, values, strict=False):
        if not text.strip():
            text = "why"
        edits[cell] = score(value, max(1.0, value - down), min(5.0, value + up), text)
    saved = save_score_edits(workspace, catalog, edits)
    bundled = {cell: catalog.recommendation(cell[0]).scores[cell[1]] for cell in saved}
    expected = {cell: s for cell, s in saved.items() if s != bundled[cell]}
    assert load_workspace(workspace, catalog).overrides == expected


@settings(max_examples=100, deadline=None)
@given(text=st.text(min_size=1).filter(lambda s: s.strip()))
def test_any_rationale_reads_back_exactly(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    from scoring.io import write_yaml_atomically
    from scoring.workspace import _parse_overrides

    path = tmp_path_factory.mktemp("yaml") / "overrides.yaml"
    data = {"schema_version": 1, "overrides": {"r": {"c": score(3, 2, 4, text)}}}
    write_yaml_atomically(path, data)
    parsed = _parse_overrides(path, [])
    assert parsed is not None
    assert Score.model_validate(parsed["r"]["c"]).rationale == text.strip()


def test_two_processes_writing_at_once_both_keep_their_edits(
    workspace: Workspace, make_project: ProjectMaker
) -> None:
    import subprocess
    import sys

    root = make_project()
    script = (
        "import sys\n"
        "from scoring.loading import load_catalog\n"
        "from scoring.score_edits import save_score_edits\n"
        "from scoring.workspace import Workspace\n"
        "catalog = load_catalog(sys.argv[1])\n"
        "for cid in catalog.criterion_ids:\n"
        "    edit = {'value': 3, 'low': 1, 'high': 5, 'rationale': sys.argv[3]}\n"
        "    save_score_edits(Workspace(sys.argv[2]), catalog, {(sys.argv[3], cid): edit})\n"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", script, str(root), str(workspace.root), rec])
        for rec in ("t-costs", "t-restart")
    ]
    assert [process.wait(timeout=60) for process in processes] == [0, 0]
    overrides = load_workspace(workspace, load_catalog(root)).overrides
    assert {(rec, s.rationale) for (rec, _), s in overrides.items()} == {
        ("t-costs", "t-costs"),
        ("t-restart", "t-restart"),
    }
    assert len(overrides) == 6


# --- the CLI's rank reads the workspace ------------------------------------------------------


def _cli_rank_ids(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[list[str], str]:
    import csv
    import io

    from scoring.cli import main

    assert main(list(argv)) == 0
    captured = capsys.readouterr()
    return [row["id"] for row in csv.DictReader(io.StringIO(captured.out))], captured.err


def test_cli_rank_uses_workspace_overrides_unless_told_not_to(
    capsys: pytest.CaptureFixture[str],
    make_project: ProjectMaker,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root = make_project()
    catalog = load_catalog(root)
    monkeypatch.setenv(ENV_VARIABLE, str(tmp_path / "env-ws"))
    base = ["--root", str(root)]
    rank_args = ["rank", "--weights", "leverage=1,buy_in=1,risk=1", "--format", "csv"]
    bundled, _ = _cli_rank_ids(capsys, *base, *rank_args)
    assert bundled == ["t-restart", "t-costs"]

    explicit = Workspace(tmp_path / "cli-ws")
    save_score_edits(explicit, catalog, {("t-costs", "buy_in"): score(5, 5, 5)})
    save_score_edits(explicit, catalog, {("t-costs", "risk"): score(1, 1, 1)})
    edited, err = _cli_rank_ids(capsys, *base, "--workspace", str(explicit.root), *rank_args)
    assert edited == ["t-costs", "t-restart"]
    assert "2 score override(s)" in err
    ignored, _ = _cli_rank_ids(
        capsys, *base, "--workspace", str(explicit.root), *rank_args, "--ignore-overrides"
    )
    assert ignored == bundled
    # Without --workspace, $RECSCORE_WORKSPACE is read (here: empty).
    assert _cli_rank_ids(capsys, *base, *rank_args)[0] == bundled


def test_cli_rank_accepts_a_saved_profile_and_warns_about_corrupt_files(
    capsys: pytest.CaptureFixture[str], make_project: ProjectMaker, tmp_path: Path
) -> None:
    root = make_project()
    workspace = Workspace(tmp_path / "ws")
    save_profile(workspace, load_catalog(root), "Buy-in only", {"buy_in": 1})
    workspace.overrides_path.write_text("nonsense: [", encoding="utf-8")
    ids, err = _cli_rank_ids(
        capsys,
        "--root",
        str(root),
        "--workspace",
        str(workspace.root),
        "rank",
        "--profile",
        "buy_in_only",
        "--format",
        "csv",
    )
    assert ids == ["t-restart", "t-costs"]
    assert "warning" in err
    assert "overrides.yaml.corrupt-" in err
