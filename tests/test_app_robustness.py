"""The Robustness page under AppTest: each tab renders, and what it shows is what the engine says.

Each test gets its own empty workspace (``RECSCORE_WORKSPACE``), as in ``test_app.py``.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from app_pages.render import md
from app_pages.views import robustness
from scoring.elicitation import ahp_weights, rank_order_centroid, swing_weights
from scoring.methods import (
    METHOD_NAMES,
    MethodSpec,
    PrometheeII,
    Topsis,
    WeightedSum,
    compare_methods,
    rank,
)
from scoring.model import Catalog
from scoring.robustness import (
    Safeguards,
    WeightConstraints,
    constraints_from_profile,
    one_way_sensitivity,
    screen,
    smaa,
)
from scoring.workspace import Workspace, load_workspace

from conftest import REPO_ROOT

TIMEOUT = 120
PAGE = "app_pages/robustness.py"


def start(tab: str | None = None, profile: str | None = None) -> AppTest:
    """The app on the Robustness page (optionally under ``profile``, on ``tab``)."""
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT)
    if profile is not None:
        at.query_params["profile"] = profile
    at.run()
    at.switch_page(PAGE).run()
    assert_clean(at)
    if tab is not None:
        open_tab(at, tab)
    return at


def open_tab(at: AppTest, tab: str) -> None:
    at.session_state[robustness.TAB_KEY] = tab
    at.run()
    assert_clean(at)


def assert_clean(at: AppTest) -> None:
    assert [e.value for e in at.exception] == []
    assert [e.value for e in at.error] == []


# AppTest keeps no key for a dataframe that is not selectable: each table is found by a
# column only it has.
TABLES = {
    "elicited": "Elicited",
    "methods": "Spread",
    "set_apart": "Why",
    "guarded": "Without safeguards",
    "intervals": "First holds",
}


def table(at: AppTest, name: str) -> Any:
    return next(t.value for t in at.dataframe if TABLES[name] in t.value.columns)


def has_table(at: AppTest, name: str) -> bool:
    return any(TABLES[name] in t.value.columns for t in at.dataframe)


def tau_table(at: AppTest) -> Any:
    return next(
        t.value
        for t in at.dataframe
        if "Recommendation" not in t.value.columns and "TOPSIS" in t.value.columns
    )


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


def chart_rows(chart: Any) -> int:
    """Rows of the chart's dataset (sent as Arrow)."""
    [dataset] = chart.proto.datasets
    return pa.ipc.open_stream(dataset.data.data).read_all().num_rows


def weights_of(at: AppTest, catalog: Catalog) -> dict[str, float]:
    """What the page ranks: the view's weights."""
    view = at.session_state["view"]
    return {cid: float(view.weights[cid]) for cid in catalog.criterion_ids}


# --- smoke -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("workspace")
def test_every_tab_renders_without_error() -> None:
    at = start()
    assert [t.value for t in at.title] == ["Robustness"]
    for tab in robustness.TABS:
        open_tab(at, tab)
        charts = len(at.get("vega_lite_chart"))
        assert charts == (1 if tab in ("Sensitivity", "SMAA") else 0), tab
    for method in ("roc", "ahp", "swing"):
        at.session_state["rob_elicit"] = method
        at.run()
        assert_clean(at)


# --- 1. weight elicitation -------------------------------------------------------------------


def test_swing_weights_are_the_engines_and_go_onto_the_sliders(
    workspace: Workspace, catalog: Catalog
) -> None:
    at = start("Weight elicitation")
    ids = list(catalog.criterion_ids)
    order = [
        "human_rights",
        "leverage",
        *[cid for cid in ids if cid not in ("human_rights", "leverage")],
    ]
    at.multiselect(key="rob_swing_order").set_value(order).run()
    ratings = dict.fromkeys(ids, 40.0) | {"human_rights": 100.0, "leverage": 80.0}
    for cid in ids:
        if cid != "human_rights":
            at.slider(key=f"rob_swing_{cid}").set_value(int(ratings[cid]))
    at.run()
    assert_clean(at)
    expected = swing_weights(ratings, ids, order).weights
    shown = table(at, "elicited")
    assert shown["Elicited"].tolist() == pytest.approx([expected[cid] * 100 for cid in ids])

    button(at, "Apply to the sliders").click().run()
    assert_clean(at)
    for cid in ids:
        assert at.session_state[f"w_{cid}"] == round(expected[cid] * 200) / 2
    assert "The swing weighting weights are on the sliders." in [s.value for s in at.success]


def test_swing_ratings_that_rise_along_the_order_are_refused_with_the_reason(
    workspace: Workspace, catalog: Catalog
) -> None:
    at = start("Weight elicitation")
    second, third = at.session_state["rob_swing_order"][1:3]
    at.slider(key=f"rob_swing_{second}").set_value(30)
    at.slider(key=f"rob_swing_{third}").set_value(60).run()
    assert [e.value for e in at.exception] == []
    [error] = at.error
    assert "These ratings cannot give weights yet" in error.value
    assert f"{md(third)}** — expected a rating no higher than" in error.value
    assert not has_table(at, "elicited")


def test_rank_order_centroid_is_saved_as_a_profile_and_selected(
    workspace: Workspace, catalog: Catalog
) -> None:
    at = start("Weight elicitation")
    at.session_state["rob_elicit"] = "roc"
    at.run()
    order = ["human_rights", "allied_support", "leverage", "feasibility"]
    at.multiselect(key="rob_roc_order").set_value(order).run()
    assert_clean(at)
    expected = rank_order_centroid(order, catalog.criterion_ids)
    shown = table(at, "elicited")
    ids = catalog.criterion_ids
    assert shown["Elicited"].tolist() == pytest.approx([expected.weights[c] * 100 for c in ids])
    assert any("weighted 0" in i.value for i in at.info), "left-out criteria get a notice"

    at.text_input(key="rob_save_name_roc").input("Rights first, by order")
    button(at, "Save profile").click().run()
    assert_clean(at)
    saved = load_workspace(workspace, catalog).profiles["rights_first_by_order"]
    assert saved.weights == pytest.approx(dict(expected.weights))
    assert at.session_state["profile"] == "rights_first_by_order"
    assert at.session_state["view"].at_profile
    assert "Rights first, by order (saved)" in at.sidebar.selectbox(key="profile").options


def test_saving_under_a_bundled_name_is_refused(workspace: Workspace) -> None:
    at = start("Weight elicitation")
    at.text_input(key="rob_save_name_swing").input("Balanced")
    button(at, "Save profile").click().run()
    assert any("Nothing was saved" in e.value for e in at.error)
    assert not workspace.profiles_dir.exists()


def _ahp_judgements(at: AppTest, catalog: Catalog) -> dict[tuple[str, str], float]:
    judgements = {}
    for a, b in combinations(catalog.criterion_ids, 2):
        k = int(at.session_state[f"rob_ahp_{a}__{b}"])
        judgements[a, b] = k + 1.0 if k >= 0 else 1.0 / (1 - k)
    return judgements


def test_ahp_warns_above_the_limit_and_names_the_worst_judgements(
    workspace: Workspace, catalog: Catalog
) -> None:
    at = start("Weight elicitation")
    at.session_state["rob_elicit"] = "ahp"
    at.run()
    assert_clean(at)
    # Balanced: every pair judged equal, perfectly consistent.
    assert any("within Saaty's limit" in s.value for s in at.success)
    assert not at.warning

    # Leverage 9x buy-in and buy-in 9x human rights, yet human rights 9x leverage: a cycle.
    at.select_slider(key="rob_ahp_leverage__buy_in").set_value(8)
    at.select_slider(key="rob_ahp_buy_in__human_rights").set_value(8)
    at.select_slider(key="rob_ahp_leverage__human_rights").set_value(-8).run()
    assert_clean(at)
    result = ahp_weights(_ahp_judgements(at, catalog), catalog.criterion_ids)
    assert not result.consistent
    [warning] = at.warning
    assert f"Consistency ratio {result.consistency_ratio:.2f} is above 0.10" in warning.value
    names = {c.id: c.name for c in catalog.criteria}
    worst = result.most_inconsistent[0]
    assert f"{md(names[worst.first])} against {md(names[worst.second])}" in warning.value
    # The most inconsistent judgements are marked on their sliders.
    label = at.select_slider(key=f"rob_ahp_{worst.first}__{worst.second}").label
    assert label.startswith("⚠")
    metric = next(m for m in at.metric if m.label == "Consistency ratio")
    assert metric.value == f"{result.consistency_ratio:.3f}"
    shown = table(at, "elicited")
    ids = catalog.criterion_ids
    assert shown["Elicited"].tolist() == pytest.approx([result.weights[c] * 100 for c in ids])


# --- 2. methods ------------------------------------------------------------------------------


def test_method_comparison_shows_the_engines_ranks_and_tau(
    workspace: Workspace, catalog: Catalog
) -> None:
    at = start("Methods", profile="pressure")
    weights = weights_of(at, catalog)
    comparison = compare_methods(catalog, weights, (WeightedSum(), Topsis(), PrometheeII()))
    frame = comparison.to_frame()  # ordered by weighted sum, the method chosen by default
    shown = table(at, "methods")
    titles = [catalog.recommendation(i).title for i in frame["id"]]
    assert shown["Recommendation"].tolist() == titles
    assert shown["TOPSIS"].tolist() == frame["topsis"].tolist()
    assert shown["PROMETHEE II"].tolist() == frame["promethee_ii"].tolist()
    assert shown["Spread"].tolist() == frame["spread"].tolist()
    tau = tau_table(at)
    expected = comparison.tau_frame().to_numpy()
    assert tau.to_numpy() == pytest.approx(expected)

    # Choosing TOPSIS orders the rows by TOPSIS and uses its settings.
    at.selectbox(key="method").set_value("topsis")
    at.radio(key="topsis_anchors").set_value("observed").run()
    assert_clean(at)
    observed = compare_methods(catalog, weights, (WeightedSum(), Topsis("observed"), PrometheeII()))
    shown = table(at, "methods")
    by_topsis = observed.rankings["topsis"].ids
    assert shown["Recommendation"].tolist() == [catalog.recommendation(i).title for i in by_topsis]
    assert shown["TOPSIS"].tolist() == list(range(1, len(by_topsis) + 1))


def test_bad_promethee_thresholds_are_an_error_not_a_traceback(workspace: Workspace) -> None:
    at = start("Sensitivity")
    at.selectbox(key="method").set_value("promethee_ii")
    at.number_input(key="promethee_q").set_value(2.0)
    at.number_input(key="promethee_p").set_value(1.0).run()
    assert [e.value for e in at.exception] == []
    assert any("promethee\\_ii.p" in e.value and "p above q" in e.value for e in at.error)


# --- 3. safeguards ---------------------------------------------------------------------------


def test_safeguards_set_recommendations_apart_with_reasons_everywhere(
    workspace: Workspace, catalog: Catalog
) -> None:
    at = start("Safeguards")
    at.selectbox(key="rob_min_human_rights").set_value(3.0)
    at.selectbox(key="rob_veto_relationship_risk").set_value(4.0).run()
    assert_clean(at)
    screening = screen(
        catalog, Safeguards(minimums={"human_rights": 3.0}, vetoes={"relationship_risk": 4.0})
    )
    assert screening.failed
    assert screening.passed
    apart = table(at, "set_apart")
    assert apart["Recommendation"].tolist() == [f.title for f in screening.failed]
    assert apart["Why"].tolist() == ["; ".join(f.reasons) for f in screening.failed]

    weights = weights_of(at, catalog)
    guarded = rank(catalog, weights, screening.passed)
    ranked = table(at, "guarded")
    assert ranked["Recommendation"].tolist() == [
        catalog.recommendation(i).title for i in guarded.ids
    ]
    everything = rank(catalog, weights)
    assert ranked["Without safeguards"].tolist() == [everything.positions[i] for i in guarded.ids]
    caption = f"Safeguards set {len(screening.failed)} of {len(catalog.recommendations)}"
    assert any(caption in c.value for c in at.caption)

    # The other tabs rank only those that pass.
    open_tab(at, "Sensitivity")
    sensitivity = one_way_sensitivity(catalog, weights, include=screening.passed)
    assert all(md(s) in markdown_text(at) for s in sensitivity.sentences())

    # Cleared, nothing is set apart (the values persist while other tabs are open).
    open_tab(at, "Safeguards")
    assert at.selectbox(key="rob_min_human_rights").value == 3.0
    button(at, "Clear every safeguard").click().run()
    assert_clean(at)
    assert at.selectbox(key="rob_min_human_rights").value == 0.0
    assert not has_table(at, "set_apart")


# --- 4. one-way sensitivity ------------------------------------------------------------------


def test_sensitivity_shows_the_engines_interval_and_sentences(
    workspace: Workspace, catalog: Catalog
) -> None:
    at = start("Sensitivity", profile="pressure")
    at.selectbox(key="rob_sens_criterion").set_value("human_rights")
    at.selectbox(key="method").set_value("promethee_ii").run()
    assert_clean(at)
    weights = weights_of(at, catalog)
    result = one_way_sensitivity(catalog, weights, PrometheeII())
    k = catalog.criterion_ids.index("human_rights")
    text = markdown_text(at)
    assert md(result.intervals[k].sentence(result.titles[0])) in text
    assert len(result.sentences()) == 5
    assert all(md(s) in text for s in result.sentences())
    intervals = table(at, "intervals")
    assert intervals["Criterion"].tolist() == [c.name for c in catalog.criteria]
    # The chart draws the requested number of recommendations, 101 grid points each.
    at.slider(key="rob_sens_top").set_value(3).run()
    [chart] = at.get("vega_lite_chart")
    assert chart_rows(chart) == 3 * len(result.grid)


# --- 5. SMAA-2 -------------------------------------------------------------------------------


def test_smaa_says_what_the_engine_says_and_reruns_from_the_cache(
    workspace: Workspace, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return smaa(*args, **kwargs)

    monkeypatch.setattr(robustness.shared, "smaa", counted)  # the module whose cache calls it
    at = start("SMAA", profile="pressure")
    at.number_input(key="rob_smaa_samples").set_value(2_000)
    at.number_input(key="rob_smaa_seed").set_value(4_242)
    at.radio(key="rob_smaa_weights").set_value("uniform")
    at.radio(key="rob_smaa_scores").set_value("triangular").run()
    assert_clean(at)
    expected = smaa(catalog, WeightConstraints(), "triangular", 2_000, 4_242)
    text = markdown_text(at)
    assert all(md(s) in text for s in expected.sentences(top=5))
    assert len(at.get("vega_lite_chart")) == 1

    # With the profile's order of weights, a slider move that keeps the order is a cache hit.
    at.radio(key="rob_smaa_weights").set_value("order").run()
    assert_clean(at)
    weights = weights_of(at, catalog)
    constraints = constraints_from_profile(weights, catalog.criterion_ids, "order")
    ordered = smaa(catalog, constraints, "triangular", 2_000, 4_242)
    assert all(md(s) in markdown_text(at) for s in ordered.sentences(top=5))
    before = len(calls)
    at.sidebar.slider(key="w_leverage").set_value(35.0).run()  # 30 -> 35: still the largest
    assert_clean(at)
    assert len(calls) == before, "the same order must not sample again"
    at.sidebar.slider(key="w_human_rights").set_value(40.0).run()  # now above leverage
    assert_clean(at)
    assert len(calls) == before + 1


@pytest.mark.parametrize("method", [Topsis(), PrometheeII()])
def test_smaa_ranks_by_the_sidebars_method(
    workspace: Workspace, catalog: Catalog, method: MethodSpec
) -> None:
    at = start("SMAA", profile="engagement")
    at.number_input(key="rob_smaa_samples").set_value(500)
    at.number_input(key="rob_smaa_seed").set_value(7)
    at.radio(key="rob_smaa_weights").set_value("uniform")
    at.radio(key="rob_smaa_scores").set_value("uniform")
    at.selectbox(key="method").set_value(method.name).run()
    assert_clean(at)
    expected = smaa(catalog, WeightConstraints(), "uniform", 500, 7, method=method)
    by_sum = smaa(catalog, WeightConstraints(), "uniform", 500, 7)
    assert expected.sentences(top=5) != by_sum.sentences(top=5)
    text = markdown_text(at)
    assert all(md(s) in text for s in expected.sentences(top=5))
    assert any(f"SMAA-2 by {METHOD_NAMES[method.name]}" in c.value for c in at.caption)


def test_the_app_the_cli_and_the_brief_tell_one_robustness_story(
    workspace: Workspace, catalog: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    # The same view three ways, each on its own defaults, against the engine's defaults.
    import json

    from scoring.briefs import BriefSpec, build_brief
    from scoring.cli import main
    from scoring.robustness import DEFAULT_SAMPLES, DEFAULT_SEED, DEFAULT_WEIGHT_MODEL

    weights = catalog.profiles["pressure"].weights
    constraints = constraints_from_profile(weights, catalog.criterion_ids, DEFAULT_WEIGHT_MODEL)
    expected = smaa(catalog, constraints, samples=DEFAULT_SAMPLES, seed=DEFAULT_SEED)
    top3 = [expected.ids[i] for i in np.argsort(-expected.acceptability[:, 0])[:3]]
    first = {
        rec_id: float(expected.acceptability[expected.ids.index(rec_id), 0]) for rec_id in top3
    }
    in_top3 = {rec_id: float(expected.cumulative(3)[expected.ids.index(rec_id)]) for rec_id in top3}

    at = start("SMAA", profile="pressure")
    assert_clean(at)
    assert all(md(s) in markdown_text(at) for s in expected.sentences(top=3))

    assert main(["smaa", "--profile", "pressure", "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)["recommendations"]
    cli = {r["id"]: r["rank_acceptability"][0] for r in records}
    cli_top3 = {r["id"]: sum(r["rank_acceptability"][:3]) for r in records}
    brief = build_brief(catalog, BriefSpec(profiles=("pressure",)))
    assert brief.robustness is not None
    for rec_id in top3:
        assert cli[rec_id] == pytest.approx(first[rec_id])
        share = brief.robustness.share_of(rec_id)
        assert share is not None
        assert share[0] == pytest.approx(first[rec_id])
        # The top-3 acceptabilities agree too, not only the first-place shares.
        assert cli_top3[rec_id] == pytest.approx(in_top3[rec_id])
        assert share[1] == pytest.approx(in_top3[rec_id])
