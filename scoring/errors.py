"""The project's exception hierarchy and the problem records validation collects.

Every fault a user can cause is reported as a :class:`Problem` that names the file, the key
path inside it, what was expected, what was found and how to fix it. Validation gathers all
problems of a load before raising once, so a user fixing a file sees every fault at once.
Tests assert on ``code`` and ``key_path``, never on wording.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Code",
    "InputError",
    "Notice",
    "Problem",
    "RecscoreError",
    "ValidationError",
]


class Code(StrEnum):
    """Stable problem codes; the public contract of every error message."""

    FILE_MISSING = "file_missing"
    FILE_UNREADABLE = "file_unreadable"
    YAML_SYNTAX = "yaml_syntax"
    # Hostile or accidental YAML (scoring.io): refused before anything is built from it.
    YAML_ALIASES = "yaml_aliases"
    YAML_TOO_DEEP = "yaml_too_deep"
    DUPLICATE_KEY = "duplicate_key"
    EMPTY_FILE = "empty_file"
    WRONG_TYPE = "wrong_type"
    MISSING_KEY = "missing_key"
    UNKNOWN_KEY = "unknown_key"
    BAD_VALUE = "bad_value"
    UNKNOWN_CRITERION = "unknown_criterion"
    MISSING_SCORE = "missing_score"
    UNKNOWN_PROFILE = "unknown_profile"
    UNKNOWN_INSTRUMENT = "unknown_instrument"
    UNKNOWN_RECOMMENDATION = "unknown_recommendation"
    SCORE_OUT_OF_RANGE = "score_out_of_range"
    RANGE_ORDER = "range_order"
    DUPLICATE_ID = "duplicate_id"
    EMPTY_RATIONALE = "empty_rationale"
    QUOTE_NOT_FOUND = "quote_not_found"
    SPAN_MISMATCH = "span_mismatch"
    SEED_MISSING = "seed_missing"
    # Elicitation, alternative methods and robustness (weights, methods, robustness).
    BAD_RATING = "bad_rating"
    BAD_ORDER = "bad_order"
    BAD_JUDGEMENT = "bad_judgement"
    MISSING_JUDGEMENT = "missing_judgement"
    NOT_RECIPROCAL = "not_reciprocal"
    UNKNOWN_METHOD = "unknown_method"
    BAD_THRESHOLD = "bad_threshold"
    BAD_LEVEL = "bad_level"
    BAD_BOUNDS = "bad_bounds"
    INFEASIBLE_BOUNDS = "infeasible_bounds"
    ORDER_CONTRADICTS_BOUNDS = "order_contradicts_bounds"
    BAD_SAMPLES = "bad_samples"
    ALL_SCREENED_OUT = "all_screened_out"
    # Notices: questionable but usable input, reported beside the result, never raised.
    INCONSISTENT_JUDGEMENTS = "inconsistent_judgements"
    OFF_SCALE_JUDGEMENT = "off_scale_judgement"
    UNRANKED_CRITERIA = "unranked_criteria"
    SAMPLES_CAPPED = "samples_capped"
    CONSTANT_CRITERION = "constant_criterion"
    NARROW_WEIGHT_REGION = "narrow_weight_region"
    APPROXIMATE_THRESHOLDS = "approximate_thresholds"
    TIED_FIRST = "tied_first"
    # Weights (scoring.weights).
    NEGATIVE_WEIGHT = "negative_weight"
    NAN_WEIGHT = "nan_weight"
    ZERO_WEIGHTS = "zero_weights"
    BAD_WEIGHT_SPEC = "bad_weight_spec"
    SCHEMA_VERSION = "schema_version"
    # Briefs (scoring.briefs): selections, scenario files and output files.
    EMPTY_SELECTION = "empty_selection"
    CATALOG_MISMATCH = "catalog_mismatch"
    OUTPUT_UNWRITABLE = "output_unwritable"
    # The user's workspace (scoring.workspace): saved overrides and profiles.
    SET_ASIDE = "set_aside"
    LEFT_OUT = "left_out"  # a corrupt workspace file, skipped by a read and kept as it is
    WORKSPACE_LOCKED = "workspace_locked"
    WORKSPACE_UNWRITABLE = "workspace_unwritable"
    # Option sets and packages (scoring.option_sets).
    SELF_PAIR = "self_pair"
    DUPLICATE_PAIR = "duplicate_pair"
    UNKNOWN_SET = "unknown_set"
    CONSTRAINT_CLASH = "constraint_clash"
    # Bring-your-own documents (scoring.intake.ingest, scoring.intake.extraction).
    EMPTY_DOCUMENT = "empty_document"
    UNSUPPORTED_FILE = "unsupported_file"
    PDF_NO_TEXT = "pdf_no_text"
    FILE_TOO_LARGE = "file_too_large"
    MALFORMED_FILE = "malformed_file"
    ENCRYPTED_PDF = "encrypted_pdf"
    NOT_UTF8 = "not_utf8"
    NO_CANDIDATES = "no_candidates"
    PAGES_WITHOUT_TEXT = "pages_without_text"
    EXTRACTION_TIME_LIMIT = "extraction_time_limit"


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One fault in one place: where, what was expected, what was found, how to fix it.

    ``file`` is a file's path (relative to its root where there is one); a fault that is in
    no file names its place in ``where`` instead: a CLI option (``--weights``), a method's
    setting (``promethee_ii.q``), a form or a brief's spec. Constructed with keywords only.
    """

    code: Code
    file: str = ""
    where: str = ""
    key_path: str = ""
    expected: str
    found: str
    hint: str = ""

    @property
    def place(self) -> str:
        """The file, or where else the fault is."""
        return self.file or self.where

    def __str__(self) -> str:
        place = self.place
        where = f"{place}: {self.key_path}" if self.key_path else place
        text = f"{where}: expected {self.expected}, found {self.found}"
        return f"{text} (fix: {self.hint})" if self.hint else text


@dataclass(frozen=True, slots=True)
class Notice:
    """Questionable but usable input, or a caveat on a result: reported beside it, not raised.

    Errors stop; notices go on (pymcdm keeps the two apart the same way). Fronts show them
    next to the result they qualify; tests assert on ``code``.
    """

    code: Code
    message: str

    def __str__(self) -> str:
        return self.message


class RecscoreError(Exception):
    """Base of every error recscore raises on purpose; fronts render it without a traceback."""


class ValidationError(RecscoreError):
    """One or more problems found while validating input; carries them all."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__(self.report())

    def report(self) -> str:
        """Return every problem, one per line, with a count header."""
        count = len(self.problems)
        header = f"{count} problem{'s' if count != 1 else ''} found:"
        return "\n".join([header, *(f"- {problem}" for problem in self.problems)])

    @property
    def codes(self) -> set[Code]:
        """The distinct problem codes, for tests and for fronts that group faults."""
        return {problem.code for problem in self.problems}


class InputError(ValidationError):
    """A single bad argument from a front (CLI option, URL parameter, form field), or a
    file a front names; ``in_file`` says ``where`` is a file's path (:attr:`Problem.file`)."""

    def __init__(
        self,
        code: Code,
        where: str,
        key_path: str,
        expected: str,
        found: str,
        hint: str = "",
        *,
        in_file: bool = False,
    ) -> None:
        place = {"file": where} if in_file else {"where": where}
        super().__init__(
            [
                Problem(
                    code=code, key_path=key_path, expected=expected, found=found, hint=hint, **place
                )
            ]
        )
