import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.text import find_span, normalize_text, normalize_with_offsets


def test_hyphen_at_line_end_joins_without_space_and_keeps_hyphen() -> None:
    assert normalize_text("U.S.-\nChina and rules-\n  based") == "U.S.-China and rules-based"


def test_hyphen_followed_by_trailing_spaces_still_joins() -> None:
    assert normalize_text("over- \r\ncommitting") == "over-committing"


def test_other_whitespace_runs_collapse_to_one_space() -> None:
    assert normalize_text("a\n\n b\t\tc  d") == "a b c d"


def test_hyphen_inside_a_line_is_untouched() -> None:
    assert normalize_text("a - b") == "a - b"


def test_find_span_points_at_the_quote_in_normalised_text() -> None:
    text = normalize_text("Intro.\nThe U.S. should\nlead by ex-\nample.")
    start, end = find_span(text, "should lead by ex-ample.")
    assert text[start:end] == "should lead by ex-ample."


def test_find_span_accepts_a_quote_copied_with_line_breaks() -> None:
    text = normalize_text("one two\nthree four")
    assert find_span(text, "two\n three") == (4, 13)


def test_find_span_returns_none_for_absent_or_blank_quotes() -> None:
    assert find_span("abc", "xyz") is None
    assert find_span("abc", "   ") is None


@given(st.text())
def test_normalisation_is_idempotent(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once


@given(st.text(alphabet="ab- \n\t", max_size=40))
def test_normalised_text_has_no_runs_of_whitespace(text: str) -> None:
    normalized = normalize_text(text)
    for run in ("  ", "\n", "\t"):
        assert run not in normalized


@given(st.text(alphabet=st.sampled_from(list("ab -\n\t\r.")), max_size=80))
def test_offsets_replay_the_normalisation(text: str) -> None:
    normalized, offsets = normalize_with_offsets(text)
    assert normalized == normalize_text(text)
    assert len(offsets) == len(text) + 1
    assert offsets[0] == 0
    assert offsets[-1] == len(normalized)
    assert all(a <= b for a, b in itertools.pairwise(offsets))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from("abcdefghij"), max_size=6), min_size=2, max_size=14),
    st.sampled_from([0.2, 0.5, 0.6, 0.9]),
    st.booleans(),
    st.data(),
)
def test_tfidf_pairs_are_the_dense_matrix_above_the_threshold(
    bags: list[list[str]], threshold: float, sublinear: bool, data: st.DataObject
) -> None:
    """The indexed search finds exactly the pairs the n x n matrix puts at the threshold or
    above (away from the threshold itself, where the two sums may round apart)."""
    import numpy as np

    from scoring.text import tfidf_cosine, tfidf_pairs

    keys = data.draw(st.lists(st.integers(1, 3), min_size=len(bags), max_size=len(bags)))
    dense = tfidf_cosine(bags, sublinear=sublinear)
    found = tfidf_pairs(bags, threshold, sublinear=sublinear, keys=keys,
                        keep=lambda a, b: a != b)  # fmt: skip
    near = np.abs(dense - threshold) < 1e-9
    expected = {
        (i, j)
        for i in range(len(bags))
        for j in range(i + 1, len(bags))
        if dense[i, j] >= threshold and keys[i] != keys[j] and not near[i, j]
    }
    assert expected <= {(i, j) for i, j, _ in found}
    for i, j, cosine in found:
        assert keys[i] != keys[j]
        assert cosine == pytest.approx(dense[i, j], abs=1e-9)
