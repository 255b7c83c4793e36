"""A brief spec's faults, all at once, keyed like the spec (``method_settings.p``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scoring.briefs.method_text import settings_hint
from scoring.briefs.spec import (
    FORMATS,
    KINDS,
    PAPERS,
    BriefSpec,
    Filters,
    describe_filters,
    selected_ids,
)
from scoring.errors import Code, Problem, ValidationError
from scoring.methods import (
    DEFAULT_METHOD,
    check_method,
    method_spec,
    names,
    spec_settings,
)
from scoring.model import Catalog, WeightProfile
from scoring.option_sets import MAX_COMPARED, Interactions, OptionSet
from scoring.weights import normalized_weights

__all__ = ["filter_problems", "validate_spec"]


def validate_spec(
    catalog: Catalog,
    spec: BriefSpec,
    available: Mapping[str, WeightProfile],
    known_sets: Mapping[str, OptionSet],
    interactions: Interactions | None,
) -> None:
    problems: list[Problem] = []

    def bad(code: Code, key: str, expected: str, found: str, hint: str) -> None:
        problems.append(
            Problem(
                code=code, where="brief", key_path=key, expected=expected, found=found, hint=hint
            )
        )

    if not spec.title.strip():
        bad(Code.BAD_VALUE, "title", "a title", "an empty title", "give the brief a title")
    if isinstance(spec.top, bool) or not isinstance(spec.top, int) or spec.top < 1:
        bad(Code.BAD_VALUE, "top", "a whole number >= 1", repr(spec.top), "detail at least one")
    if not isinstance(spec.method, str) or spec.method not in names():
        others = [name for name in names() if name != DEFAULT_METHOD]
        listed = ", ".join(others[:-1]) + (" or " if len(others) > 1 else "") + others[-1]
        bad(
            Code.UNKNOWN_METHOD,
            "method",
            f"one of {list(names())}",
            repr(spec.method),
            f"use {DEFAULT_METHOD} (the standard), {listed} (recscore brief --method lists them)",
        )
    for fmt in spec.formats:
        if fmt not in FORMATS:
            bad(Code.BAD_VALUE, "formats", f"one of {list(FORMATS)}", repr(fmt), "pick a format")
    if spec.paper not in PAPERS:
        bad(
            Code.BAD_VALUE, "paper", f"one of {list(PAPERS)}", repr(spec.paper), "pick a paper size"
        )
    for index, profile_id in enumerate(spec.profiles or (catalog.default_profile,)):
        if profile_id not in available:
            bad(
                Code.UNKNOWN_PROFILE,
                f"profiles[{index}]",
                f"one of {sorted(available)}",
                repr(profile_id),
                "pick an existing profile (recscore profiles lists them)",
            )
    if len(set(spec.profiles)) != len(spec.profiles):
        bad(Code.DUPLICATE_ID, "profiles", "each profile once", repr(list(spec.profiles)), "")
    problems += _method_setting_problems(catalog, spec)
    problems += filter_problems(catalog, spec.filters)
    problems += _option_set_problems(spec.option_sets, known_sets, interactions)
    if problems:
        raise ValidationError(problems)
    if spec.weights:
        base = available[(spec.profiles or (catalog.default_profile,))[0]].weights
        normalized_weights({**base, **spec.weight_overrides}, catalog.criterion_ids, "weights")


def _method_setting_problems(catalog: Catalog, spec: BriefSpec) -> list[Problem]:
    """Faults of ``spec.method_settings``, keyed ``method_settings.<name>``.

    The settings are checked by the engine's :func:`scoring.methods.check_method`, whose
    problems are re-keyed into the brief (a per-criterion threshold keeps its criterion:
    ``method_settings.p.leverage``).
    """
    if not spec.method_settings or spec.method not in names():
        return []  # nothing to check, or the method itself is reported
    takes = list(spec_settings(spec.method))
    unknown = [
        Problem(
            code=Code.UNKNOWN_KEY,
            where="brief",
            key_path=f"method_settings.{name}",
            expected=f"one of {takes}"
            if takes
            else f"no settings ({method_spec(spec.method).display_name} has none)",
            found=repr(name),
            hint=settings_hint(),
        )
        for name, _ in spec.method_settings
        if name not in takes
    ]
    if unknown:
        return unknown
    try:
        check_method(spec.method_spec, catalog.criterion_ids)
    except ValidationError as exc:
        settings = spec.settings
        problems = []
        for problem in exc.problems:
            # The engine names a setting either as the key ("topsis: anchors") or, for a
            # threshold, in the place with the criterion as the key ("promethee_ii.p: risk").
            threshold = problem.where.partition(".")[2]
            key = f"method_settings.{threshold or problem.key_path}"
            if threshold and isinstance(settings.get(threshold), Mapping):
                key += f".{problem.key_path}"
            problems.append(
                Problem(
                    code=problem.code,
                    where="brief",
                    key_path=key,
                    expected=problem.expected,
                    found=problem.found,
                    hint=problem.hint or settings_hint(),
                )
            )
        return list(dict.fromkeys(problems))  # one number for every criterion: said once
    return []


def _option_set_problems(
    option_sets: Sequence[str],
    known_sets: Mapping[str, OptionSet],
    interactions: Interactions | None,
) -> list[Problem]:
    problems = [
        Problem(
            code=Code.UNKNOWN_SET,
            where="brief",
            key_path=f"option_sets[{index}]",
            expected="a built-in or saved option set (recscore sets lists them)",
            found=repr(set_id),
            hint="pick an existing set",
        )
        for index, set_id in enumerate(option_sets)
        if set_id not in known_sets
    ]
    if len(option_sets) > MAX_COMPARED or len(set(option_sets)) != len(option_sets):
        problems.append(
            Problem(
                code=Code.BAD_VALUE,
                where="brief",
                key_path="option_sets",
                expected=f"one set to evaluate, or 2 to {MAX_COMPARED} different sets to compare",
                found=repr(list(option_sets)),
                hint="choose fewer sets, each once",
            )
        )
    if option_sets and interactions is None:
        problems.append(
            Problem(
                code=Code.MISSING_KEY,
                where="brief",
                key_path="interactions",
                expected="the catalog's interactions (scoring.option_sets.load_interactions)",
                found="none passed",
                hint="pass interactions= when the brief compares option sets",
            )
        )
    return problems


def filter_problems(catalog: Catalog, filters: Filters) -> list[Problem]:
    known = {
        "documents": sorted(
            {doc.name for doc in catalog.documents}
            | {doc.name.removesuffix(".txt") for doc in catalog.documents}
        ),
        "actors": sorted({rec.actor for rec in catalog.recommendations}),
        "instruments": sorted(catalog.instruments),
        "kinds": list(KINDS),
    }
    problems = []
    for name, allowed in known.items():
        for index, value in enumerate(getattr(filters, name)):
            if value not in allowed:
                problems.append(
                    Problem(
                        code=Code.BAD_VALUE,
                        where="brief",
                        key_path=f"filters.{name}[{index}]",
                        expected=f"one of {allowed}"
                        if len(allowed) <= 12
                        else f"one of the {name} listed by recscore recommendations",
                        found=repr(value),
                        hint=f"correct the {name[:-1]} or drop the filter",
                    )
                )
    if problems:
        return problems
    if not selected_ids(catalog, filters) and not filters.is_empty:
        problems.append(
            Problem(
                code=Code.EMPTY_SELECTION,
                where="brief",
                key_path="filters",
                expected="filters that leave at least one recommendation",
                found="no recommendation passes all of " + describe_filters(filters),
                hint="loosen a filter",
            )
        )
    return problems
