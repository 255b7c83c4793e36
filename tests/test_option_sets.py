"""Option sets: interactions validation, set scores, comparison, the best package, user sets."""

from __future__ import annotations

import itertools
import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.cli import main
from scoring.errors import Code, ValidationError
from scoring.loading import INTERACTIONS_FILE
from scoring.model import Catalog, Criterion, Recommendation, Score, WeightProfile
from scoring.option_sets import (
    CONFLICT_PENALTY,
    SYNERGY_BONUS,
    Interactions,
    OptionSet,
    best_package,
    best_packages_by_profile,
    builtin_sets,
    compare_sets,
    delete_user_set,
    evaluate_set,
    interaction_problems,
    load_interactions,
    load_user_sets,
    pairs_in_scope,
    save_user_set,
    solve_package,
    winners_by_profile,
)
from scoring.scope import ALL, scoped
from scoring.workspace import Workspace

from conftest import CRITERIA, REPO_ROOT, ProjectMaker, front_catalog, write_yaml

# --- a small catalog built in code -----------------------------------------------------------
# Criteria: leverage (benefit), buy_in (benefit), risk (cost). Weights 2:1:1 -> 0.5, 0.25, 0.25.
# Normalised (1 -> 0, 5 -> 1; risk reversed) and weighted scores:
#   r-a  5 1 1 -> 1.00 0.00 1.00 -> 0.750
#   r-b  3 3 3 -> 0.50 0.50 0.50 -> 0.500
#   r-c  1 5 5 -> 0.00 1.00 0.00 -> 0.250
#   r-d  2 4 2 -> 0.25 0.75 0.75 -> 0.500
# Interactions: a-c conflict 2, a-b synergy 3, b-d synergy 1.
VALUES = {"r-a": (5, 1, 1), "r-b": (3, 3, 3), "r-c": (1, 5, 5), "r-d": (2, 4, 2)}
WEIGHTS = {"leverage": 2.0, "buy_in": 1.0, "risk": 1.0}
PAIRS: list[dict[str, Any]] = [
    {"a": "r-a", "b": "r-c", "type": "conflict", "strength": 2, "rationale": "a undercuts c"},
    {"a": "r-b", "b": "r-a", "type": "synergy", "strength": 3, "rationale": "a and b help"},
    {"a": "r-b", "b": "r-d", "type": "synergy", "strength": 1, "rationale": "b and d help"},
]


def _recommendation(rec_id: str, values: tuple[int, ...], instrument: str) -> Recommendation:
    criterion_ids = [c["id"] for c in CRITERIA["criteria"]]
    return Recommendation(
        id=rec_id,
        title=f"Title {rec_id}",
        summary="A summary.",
        quote="a quote",
        actor="The government",
        instrument=instrument,
        kind="explicit",
        scores={
            cid: Score(value=v, low=v, high=v, rationale=f"{rec_id} {cid}")
            for cid, v in zip(criterion_ids, values, strict=True)
        },
    )


def small_catalog(values: dict[str, tuple[int, ...]] = VALUES) -> Catalog:
    criteria = tuple(Criterion.model_validate(c) for c in CRITERIA["criteria"])
    profiles = {
        "lever": WeightProfile(id="lever", name="Lever", description="d", weights=WEIGHTS),
        "consent": WeightProfile(
            id="consent", name="Consent", description="d", weights={"buy_in": 1.0}
        ),
    }
    recs = tuple(
        _recommendation(rec_id, vals, "dialogue" if index % 2 else "conditionality")
        for index, (rec_id, vals) in enumerate(values.items())
    )
    return Catalog.build(criteria, CRITERIA["instruments"], (), recs, profiles, "lever")


def small_interactions(catalog: Catalog) -> Interactions:
    pairs, problems = interaction_problems(
        {"schema_version": 1, "pairs": PAIRS}, catalog.recommendation_ids, "test"
    )
    assert problems == []
    return Interactions(pairs)


@pytest.fixture
def catalog() -> Catalog:
    return small_catalog()


@pytest.fixture
def interactions(catalog: Catalog) -> Interactions:
    return small_interactions(catalog)


INSTRUMENT_SETS = ("instrument-expertise", "instrument-dialogue")


@pytest.fixture(scope="module")
def bundled() -> tuple[Catalog, Interactions]:
    catalog = front_catalog()
    return catalog, load_interactions(REPO_ROOT, catalog)


# --- set evaluation by hand ------------------------------------------------------------------


def test_set_scores_equal_hand_computed_values(
    catalog: Catalog, interactions: Interactions
) -> None:
    option_set = OptionSet(id="abc", name="A, B and C", members=("r-a", "r-b", "r-c"))
    evaluation = evaluate_set(catalog, interactions, option_set, WEIGHTS)
    assert evaluation.member_scores.tolist() == pytest.approx([0.75, 0.5, 0.25])
    assert evaluation.total == pytest.approx(1.5)
    assert evaluation.mean == pytest.approx(0.5)
    assert [(p.a, p.b) for p in evaluation.conflicts] == [("r-a", "r-c")]
    assert [(p.a, p.b) for p in evaluation.synergies] == [("r-b", "r-a")]  # b-d: d is outside
    assert evaluation.penalty == pytest.approx(2 * CONFLICT_PENALTY)
    assert evaluation.bonus == pytest.approx(3 * SYNERGY_BONUS)
    assert evaluation.adjusted == pytest.approx(1.5 - 0.30 + 0.15)
    assert evaluation.adjusted_mean == pytest.approx(1.35 / 3)
    assert not evaluation.coherent
    coverage = {cov.criterion_id: cov for cov in evaluation.coverage}
    assert (coverage["leverage"].best, coverage["leverage"].best_member) == (1.0, "r-a")
    assert (coverage["buy_in"].best, coverage["buy_in"].best_member) == (1.0, "r-c")
    assert (coverage["risk"].best, coverage["risk"].best_member) == (1.0, "r-a")
    assert [cov.mean for cov in evaluation.coverage] == pytest.approx([0.5, 0.5, 0.5])


def test_coefficients_are_visible_and_overridable(
    catalog: Catalog, interactions: Interactions
) -> None:
    option_set = OptionSet(id="abc", name="ABC", members=("r-a", "r-b", "r-c"))
    evaluation = evaluate_set(
        catalog, interactions, option_set, WEIGHTS, conflict_penalty=1.0, synergy_bonus=0.0
    )
    assert evaluation.adjusted == pytest.approx(1.5 - 2.0)
    record = evaluation.record(catalog)
    assert record["coefficients"] == {
        "conflict_penalty_per_strength": 1.0,
        "synergy_bonus_per_strength": 0.0,
    }
    assert record["conflicts_inside"][0]["rationale"] == "a undercuts c"
    with pytest.raises(ValidationError) as caught:
        evaluate_set(catalog, interactions, option_set, WEIGHTS, conflict_penalty=-1)
    assert caught.value.problems[0].key_path == "conflict_penalty"


def test_a_set_with_unknown_or_repeated_members_is_refused(
    catalog: Catalog, interactions: Interactions
) -> None:
    option_set = OptionSet(id="bad", name="Bad", members=("r-a", "r-zz", "r-a"))
    with pytest.raises(ValidationError) as caught:
        evaluate_set(catalog, interactions, option_set, WEIGHTS)
    assert [(p.code, p.key_path) for p in caught.value.problems] == [
        (Code.UNKNOWN_RECOMMENDATION, "members[1]"),
        (Code.DUPLICATE_ID, "members[2]"),
    ]


def test_compare_two_to_five_sets(catalog: Catalog, interactions: Interactions) -> None:
    ab = OptionSet(id="ab", name="AB", members=("r-a", "r-b"))
    cd = OptionSet(id="cd", name="CD", members=("r-c", "r-d"))
    comparison = compare_sets(catalog, interactions, [ab, cd], WEIGHTS)
    frame = comparison.frame()
    assert frame["adjusted"].tolist() == pytest.approx([1.25 + 0.15, 0.75])
    coverage = comparison.coverage_frame().set_index(["criterion", "set"])
    assert coverage.loc[("leverage", "ab"), "best"] == pytest.approx(1.0)
    assert coverage.loc[("leverage", "cd"), "best"] == pytest.approx(0.25)
    assert coverage.loc[("buy_in", "cd"), "best_member"] == "r-c"
    assert coverage.loc[("risk", "cd"), "mean"] == pytest.approx((0.0 + 0.75) / 2)
    assert comparison.winner().option_set.id == "ab"
    for sets in ([ab], [ab, cd, ab, cd, ab, cd]):
        with pytest.raises(ValidationError) as caught:
            compare_sets(catalog, interactions, sets, WEIGHTS)
        assert caught.value.codes == {Code.BAD_VALUE}
    with pytest.raises(ValidationError) as caught:
        compare_sets(catalog, interactions, [ab, ab], WEIGHTS)
    assert caught.value.codes == {Code.DUPLICATE_ID}


def test_winners_by_profile(catalog: Catalog, interactions: Interactions) -> None:
    ab = OptionSet(id="ab", name="AB", members=("r-a", "r-b"))
    cd = OptionSet(id="cd", name="CD", members=("r-c", "r-d"))
    winners = {
        w.profile_id: w
        for w in winners_by_profile(catalog, interactions, [ab, cd], catalog.profiles)
    }
    assert winners["lever"].winner == "ab"
    # buy_in only: a 0, b 0.5 (+0.15 synergy) against c 1, d 0.75.
    assert winners["consent"].winner == "cd"
    assert winners["consent"].ranking[0][1] == pytest.approx((1.0 + 0.75) / 2)
    assert winners["consent"].margin == pytest.approx(0.875 - 0.65 / 2)


# --- the best package ------------------------------------------------------------------------


def test_best_package_by_hand(catalog: Catalog, interactions: Interactions) -> None:
    package = best_package(catalog, interactions, WEIGHTS, max_size=2)
    assert package.members == ("r-a", "r-b")
    assert package.objective == pytest.approx(0.75 + 0.5 + 3 * SYNERGY_BONUS)
    assert package.objective == pytest.approx(package.evaluation.adjusted)
    why = {item.id: item for item in package.left_out}
    assert why["r-c"].reason == "conflict"
    assert why["r-c"].conflicts_with == ("r-a",)
    assert why["r-c"].delta == pytest.approx(0.75 - 1.4)  # {b, c} against {a, b}
    assert why["r-d"].reason == "size"
    assert why["r-d"].swap_out == ("r-b",)
    assert why["r-d"].delta == pytest.approx(1.25 - 1.4)
    assert package.solver["status"] == 0


def test_forced_in_and_out_are_respected(catalog: Catalog, interactions: Interactions) -> None:
    package = best_package(catalog, interactions, WEIGHTS, 2, require=["r-c"])
    assert "r-c" in package.members
    assert "r-a" not in package.members
    why = {item.id: item for item in package.left_out}
    assert why["r-a"].reason == "conflict"
    assert why["r-a"].delta is None
    assert "required r-c" in why["r-a"].detail
    # {b, c} and {c, d} both score 0.75: the one left out is reported as a tie.
    assert [item.id for item in package.ties] in (["r-b"], ["r-d"])
    package = best_package(catalog, interactions, WEIGHTS, 2, exclude=["r-b"])
    assert package.members == ("r-a", "r-d")
    assert {item.id: item.reason for item in package.left_out}["r-b"] == "excluded"


@pytest.mark.parametrize(
    ("max_size", "require", "exclude", "code", "key_path"),
    [
        (0, [], [], Code.BAD_VALUE, "max_size"),
        (-3, [], [], Code.BAD_VALUE, "max_size"),
        (2, ["r-zz"], [], Code.UNKNOWN_RECOMMENDATION, "require[0]"),
        (2, [], ["r-a", "nope"], Code.UNKNOWN_RECOMMENDATION, "exclude[1]"),
        (2, ["r-a", "r-c"], [], Code.CONSTRAINT_CLASH, "require[0], require[1]"),
        (2, ["r-a", "r-b", "r-d"], [], Code.CONSTRAINT_CLASH, "require"),
        (2, ["r-b"], ["r-b"], Code.CONSTRAINT_CLASH, "require[0]"),
    ],
)
def test_bad_package_constraints_say_what_clashes(
    catalog: Catalog,
    interactions: Interactions,
    max_size: int,
    require: list[str],
    exclude: list[str],
    code: Code,
    key_path: str,
) -> None:
    with pytest.raises(ValidationError) as caught:
        best_package(catalog, interactions, WEIGHTS, max_size, require, exclude)
    assert [(p.code, p.key_path) for p in caught.value.problems] == [(code, key_path)]


def test_a_conflicting_forced_pair_names_the_rationale(
    catalog: Catalog, interactions: Interactions
) -> None:
    with pytest.raises(ValidationError) as caught:
        best_package(catalog, interactions, WEIGHTS, 3, require=["r-a", "r-c"])
    assert "a undercuts c" in str(caught.value)


def _brute_force(
    scores: np.ndarray,
    conflicts: list[tuple[int, int]],
    synergies: list[tuple[int, int, float]],
    max_size: int,
    required: set[int],
    excluded: set[int],
) -> float | None:
    best = None
    for size in range(max_size + 1):
        for combo in itertools.combinations(range(len(scores)), size):
            chosen = set(combo)
            if not required <= chosen or chosen & excluded:
                continue
            if any(a in chosen and b in chosen for a, b in conflicts):
                continue
            value = sum(scores[i] for i in chosen)
            value += sum(v for a, b, v in synergies if a in chosen and b in chosen)
            best = value if best is None else max(best, value)
    return best


@st.composite
def package_problems(draw: st.DrawFn) -> dict[str, Any]:
    n = draw(st.integers(1, 7))
    scores = draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))
    conflicts, synergies = [], []
    for a, b in itertools.combinations(range(n), 2):
        kind = draw(st.sampled_from(["none", "none", "conflict", "synergy"]))
        if kind == "conflict":
            conflicts.append((a, b))
        elif kind == "synergy":
            synergies.append((a, b, draw(st.sampled_from([1, 2, 3])) * SYNERGY_BONUS))
    flags = draw(st.lists(st.sampled_from("..rx"), min_size=n, max_size=n))
    return {
        "scores": np.array(scores),
        "conflicts": conflicts,
        "synergies": synergies,
        "max_size": draw(st.integers(0, n)),
        "required": {i for i, flag in enumerate(flags) if flag == "r"},
        "excluded": {i for i, flag in enumerate(flags) if flag == "x"},
    }


@settings(max_examples=80, deadline=None)
@given(package_problems())
def test_milp_optimum_equals_brute_force(problem: dict[str, Any]) -> None:
    n = len(problem["scores"])
    solved = solve_package(
        problem["scores"],
        np.array(problem["conflicts"], dtype=int).reshape(-1, 2),
        np.array([(a, b) for a, b, _ in problem["synergies"]], dtype=int).reshape(-1, 2),
        np.array([v for _, _, v in problem["synergies"]], dtype=float),
        problem["max_size"],
        np.isin(np.arange(n), list(problem["required"])),
        np.isin(np.arange(n), list(problem["excluded"])),
    )
    expected = _brute_force(
        problem["scores"],
        problem["conflicts"],
        problem["synergies"],
        problem["max_size"],
        problem["required"],
        problem["excluded"],
    )
    if expected is None:
        assert solved is None
        return
    assert solved is not None
    chosen_mask, value, _ = solved
    chosen = set(np.flatnonzero(chosen_mask).tolist())
    # HiGHS proves optimality up to an absolute gap of 1e-6 (scipy does not expose it), so a
    # package may trail the true optimum by that much when scores differ by less.
    assert value == pytest.approx(expected, abs=1e-6)
    assert len(chosen) <= problem["max_size"]
    assert problem["required"] <= chosen
    assert not chosen & problem["excluded"]
    assert not any(a in chosen and b in chosen for a, b in problem["conflicts"])


@settings(max_examples=25, deadline=None)
@given(
    max_size=st.integers(1, 12),
    weights=st.lists(st.floats(0.01, 10), min_size=8, max_size=8),
    excluded=st.lists(st.integers(0, 89), max_size=5),
)
def test_no_conflicting_pair_is_ever_in_the_bundled_optimum(
    bundled: tuple[Catalog, Interactions], max_size: int, weights: list[float], excluded: list[int]
) -> None:
    catalog, interactions = bundled
    weight_map = dict(zip(catalog.criterion_ids, weights, strict=True))
    ids = catalog.recommendation_ids
    exclude = [ids[i % len(ids)] for i in excluded]
    package = best_package(catalog, interactions, weight_map, max_size, exclude=exclude)
    assert package.evaluation.conflicts == ()
    assert len(package.members) <= max_size
    assert not set(package.members) & set(exclude)
    assert package.objective == pytest.approx(package.evaluation.adjusted)
    # At the optimum no exchange improves the package.
    assert all(item.delta is None or item.delta <= 1e-9 for item in package.left_out)
    # Every option is in the package or explained; the status quo is neither.
    options = [rec for rec in catalog.recommendations if not rec.baseline]
    assert len(package.members) + len(package.left_out) == len(options)


def test_best_package_changes_across_profiles(bundled: tuple[Catalog, Interactions]) -> None:
    catalog, interactions = bundled
    packages = best_packages_by_profile(catalog, interactions, catalog.profiles, 5)
    assert set(packages) == set(catalog.profiles)
    assert all(len(p.members) == 5 for p in packages.values())
    assert packages["engagement"].members != packages["human_rights_first"].members


# --- interactions file -----------------------------------------------------------------------


def _write_interactions(root: Path, data: Any) -> None:
    write_yaml(root / INTERACTIONS_FILE, data)


def _problems_for(tmp_path: Path, data: Any) -> list[tuple[Code, str]]:
    _write_interactions(tmp_path, data)
    with pytest.raises(ValidationError) as caught:
        load_interactions(tmp_path, small_catalog())
    return [(p.code, p.key_path) for p in caught.value.problems]


def _pair(**changes: Any) -> dict[str, Any]:
    return {**PAIRS[0], **changes}


@pytest.mark.parametrize(
    ("pair", "expected"),
    [
        (_pair(b="r-zz"), (Code.UNKNOWN_RECOMMENDATION, "pairs[0].b")),
        (_pair(a="r-c"), (Code.SELF_PAIR, "pairs[0].b")),
        (_pair(type="clash"), (Code.BAD_VALUE, "pairs[0].type")),
        (_pair(strength=4), (Code.BAD_VALUE, "pairs[0].strength")),
        (_pair(strength=0), (Code.BAD_VALUE, "pairs[0].strength")),
        (_pair(strength="2"), (Code.WRONG_TYPE, "pairs[0].strength")),
        (_pair(strength=True), (Code.WRONG_TYPE, "pairs[0].strength")),
        (_pair(rationale="  "), (Code.EMPTY_RATIONALE, "pairs[0].rationale")),
        (
            {k: v for k, v in PAIRS[0].items() if k != "rationale"},
            (Code.MISSING_KEY, "pairs[0].rationale"),
        ),
        (_pair(note="x"), (Code.UNKNOWN_KEY, "pairs[0].note")),
        ("r-a and r-c", (Code.WRONG_TYPE, "pairs[0]")),
    ],
)
def test_each_bad_pair_is_reported_with_code_and_key_path(
    tmp_path: Path, pair: Any, expected: tuple[Code, str]
) -> None:
    assert _problems_for(tmp_path, {"schema_version": 1, "pairs": [pair]}) == [expected]


def test_a_pair_listed_twice_in_either_order_is_a_duplicate(tmp_path: Path) -> None:
    reversed_pair = _pair(a=PAIRS[0]["b"], b=PAIRS[0]["a"], type="synergy")
    problems = _problems_for(tmp_path, {"schema_version": 1, "pairs": [PAIRS[0], reversed_pair]})
    assert problems == [(Code.DUPLICATE_PAIR, "pairs[1]")]


def test_every_fault_of_the_file_is_reported_at_once(tmp_path: Path) -> None:
    data = {
        "schema_version": 2,
        "pairs": [_pair(b="r-zz"), _pair(strength=9), PAIRS[1], _pair(a="r-d", b="r-d")],
    }
    assert _problems_for(tmp_path, data) == [
        (Code.SCHEMA_VERSION, "schema_version"),
        (Code.UNKNOWN_RECOMMENDATION, "pairs[0].b"),
        (Code.BAD_VALUE, "pairs[1].strength"),
        (Code.SELF_PAIR, "pairs[3].b"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("schema_version: 1\npairs: {a: 1}\n", [(Code.WRONG_TYPE, "pairs")]),
        ("schema_version: 1\n", [(Code.MISSING_KEY, "pairs")]),
        ("- a\n- b\n", [(Code.WRONG_TYPE, "")]),
        ("pairs: [\n", [(Code.YAML_SYNTAX, "line 2, column 1")]),
    ],
)
def test_a_malformed_file_is_reported(
    tmp_path: Path, text: str, expected: list[tuple[Code, str]]
) -> None:
    path = tmp_path / INTERACTIONS_FILE
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        load_interactions(tmp_path, small_catalog())
    assert [(p.code, p.key_path) for p in caught.value.problems] == expected
    assert all(p.file == "seeds/interactions.yaml" for p in caught.value.problems)


def test_no_interactions_file_means_no_interactions(tmp_path: Path) -> None:
    assert load_interactions(tmp_path, small_catalog()).pairs == ()


def test_the_bundled_interactions_file_validates() -> None:
    # Every item, not only the U.S. executive's options: the file pairs them all.
    catalog = scoped(front_catalog(), ALL)
    interactions = load_interactions(REPO_ROOT, catalog)
    kinds = Counter(pair.type for pair in interactions.pairs)
    assert kinds["conflict"] >= 20
    assert kinds["synergy"] >= 40
    documents = {rec.id: rec.document for rec in catalog.recommendations}
    cross = [p for p in interactions.conflicts if documents[p.a] != documents[p.b]]
    assert len(cross) >= 20  # the tensions are mostly between documents
    conflict = interactions.between(
        "d004-continue-fugitive-repatriation", "d003-decline-anticorruption-cooperation"
    )
    assert conflict is not None
    assert (conflict.type, conflict.strength) == ("conflict", 3)
    assert all("\n" not in pair.rationale for pair in interactions.pairs)
    raw = yaml.safe_load((REPO_ROOT / INTERACTIONS_FILE).read_text(encoding="utf-8"))
    assert raw["schema_version"] == 1
    assert len(raw["pairs"]) == len(interactions.pairs)


# --- built-in sets ---------------------------------------------------------------------------


def test_builtin_sets_one_per_document_and_instrument(
    bundled: tuple[Catalog, Interactions],
) -> None:
    catalog, _ = bundled
    sets = builtin_sets(catalog)
    by_document = [s for s in sets if s.id.startswith("document-")]
    by_instrument = [s for s in sets if s.id.startswith("instrument-")]
    # One per document with an option for the decision-maker (the program page has none).
    assert len(by_document) == 4
    assert {s.id for s in by_document} >= {"document-000", "document-003", "document-004"}
    options = [rec.id for rec in catalog.recommendations if not rec.baseline]
    for group in (by_document, by_instrument):
        members = [rec_id for s in group for rec_id in s.members]
        assert sorted(members) == sorted(options)  # a partition, without the status quo
    assert all(s.origin == "builtin" for s in sets)
    assert len({s.id for s in sets}) == len(sets)


def test_a_set_holding_both_sides_of_a_tension_is_flagged_not_refused(
    bundled: tuple[Catalog, Interactions],
) -> None:
    catalog, interactions = bundled
    incoherent = OptionSet(
        id="both-sides",
        name="Both sides",
        members=("d003-decline-anticorruption-cooperation", "d004-continue-fugitive-repatriation"),
    )
    evaluation = evaluate_set(
        catalog, interactions, incoherent, catalog.profiles["balanced"].weights
    )
    assert not evaluation.coherent
    assert evaluation.penalty == pytest.approx(3 * CONFLICT_PENALTY)
    assert evaluation.adjusted < evaluation.total


# --- user sets in the workspace --------------------------------------------------------------


def test_user_sets_round_trip_edit_and_delete(tmp_path: Path, catalog: Catalog) -> None:
    workspace = Workspace(tmp_path / "ws")
    saved = save_user_set(workspace, catalog, "Quiet engagement", ["r-b", "r-d"], "mine")
    assert saved.id == "quiet-engagement"
    assert load_user_sets(workspace, catalog) == ((saved,), ())
    with pytest.raises(ValidationError) as caught:
        save_user_set(workspace, catalog, "Quiet engagement", ["r-a"])
    assert caught.value.codes == {Code.DUPLICATE_ID}
    edited = save_user_set(
        workspace, catalog, "Quiet engagement", ["r-a", "r-c"], set_id=saved.id, replace=True
    )
    assert load_user_sets(workspace, catalog) == ((edited,), ())
    assert list(workspace.root.rglob("*.tmp")) == []
    delete_user_set(workspace, saved.id)
    assert load_user_sets(workspace, catalog) == ((), ())
    with pytest.raises(ValidationError) as caught:
        delete_user_set(workspace, saved.id)
    assert caught.value.codes == {Code.UNKNOWN_SET}


@settings(max_examples=25, deadline=None)
@given(
    name=st.text(alphabet="abcXYZ 019'-é", min_size=1, max_size=20).filter(
        lambda text: any(ch.isalnum() and ch.isascii() for ch in text)
    ),
    members=st.lists(st.sampled_from(sorted(VALUES)), min_size=1, max_size=4, unique=True),
    description=st.text(max_size=30),
)
def test_saving_then_loading_a_set_returns_the_same_set(
    name: str, members: list[str], description: str
) -> None:
    catalog = small_catalog()
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace(Path(folder))
        saved = save_user_set(workspace, catalog, name, members, description)
        assert load_user_sets(workspace, catalog) == ((saved,), ())


def test_bad_user_sets_are_refused_on_save(tmp_path: Path, catalog: Catalog) -> None:
    workspace = Workspace(tmp_path / "ws")
    cases = [
        ("Fine", ["r-a", "r-nope"], Code.UNKNOWN_RECOMMENDATION, "members[1]"),
        ("Fine", ["r-a", "r-a"], Code.DUPLICATE_ID, "members[1]"),
        ("Fine", [], Code.BAD_VALUE, "members"),
        ("!!!", ["r-a"], Code.BAD_VALUE, "name"),
    ]
    for name, members, code, key_path in cases:
        with pytest.raises(ValidationError) as caught:
            save_user_set(workspace, catalog, name, members)
        assert [(p.code, p.key_path) for p in caught.value.problems] == [(code, key_path)]
    assert not (workspace.root / "sets").exists()


def test_a_user_set_may_not_take_a_builtin_id(
    tmp_path: Path, bundled: tuple[Catalog, Interactions]
) -> None:
    catalog, _ = bundled
    with pytest.raises(ValidationError) as caught:
        save_user_set(Workspace(tmp_path), catalog, "Document 000", ["d000-join-cptpp"])
    assert caught.value.codes == {Code.DUPLICATE_ID}


def test_broken_user_set_files_are_reported_and_skipped(tmp_path: Path, catalog: Catalog) -> None:
    workspace = Workspace(tmp_path / "ws")
    good = save_user_set(workspace, catalog, "Good", ["r-a"])
    sets_dir = workspace.root / "sets"
    (sets_dir / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    write_yaml(
        sets_dir / "stale.yaml",
        {"schema_version": 1, "id": "stale", "name": "Stale", "members": ["r-gone"]},
    )
    write_yaml(
        sets_dir / "renamed.yaml",
        {"schema_version": 1, "id": "other", "name": "O", "members": ["r-a"]},
    )
    sets, problems = load_user_sets(workspace, catalog)
    assert sets == (good,)
    assert sorted((Path(p.file).name, p.code, p.key_path) for p in problems) == [
        ("broken.yaml", Code.YAML_SYNTAX, "line 2, column 1"),
        ("renamed.yaml", Code.BAD_VALUE, "id"),
        ("stale.yaml", Code.UNKNOWN_RECOMMENDATION, "members[0]"),
    ]


# --- the CLI ---------------------------------------------------------------------------------


def run_cli(capsys: pytest.CaptureFixture[str], tmp_path: Path, *argv: str) -> tuple[int, str, str]:
    status = main(["--root", str(REPO_ROOT), "--workspace", str(tmp_path / "ws"), *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_optimize_json_follows_the_engine(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bundled: tuple[Catalog, Interactions]
) -> None:
    catalog, interactions = bundled
    status, out, _ = run_cli(
        capsys,
        tmp_path,
        "optimize",
        "--profile",
        "pressure",
        "--max-size",
        "4",
        "--exclude",
        "d000-confront-china-with-like-minded",
        "--format",
        "json",
    )
    assert status == 0
    data = json.loads(out)
    expected = best_package(
        catalog,
        interactions,
        catalog.profiles["pressure"].weights,
        4,
        exclude=["d000-confront-china-with-like-minded"],
    )
    assert data["profile"]["id"] == "pressure"
    assert [m["id"] for m in data["package"]["members"]] == list(expected.members)
    assert data["objective"] == pytest.approx(expected.objective)
    assert data["package"]["conflicts_inside"] == []
    options = [rec for rec in catalog.recommendations if not rec.baseline]
    assert len(data["left_out"]) == len(options) - len(expected.members)
    assert data["constraints"]["excluded"] == ["d000-confront-china-with-like-minded"]


def test_optimize_table_shows_package_and_what_it_leaves_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, _ = run_cli(
        capsys,
        tmp_path,
        "optimize",
        "--profile",
        "balanced",
        "--max-size",
        "5",
        "--require",
        "d004-continue-fugitive-repatriation",
        "--across-profiles",
    )
    assert status == 0
    assert "no conflicting pair" in out
    assert "d004-continue-fugitive-repatriation" in out
    assert "d003-decline-anticorruption-cooperation [conflict]: conflicts with required" in out
    assert "Best package under each profile:" in out
    assert "human_rights_first:" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["optimize", "--max-size", "0"], "max_size: expected a whole number >= 1"),
        (["optimize", "--max-size", "2", "--require", "d000-nope"], "require[0]"),
        (
            [
                "optimize",
                "--max-size",
                "2",
                "--require",
                "d003-decline-anticorruption-cooperation",
                "d004-continue-fugitive-repatriation",
            ],
            "conflict (strength 3",
        ),
        (["sets", "--set", "no-such-set"], "--set: no-such-set"),
        (
            ["sets", "--set", *[f"document-00{i}" for i in (0, 2, 3, 4)], *INSTRUMENT_SETS],
            "2 to",
        ),
    ],
)
def test_bad_cli_input_is_a_message_not_a_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str
) -> None:
    status, out, err = run_cli(capsys, tmp_path, *argv)
    assert status == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_sets_lists_builtin_and_saved_sets(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bundled: tuple[Catalog, Interactions]
) -> None:
    catalog, _ = bundled
    save_user_set(
        Workspace(tmp_path / "ws"),
        catalog,
        "Both sides",
        ["d003-decline-anticorruption-cooperation", "d004-continue-fugitive-repatriation"],
    )
    status, out, _ = run_cli(capsys, tmp_path, "sets", "--format", "json")
    assert status == 0
    rows = {row["id"]: row for row in json.loads(out)}
    assert {"document-003", "instrument-law_enforcement", "both-sides"} <= set(rows)
    assert rows["both-sides"]["origin"] == "user"
    assert rows["both-sides"]["conflicts"] == 1


def test_sets_compare_names_the_winner_under_each_profile(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, bundled: tuple[Catalog, Interactions]
) -> None:
    catalog, _ = bundled
    argv = ["sets", "--set", "document-003", "document-004"]
    status, out, _ = run_cli(capsys, tmp_path, *argv, "--format", "json")
    assert status == 0
    data = json.loads(out)
    assert [s["set"]["id"] for s in data["sets"]] == ["document-003", "document-004"]
    assert {w["profile"] for w in data["winners_by_profile"]} == set(catalog.profiles)
    status, out, _ = run_cli(capsys, tmp_path, *argv, "--profile", "pressure")
    assert status == 0
    assert "Winner under each profile" in out
    assert "adjusted_mean" in out
    status, out, _ = run_cli(capsys, tmp_path, "sets", "--set", "document-002")
    assert status == 0
    assert "Coverage" in out
    assert "conflict 1: d002-frame-rights-as-national-interest" in out


def test_validate_checks_the_interactions_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, out, _ = run_cli(capsys, tmp_path, "validate")
    assert status == 0
    assert "interactions: " in out
    assert "conflicts" in out


def test_validate_reports_a_broken_interactions_file(
    capsys: pytest.CaptureFixture[str], make_project: ProjectMaker
) -> None:
    root = make_project()
    pairs = [
        {"a": "t-restart", "b": "t-restart", "type": "synergy", "strength": 1, "rationale": "x"},
        {"a": "t-costs", "b": "t-gone", "type": "conflict", "strength": 2, "rationale": "y"},
    ]
    _write_interactions(root, {"schema_version": 1, "pairs": pairs})
    status = main(["--root", str(root), "validate"])
    err = capsys.readouterr().err
    assert status == 2
    assert "seeds/interactions.yaml: pairs[0].b: expected a recommendation other than a" in err
    assert "seeds/interactions.yaml: pairs[1].b: expected the id of a recommendation" in err


def test_pairs_in_scope_choose_what_the_interaction_matrix_shows(
    bundled: tuple[Catalog, Interactions],
) -> None:
    catalog, interactions = bundled
    order = list(catalog.recommendation_ids)[::-1]  # any display order is kept
    members = list(
        dict.fromkeys([*(pair.a for pair in interactions.pairs[:3]), interactions.pairs[0].b])
    )
    inside = set(members)
    pairs, rows = pairs_in_scope(interactions, members, "set", {"conflict", "synergy"}, order)
    assert all(pair.a in inside and pair.b in inside for pair in pairs)
    assert pairs
    assert list(rows) == sorted(members, key=order.index)
    pairs, rows = pairs_in_scope(interactions, members, "partners", {"conflict"}, order)
    assert pairs
    assert all(pair.type == "conflict" and (pair.a in inside or pair.b in inside) for pair in pairs)
    assert set(rows[: len(members)]) == inside
    assert {end for pair in pairs for end in (pair.a, pair.b)} <= set(rows)
    pairs, rows = pairs_in_scope(interactions, members, "all", {"synergy"}, order)
    assert pairs == tuple(pair for pair in interactions.pairs if pair.type == "synergy")
    assert list(rows) == [r for r in order if r in {e for p in pairs for e in (p.a, p.b)}]
