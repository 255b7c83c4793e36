"""User documents (scoring.intake): review, suggested scores, store, merge, remove, set aside.

Most tests use the small project of ``conftest`` (two instruments, three criteria); the
suggestion rules are checked against the real seeds, whose medians they are built from.
"""

from __future__ import annotations

import statistics
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from scoring.errors import Code, InputError, ValidationError
from scoring.intake import (
    SUGGESTION_MARK,
    DocumentInfo,
    Review,
    SuggestionRules,
    accept_all,
    actor_class,
    draft_context,
    edit_draft,
    is_suggested,
    load_documents,
    load_with_documents,
    merge_documents,
    merge_with_next,
    plan_removal,
    remove_document,
    review_scores,
    set_scores,
    set_status,
    split_draft,
    split_points,
    start_review,
    store_document,
    user_documents,
)
from scoring.intake.ingest import ingest_text
from scoring.loading import load_catalog
from scoring.methods import rank
from scoring.model import ADDRESSEES, Catalog
from scoring.option_sets import load_user_sets, save_user_set
from scoring.score_edits import save_score_edits
from scoring.workspace import Workspace, apply_overrides, load_workspace

from conftest import REPO_ROOT, ProjectMaker, snapshot

TEXT = (
    "Costs and talks\n\n"
    "The government should restart legal dialogue with Beijing at once.\n\n"
    "Governments must impose costs until reforms are made; they should also condition aid "
    "on releases.\n\n"
    "The weather was fine.\n"
)
OTHER_TEXT = "Donors should fund dialogue programmes for lawyers.\n"
THIRD_TEXT = "Universities should open exchanges with Chinese law faculties.\n"


@pytest.fixture(scope="module")
def seeds() -> Catalog:
    return load_catalog(REPO_ROOT)


@pytest.fixture
def catalog(make_project: ProjectMaker) -> Catalog:
    return load_catalog(make_project())


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws")


def review_of(catalog: Catalog, text: str = TEXT, title: str = "Costs and talks") -> Review:
    return start_review(ingest_text(text), catalog, DocumentInfo.of(title, "A. Writer", "2024"))


def stored(workspace: Workspace, catalog: Catalog, text: str = TEXT, title: str = "Costs") -> str:
    """Store every candidate of ``text``; return the document's name."""
    return store_document(
        workspace, catalog, accept_all(review_of(catalog, text, title))
    ).document.name


# --- review ----------------------------------------------------------------------------------


def test_review_starts_with_every_candidate_pending_and_spans_into_the_text(
    catalog: Catalog,
) -> None:
    review = review_of(catalog)
    assert [d.quote for d in review.drafts] == [
        "The government should restart legal dialogue with Beijing at once.",
        "Governments must impose costs until reforms are made",
        "they should also condition aid on releases.",
    ]
    assert all(d.status == "pending" for d in review.drafts)
    for draft in review.drafts:
        assert review.normalized[draft.start : draft.end] == draft.quote
    assert review.drafts[0].title == "Restart legal dialogue with Beijing at once"
    assert review.drafts[0].instrument == "dialogue"


def test_a_document_without_advice_is_a_review_with_no_drafts_and_a_notice(
    catalog: Catalog,
) -> None:
    review = review_of(catalog, "The weather was fine. The river rose.\n")
    assert review.drafts == ()
    assert [n.code for n in review.notices] == [Code.NO_CANDIDATES]
    assert review_of(catalog).notices == ()


def test_each_draft_carries_its_addressee_into_the_stored_yaml(
    catalog: Catalog, workspace: Workspace
) -> None:
    review = accept_all(review_of(catalog))
    assert review.drafts[0].addressee in ADDRESSEES  # from the extractor's candidate
    name = store_document(workspace, catalog, review).document.name
    data = yaml.safe_load((workspace.documents_dir / name).with_suffix(".yaml").read_text())
    written = {rec["quote"]: rec.get("addressees") for rec in data["recommendations"]}
    assert written == {
        d.quote: ([d.addressee] if d.addressee in ADDRESSEES else None) for d in review.drafts
    }
    renamed = edit_draft(review, catalog, "c1", actor="Congress")
    assert renamed.draft("c1").addressee == "us_congress"


def test_context_shows_the_paragraph_and_its_neighbours(catalog: Catalog) -> None:
    review = review_of(catalog)
    context = draft_context(review, "c2")
    assert context.quote == "Governments must impose costs until reforms are made"
    assert context.after.startswith("; they should also condition aid")
    assert context.earlier.startswith("The government should restart")
    assert context.later == "The weather was fine."


def test_edit_keeps_the_quote_verbatim(catalog: Catalog) -> None:
    review = review_of(catalog)
    edited = edit_draft(
        review, catalog, "c1", quote="restart legal dialogue with Beijing", title="Talk again"
    )
    draft = edited.draft("c1")
    assert draft.quote == "restart legal dialogue with Beijing"
    assert edited.normalized[draft.start : draft.end] == draft.quote
    assert draft.title == "Talk again"
    with pytest.raises(ValidationError) as caught:
        edit_draft(review, catalog, "c1", quote="restart talks with Beijing", instrument="bribes")
    assert {(p.code, p.key_path) for p in caught.value.problems} == {
        (Code.QUOTE_NOT_FOUND, "quote"),
        (Code.UNKNOWN_INSTRUMENT, "instrument"),
    }


def test_merge_joins_neighbours_and_split_cuts_them_again(catalog: Catalog) -> None:
    review = set_status(review_of(catalog), "c2", "accepted")
    merged = merge_with_next(review, catalog, "c2")
    assert [d.key for d in merged.drafts] == ["c1", "c2+c3"]
    joined = merged.draft("c2+c3")
    assert joined.quote == (
        "Governments must impose costs until reforms are made; they should also condition "
        "aid on releases."
    )
    assert joined.status == "accepted"
    points = split_points(merged, "c2+c3")
    assert points == (joined.quote.index("they"),)
    split = split_draft(merged, catalog, "c2+c3", points[0])
    assert [d.quote for d in split.drafts[1:]] == [
        "Governments must impose costs until reforms are made;",
        "they should also condition aid on releases.",
    ]
    for draft in split.drafts:
        assert split.normalized[draft.start : draft.end] == draft.quote
    with pytest.raises(InputError):
        merge_with_next(merged, catalog, "c2+c3")  # the last one has no neighbour


# --- suggested scores ------------------------------------------------------------------------


def test_suggestions_are_the_medians_of_curated_peers_and_marked(seeds: Catalog) -> None:
    rules = SuggestionRules.from_catalog(seeds)
    suggestion = rules.suggest("public_diplomacy", "U.S. government")
    peers = [
        rec
        for rec in seeds.recommendations
        if rec.instrument == "public_diplomacy" and actor_class(rec.actor) == "us_government"
    ]
    assert suggestion.peers == len(peers) >= 3
    curated = {s.rationale for rec in seeds.recommendations for s in rec.scores.values()}
    for criterion_id, score in suggestion.scores.items():
        values = [rec.scores[criterion_id] for rec in peers]
        assert score.value == statistics.median(s.value for s in values)
        assert score.low == statistics.median(s.low for s in values)
        assert score.high == statistics.median(s.high for s in values)
        assert is_suggested(score)
        assert score.rationale.startswith(SUGGESTION_MARK)
        assert "public diplomacy by the U.S. government" in score.rationale
        assert score.rationale not in curated


def test_suggestions_back_off_and_widen_without_an_actor(seeds: Catalog) -> None:
    rules = SuggestionRules.from_catalog(seeds)
    by_instrument = rules.suggest("conditionality", "Some foundation")  # no such peers
    assert by_instrument.peers == sum(
        r.instrument == "conditionality" for r in seeds.recommendations
    )
    nobody = rules.suggest("conditionality", "unknown")
    assert nobody.widened
    for criterion_id, score in nobody.scores.items():
        base = by_instrument.scores[criterion_id]
        assert score.value == base.value
        assert score.low == max(1, base.low - 1)
        assert score.high == min(5, base.high + 1)
    anything = rules.suggest("unknown", "U.S. government")
    assert anything.peers == sum(not rec.baseline for rec in seeds.recommendations)
    assert "not identified" in anything.basis


def test_score_edits_replace_suggestions_and_are_validated(catalog: Catalog) -> None:
    review = set_status(review_of(catalog), "c1", "accepted")
    rules = SuggestionRules.from_catalog(catalog)
    suggestion, scores = review_scores(review, rules)["c1"]
    assert all(is_suggested(s) for s in scores.values())
    suggested = suggestion.scores["leverage"]
    changed = set_scores(
        review,
        rules,
        {
            ("c1", "leverage"): {**suggested.model_dump(), "value": 1.0, "low": 1.0},
            ("c1", "buy_in"): {**suggestion.scores["buy_in"].model_dump(), "rationale": "Mine."},
            ("c1", "risk"): suggestion.scores["risk"].model_dump(),  # unchanged: no edit
        },
    )
    _, after = review_scores(changed, rules)["c1"]
    assert after["leverage"].value == 1.0
    assert not is_suggested(after["leverage"])
    assert after["leverage"].rationale.startswith("Set by the analyst")
    assert after["buy_in"].rationale == "Mine."
    assert is_suggested(after["risk"])
    assert set(changed.scores["c1"]) == {"leverage", "buy_in"}
    with pytest.raises(ValidationError) as caught:
        set_scores(review, rules, {("c1", "leverage"): {**suggested.model_dump(), "low": 5.0}})
    assert caught.value.codes == {Code.RANGE_ORDER}


# --- store, load, merge ----------------------------------------------------------------------


def test_store_writes_a_seed_shaped_pair_the_loader_accepts(
    workspace: Workspace, catalog: Catalog
) -> None:
    review = accept_all(review_of(catalog))
    result = store_document(workspace, catalog, review)
    name = result.document.name
    assert name.startswith("user-costs-and-talks-")
    assert name.endswith(".txt")
    folder = workspace.documents_dir
    assert sorted(p.name for p in folder.iterdir()) == sorted([name, name[:-4] + ".yaml"])
    assert (folder / name).read_text(encoding="utf-8") == review.text
    data = yaml.safe_load((folder / (name[:-4] + ".yaml")).read_text(encoding="utf-8"))
    assert (data["title"], data["author"], data["date"]) == ("Costs and talks", "A. Writer", "2024")
    assert "user-added" in data["label"]
    assert len(data["recommendations"]) == 3
    assert result.suggested_cells == 3 * len(catalog.criteria)
    assert result.document.origin == "workspace"
    for rec in result.recommendations:
        assert all(is_suggested(score) for score in rec.scores.values())


def test_merged_catalog_ranks_bundled_and_user_recommendations(
    workspace: Workspace, catalog: Catalog
) -> None:
    stored(workspace, catalog)
    merged, state = load_with_documents(workspace, catalog)
    assert state.problems == ()
    assert [d.origin for d in merged.documents] == ["bundled", "workspace"]
    user = user_documents(merged)
    assert len(user) == 1
    user_ids = {r.id for r in merged.recommendations if r.document == user[0].name}
    assert len(user_ids) == 3
    assert set(merged.recommendation_ids) == set(catalog.recommendation_ids) | user_ids
    for rec_id in catalog.recommendation_ids:  # bundled recommendations unchanged
        assert merged.recommendation(rec_id) == catalog.recommendation(rec_id)
    ranked = rank(merged, catalog.profiles["balanced"].weights).ids.tolist()
    assert user_ids <= set(ranked)
    # Scores of user recommendations can be overridden like any other.
    rec_id = sorted(user_ids)[0]
    save_score_edits(
        workspace,
        merged,
        {(rec_id, "leverage"): {"value": 5, "low": 4, "high": 5, "rationale": "Checked."}},
    )
    merged, state = load_with_documents(workspace, catalog)
    scored = apply_overrides(merged, state.overrides)
    assert scored.recommendation(rec_id).scores["leverage"].value == 5


def test_nothing_is_written_when_a_draft_has_no_instrument(
    workspace: Workspace, catalog: Catalog
) -> None:
    review = accept_all(review_of(catalog))
    review = replace(
        review, drafts=(replace(review.drafts[0], instrument="unknown"), *review.drafts[1:])
    )
    with pytest.raises(ValidationError) as caught:
        store_document(workspace, catalog, review)
    assert [(p.code, p.where) for p in caught.value.problems] == [
        (Code.UNKNOWN_INSTRUMENT, "candidate 1")
    ]
    assert not workspace.documents_dir.exists()
    with pytest.raises(InputError) as nothing:
        store_document(workspace, catalog, review_of(catalog))  # none accepted
    assert nothing.value.codes == {Code.EMPTY_SELECTION}


def test_the_same_text_twice_is_refused_unless_replaced(
    workspace: Workspace, catalog: Catalog
) -> None:
    stored(workspace, catalog)
    before = snapshot(workspace.root)
    review = accept_all(review_of(catalog))
    with pytest.raises(InputError) as caught:
        store_document(workspace, catalog, review)
    assert caught.value.codes == {Code.DUPLICATE_ID}
    assert snapshot(workspace.root) == before
    fewer = set_status(review, "c3", "rejected")
    result = store_document(workspace, catalog, fewer, replace_existing=True)
    assert result.replaced
    assert len(result.recommendations) == 2
    merged, _ = load_with_documents(workspace, catalog)  # one copy, under its new title
    assert [d.meta.title for d in user_documents(merged)] == ["Costs and talks"]
    assert len(merged.recommendations) == len(catalog.recommendations) + 2


def test_merge_refuses_clashing_ids(workspace: Workspace, catalog: Catalog) -> None:
    stored(workspace, catalog)
    documents = load_documents(workspace, catalog)
    merged = merge_documents(catalog, documents)
    with pytest.raises(ValidationError) as caught:
        merge_documents(merged, documents)
    assert caught.value.codes == {Code.DUPLICATE_ID}


# --- bad files -------------------------------------------------------------------------------


def test_a_corrupt_document_is_left_out_by_reads_and_set_aside_by_the_next_save(
    workspace: Workspace, catalog: Catalog
) -> None:
    good = stored(workspace, catalog)
    bad = stored(workspace, catalog, OTHER_TEXT, "Other")
    bad_yaml = workspace.documents_dir / (bad[:-4] + ".yaml")
    data = yaml.safe_load(bad_yaml.read_text(encoding="utf-8"))
    data["recommendations"][0]["scores"]["leverage"]["value"] = 9
    bad_yaml.write_text(yaml.safe_dump(data), encoding="utf-8")
    before = sorted(p.name for p in workspace.documents_dir.iterdir())
    merged, state = load_with_documents(workspace, catalog)
    assert [d.name for d in user_documents(merged)] == [good]
    [problem] = state.problems
    assert problem.code == Code.LEFT_OUT
    assert problem.file.endswith(bad[:-4] + ".yaml")
    assert "recommendations[0]" in problem.found
    assert "leverage" in problem.found
    # A read moves nothing: the file stays where it is, as it is.
    assert sorted(p.name for p in workspace.documents_dir.iterdir()) == before
    # The next save sets it aside, both files, and keeps the good document.
    third = stored(workspace, catalog, THIRD_TEXT, "Third")
    names = sorted(p.name for p in workspace.documents_dir.iterdir())
    assert [n for n in names if ".corrupt-" in n] == [
        n for n in names if n.startswith(bad[:-4]) and ".corrupt-" in n
    ]
    assert len([n for n in names if ".corrupt-" in n]) == 2  # the YAML and its text
    # Reported again on the next load, and the good document stays.
    merged, again = load_with_documents(workspace, catalog)
    assert [p.code for p in again.problems] == [Code.SET_ASIDE]
    assert sorted(d.name for d in user_documents(merged)) == sorted([good, third])


def test_unreadable_yaml_is_left_out_too(workspace: Workspace, catalog: Catalog) -> None:
    name = stored(workspace, catalog)
    (workspace.documents_dir / (name[:-4] + ".yaml")).write_text("recommendations: [\n")
    documents = load_documents(workspace, catalog)
    assert documents.documents == ()
    assert [p.code for p in documents.problems] == [Code.LEFT_OUT]


def test_a_document_clashing_with_the_catalog_is_left_out_not_moved(
    workspace: Workspace, catalog: Catalog
) -> None:
    name = stored(workspace, catalog)
    path = workspace.documents_dir / (name[:-4] + ".yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["recommendations"][0]["id"] = catalog.recommendation_ids[0]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    documents = load_documents(workspace, catalog)
    assert documents.documents == ()
    assert [(p.code, p.key_path) for p in documents.problems] == [
        (Code.DUPLICATE_ID, "recommendations")
    ]
    assert path.exists()


def test_fingerprint_sees_documents(workspace: Workspace, catalog: Catalog) -> None:
    before = workspace.fingerprint()
    stored(workspace, catalog)
    assert workspace.fingerprint() != before


# --- remove ----------------------------------------------------------------------------------


def test_remove_takes_recommendations_out_everywhere(
    workspace: Workspace, catalog: Catalog
) -> None:
    name = stored(workspace, catalog)
    other = stored(workspace, catalog, OTHER_TEXT, "Other")
    merged, _ = load_with_documents(workspace, catalog)
    mine = sorted(r.id for r in merged.recommendations if r.document == name)
    theirs = [r.id for r in merged.recommendations if r.document == other]
    bundled = catalog.recommendation_ids[0]
    edit = {"value": 5, "low": 4, "high": 5, "rationale": "Checked."}
    save_score_edits(workspace, merged, {(mine[0], "leverage"): edit, (bundled, "leverage"): edit})
    save_user_set(workspace, merged, "Mixed", [mine[0], bundled])
    save_user_set(workspace, merged, "Only mine", mine[:2])
    save_user_set(workspace, merged, "Theirs", theirs)

    plan = plan_removal(workspace, name)
    assert plan.recommendation_ids == tuple(mine)
    assert plan.overrides == ((mine[0], "leverage"),)
    assert (plan.sets_changed, plan.sets_deleted) == (("mixed",), ("only-mine",))
    assert remove_document(workspace, name) == plan

    merged, state = load_with_documents(workspace, catalog)
    assert state.problems == ()
    assert [d.name for d in user_documents(merged)] == [other]
    assert not set(mine) & set(merged.recommendation_ids)
    assert set(state.overrides) == {(bundled, "leverage")}
    sets, problems = load_user_sets(workspace, merged)
    assert problems == ()
    assert {s.id: s.members for s in sets} == {"mixed": (bundled,), "theirs": tuple(theirs)}
    assert not (workspace.documents_dir / name).exists()


def test_remove_refuses_what_is_not_a_user_document(workspace: Workspace, catalog: Catalog) -> None:
    stored(workspace, catalog)
    before = snapshot(workspace.root)
    for name in ("doc.txt", "user-nothing-here", "../overrides"):
        with pytest.raises(InputError) as caught:
            remove_document(workspace, name)
        assert caught.value.codes == {Code.FILE_MISSING}
    assert snapshot(workspace.root) == before


def test_loading_an_empty_workspace_changes_nothing(workspace: Workspace, catalog: Catalog) -> None:
    merged, state = load_with_documents(workspace, catalog)
    assert merged is catalog
    assert state == load_workspace(workspace, catalog)
    assert not workspace.root.exists()
