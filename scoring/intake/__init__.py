"""Intake: a user's own documents, from extracted candidates to stored, scored recommendations.

The user's own documents: review extracted candidates, score them, keep them in the workspace.

A document a user brings goes through three steps, each a pure function on immutable values:

1. :func:`start_review` runs the extractor on an ingested document (:mod:`scoring.intake.ingest`)
   and returns a :class:`Review`: one :class:`Draft` per candidate, all pending.
2. The analyst accepts, rejects, edits (:func:`edit_draft`: a quote must stay verbatim),
   merges two neighbouring candidates (:func:`merge_with_next`) or splits one
   (:func:`split_draft`). Accepted drafts get **suggested scores** (:class:`SuggestionRules`,
   below) that the analyst edits (:func:`set_scores`).
3. :func:`store_document` writes ``documents/<name>.txt`` and ``documents/<name>.yaml`` into
   the workspace, in the seeds' schema, after the loader has validated both files exactly as
   it validates a seed. :func:`load_with_documents` reads them back and returns the catalog
   with bundled and user documents together (each :class:`~scoring.model.SourceDocument`
   carries its ``origin``) and the workspace state: rankings, trade-offs, option sets and
   briefs then treat them like bundled ones. :func:`remove_document` takes a document out
   with its recommendations, their score overrides and their places in saved option sets.

Suggested scores
----------------
A suggestion is the typical curated score of recommendations like this one, never a copy of a
curated rationale. For each criterion, the value, low and high are the **medians** of the
bundled catalog's values, lows and highs over a peer group, chosen by backing off:

============================  ==============================================================
peer group                    used when
============================  ==============================================================
same instrument, same actor   at least :data:`MIN_PEERS` bundled recommendations share both
same instrument               at least :data:`MIN_PEERS` share the instrument
every bundled recommendation  otherwise (e.g. the instrument is not identified)
============================  ==============================================================

Actors are put in classes by the keyword rules of :data:`ACTOR_CLASSES` (first match wins).
A passage that names no actor (an imperative, an agentless passive, a bare pronoun) gets its
range widened by one scale step on each side, since who acts moves feasibility and buy-in
most. Each suggested rationale starts with :data:`SUGGESTION_MARK` and states its peer group
and medians, so a suggestion stays recognisable (:func:`is_suggested`) in the stored file, in
the score editor and in briefs until the analyst replaces it. Only bundled documents' scores
feed the table.

Workspace layout (beside ``overrides.yaml``, ``profiles/`` and ``sets/``)::

    documents/<name>.txt    the document's text as ingested (page furniture removed)
    documents/<name>.yaml   its metadata and recommendations, the schema of seeds/<name>.yaml

``<name>`` is ``user-<slug of the title>-<8 hex digits of the text's hash>``. A document whose
files fail validation when read is set aside (both files renamed ``*.corrupt-<time>``, never
deleted) and reported on every load; the rest of the workspace is used.
"""

from __future__ import annotations

from scoring.intake.removal import Removal, plan_removal, remove_document
from scoring.intake.review import (
    DocumentInfo,
    Draft,
    DraftContext,
    Review,
    accept_all,
    draft_context,
    edit_draft,
    merge_with_next,
    review_scores,
    set_scores,
    set_status,
    split_draft,
    split_points,
    start_review,
)
from scoring.intake.storage import (
    MAX_BYTES_VARIABLE,
    USER_PREFIX,
    StoredDocument,
    UserDocuments,
    load_documents,
    load_with_documents,
    max_document_bytes,
    merge_documents,
    store_document,
    stored_copy,
    user_documents,
)
from scoring.intake.suggestions import (
    ACTOR_CLASSES,
    MIN_PEERS,
    SUGGESTION_MARK,
    Suggestion,
    SuggestionRules,
    actor_class,
    is_suggested,
)

__all__ = [
    "ACTOR_CLASSES",
    "MAX_BYTES_VARIABLE",
    "MIN_PEERS",
    "SUGGESTION_MARK",
    "USER_PREFIX",
    "DocumentInfo",
    "Draft",
    "DraftContext",
    "Removal",
    "Review",
    "StoredDocument",
    "Suggestion",
    "SuggestionRules",
    "UserDocuments",
    "accept_all",
    "actor_class",
    "draft_context",
    "edit_draft",
    "is_suggested",
    "load_documents",
    "load_with_documents",
    "max_document_bytes",
    "merge_documents",
    "merge_with_next",
    "plan_removal",
    "remove_document",
    "review_scores",
    "set_scores",
    "set_status",
    "split_draft",
    "split_points",
    "start_review",
    "store_document",
    "stored_copy",
    "user_documents",
]
