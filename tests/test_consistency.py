"""Same reasoning, same level; and no rationale that names another level than its own."""

from __future__ import annotations

import pytest

from scoring.consistency import (
    anchor_contradictions,
    find_inconsistencies,
    similar_reasoning_gaps,
)
from scoring.model import Catalog, Recommendation, Score

CRITERIA = ("leverage", "human_rights")


def _rec(rec_id: str, leverage: tuple[int, str], human_rights: tuple[int, str]) -> Recommendation:
    scores = {
        cid: Score(value=value, low=value, high=value, rationale=why)
        for cid, (value, why) in zip(CRITERIA, (leverage, human_rights), strict=True)
    }
    return Recommendation(
        id=rec_id,
        title=rec_id,
        summary="s",
        quote="q",
        actor="a",
        instrument="dialogue",
        kind="explicit",
        scores=scores,
    )


def test_the_bundled_catalog_has_no_inconsistency(catalog: Catalog) -> None:
    assert [str(flag) for flag in find_inconsistencies(catalog)] == []


def test_a_concession_with_nothing_asked_in_return_must_be_leverage_one() -> None:
    planted = _rec(
        "planted",
        (3, "Lifting the visa bans gives Beijing what it wants with nothing asked in return."),
        (2, "No plausible effect on anyone's rights."),
    )
    flags = anchor_contradictions([planted])
    assert [(f.check, f.criterion, f.ids) for f in flags] == [
        ("rationale_contradicts_anchor", "leverage", ("planted",))
    ]


@pytest.mark.parametrize(("value", "flagged"), [(1, True), (2, False), (3, True)])
def test_no_effect_on_rights_is_level_two_not_harm(value: int, flagged: bool) -> None:
    rec = _rec("x", (2, "Symbolic."), (value, "It has no plausible effect on anyone's rights."))
    assert bool(anchor_contradictions([rec])) is flagged


def test_the_same_reasoning_two_levels_apart_is_flagged() -> None:
    why = "Restarting the legal dialogue gives Beijing the engagement it seeks without conditions"
    first = _rec("first", (1, why + "."), (2, "Unrelated words about courts."))
    second = _rec("second", (3, why + " at all."), (2, "Different reasoning on detention."))
    third = _rec("third", (2, why + ", again."), (2, "Yet another reason entirely."))
    flags = similar_reasoning_gaps([first, second, third], CRITERIA)
    assert [(f.criterion, f.ids, f.levels) for f in flags] == [
        ("leverage", ("first", "second"), (1.0, 3.0))
    ]


def test_different_reasoning_may_earn_different_levels() -> None:
    first = _rec("first", (1, "Gives away cooperation Beijing values."), (2, "None."))
    second = _rec("second", (4, "Coordinated G7 asset freezes on named officials."), (2, "Nil."))
    assert similar_reasoning_gaps([first, second], CRITERIA) == ()


def _dense_gaps(
    items: list[Recommendation], criterion_ids: tuple[str, ...], threshold: float, gap: float
) -> list[tuple[str, tuple[str, ...], tuple[float, ...], str]]:
    """The check as it was, every pair through the n x n cosine matrix: the reference."""
    import numpy as np

    from scoring.consistency import _tokens
    from scoring.text import tfidf_cosine

    found = []
    for cid in criterion_ids:
        scored = [rec for rec in items if cid in rec.scores]
        similarity = tfidf_cosine([_tokens(rec.scores[cid].rationale) for rec in scored])
        levels = np.array([rec.scores[cid].value for rec in scored])
        apart = np.abs(levels[:, None] - levels[None, :]) >= gap
        for i, j in zip(*np.nonzero(np.triu((similarity >= threshold) & apart, k=1)), strict=True):
            found.append(
                (cid, (scored[i].id, scored[j].id), (float(levels[i]), float(levels[j])),
                 f"{similarity[i, j]:.2f}")
            )  # fmt: skip
    return found


@pytest.mark.parametrize(
    ("threshold", "gap"), [(0.6, 2.0), (0.3, 1.0), (0.2, 1.0), (0.15, 1.0), (0.1, 2.0)]
)
def test_the_indexed_check_flags_the_pairs_every_pair_comparison_flags(
    catalog: Catalog, threshold: float, gap: float
) -> None:
    # Lower thresholds than the check's own make the bundled catalog yield many flags.
    items = catalog.recommendations + catalog.context
    ids = tuple(catalog.criterion_ids)
    flags = similar_reasoning_gaps(items, ids, threshold, gap)
    expected = _dense_gaps(items, ids, threshold, gap)
    assert [(f.criterion, f.ids, f.levels, f.detail.split()[1]) for f in flags] == expected
    if threshold < 0.6:
        assert len(expected) >= 3  # the comparison has something to compare


def test_copied_rationales_at_other_levels_are_flagged_once_per_pair(catalog: Catalog) -> None:
    # Identical rationales collapse to one vector; each copy still pairs with the others.
    rec = catalog.recommendations[0]
    cid = catalog.criterion_ids[0]
    copies = [
        rec.model_copy(update={"id": f"copy-{k}", "scores": {cid: rec.scores[cid].model_copy(
            update={"value": value, "low": value, "high": value})}})
        for k, value in enumerate([1.0, 1.0, 4.0, 5.0])
    ]  # fmt: skip
    flags = similar_reasoning_gaps(copies, (cid,))
    assert [f.ids for f in flags] == [
        ("copy-0", "copy-2"), ("copy-0", "copy-3"), ("copy-1", "copy-2"), ("copy-1", "copy-3")
    ]  # fmt: skip
    assert _dense_gaps(copies, (cid,), 0.6, 2.0) == [
        (f.criterion, f.ids, f.levels, f.detail.split()[1]) for f in flags
    ]
