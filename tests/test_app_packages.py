"""The Packages page under AppTest: what it shows equals what scoring.option_sets computes.

Each test gets its own empty workspace (``RECSCORE_WORKSPACE``), so saved sets never leak
between tests or into the checkout.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from app_pages.render import md
from app_pages.views.packages import (
    COMPARE_KEY,
    EDIT_KEY,
    EXCLUDE_KEY,
    REQUIRE_KEY,
    SET_KEY,
    SIZE_KEY,
    TAB_KEY,
    editor_keys,
)
from scoring.model import Catalog
from scoring.option_sets import (
    Interactions,
    best_package,
    best_packages_by_profile,
    builtin_sets,
    compare_sets,
    evaluate_set,
    load_interactions,
    load_user_sets,
    save_user_set,
    winners_by_profile,
)
from scoring.set_robustness import set_acceptability
from scoring.workspace import Workspace

from conftest import REPO_ROOT

TIMEOUT = 120
PAGE = "app_pages/packages.py"
# A strength-3 conflict: 003 declines anti-corruption cooperation, fugitive returns included;
# 004 hails a fugitive's repatriation as progress to continue.
DECLINE = "d003-decline-anticorruption-cooperation"
REPATRIATE = "d004-continue-fugitive-repatriation"


@pytest.fixture(scope="module")
def interactions(catalog: Catalog) -> Interactions:
    return load_interactions(REPO_ROOT, catalog)


def start(tab: str = "Option sets") -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE).run()
    if tab != "Option sets":
        at.session_state[TAB_KEY] = tab
        at.run()
    assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    assert [e.value for e in at.exception] == []
    assert [e.value for e in at.error] == []


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def table(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first dataframe on the page that has all of ``columns``."""
    return next(t.value for t in at.dataframe if set(columns) <= set(t.value.columns))


def chart_data(at: AppTest, index: int) -> pd.DataFrame:
    """The data of the page's ``index``-th chart (sent to the browser as Arrow)."""
    proto = at.get("vega_lite_chart")[index].proto
    return pa.ipc.open_stream(proto.datasets[0].data.data).read_all().to_pandas()


def balanced(catalog: Catalog) -> dict[str, float]:
    return dict(catalog.profiles["balanced"].weights)


def saved_sets(workspace: Workspace, catalog: Catalog) -> dict[str, Any]:
    sets, problems = load_user_sets(workspace, catalog)
    assert problems == ()
    return {option_set.id: option_set for option_set in sets}


# --- smoke -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("workspace")
@pytest.mark.parametrize(
    ("tab", "charts"),
    [("Option sets", 0), ("Compare sets", 2), ("Best package", 2), ("Conflicts and synergies", 1)],
)
def test_every_tab_renders(tab: str, charts: int) -> None:
    at = start(tab)
    assert [t.value for t in at.title] == ["Packages"]
    assert len(at.get("vega_lite_chart")) == charts


# --- set evaluation --------------------------------------------------------------------------


def test_set_evaluation_equals_the_engine_and_follows_the_weights(
    workspace: Workspace, catalog: Catalog, interactions: Interactions
) -> None:
    at = start()
    sets = {option_set.id: option_set for option_set in builtin_sets(catalog)}
    at.selectbox(key=SET_KEY).set_value("document-004").run()
    assert_clean(at)
    expected = evaluate_set(catalog, interactions, sets["document-004"], balanced(catalog))
    shown = metrics(at)
    assert shown["Members"] == str(expected.size)
    assert shown["Total score"] == f"{expected.total:.3f}"
    assert shown["Adjusted score"] == f"{expected.adjusted:.3f}"
    assert shown["Adjusted per member"] == f"{expected.adjusted_mean:.3f}"
    members = table(at, "id", "score", "flag")
    assert members["id"].tolist() == expected.members_frame(catalog)["id"].tolist()
    coverage = table(at, "best", "mean", "best_member")
    assert coverage["mean"].tolist() == pytest.approx([c.mean for c in expected.coverage])

    # Another weighting, another evaluation: the page follows the sidebar.
    at.sidebar.slider(key="w_leverage").set_value(80.0).run()
    assert_clean(at)
    weights = {cid: at.session_state[f"w_{cid}"] for cid in catalog.criterion_ids}
    moved = evaluate_set(catalog, interactions, sets["document-004"], weights)
    assert metrics(at)["Total score"] == f"{moved.total:.3f}"
    assert moved.total != pytest.approx(expected.total)


def test_builtin_set_with_a_conflict_is_flagged_with_its_rationale(
    workspace: Workspace, catalog: Catalog, interactions: Interactions
) -> None:
    at = start()
    at.selectbox(key=SET_KEY).set_value("document-002").run()
    [option_set] = [s for s in builtin_sets(catalog) if s.id == "document-002"]
    evaluation = evaluate_set(catalog, interactions, option_set, balanced(catalog))
    [conflict] = evaluation.conflicts
    [warning] = at.warning
    assert "Flagged: this set holds 1 conflicting pair" in warning.value
    assert md(conflict.rationale) in warning.value
    assert f"penalty **{evaluation.penalty:.3f}**" in markdown(at)


# --- user sets -------------------------------------------------------------------------------


def test_user_set_saves_edits_renames_and_deletes_round_trip(
    workspace: Workspace, catalog: Catalog, interactions: Interactions
) -> None:
    members = [
        "d000-include-chinese-priorities-in-dialogues",
        "d002-offer-cooperation-china-favours",
    ]
    at = start()
    name_key, description_key, members_key = editor_keys("")
    at.text_input(key=name_key).input("Quiet engagement")
    at.text_area(key=description_key).input("Buy-in first.")
    at.multiselect(key=members_key).set_value(members).run()
    at.button(key="packages_save").click().run()
    assert_clean(at)
    saved = saved_sets(workspace, catalog)["quiet-engagement"]
    assert (saved.name, saved.description, list(saved.members)) == (
        "Quiet engagement",
        "Buy-in first.",
        members,
    )
    # The page now evaluates the saved set, as the engine does from the file.
    assert at.session_state[SET_KEY] == "quiet-engagement"
    assert at.session_state[EDIT_KEY] == "quiet-engagement"
    expected = evaluate_set(catalog, interactions, saved, balanced(catalog))
    assert metrics(at)["Adjusted score"] == f"{expected.adjusted:.3f}"
    assert any("Saved “Quiet engagement” with 2 members." in s.value for s in at.success)

    # Edit the members and rename; the id (and file) stays.
    name_key, _, members_key = editor_keys("quiet-engagement")
    at.multiselect(key=members_key).set_value([*members, "d002-hold-china-to-upr-commitments"])
    at.text_input(key=name_key).input("Quiet engagement, wider")
    at.button(key="packages_save").click().run()
    assert_clean(at)
    edited = saved_sets(workspace, catalog)["quiet-engagement"]
    assert edited.name == "Quiet engagement, wider"
    assert edited.members == (*members, "d002-hold-china-to-upr-commitments")
    assert "Yours · Quiet engagement, wider" in at.selectbox(key=SET_KEY).options

    at.button(key="packages_delete_quiet-engagement").click().run()
    assert_clean(at)
    assert saved_sets(workspace, catalog) == {}
    assert at.session_state[SET_KEY] != "quiet-engagement"
    assert not any("Quiet engagement" in option for option in at.selectbox(key=SET_KEY).options)


def test_user_set_with_a_conflicting_pair_is_saved_and_flagged(
    workspace: Workspace, catalog: Catalog, interactions: Interactions
) -> None:
    at = start()
    name_key, _, members_key = editor_keys("")
    at.text_input(key=name_key).input("Both sides")
    at.multiselect(key=members_key).set_value([DECLINE, REPATRIATE]).run()
    # Flagged while editing, before anything is saved ...
    assert any("1 conflicting pair among these members" in w.value for w in at.warning)
    at.button(key="packages_save").click().run()
    assert_clean(at)
    # ... saved all the same, and flagged when evaluated, with the rationale.
    saved = saved_sets(workspace, catalog)["both-sides"]
    assert set(saved.members) == {DECLINE, REPATRIATE}
    pair = interactions.between(DECLINE, REPATRIATE)
    assert pair is not None
    assert pair.type == "conflict"
    assert any("it is saved, and flagged" in s.value for s in at.success)
    flagged = [
        w.value for w in at.warning if "Flagged: this set holds 1 conflicting pair" in w.value
    ]
    assert len(flagged) == 1
    assert md(pair.rationale) in flagged[0]
    expected = evaluate_set(catalog, interactions, saved, balanced(catalog))
    assert metrics(at)["Adjusted score"] == f"{expected.adjusted:.3f}"
    assert expected.penalty == pytest.approx(0.15 * pair.strength)


@pytest.mark.parametrize(
    ("name", "phrase"),
    [("", "at least one letter or digit"), ("Instrument: conditionality", "no built-in set uses")],
)
def test_a_bad_set_name_is_refused_and_nothing_is_written(
    workspace: Workspace, name: str, phrase: str
) -> None:
    at = start()
    name_key, _, members_key = editor_keys("")
    at.text_input(key=name_key).input(name)
    at.multiselect(key=members_key).set_value([DECLINE]).run()
    at.button(key="packages_save").click().run()
    assert [e.value for e in at.exception] == []
    assert any(phrase in e.value for e in at.error)
    assert not (workspace.root / "sets").exists()


# --- comparison ------------------------------------------------------------------------------


def test_comparison_equals_the_engine(
    workspace: Workspace, catalog: Catalog, interactions: Interactions
) -> None:
    chosen = ["document-002", "document-003", "instrument-dialogue"]
    at = start("Compare sets")
    at.multiselect(key=COMPARE_KEY).set_value(chosen).run()
    assert_clean(at)
    sets = [s for set_id in chosen for s in builtin_sets(catalog) if s.id == set_id]
    comparison = compare_sets(catalog, interactions, sets, balanced(catalog))
    shown = table(at, "name", "adjusted", "adjusted_mean")
    expected = comparison.frame()
    assert shown["name"].tolist() == expected["name"].tolist()
    assert shown["adjusted"].tolist() == pytest.approx(expected["adjusted"].tolist())
    assert shown["penalty"].tolist() == pytest.approx(expected["penalty"].tolist())
    winner = comparison.winner("adjusted_mean").option_set.name
    assert any(f"**{md(winner)}** wins" in s.value for s in at.success)
    text = markdown(at)
    for result in winners_by_profile(catalog, interactions, sets, catalog.profiles):
        assert f"{md(result.profile_name)}" in text
        assert f"**{md(next(s.name for s in sets if s.id == result.winner))}**" in text
    assert len(at.get("vega_lite_chart")) == 2
    for line in set_acceptability(catalog, interactions, sets, seed=0).sentences():
        assert md(line) in text


def test_fewer_than_two_sets_asks_for_more(workspace: Workspace) -> None:
    at = start("Compare sets")
    at.multiselect(key=COMPARE_KEY).set_value(["document-000"]).run()
    assert_clean(at)
    assert any("at least 2 sets" in i.value for i in at.info)
    assert len(at.get("vega_lite_chart")) == 0


# --- best package ----------------------------------------------------------------------------


def test_solving_on_the_page_equals_the_engines_optimum(
    workspace: Workspace, catalog: Catalog, interactions: Interactions
) -> None:
    require, exclude = [DECLINE], ["d002-credit-china-social-economic-gains"]
    at = start("Best package")
    at.number_input(key=SIZE_KEY).set_value(4)
    at.multiselect(key=REQUIRE_KEY).set_value(require)
    at.multiselect(key=EXCLUDE_KEY).set_value(exclude).run()
    assert_clean(at)
    weights = balanced(catalog)
    package = best_package(catalog, interactions, weights, 4, require, exclude)
    members = table(at, "id", "score", "flag")
    assert members["id"].tolist() == package.evaluation.members_frame(catalog)["id"].tolist()
    assert DECLINE in package.members
    assert "d002-credit-china-social-economic-gains" not in package.members
    assert f"objective **{package.objective:.3f}**" in markdown(at)
    # What it leaves out, with the engine's reasons and exchanges.
    left_out = table(at, "reason", "delta", "instead")
    assert left_out["id"].tolist() == [item.id for item in package.left_out]
    assert REPATRIATE in left_out["id"].tolist()
    # Across profiles: each profile's best package, as the engine finds it.
    by_profile = best_packages_by_profile(
        catalog, interactions, catalog.profiles, 4, require, exclude
    )
    membership = chart_data(at, -1)
    columns = {
        "Current weights": package,
        **{catalog.profiles[pid].name: found for pid, found in by_profile.items()},
    }
    assert set(membership["weighting"]) == set(columns)
    for name, found in columns.items():
        shown = membership[(membership["weighting"] == name) & membership["member"]]
        assert sorted(shown["title"]) == sorted(
            catalog.recommendation(i).title for i in found.members
        )
        [label] = set(membership.loc[membership["weighting"] == name, "column"])
        assert label.endswith(f"|{found.objective:.3f}")


@pytest.mark.parametrize(
    ("size", "require", "exclude", "phrase"),
    [
        (5, [DECLINE, REPATRIATE], [], "conflict"),
        (5, [DECLINE], [DECLINE], "is required and excluded"),
        (1, [DECLINE, "d000-include-chinese-priorities-in-dialogues"], [], "2 required"),
    ],
)
def test_constraints_that_admit_no_package_are_named(
    workspace: Workspace, size: int, require: list[str], exclude: list[str], phrase: str
) -> None:
    at = start("Best package")
    at.number_input(key=SIZE_KEY).set_value(size)
    at.multiselect(key=REQUIRE_KEY).set_value(require)
    at.multiselect(key=EXCLUDE_KEY).set_value(exclude).run()
    assert [e.value for e in at.exception] == []
    [error] = at.error
    assert "These constraints admit no package" in error.value
    assert phrase in error.value
    assert not any("objective" in m.value for m in at.markdown)


def test_size_cannot_go_below_one(workspace: Workspace) -> None:
    at = start("Best package")
    assert at.number_input(key=SIZE_KEY).min == 1


def test_best_package_can_be_kept_as_a_set(
    workspace: Workspace, catalog: Catalog, interactions: Interactions
) -> None:
    at = start("Best package")
    package = best_package(catalog, interactions, balanced(catalog), 5)
    at.button(key="packages_save_package").click().run()  # no name yet
    assert [e.value for e in at.exception] == []
    assert any("at least one letter or digit" in e.value for e in at.error)
    assert not (workspace.root / "sets").exists()
    at.text_input(key="packages_package_name").input("Optimised five")
    at.button(key="packages_save_package").click().run()
    assert_clean(at)
    saved = saved_sets(workspace, catalog)["optimised-five"]
    assert set(saved.members) == set(package.members)
    assert at.session_state[SET_KEY] == "optimised-five"


# --- conflicts and synergies -----------------------------------------------------------------


def test_matrix_filters_to_the_current_set(
    workspace: Workspace, catalog: Catalog, interactions: Interactions
) -> None:
    members = [DECLINE, REPATRIATE, "d003-refuse-return-terror-suspects"]
    save_user_set(workspace, catalog, "Law enforcement", members)
    at = start("Conflicts and synergies")
    at.selectbox(key=SET_KEY).set_value("law-enforcement")
    at.radio(key="packages_scope").set_value("set").run()
    assert_clean(at)
    inside = interactions.within(members)
    conflicts = sum(pair.type == "conflict" for pair in inside)
    synergies = len(inside) - conflicts
    caption = next(c.value for c in at.caption if "among" in c.value)
    assert caption.startswith(
        f"{conflicts} conflict{'s' if conflicts != 1 else ''} (red) and {synergies} synerg"
    )
    assert "among 3 recommendations" in caption
    cells = chart_data(at, 0)
    cells = cells[cells["type"] != "self"]
    assert len(cells) == 2 * len(inside)  # each pair fills both its cells
    assert set(cells["rationale"]) == {pair.rationale for pair in inside}
    # Conflicts only, every recommendation: the count is the file's.
    at.radio(key="packages_scope").set_value("all")
    at.session_state["packages_types"] = ["conflict"]
    at.run()
    assert_clean(at)
    caption = next(c.value for c in at.caption if "among" in c.value)
    assert caption.startswith(f"{len(interactions.conflicts)} conflicts (red) and 0 synergies")
    ends = {end for pair in interactions.conflicts for end in (pair.a, pair.b)}
    assert f"among {len(ends)} recommendations" in caption
