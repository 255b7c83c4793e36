"""Saved weight profiles: saved, renamed, deleted, refused when unusable, read back."""

from __future__ import annotations

import pytest
import yaml

from scoring.errors import Code, InputError, ValidationError
from scoring.loading import load_catalog
from scoring.model import Catalog
from scoring.saved_profiles import delete_profile, profile_id_for, rename_profile, save_profile
from scoring.workspace import Workspace, load_workspace

from conftest import ProjectMaker


@pytest.fixture
def catalog(make_project: ProjectMaker) -> Catalog:
    return load_catalog(make_project())


def test_profile_save_load_rename_delete_round_trip(workspace: Workspace, catalog: Catalog) -> None:
    saved = save_profile(workspace, catalog, "Alice's view", {"leverage": 2, "buy_in": 1})
    assert saved.id == "alice_s_view"
    assert saved.weights == {"leverage": 2.0, "buy_in": 1.0, "risk": 0.0}
    state = load_workspace(workspace, catalog)
    assert state.profiles == {"alice_s_view": saved}
    assert list(state.profiles_with(catalog)) == ["balanced", "pressure", "alice_s_view"]
    renamed = rename_profile(workspace, catalog, "alice_s_view", "Alice, revised")
    assert load_workspace(workspace, catalog).profiles["alice_s_view"] == renamed
    assert renamed.name == "Alice, revised"
    assert renamed.weights == saved.weights
    delete_profile(workspace, "alice_s_view")
    assert load_workspace(workspace, catalog).profiles == {}
    with pytest.raises(InputError) as caught:
        delete_profile(workspace, "alice_s_view")
    assert caught.value.codes == {Code.UNKNOWN_PROFILE}


@pytest.mark.parametrize(
    ("name", "weights", "code"),
    [
        ("Balanced", {"leverage": 1}, Code.DUPLICATE_ID),
        ("???", {"leverage": 1}, Code.BAD_VALUE),
        ("Zero", {"leverage": 0}, Code.ZERO_WEIGHTS),
        ("Negative", {"leverage": -1}, Code.NEGATIVE_WEIGHT),
        ("Unknown", {"leverag": 1}, Code.UNKNOWN_CRITERION),
    ],
)
def test_bad_profile_is_refused_and_nothing_written(
    workspace: Workspace, catalog: Catalog, name: str, weights: dict[str, float], code: Code
) -> None:
    with pytest.raises(ValidationError) as caught:
        save_profile(workspace, catalog, name, weights)
    assert code in caught.value.codes
    assert not workspace.profiles_dir.exists()


def test_saving_over_an_existing_profile_needs_replace(
    workspace: Workspace, catalog: Catalog
) -> None:
    save_profile(workspace, catalog, "Mine", {"leverage": 1})
    with pytest.raises(InputError) as caught:
        save_profile(workspace, catalog, "mine", {"buy_in": 1})
    assert caught.value.codes == {Code.DUPLICATE_ID}
    replaced = save_profile(workspace, catalog, "Mine", {"buy_in": 1}, replace=True)
    assert load_workspace(workspace, catalog).profiles["mine"] == replaced


def test_corrupt_profile_is_reported_and_the_others_load(
    workspace: Workspace, catalog: Catalog
) -> None:
    good = save_profile(workspace, catalog, "Good", {"leverage": 1})
    bad = workspace.profile_path("bad")
    bad.write_text("schema_version: 1\nid: bad\nname: Bad\nweights: {leverage: -3}\n")
    state = load_workspace(workspace, catalog)
    assert state.profiles == {"good": good}
    assert state.problems
    for problem in state.problems:
        assert problem.file.endswith("profiles/bad.yaml")
        assert "left out until bad.yaml is repaired" in problem.hint
    assert bad.exists(), "a read-only load moves nothing"
    assert not list(workspace.profiles_dir.glob("bad.yaml.corrupt-*"))


def test_profile_shadowing_a_bundled_one_is_reported_not_used(
    workspace: Workspace, catalog: Catalog
) -> None:
    workspace.profiles_dir.mkdir(parents=True)
    workspace.profile_path("balanced").write_text(
        yaml.safe_dump(
            {
                "schema_version": 1,
                "id": "balanced",
                "name": "Mine",
                "description": "d",
                "weights": {"leverage": 1, "buy_in": 0, "risk": 0},
            }
        )
    )
    state = load_workspace(workspace, catalog)
    assert state.profiles == {}
    assert {(p.code, p.key_path) for p in state.problems} == {(Code.DUPLICATE_ID, "id")}
    assert workspace.profile_path("balanced").exists()


def test_profile_id_for_is_a_valid_id() -> None:
    assert profile_id_for("  Human Rights -- first!  ") == "human_rights_first"
    assert profile_id_for("!!!") == ""
