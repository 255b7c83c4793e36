"""Score edits: validated with the loader's rules, merged into the overrides, never half-saved."""

from __future__ import annotations

import pytest

from scoring.errors import Code, ValidationError
from scoring.loading import load_catalog
from scoring.model import Catalog
from scoring.score_edits import save_score_edits, validate_score_edits
from scoring.workspace import Workspace, load_workspace

from conftest import ProjectMaker, score, snapshot


@pytest.fixture
def catalog(make_project: ProjectMaker) -> Catalog:
    return load_catalog(make_project())


def test_invalid_edit_reports_every_fault_and_writes_nothing(
    workspace: Workspace, catalog: Catalog
) -> None:
    save_score_edits(workspace, catalog, {("t-restart", "risk"): score(2, 1, 3)})
    before = snapshot(workspace.root)
    edits = {
        ("t-restart", "leverage"): score(9, 1, 5),
        ("t-costs", "buy_in"): score(3, 4, 5),
        ("t-costs", "risk"): score(3, 2, 4, "  "),
        ("t-costs", "nope"): score(3, 2, 4),
        ("t-restart", "buy_in"): score(3, 2, 4),  # valid, but must not be saved either
    }
    with pytest.raises(ValidationError) as caught:
        save_score_edits(workspace, catalog, edits)
    found = {(p.code, p.key_path) for p in caught.value.problems}
    assert (Code.SCORE_OUT_OF_RANGE, "t-restart.leverage.value") in found
    assert (Code.RANGE_ORDER, "t-costs.buy_in") in found
    assert (Code.EMPTY_RATIONALE, "t-costs.risk.rationale") in found
    assert (Code.UNKNOWN_CRITERION, "t-costs.nope") in found
    assert snapshot(workspace.root) == before


def test_edit_validation_accepts_numpy_numbers_and_reads_empty_cells_as_missing(
    catalog: Catalog,
) -> None:
    np = pytest.importorskip("numpy")
    good = {("t-costs", "leverage"): score(np.float64(3), np.int64(2), 4.0)}
    assert validate_score_edits(catalog, good)[("t-costs", "leverage")].low == 2
    with pytest.raises(ValidationError) as caught:
        validate_score_edits(catalog, {("t-costs", "leverage"): score(float("nan"), 2, 4)})
    assert {(p.code, p.key_path) for p in caught.value.problems} == {
        (Code.WRONG_TYPE, "t-costs.leverage.value")
    }


def test_edit_equal_to_the_bundled_score_removes_the_override(
    workspace: Workspace, catalog: Catalog
) -> None:
    key = ("t-restart", "leverage")
    save_score_edits(workspace, catalog, {key: score(4, 3, 5)})
    bundled = catalog.recommendation("t-restart").scores["leverage"].model_dump()
    save_score_edits(workspace, catalog, {key: bundled})
    assert load_workspace(workspace, catalog).overrides == {}
