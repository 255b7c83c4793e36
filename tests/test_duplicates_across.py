"""Near-duplicates across documents (scoring.intake.duplicates_across): proposed, never applied."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.intake.duplicates_across import Passage, propose_merges, similarity_matrix


def test_a_restated_proposal_is_one_merge_and_a_different_act_is_not() -> None:
    passages = [
        Passage("a1", "a.txt", "The United States should restart the legal dialogue with China."),
        Passage("a2", "a.txt", "Congress must sanction officials who jail lawyers."),
        Passage("b1", "b.txt", "Washington must restart its legal dialogue with China."),
        Passage("b2", "b.txt", "Companies should audit their supply chains in Xinjiang."),
    ]
    (merge,) = propose_merges(passages)
    assert [p.key for p in merge.members] == ["a1", "b1"]
    assert merge.similarity >= 0.5


def test_passages_of_one_document_are_never_merged() -> None:
    same = "The United States should restart the legal dialogue."
    assert propose_merges([Passage("a1", "a.txt", same), Passage("a2", "a.txt", same)]) == ()


def test_catalog_passages_join_but_never_form_a_merge() -> None:
    text = "Restart the legal dialogue with China."
    catalog = [Passage("d1", "x.txt", text), Passage("d2", "y.txt", text)]
    assert propose_merges([], catalog) == ()
    (merge,) = propose_merges([Passage("n1", "new.txt", text)], catalog[:1])
    assert {p.key for p in merge.members} == {"n1", "d1"}


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet="abcde fghij", min_size=0, max_size=40), max_size=8))
def test_similarities_are_symmetric_and_within_bounds(texts: list[str]) -> None:
    sims = similarity_matrix(texts)
    assert np.allclose(sims, sims.T)
    assert (sims >= -1e-9).all()
    assert (sims <= 1 + 1e-9).all()
