"""SMAA over option sets: shares are probabilities, seeded, and follow dominance."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from scoring.cli import main
from scoring.errors import Code, InputError
from scoring.option_sets import Interactions, OptionSet, builtin_sets, load_interactions
from scoring.set_robustness import set_acceptability
from scoring.synthetic import catalog_from_matrix

from conftest import REPO_ROOT, front_catalog


def option_set(set_id: str, *members: str) -> OptionSet:
    return OptionSet(id=set_id, name=set_id.upper(), members=members)


def test_a_set_that_dominates_wins_every_sample() -> None:
    catalog = catalog_from_matrix(np.array([[5, 5, 5], [1, 1, 1], [3, 3, 3]]), spread=0)
    result = set_acceptability(
        catalog,
        Interactions(),
        [option_set("weak", "r001"), option_set("strong", "r000", "r002")],
        samples=500,
    )
    assert result.shares.tolist() == [0.0, 1.0]
    assert result.to_frame()["set"].tolist() == ["strong", "weak"]


def test_identical_sets_tie_and_the_first_listed_takes_the_tie() -> None:
    catalog = catalog_from_matrix(np.array([[4, 2], [2, 4]]))
    sets = [option_set("a", "r000", "r001"), option_set("b", "r001", "r000")]
    assert set_acceptability(catalog, Interactions(), sets, samples=200).shares.tolist() == [1, 0]


@settings(max_examples=25, deadline=None)
@given(arrays(np.int64, (6, 3), elements=st.integers(1, 5)), st.integers(0, 2**16))
def test_shares_sum_to_one_and_the_seed_reproduces_them(values: np.ndarray, seed: int) -> None:
    catalog = catalog_from_matrix(values, spread=1)
    sets = [
        option_set("a", "r000", "r001"),
        option_set("b", "r002"),
        option_set("c", "r003", "r005"),
    ]
    first = set_acceptability(catalog, Interactions(), sets, samples=300, seed=seed)
    again = set_acceptability(catalog, Interactions(), sets, samples=300, seed=seed)
    assert first.shares.sum() == pytest.approx(1.0)
    assert np.array_equal(first.shares, again.shares)


def test_fixed_scores_let_only_weights_decide() -> None:
    # r000 is best on c0 only, r001 on c1 only: under uniform weights each wins about half.
    catalog = catalog_from_matrix(np.array([[5, 1], [1, 5]]), spread=2)
    sets = [option_set("a", "r000"), option_set("b", "r001")]
    result = set_acceptability(catalog, Interactions(), sets, samples=4000, scores="fixed")
    assert result.shares[0] == pytest.approx(0.5, abs=0.05)


def test_bundled_document_sets_get_sentences() -> None:
    catalog = front_catalog()
    sets = [s for s in builtin_sets(catalog) if s.id in ("document-003", "document-004")]
    result = set_acceptability(catalog, load_interactions(REPO_ROOT, catalog), sets, samples=300)
    assert len(result.sentences()) == 2
    assert all("plausible weightings and scores" in line for line in result.sentences())


@pytest.mark.parametrize(
    ("options", "key"),
    [
        ({"samples": 0}, "samples"),
        ({"samples": 10**9}, "samples"),
        ({"metric": "best"}, "metric"),
        ({"scores": "triangular"}, "scores"),
    ],
)
def test_bad_settings_are_input_errors(options: dict, key: str) -> None:
    catalog = catalog_from_matrix(np.array([[4, 2], [2, 4]]))
    with pytest.raises(InputError) as caught:
        set_acceptability(
            catalog, Interactions(), [option_set("a", "r000"), option_set("b", "r001")], **options
        )
    [problem] = caught.value.problems
    assert problem.key_path == key
    assert problem.code in (Code.BAD_SAMPLES, Code.BAD_VALUE)


def test_cli_comparison_reports_how_often_each_set_wins(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    argv = [
        "--root",
        str(REPO_ROOT),
        "--workspace",
        str(tmp_path),
        "sets",
        "--set",
        "document-003",
        "document-004",
        "--samples",
        "400",
        "--seed",
        "3",
        "--format",
        "json",
    ]
    assert main(argv) == 0
    smaa = json.loads(capsys.readouterr().out)["smaa"]
    catalog = front_catalog()
    sets = [s for s in builtin_sets(catalog) if s.id in ("document-003", "document-004")]
    expected = set_acceptability(
        catalog, load_interactions(REPO_ROOT, catalog), sets, samples=400, seed=3
    )
    assert smaa["wins"] == dict(zip(expected.set_ids, expected.shares.tolist(), strict=True))
    assert sum(smaa["wins"].values()) == pytest.approx(1.0)
