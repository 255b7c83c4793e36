from __future__ import annotations

import numpy as np
import pytest

from scoring.errors import Code, InputError, ValidationError
from scoring.loading import load_catalog
from scoring.weights import normalized_weights, parse_weight_spec, resolve_weights

from conftest import ProjectMaker

IDS = ("leverage", "buy_in", "risk")


def test_weights_are_normalised_to_sum_one_in_criterion_order() -> None:
    vector = normalized_weights({"risk": 2, "leverage": 6}, IDS)
    np.testing.assert_allclose(vector, [0.75, 0.0, 0.25])


@pytest.mark.parametrize(
    ("weights", "code"),
    [
        ({"leverage": -1, "buy_in": 1}, Code.NEGATIVE_WEIGHT),
        ({"leverage": float("nan")}, Code.NAN_WEIGHT),
        ({"leverage": float("inf")}, Code.NEGATIVE_WEIGHT),
        ({"leverage": 0, "buy_in": 0}, Code.ZERO_WEIGHTS),
        ({}, Code.ZERO_WEIGHTS),
        ({"levrage": 1}, Code.UNKNOWN_CRITERION),
        ({"leverage": "1"}, Code.WRONG_TYPE),
    ],
)
def test_bad_weights_are_refused_with_their_code(weights: dict, code: Code) -> None:
    with pytest.raises(ValidationError) as caught:
        normalized_weights(weights, IDS, source="--weights")
    assert code in caught.value.codes
    assert all(p.where == "--weights" for p in caught.value.problems)


def test_weight_spec_parses_pairs() -> None:
    assert parse_weight_spec("leverage=2, buy_in=0.5,") == {"leverage": 2.0, "buy_in": 0.5}


@pytest.mark.parametrize("spec", ["leverage", "leverage=x", "=2"])
def test_malformed_weight_spec_names_the_part(spec: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_weight_spec(spec)
    [problem] = caught.value.problems
    assert problem.code == Code.BAD_WEIGHT_SPEC
    assert problem.key_path == spec


def test_resolve_weights_applies_overrides_on_the_profile(make_project: ProjectMaker) -> None:
    catalog = load_catalog(make_project())
    profile, weights = resolve_weights(catalog, "pressure", {"buy_in": 3})
    assert profile.id == "pressure"
    assert weights == {"leverage": 5, "buy_in": 3, "risk": 1}


def test_resolve_weights_defaults_to_the_catalog_default(make_project: ProjectMaker) -> None:
    profile, _ = resolve_weights(load_catalog(make_project()))
    assert profile.id == "balanced"


def test_unknown_profile_is_an_input_error(make_project: ProjectMaker) -> None:
    with pytest.raises(InputError) as caught:
        resolve_weights(load_catalog(make_project()), "hawks")
    assert caught.value.codes == {Code.UNKNOWN_PROFILE}
