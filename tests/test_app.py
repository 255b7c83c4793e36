"""The dashboard under AppTest: every page renders, and each interaction does what the engine says.

Each test gets its own empty workspace (``RECSCORE_WORKSPACE``), so nothing here reads or
writes the checkout's ``./workspace``.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from app_pages.render import SELECTED_COLOR, change_text, md
from scoring.analysis import compare_profiles
from scoring.methods import PrometheeII, Topsis, rank, rank_by
from scoring.model import Catalog
from scoring.tables import display_ids
from scoring.workspace import Workspace, apply_overrides, load_workspace

from conftest import REPO_ROOT

TIMEOUT = 120
# Every page the frame registers, so a page added later is smoke-tested too.
PAGES = re.findall(
    r'st\.Page\(\s*"app_pages/(\w+)\.py"', (REPO_ROOT / "app_pages" / "frame.py").read_text()
)


def start(page: str = "rankings", query: dict[str, str] | None = None) -> AppTest:
    """The app after its first run, switched to ``page``."""
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT)
    at.query_params.update(query or {})
    at.run()
    if page != "rankings":
        at.switch_page(f"app_pages/{page}.py").run()
    assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    assert [e.value for e in at.exception] == []
    assert [e.value for e in at.error] == []


def ranked_ids(at: AppTest) -> list[str]:
    """The ids in the Rankings table, top to bottom."""
    [table] = [t for t in at.dataframe if (t.key or "").startswith("rankings_table_")]
    return table.value["id"].tolist()


def points(at: AppTest, catalog: Catalog) -> dict[str, float]:
    return {cid: at.session_state[f"w_{cid}"] for cid in catalog.criterion_ids}


def button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


# --- smoke -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("workspace")
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_error(page: str) -> None:
    at = start(page)
    assert len(at.title) == 1
    assert at.sidebar.selectbox(key="profile").value == "balanced"
    assert len(at.sidebar.slider) == 8


@pytest.mark.usefixtures("workspace")
@pytest.mark.parametrize(
    ("page", "tab_key", "tab"),
    [
        ("rankings", "rankings_tab", "Contributions chart"),
        ("tradeoffs", "tradeoffs_tab", "Two criteria"),
        ("tradeoffs", "tradeoffs_tab", "All scores"),
        ("tradeoffs", "tradeoffs_tab", "Side by side"),
        ("tradeoffs", "tradeoffs_tab", "Criteria correlation"),
    ],
)
def test_every_chart_tab_draws_a_chart(page: str, tab_key: str, tab: str) -> None:
    at = start(page)
    at.session_state[tab_key] = tab
    at.run()
    assert_clean(at)
    assert len(at.get("vega_lite_chart")) >= 1


def test_side_by_side_lists_the_chosen_recommendations_scores(
    workspace: Workspace, catalog: Catalog
) -> None:
    at = start("tradeoffs")
    at.session_state["tradeoffs_tab"] = "Side by side"
    at.run()
    ranking = rank(catalog, catalog.profiles["balanced"].weights)
    chosen = [ranking.ids[4], ranking.ids[0]]
    at.multiselect(key="tradeoffs_compare").set_value(chosen).run()
    assert_clean(at)
    [table] = [t.value for t in at.dataframe]
    recs = [catalog.recommendation(rec_id) for rec_id in chosen]
    assert table["Recommendation"].tolist() == [f"#5 {recs[0].title}", f"#1 {recs[1].title}"]
    human_rights = catalog.criterion("human_rights").name
    score = recs[0].scores["human_rights"]
    assert table[human_rights].iloc[0] == f"{score.value:g} [{score.low:g}–{score.high:g}]"


# --- weights ---------------------------------------------------------------------------------


def test_weight_change_reorders_the_ranking_exactly_as_the_engine_says(
    workspace: Workspace, catalog: Catalog
) -> None:
    at = start()
    balanced = catalog.profiles["balanced"].weights
    assert ranked_ids(at) == display_ids(catalog, rank(catalog, balanced))
    at.sidebar.slider(key="w_leverage").set_value(80.0)
    at.sidebar.slider(key="w_buy_in").set_value(0.0)
    at.run()
    assert_clean(at)
    weights = points(at, catalog)
    assert weights["leverage"] == 80.0
    expected = display_ids(catalog, rank(catalog, weights))
    assert ranked_ids(at) == expected
    assert expected != display_ids(catalog, rank(catalog, balanced))
    # The URL now carries the weights, so the link reproduces the view.
    assert at.query_params["profile"] == "balanced"
    assert float(at.query_params["leverage"]) == 80.0


def test_reset_returns_to_the_profile(workspace: Workspace, catalog: Catalog) -> None:
    at = start()
    at.sidebar.slider(key="w_leverage").set_value(90.0).run()
    button(at, "Reset to profile").click().run()
    assert points(at, catalog)["leverage"] == 12.5
    assert ranked_ids(at) == display_ids(
        catalog, rank(catalog, catalog.profiles["balanced"].weights)
    )
    assert set(at.query_params) == {"profile"}


def test_choosing_a_profile_loads_its_weights(workspace: Workspace, catalog: Catalog) -> None:
    at = start()
    at.sidebar.selectbox(key="profile").set_value("pressure").run()
    assert_clean(at)
    assert points(at, catalog)["leverage"] == 30.0
    assert ranked_ids(at) == display_ids(
        catalog, rank(catalog, catalog.profiles["pressure"].weights)
    )


def test_profile_in_the_url_is_applied(workspace: Workspace, catalog: Catalog) -> None:
    at = start(query={"profile": "human_rights_first"})
    assert at.session_state["profile"] == "human_rights_first"
    assert points(at, catalog)["human_rights"] == 35.0
    expected = display_ids(catalog, rank(catalog, catalog.profiles["human_rights_first"].weights))
    assert ranked_ids(at) == expected
    assert at.warning.len == 0


def test_weights_in_the_url_are_applied(workspace: Workspace, catalog: Catalog) -> None:
    at = start(query={"profile": "balanced", "leverage": "50", "buy_in": "0"})
    weights = points(at, catalog)
    assert weights["leverage"] == 50.0
    assert weights["buy_in"] == 0.0
    assert weights["feasibility"] == 12.5
    assert ranked_ids(at) == display_ids(catalog, rank(catalog, weights))


@pytest.mark.parametrize(
    ("query", "phrase"),
    [
        ({"profile": "nonsense"}, "“nonsense”, which does not exist"),
        ({"charisma": "40"}, "“charisma”, which is not a criterion"),
        ({"leverage": "lots"}, "not a number from 0 to 100"),
        ({"leverage": "-5"}, "not a number from 0 to 100"),
    ],
)
def test_bad_link_gives_a_notice_then_the_default_view(
    workspace: Workspace, catalog: Catalog, query: dict[str, str], phrase: str
) -> None:
    at = start(query=query)
    assert any(phrase in w.value for w in at.warning)
    assert at.session_state["profile"] == "balanced"
    assert ranked_ids(at) == display_ids(
        catalog, rank(catalog, catalog.profiles["balanced"].weights)
    )
    button(at, "Dismiss").click().run()
    assert not any(phrase in w.value for w in at.warning)


# --- aggregation method ----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["topsis", "promethee_ii"])
def test_sidebar_method_ranks_every_page_by_that_method(
    workspace: Workspace, catalog: Catalog, method: str
) -> None:
    at = start()
    at.sidebar.slider(key="w_human_rights").set_value(60.0)
    at.sidebar.selectbox(key="method").set_value(method).run()
    assert_clean(at)
    weights = points(at, catalog)
    expected = rank_by(catalog, weights, method)
    assert ranked_ids(at) == display_ids(catalog, expected)
    assert ranked_ids(at) != display_ids(catalog, rank(catalog, weights))
    assert at.query_params["method"] == method
    # The rank change compares with the profile's own weights under the same method.
    reference = rank_by(catalog, catalog.profiles["balanced"].weights, method)
    [table] = [t for t in at.dataframe if (t.key or "").startswith("rankings_table_")]
    # On competition ranks, in display order: a reshuffle inside a tie is no change.
    before = dict(zip(reference.ids.tolist(), reference.competition_ranks.tolist(), strict=True))
    now = dict(zip(expected.ids.tolist(), expected.competition_ranks.tolist(), strict=True))
    changes = [before[rec_id] - now[rec_id] for rec_id in display_ids(catalog, expected)]
    assert table.value["change"].tolist() == [change_text(c) for c in changes]
    assert any(changes)

    at.switch_page("app_pages/perspectives.py").run()
    at.multiselect(key="perspectives_compare").set_value(["pressure", "engagement"]).run()
    assert_clean(at)
    shown = next(t.value for t in at.dataframe if "Consensus" in t.value.columns)
    profiles = {pid: catalog.profiles[pid].weights for pid in ("pressure", "engagement")}
    consensus = compare_profiles(catalog, profiles, method=method)
    titles = [catalog.recommendation(rec_id).title for rec_id in consensus.ids]
    assert shown["Recommendation"].tolist() == titles
    assert shown["Recommendation"].tolist() != [
        catalog.recommendation(i).title for i in compare_profiles(catalog, profiles).ids
    ]


def test_method_and_its_settings_in_the_url_are_applied(
    workspace: Workspace, catalog: Catalog
) -> None:
    at = start(query={"profile": "pressure", "method": "promethee_ii", "q": "0", "p": "3"})
    assert at.warning.len == 0
    assert at.session_state["method"] == "promethee_ii"
    weights = catalog.profiles["pressure"].weights
    expected = rank_by(catalog, weights, PrometheeII("linear", 0.0, 3.0))
    assert ranked_ids(at) == display_ids(catalog, expected)
    assert ranked_ids(at) != display_ids(catalog, rank_by(catalog, weights, PrometheeII()))
    assert at.query_params["p"] == "3"
    assert "q" not in at.query_params  # the default is left out
    at.sidebar.selectbox(key="method").set_value("weighted_sum").run()
    assert {"method", "q", "p"}.isdisjoint(at.query_params)


@pytest.mark.parametrize(
    ("query", "phrase"),
    [
        ({"method": "electre"}, "“electre”, which does not exist"),
        ({"method": "promethee_ii", "p": "-1"}, "settings for PROMETHEE II"),
        ({"method": "topsis", "anchors": "moon"}, "settings for TOPSIS"),
    ],
)
def test_bad_method_in_the_link_gives_a_notice_and_the_weighted_sum(
    workspace: Workspace, catalog: Catalog, query: dict[str, str], phrase: str
) -> None:
    at = start(query=query)
    assert any(phrase in w.value for w in at.warning)
    assert at.session_state["method"] == "weighted_sum"
    assert ranked_ids(at) == display_ids(
        catalog, rank(catalog, catalog.profiles["balanced"].weights)
    )


def test_invalid_method_settings_rank_with_the_defaults_and_say_so(
    workspace: Workspace, catalog: Catalog
) -> None:
    at = start()
    at.sidebar.selectbox(key="method").set_value("topsis").run()
    at.session_state["topsis_anchors"] = "moon"
    at.run()
    assert [e.value for e in at.exception] == []
    assert any("TOPSIS settings are not valid" in w.value for w in at.sidebar.warning)
    weights = catalog.profiles["balanced"].weights
    assert ranked_ids(at) == display_ids(catalog, rank_by(catalog, weights, Topsis()))


def test_filters_limit_the_ranking(workspace: Workspace, catalog: Catalog) -> None:
    at = start()
    assert at.sidebar.multiselect.len == 0, "filters are drawn only while their expander is open"
    at.session_state["filters_open"] = True
    at.run()
    document = catalog.documents[2].name
    at.sidebar.multiselect(key="filter_documents").set_value([document]).run()
    assert_clean(at)
    ids = ranked_ids(at)
    assert ids
    # The status quo (no document) stays as the yardstick of every selection.
    assert {catalog.recommendation(i).document for i in ids} == {document, ""}
    include = [
        rec.id for rec in catalog.recommendations if rec.document == document or rec.baseline
    ]
    assert ids == display_ids(catalog, rank(catalog, catalog.profiles["balanced"].weights, include))
    # Closed again, the filter still applies (and says so); other pages follow it too.
    at.session_state["filters_open"] = False
    at.run()
    assert ranked_ids(at) == ids
    assert at.sidebar.expander[0].label == "Filters (1 active)"
    at.switch_page("app_pages/tradeoffs.py").run()
    assert_clean(at)
    assert at.session_state["filter_documents"] == [document]
    assert at.session_state["view"].include == tuple(sorted(include))


@pytest.mark.usefixtures("workspace")
@pytest.mark.parametrize("page", PAGES)
def test_filters_that_match_nothing_leave_every_page_usable(page: str, catalog: Catalog) -> None:
    at = start(page)
    at.session_state["filter_documents"] = [catalog.documents[0].name]
    at.session_state["filter_kinds"] = ["implicit"]
    at.session_state["filter_actors"] = ["nobody at all"]
    at.run()
    assert_clean(at)


def test_picked_recommendation_shows_its_quote_in_its_paragraph(
    workspace: Workspace, catalog: Catalog
) -> None:
    at = start()
    rec_id = ranked_ids(at)[4]
    at.selectbox(key="rankings_pick").set_value(rec_id).run()
    assert_clean(at)
    rec = catalog.recommendation(rec_id)
    assert rec.title in [s.value for s in at.subheader]
    html = "".join(h.proto.body for h in at.get("html"))
    quote = catalog.document(rec.document).normalized[rec.start : rec.end]
    assert f"<mark>{escape(quote)}</mark>" in html
    assert rec.scores["leverage"].rationale.split()[0] in html


def test_sources_marks_every_quote_and_the_picked_one(
    workspace: Workspace, catalog: Catalog
) -> None:
    at = start("sources")
    document = catalog.documents[2]
    at.selectbox(key="sources_doc").set_value(document.name).run()
    assert_clean(at)
    html = "".join(h.proto.body for h in at.get("html"))
    recs = [rec for rec in catalog.recommendations if rec.document == document.name]
    assert html.count("<mark ") >= len(recs)
    assert SELECTED_COLOR not in html
    picked = sorted(recs, key=lambda rec: rec.start)[1]
    at.radio(key=f"sources_pick_{document.name}").set_value(picked.id).run()
    assert_clean(at)
    assert any(md(picked.title) in m.value for m in at.markdown)
    html = "".join(h.proto.body for h in at.get("html"))
    assert f"background:{SELECTED_COLOR}" in html
    assert f"<mark>{escape(document.normalized[picked.start : picked.end])}</mark>" in html


# --- perspectives ----------------------------------------------------------------------------


def test_profile_save_load_and_delete_round_trip(workspace: Workspace, catalog: Catalog) -> None:
    at = start()
    at.sidebar.slider(key="w_leverage").set_value(60.0).run()
    at.switch_page("app_pages/perspectives.py").run()
    at.text_input(key="perspectives_name").input("Team B")
    at.text_area(key="perspectives_description").input("Leverage first.")
    button(at, "Save profile").click().run()
    assert_clean(at)
    saved = load_workspace(workspace, catalog).profiles["team_b"]
    assert saved.weights["leverage"] == 60.0
    assert at.session_state["profile"] == "team_b"
    assert "Team B (saved)" in at.sidebar.selectbox(key="profile").options
    expected = display_ids(catalog, rank(catalog, saved.weights))

    # Move away, then load it again.
    at.sidebar.selectbox(key="profile").set_value("engagement").run()
    at.button(key="perspectives_load_team_b").click().run()
    assert at.session_state["profile"] == "team_b"
    at.switch_page("app_pages/rankings.py").run()
    assert ranked_ids(at) == expected

    at.switch_page("app_pages/perspectives.py").run()
    at.text_input(key="perspectives_rename_team_b").input("Team B, revised")
    at.button(key="perspectives_rename_button_team_b").click().run()
    assert load_workspace(workspace, catalog).profiles["team_b"].name == "Team B, revised"

    at.button(key="perspectives_delete_team_b").click().run()
    assert_clean(at)
    assert load_workspace(workspace, catalog).profiles == {}
    assert at.session_state["profile"] == "balanced"
    assert not any("Team B" in o for o in at.sidebar.selectbox(key="profile").options)


def test_saving_under_a_bundled_name_is_refused(workspace: Workspace) -> None:
    at = start("perspectives")
    at.text_input(key="perspectives_name").input("Balanced")
    button(at, "Save profile").click().run()
    assert any("no bundled profile uses" in e.value for e in at.error)
    assert not workspace.profiles_dir.exists()


def test_profiles_compare_with_consensus(workspace: Workspace, catalog: Catalog) -> None:
    at = start("perspectives")
    at.multiselect(key="perspectives_compare").set_value(["pressure", "engagement"]).run()
    assert_clean(at)
    table = next(t.value for t in at.dataframe if "Consensus" in t.value.columns)
    assert list(table.columns[:2]) == ["Consensus", "Recommendation"]
    assert "Pressure and leverage" in table.columns
    assert len(at.get("vega_lite_chart")) == 1


# --- score editing ---------------------------------------------------------------------------


def _edit(at: AppTest, edited_rows: dict[int, dict[str, Any]]) -> None:
    key = next(e.key for e in at.data_editor)
    at.session_state[key] = {"edited_rows": edited_rows, "added_rows": [], "deleted_rows": []}
    at.run()


def _editor_row(at: AppTest, rec_id: str, criterion_id: str) -> int:
    frame = at.data_editor[0].value
    matches = frame.index[(frame["id"] == rec_id) & (frame["criterion_id"] == criterion_id)]
    return int(matches[0])


def test_invalid_score_edit_shows_the_error_and_writes_nothing(
    workspace: Workspace, catalog: Catalog
) -> None:
    at = start("editing")
    rec_id = catalog.recommendation_ids[0]
    row = _editor_row(at, rec_id, "leverage")
    _edit(at, {row: {"value": 9, "low": 4}})
    at.button(key="editing_save").click().run()
    [error] = at.error
    assert f"{rec_id}.leverage.value" in error.value
    assert "1 to 5" in error.value
    assert not workspace.root.exists(), "nothing may be written"


def test_override_changes_the_ranking_and_a_revert_restores_it(
    workspace: Workspace, catalog: Catalog
) -> None:
    at = start()
    before = ranked_ids(at)
    last = before[-1]
    at.switch_page("app_pages/editing.py").run()
    at.selectbox(key="editing_rec").set_value(last).run()
    edits = {
        _editor_row(at, last, cid): {
            "value": 5 if cid != "relationship_risk" else 1,
            "low": 5 if cid != "relationship_risk" else 1,
            "high": 5 if cid != "relationship_risk" else 1,
        }
        for cid in catalog.criterion_ids
    }
    _edit(at, edits)
    at.button(key="editing_save").click().run()
    assert_clean(at)
    state = load_workspace(workspace, catalog)
    assert len(state.overrides) == 8
    at.switch_page("app_pages/rankings.py").run()
    after = ranked_ids(at)
    weights = catalog.profiles["balanced"].weights
    assert after == display_ids(catalog, rank(apply_overrides(catalog, state.overrides), weights))
    assert after[0] == last

    # The override is marked next to the bundled value.
    at.selectbox(key="rankings_pick").set_value(last).run()
    html = "".join(h.proto.body for h in at.get("html"))
    assert "✎ edited; bundled" in html

    at.switch_page("app_pages/editing.py").run()
    at.button(key="editing_revert_all").click().run()
    assert_clean(at)
    assert load_workspace(workspace, catalog).overrides == {}
    at.switch_page("app_pages/rankings.py").run()
    assert ranked_ids(at) == before


def test_revert_one_keeps_the_others(workspace: Workspace, catalog: Catalog) -> None:
    from scoring.score_edits import save_score_edits

    first, second = catalog.recommendation_ids[:2]
    edit = {"value": 3, "low": 2, "high": 4, "rationale": "team view"}
    save_score_edits(workspace, catalog, {(first, "leverage"): edit, (second, "buy_in"): edit})
    at = start("editing")
    at.session_state["editing_overrides"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    at.button(key="editing_revert_selected").click().run()
    assert_clean(at)
    assert set(load_workspace(workspace, catalog).overrides) == {(second, "buy_in")}


def test_edits_survive_a_restart(workspace: Workspace, catalog: Catalog) -> None:
    at = start("editing")
    rec_id = catalog.recommendation_ids[3]
    _edit(at, {_editor_row(at, rec_id, "feasibility"): {"rationale": "Checked with the desk."}})
    at.button(key="editing_save").click().run()
    assert_clean(at)
    fresh = start("editing")  # a new session: a browser refresh or a server restart
    row = _editor_row(fresh, rec_id, "feasibility")
    assert fresh.data_editor[0].value.loc[row, "rationale"] == "Checked with the desk."
    assert fresh.data_editor[0].value.loc[row, "edited"] == "✎"


# --- bad workspace ---------------------------------------------------------------------------


def test_corrupt_workspace_file_is_reported_and_kept(workspace: Workspace) -> None:
    workspace.root.mkdir(parents=True)
    workspace.overrides_path.write_text("overrides: [this is not\n", encoding="utf-8")
    at = start()
    assert not at.exception
    assert any(
        "overrides.yaml" in w.value and "next save sets it aside" in w.value for w in at.warning
    )
    # Reading is read-only: the file stays as it is until a save sets it aside.
    assert not list(workspace.root.glob("overrides.yaml.corrupt-*"))
    assert workspace.overrides_path.read_text(encoding="utf-8") == "overrides: [this is not\n"
    assert ranked_ids(at)


def test_hostile_workspace_files_leave_every_page_usable(workspace: Workspace) -> None:
    """A billion-laughs profile and bracket-nested overrides: warnings, no exception block."""
    workspace.profiles_dir.mkdir(parents=True)
    levels = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 9)]
    (workspace.profiles_dir / "lol.yaml").write_text("\n".join(levels), encoding="utf-8")
    workspace.overrides_path.write_text("overrides: " + "[" * 50_000, encoding="utf-8")
    at = start()
    assert not at.exception
    assert any("profiles/lol.yaml" in w.value for w in at.warning)
    assert any("overrides.yaml" in w.value for w in at.warning)
    assert ranked_ids(at)


def test_hand_edited_profile_is_reported_and_the_rest_works(workspace: Workspace) -> None:
    workspace.profiles_dir.mkdir(parents=True)
    data = {
        "schema_version": 1,
        "id": "odd",
        "name": "Odd",
        "description": "x",
        "weights": {"leverage": "heavy"},
    }
    workspace.profile_path("odd").write_text(yaml.safe_dump(data), encoding="utf-8")
    at = start("perspectives")
    assert any("profiles/odd.yaml" in w.value for w in at.warning)
    assert "Odd (saved)" not in at.sidebar.selectbox(key="profile").options


@pytest.mark.usefixtures("workspace")
def test_rankings_shows_draw_intervals_and_no_winner_on_a_tie(catalog: Catalog) -> None:
    # Economic and security interests: two options tie for first for the U.S. executive.
    from app_pages.render import md
    from scoring.robustness import first_place_tie, with_uncertainty

    at = start(query={"profile": "economic_security"})
    ranking = with_uncertainty(
        catalog, rank(catalog, catalog.profiles["economic_security"].weights)
    )
    tie = first_place_tie(catalog, ranking)
    assert tie is not None
    text = "\n".join(m.value for m in at.markdown)
    assert md(tie.sentence()) in text
    assert not re.search(r"\bRecommend\b", text)
    [table] = [t for t in at.dataframe if (t.key or "").startswith("rankings_table_")]
    shown = table.value.set_index("id")
    frame = ranking.to_frame().set_index("id")
    for rec_id in display_ids(catalog, ranking)[:10]:
        low, high = int(frame.loc[rec_id, "rank_p5"]), int(frame.loc[rec_id, "rank_p95"])
        assert shown.loc[rec_id, "ranks"] == (str(low) if low == high else f"{low}–{high}")
        assert shown.loc[rec_id, "p_next"] == f"{frame.loc[rec_id, 'p_above_next']:.2f}"
    # Near-ties are the pairs whose winning index lies in 0.4-0.6, not every pair.
    # ("=" for an equal score takes precedence over "≈").
    for rec_id in shown.index:
        near = bool(frame.loc[rec_id, "near_tie_with_next"])
        assert shown.loc[rec_id, "tie"] == (
            "=" if shown.loc[rec_id, "tie"] == "=" else "≈" if near else ""
        )
    assert shown["tie"].tolist().count("≈") < len(shown) / 2


def test_a_filters_selection_is_worked_out_once_per_filter_change(
    workspace: Workspace, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app_pages import sidebar

    calls: list[dict[str, Any]] = []
    original = sidebar.select_recommendations
    monkeypatch.setattr(
        sidebar, "select_recommendations", lambda c, **f: calls.append(f) or original(c, **f)
    )
    at = start()
    document = catalog.documents[0].name
    at.session_state["filter_documents"] = [document]
    at.run()
    assert_clean(at)
    assert len(calls) == 2  # the first run (no filter), then the filter change
    selected = ranked_ids(at)
    slider = next(s for s in at.sidebar.slider if str(s.key).startswith("w_"))
    slider.set_value(0.3).run()
    at.run()
    assert len(calls) == 2  # weight changes and reruns reuse the selection
    assert set(ranked_ids(at)) == set(selected)
    assert all(catalog.recommendation(rec_id).document == document or
               catalog.recommendation(rec_id).baseline for rec_id in selected)  # fmt: skip
    at.session_state["filter_documents"] = []
    at.run()
    assert len(calls) == 3
    assert len(ranked_ids(at)) == len(catalog.recommendations)
