"""The reviewer's merge decisions (scoring.intake.merge_decisions): logged, restored, undone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.errors import InputError
from scoring.intake.batch import Batch, apply_merges, proposed
from scoring.intake.ingest import ingest_text
from scoring.intake.merge_decisions import (
    DECISIONS_FILE,
    load_decisions,
    merge_identity,
    record_decision,
    restore_decisions,
    undo_decision,
)
from scoring.intake.review import start_review
from scoring.model import Catalog
from scoring.workspace import Workspace

from conftest import front_catalog

TEXTS = (
    "Donors should fund independent legal aid clinics for lawyers.\n\n"
    "The Commerce Department should list surveillance camera makers.\n",
    "Congress should fund independent legal aid clinics for lawyers.\n\n"
    "The Treasury should sanction officials who run the camps.\n",
    "Foundations should fund independent legal aid clinics for lawyers.\n\n"
    "Regulators should list surveillance camera makers on the entity list.\n",
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return front_catalog()


@pytest.fixture(scope="module")
def batch(catalog: Catalog) -> Batch:
    reviews = tuple(
        start_review(ingest_text(text, name=f"doc{n}.txt"), catalog) for n, text in enumerate(TEXTS)
    )
    result = proposed(reviews, catalog)
    assert len(result.merges) == 2  # legal aid (3 documents), camera makers (2)
    return result


def test_a_decision_is_logged_and_restored_on_a_new_reading(tmp_path: Path, batch: Batch) -> None:
    workspace = Workspace(tmp_path / "ws")
    decided = record_decision(workspace, batch, 1, "accepted")
    assert decided.decision(1) == "accepted"
    assert decided.decision(0) == "pending"
    log = load_decisions(workspace)
    assert log.current() == {merge_identity(batch.merges[1]): "accepted"}
    # A fresh reading of the same documents (positions in the batch may differ) gets it back.
    assert restore_decisions(batch, log).decisions == {1: "accepted"}
    # The file is JSON the reader can follow: the members' documents and quotes.
    entry = json.loads((workspace.root / DECISIONS_FILE).read_text())["entries"][0]
    assert {m[0] for m in entry["members"]} == {"doc0.txt", "doc2.txt"}


def test_undo_restores_the_decision_before_and_only_this_batchs(
    tmp_path: Path, batch: Batch
) -> None:
    workspace = Workspace(tmp_path / "ws")
    b = record_decision(workspace, batch, 0, "split")
    b = record_decision(workspace, b, 0, "accepted")
    b, index = undo_decision(workspace, b)
    assert (index, b.decision(0)) == (0, "split")
    b, index = undo_decision(workspace, b)
    assert (index, b.decision(0)) == (0, "pending")
    assert undo_decision(workspace, b) == (b, None)
    assert load_decisions(workspace).entries == ()


def test_an_accepted_merge_keeps_every_members_quote(batch: Batch) -> None:
    merged = apply_merges(restore_decisions(batch, load_decisions(Workspace(Path("/nonexistent")))))
    assert sum(len(r.drafts) for r in merged) == sum(len(r.drafts) for r in batch.reviews)
    reviews = apply_merges(Batch(batch.reviews, batch.merges, {0: "accepted"}))
    [keeper] = [d for r in reviews for d in r.drafts if d.sources]
    quotes = {keeper.quote, *(q for _, q in keeper.sources)}
    assert quotes == {p.text for p in batch.merges[0].members}


def test_a_file_that_is_not_a_log_is_refused_by_name_and_left_alone(
    tmp_path: Path, batch: Batch
) -> None:
    workspace = Workspace(tmp_path / "ws")
    workspace.root.mkdir()
    path = workspace.root / DECISIONS_FILE
    path.write_text("[1, 2")
    with pytest.raises(InputError) as raised:
        load_decisions(workspace)
    assert DECISIONS_FILE in str(raised.value)
    assert "move" in str(raised.value)
    with pytest.raises(InputError):
        record_decision(workspace, batch, 0, "accepted")
    assert path.read_text() == "[1, 2"  # never rewritten or moved


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.sampled_from(["accepted", "split"])), max_size=6))
def test_undoing_every_decision_returns_to_pending(
    tmp_path_factory: pytest.TempPathFactory, batch: Batch, steps: list[tuple[int, str]]
) -> None:
    workspace = Workspace(tmp_path_factory.mktemp("ws"))
    b = batch
    history = [dict(b.decisions)]
    for index, decision in steps:
        b = record_decision(workspace, b, index, decision)  # type: ignore[arg-type]
        history.append(dict(b.decisions))
    for expected in reversed(history[:-1]):
        b, _ = undo_decision(workspace, b)
        # pending and absent are the same decision
        assert {k: v for k, v in b.decisions.items() if v != "pending"} == expected
    assert load_decisions(workspace).entries == ()
