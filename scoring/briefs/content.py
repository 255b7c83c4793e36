"""What a ranked brief says: the specification a user fills in and the content built from it.

:func:`build_brief` is the one validating entry point. It ranks once per profile through
:func:`scoring.methods.rank_by` with the spec's method (weighted sum, TOPSIS or PROMETHEE II)
and its settings, and gathers everything a reader needs, in the order decision
makers read (see ``DOMAIN.md``): header, bottom line, recommendation cards, ranked list,
trade-offs, perspectives, method and criteria, sources and the reproducibility record.
Renderers (``render_*`` modules) only lay that :class:`Brief` out; none of them ranks,
weights or words anything anew.

Document text is kept as data (plain strings). Where a sentence mixes our words with a
document's, it is a :data:`Text` of :class:`Run` pieces, so each renderer escapes every
piece for its own format.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from scoring import workspace
from scoring.briefs.brief_model import (
    LIST_LENGTH,
    MATRIX_INTRO,
    PERSPECTIVE_TOP,
    SMAA_INTRO,
    SOURCES_INTRO,
    WEIGHTS_INTRO,
    Brief,
    Card,
    CriterionInfo,
    CriterionScore,
    PerspectiveRow,
    Perspectives,
    ProfileUsed,
    RankedRow,
    Run,
    SourceDocumentEntry,
    SourceQuote,
    Text,
    plain,
)
from scoring.briefs.charts import Chart, contributions_chart, profile_ranks_chart
from scoring.briefs.formatting import date_text
from scoring.briefs.memo import memo_of
from scoring.briefs.method_text import method_text, settings_text
from scoring.briefs.option_set_section import option_set_section
from scoring.briefs.reproducibility import make_record
from scoring.briefs.robustness_section import RobustnessSection, robustness_section
from scoring.briefs.sections import (
    bottom_line,
    card,
    caveats,
    criteria_info,
    perspectives_of,
    ranked_rows,
    scope_caveats,
    sources,
    tradeoffs,
)
from scoring.briefs.spec import (
    DEFAULT_QUESTION,
    DEFAULT_TITLE,
    FORMATS,
    METHODS,
    BriefSpec,
    Filters,
    Overrides,
    filters_text,
    method_settings,
    selected_ids,
)
from scoring.briefs.validation import validate_spec
from scoring.errors import Code, Problem, ValidationError
from scoring.io import unknown_criterion
from scoring.methods import (
    MethodSpec,
    Ranking,
    rank_by,
)
from scoring.model import Catalog, WeightProfile
from scoring.option_sets import Interactions, OptionSet, builtin_sets
from scoring.robustness.first_tie import FirstPlaceTie, first_place_tie
from scoring.robustness.rank_uncertainty import with_uncertainty
from scoring.scope import scoped

# The names this module has always offered: the spec, the brief's data and building it.
__all__ = [
    "DEFAULT_TITLE",
    "FORMATS",
    "MATRIX_INTRO",
    "METHODS",
    "PERSPECTIVE_TOP",
    "SMAA_INTRO",
    "SOURCES_INTRO",
    "WEIGHTS_INTRO",
    "Brief",
    "BriefSpec",
    "Card",
    "Chart",
    "CriterionInfo",
    "CriterionScore",
    "Filters",
    "Overrides",
    "PerspectiveRow",
    "Perspectives",
    "ProfileUsed",
    "RankedRow",
    "Run",
    "SourceDocumentEntry",
    "SourceQuote",
    "Text",
    "apply_overrides",
    "build_brief",
    "method_settings",
    "plain",
]


def apply_overrides(catalog: Catalog, overrides: Overrides) -> Catalog:
    """A catalog whose scores are the catalog's with ``overrides`` put in their place.

    Checks the ids first (unknown ones are reported, all at once), then applies them with
    ``scoring.workspace.apply_overrides``.
    """
    if not overrides:
        return catalog
    problems = []
    for rec_id, criterion_id in overrides:
        if rec_id not in catalog.recommendation_ids:
            problems.append(
                Problem(
                    code=Code.UNKNOWN_RECOMMENDATION,
                    where="overrides",
                    key_path=f"{rec_id}.{criterion_id}",
                    expected="a recommendation of the catalog",
                    found=repr(rec_id),
                    hint="remove the override or restore the recommendation",
                )
            )
        if criterion_id not in catalog.criterion_ids:
            problems.append(
                unknown_criterion(
                    criterion_id,
                    catalog.criterion_ids,
                    where="overrides",
                    key_path=f"{rec_id}.{criterion_id}",
                    hint="remove the override or correct the criterion id",
                )
            )
    if problems:
        raise ValidationError(problems)
    return workspace.apply_overrides(catalog, overrides)


def build_brief(
    catalog: Catalog,
    spec: BriefSpec,
    *,
    profiles: Mapping[str, WeightProfile] | None = None,
    overrides: Overrides | None = None,
    interactions: Interactions | None = None,
    sets: Sequence[OptionSet] = (),
    generated: datetime | None = None,
) -> Brief:
    """Validate ``spec`` against the catalog, rank once per profile and gather the brief.

    ``catalog`` is the catalog as loaded (without the user's edits); ``overrides`` are the
    user's score edits, applied here so the record can hash catalog and edits apart.
    ``profiles`` are the profiles to choose from (default: the catalog's; fronts pass the
    bundled ones together with the user's saved ones). ``interactions`` (from
    ``scoring.option_sets.load_interactions``) and the user's saved ``sets`` are needed only
    when the spec names option sets; the built-in sets are always available. Raises
    ValidationError listing every fault of the spec at once.
    """
    available = dict(catalog.profiles if profiles is None else profiles)
    overrides = dict(overrides or {})
    known_sets = {s.id: s for s in (*builtin_sets(catalog), *sets)}
    validate_spec(catalog, spec, available, known_sets, interactions)
    scored = scoped(apply_overrides(catalog, overrides), spec.decision_maker)
    if interactions is not None:
        interactions = interactions.among(scored.recommendation_ids)
    include = selected_ids(scored, spec.filters)
    method = spec.method_spec
    used, rankings = _rank_profiles(scored, spec, available, method, include)
    primary, ranking = used[0], rankings[0]
    rows = ranked_rows(scored, ranking)
    top = min(spec.top, len(rows))
    perspectives = perspectives_of(scored, used, rankings) if len(used) > 1 else None
    cards = tuple(card(scored, row, primary, used, rankings) for row in rows[:top])
    charts = [
        contributions_chart(
            rows[: max(top, min(LIST_LENGTH, len(rows)))],
            scored,
            spec.method,
            ranking.weights.tolist(),
        )
    ]
    if perspectives is not None:
        charts.append(profile_ranks_chart(perspectives))
    generated = generated or datetime.now(UTC).replace(microsecond=0)
    originals = [available[profile.id] for profile in used]
    chosen_sets = [known_sets[set_id] for set_id in spec.option_sets]
    set_section = None
    if chosen_sets:
        assert interactions is not None  # checked by validate_spec
        as_profiles = [
            WeightProfile(
                id=p.id, name=p.name, description=p.description, weights=dict(p.raw_weights)
            )
            for p in used
        ]
        set_section = option_set_section(
            scored, interactions, chosen_sets, dict(primary.raw_weights), as_profiles, spec.method
        )
    robustness = (
        robustness_section(
            scored, dict(primary.raw_weights), primary.name, include, ranking.positions, method
        )
        if spec.robustness and len(rows) > 1
        else None
    )
    record = make_record(
        catalog,
        scored,
        spec,
        originals,
        used,
        overrides,
        ranking,
        generated,
        sets=[s for s in chosen_sets if s.origin != "builtin"],
        interactions=interactions if chosen_sets else None,
    )
    return Brief(
        spec=spec,
        title=spec.title.strip() or DEFAULT_TITLE,
        question=spec.question.strip() or DEFAULT_QUESTION,
        audience=spec.audience.strip(),
        decide_by=spec.decide_by.strip(),
        generated=generated,
        method=spec.method,
        method_text=method_text(spec.method, len(rows), ranking.settings),
        settings_text=settings_text(spec.method, ranking.settings) if spec.method_settings else "",
        profile=primary,
        filters_text=filters_text(scored, spec.filters),
        count=len(rows),
        bottom_line=bottom_line(
            rows,
            cards,
            primary,
            perspectives,
            robustness,
            spec.method,
            _tie(scored, ranking, robustness),
        ),
        ranking=tuple(rows),
        list_length=max(top, min(LIST_LENGTH, len(rows))),
        cards=cards,
        tradeoffs=tradeoffs(rows, scored),
        charts=tuple(charts),
        perspectives=perspectives,
        option_sets=set_section,
        robustness=robustness,
        criteria=criteria_info(scored, used),
        profiles=tuple(used),
        # Every ranked option is named somewhere (the full ranking annex names them all when
        # the ranked table does not), so every one has its passage.
        sources=sources(scored, rows),
        caveats=scope_caveats(scored, rows)
        + caveats(rows, scored.criteria, primary, overrides, spec),
        record=record,
        memo=memo_of(
            scored,
            spec,
            rows,
            ranking,
            lambda row: card(scored, row, primary, used, rankings),
            used,
            rankings,
            robustness,
            overrides,
            tuple(catalog.profiles),
            date_text(generated),
        ),
    )


def _tie(
    catalog: Catalog, ranking: Ranking, robustness: RobustnessSection | None
) -> FirstPlaceTie | None:
    """The tie for first, if any; "first most often" from the brief's own SMAA draws when it
    has them, so the bottom line and the robustness section tell one story."""
    if robustness is None or not robustness.shares:
        return first_place_tie(catalog, ranking)
    shares = {rec_id: first for rec_id, first, _ in robustness.shares}
    return first_place_tie(catalog, ranking, first_shares=shares, draws_text="the SMAA draws")


def _rank_profiles(
    catalog: Catalog,
    spec: BriefSpec,
    available: Mapping[str, WeightProfile],
    method: MethodSpec,
    include: Sequence[str] | None,
) -> tuple[list[ProfileUsed], list[Ranking]]:
    """Rank once under each chosen profile (the first with the spec's weight edits).

    A profile's normalised weights are its ranking's: ``rank_by`` validates and normalises
    them once.
    """
    used, rankings = [], []
    for index, profile_id in enumerate(spec.profiles or (catalog.default_profile,)):
        profile = available[profile_id]
        raw = dict(profile.weights)
        adjusted = index == 0 and bool(spec.weights)
        if adjusted:
            raw.update(spec.weight_overrides)
        ranking = rank_by(catalog, raw, method, include, f"profile {profile_id}")
        # The rank intervals and near-ties come from the same cached draws the app and
        # `recscore rank` use (triangular scores, the default seed).
        ranking = with_uncertainty(catalog, ranking)
        used.append(
            ProfileUsed(
                id=profile.id,
                name=profile.name,
                description=profile.description,
                weights=tuple(zip(catalog.criterion_ids, ranking.weights.tolist(), strict=True)),
                raw_weights=tuple((cid, float(raw.get(cid, 0.0))) for cid in catalog.criterion_ids),
                adjusted=adjusted,
            )
        )
        rankings.append(ranking)
    return used, rankings
