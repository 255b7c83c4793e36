"""Load and validate criteria, profiles and seeds into an immutable :class:`Catalog`.

Validation is lazy in the pandera sense: every file is read, every problem is collected,
and one :class:`ValidationError` lists them all. Nothing here writes a file.

Layout under the project root::

    criteria/criteria.yaml        criteria, instruments, default profile
    criteria/profiles/<id>.yaml   one weight profile per file
    seeds/<name>.txt              a source document, byte-identical to what was read
    seeds/<name>.yaml             its metadata and recommendations
    seeds/interactions.yaml       conflicts and synergies between recommendations; not a
                                  document (read by scoring.option_sets.load_interactions)
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pydantic

from scoring.errors import Code, Problem, ValidationError
from scoring.io import (
    check_schema_version,
    id_mismatch,
    key_path,
    problems_from_pydantic,
    read_yaml,
    short_repr,
    unknown_criterion,
)
from scoring.model import (
    Catalog,
    CriteriaFile,
    Criterion,
    DocumentHeader,
    DocumentMeta,
    Recommendation,
    Source,
    SourceDocument,
    WeightProfile,
)
from scoring.text import find_span, normalize_text

__all__ = [
    "BASELINE_FILE",
    "CRITERIA_FILE",
    "INTERACTIONS_FILE",
    "PROFILES_DIR",
    "SEEDS_DIR",
    "criterion_key_problems",
    "load_catalog",
    "load_document_files",
    "load_profile_file",
    "profile_problems",
    "read_yaml",
]

CRITERIA_FILE = Path("criteria") / "criteria.yaml"
PROFILES_DIR = Path("criteria") / "profiles"
SEEDS_DIR = Path("seeds")
INTERACTIONS_FILE = SEEDS_DIR / "interactions.yaml"
BASELINE_FILE = SEEDS_DIR / "status_quo.yaml"
# Files in seeds/ that are not documents.
_NOT_DOCUMENTS = frozenset({INTERACTIONS_FILE.name, BASELINE_FILE.name})

Model = TypeVar("Model", bound=pydantic.BaseModel)


# Parsed catalogs are kept on disk, keyed by the size and modification time of every data
# file and of the modules that read and check them: parsing YAML is nearly all of a CLI
# command's time on a large catalog (11 s at 1,000 recommendations), unpickling a few ms.
# ``$RECSCORE_CACHE`` names the folder (``off`` turns the cache off); default
# ``$XDG_CACHE_HOME/recscore`` or ``~/.cache/recscore``. Only this user's own cache folder
# is read, and only catalogs that loaded without a fault are written.
CACHE_VARIABLE = "RECSCORE_CACHE"
_MODULES = ("loading.py", "io.py", "model.py", "text.py", "errors.py")
_memory: dict[str, Catalog] = {}


def load_catalog(root: Path | str = ".") -> Catalog:
    """Read and validate everything under ``root``; raise one ValidationError listing all faults.

    A catalog read before from unchanged files comes from the cache (see ``CACHE_VARIABLE``).
    """
    root = Path(root)
    key = _stamp_key(root)
    catalog = _memory.get(key) or _read_cached(key)
    if catalog is None:
        catalog = _read_catalog(root)
        _write_cached(key, catalog)
    _memory.clear()  # one catalog kept in memory: the one last asked for
    _memory[key] = catalog
    return catalog


def _stamp_key(root: Path) -> str:
    """A digest of every data file's path, size and modification time, and the readers'."""
    digest = hashlib.blake2b(digest_size=16)
    here = Path(__file__).resolve().parent
    paths = [here / name for name in _MODULES]
    for folder, pattern in (("criteria", "**/*"), ("seeds", "*")):
        paths += sorted((root / folder).glob(pattern))
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        digest.update(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _cache_folder() -> Path | None:
    configured = os.environ.get(CACHE_VARIABLE)
    if configured == "off":
        return None
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "recscore"


def _read_cached(key: str) -> Catalog | None:
    folder = _cache_folder()
    if folder is None:
        return None
    try:
        with open(folder / f"catalog-{key}.pickle", "rb") as handle:
            catalog = pickle.load(handle)
    except Exception:  # missing, unreadable or from another version: read the files instead
        return None
    if not isinstance(catalog, Catalog):
        return None
    for array in (catalog.values, catalog.low, catalog.high):
        array.setflags(write=False)  # pickling drops the flag
    return catalog


def _write_cached(key: str, catalog: Catalog) -> None:
    folder = _cache_folder()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("catalog-*.pickle"):  # keep the newest few only
            if old.stat().st_mtime < time.time() - 7 * 86_400:
                old.unlink(missing_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, delete=False, suffix=".tmp") as handle:
            pickle.dump(catalog, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, folder / f"catalog-{key}.pickle")
    except OSError:  # a read-only home: no cache, same result
        return


def _read_catalog(root: Path) -> Catalog:
    """Read and validate everything under ``root`` (no cache)."""
    problems: list[Problem] = []
    criteria_file = _load_model(root, CRITERIA_FILE, CriteriaFile, problems)
    if criteria_file is None:
        raise ValidationError(problems)
    criteria = criteria_file.criteria
    problems += _criteria_problems(criteria)
    criterion_ids = [c.id for c in criteria]

    profiles = _load_profiles(root, criterion_ids, problems)
    if profiles and criteria_file.default_profile not in profiles:
        problems.append(
            Problem(
                code=Code.UNKNOWN_PROFILE,
                file=CRITERIA_FILE.as_posix(),
                key_path="default_profile",
                expected=f"one of {sorted(profiles)}",
                found=repr(criteria_file.default_profile),
                hint=f"add {PROFILES_DIR.as_posix()}/{criteria_file.default_profile}.yaml "
                "or name an existing profile",
            )
        )

    documents, recommendations = _load_seeds(root, criteria_file, problems)
    baseline = _load_baseline(root, criteria_file, problems)
    if problems:
        raise ValidationError(problems)
    return Catalog.build(
        criteria=criteria,
        instruments=criteria_file.instruments,
        documents=documents,
        recommendations=recommendations + baseline,
        profiles=profiles,
        default_profile=criteria_file.default_profile,
        assessed_as_of=criteria_file.assessed_as_of,
    )


class BaselineFile(pydantic.BaseModel):
    """Schema of ``seeds/status_quo.yaml``: the do-nothing option, scored like the rest."""

    model_config = pydantic.ConfigDict(frozen=True, extra="forbid")

    schema_version: int
    recommendation: Recommendation

    _version = pydantic.field_validator("schema_version")(check_schema_version)


def _load_baseline(
    root: Path, criteria_file: CriteriaFile, problems: list[Problem]
) -> tuple[Recommendation, ...]:
    """The status-quo option from ``seeds/status_quo.yaml``; none if the file is absent."""
    if not (root / BASELINE_FILE).exists():
        return ()
    display = BASELINE_FILE.as_posix()
    loaded = _load_model(root, BASELINE_FILE, BaselineFile, problems)
    if loaded is None:
        return ()
    rec = loaded.recommendation
    found = _recommendation_problems(rec, "recommendation", display, criteria_file, (0, 0))
    if not rec.baseline:
        found.append(
            Problem(
                code=Code.BAD_VALUE,
                file=display,
                key_path="recommendation.baseline",
                expected="true (this file holds the status-quo option)",
                found=repr(rec.baseline),
                hint="set baseline: true",
            )
        )
    problems += found
    return () if found else (rec,)


def load_profile_file(
    path: Path, display: str, criterion_ids: Sequence[str], problems: list[Problem]
) -> WeightProfile | None:
    """Read one profile file; record its problems, including criteria it names wrongly."""
    data = read_yaml(path, display, problems)
    if data is None:
        return None
    profile = _validate(WeightProfile, data, display, problems)
    if profile is None:
        return None
    found = profile_problems(profile, criterion_ids, display)
    if path.stem != profile.id:
        found.append(id_mismatch(display, path.stem, profile.id))
    problems += found
    return None if found else profile


def profile_problems(
    profile: WeightProfile, criterion_ids: Sequence[str], display: str
) -> list[Problem]:
    """Return the problems of a profile's weights against the known criteria."""
    return criterion_key_problems(
        profile.weights,
        criterion_ids,
        display,
        "weights",
        Code.MISSING_KEY,
        "add {criterion}: 0 to ignore it, or a positive weight",
    )


def criterion_key_problems(
    mapping: Mapping[str, object],
    criterion_ids: Sequence[str],
    display: str,
    prefix: str,
    missing_code: Code,
    missing_hint: str,
) -> list[Problem]:
    """Problems of a mapping keyed by criterion: keys no criterion has, criteria not keyed.

    ``missing_hint`` may use ``{criterion}``; ``prefix`` is the mapping's key path.
    """
    unknown = [
        unknown_criterion(
            key,
            criterion_ids,
            file=display,
            key_path=f"{prefix}.{key}",
            hint="correct the criterion id or remove the entry",
        )
        for key in mapping
        if key not in criterion_ids
    ]
    missing = [
        Problem(
            code=missing_code,
            file=display,
            key_path=f"{prefix}.{criterion_id}",
            expected="an entry for every criterion",
            found="nothing",
            hint=missing_hint.format(criterion=criterion_id),
        )
        for criterion_id in criterion_ids
        if criterion_id not in mapping
    ]
    return unknown + missing


def _load_model(
    root: Path, relative: Path, model: type[Model], problems: list[Problem]
) -> Model | None:
    display = relative.as_posix()
    data = read_yaml(root / relative, display, problems)
    return None if data is None else _validate(model, data, display, problems)


def _validate(
    model: type[Model],
    data: Any,
    display: str,
    problems: list[Problem],
    loc_prefix: tuple[int | str, ...] = (),
    document: Any = None,
) -> Model | None:
    """Validate ``data`` against ``model``; record problems located under ``loc_prefix``.

    ``document`` is the whole file's data, used to name recommendations by id in key paths.
    """
    if not isinstance(data, dict):
        problems.append(
            Problem(
                code=Code.WRONG_TYPE,
                file=display,
                key_path=key_path(loc_prefix, document if document is not None else {}),
                expected="a mapping of keys to values",
                found=type(data).__name__,
                hint="start the file with 'schema_version: 1'",
            )
        )
        return None
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        document = data if document is None else document
        problems += problems_from_pydantic(exc, display, document, loc_prefix)
        return None


def _criteria_problems(criteria: Sequence[Criterion]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for index, criterion in enumerate(criteria):
        if criterion.id in seen:
            problems.append(
                Problem(
                    code=Code.DUPLICATE_ID,
                    file=CRITERIA_FILE.as_posix(),
                    key_path=f"criteria[{index}].id",
                    expected="a unique criterion id",
                    found=repr(criterion.id),
                    hint="rename one of the criteria",
                )
            )
        seen.add(criterion.id)
    return problems


def _load_profiles(
    root: Path, criterion_ids: Sequence[str], problems: list[Problem]
) -> dict[str, WeightProfile]:
    profiles: dict[str, WeightProfile] = {}
    for path in sorted((root / PROFILES_DIR).glob("*.yaml")):
        display = (PROFILES_DIR / path.name).as_posix()
        profile = load_profile_file(path, display, criterion_ids, problems)
        if profile is not None:
            profiles[profile.id] = profile
    if not profiles and not problems:
        problems.append(
            Problem(
                code=Code.FILE_MISSING,
                file=PROFILES_DIR.as_posix(),
                key_path="",
                expected="at least one <id>.yaml weight profile",
                found="none",
                hint="add criteria/profiles/balanced.yaml",
            )
        )
    return profiles


def _load_seeds(
    root: Path, criteria_file: CriteriaFile, problems: list[Problem]
) -> tuple[tuple[SourceDocument, ...], tuple[Recommendation, ...]]:
    seeds = root / SEEDS_DIR
    yaml_paths = sorted(p for p in seeds.glob("*.yaml") if p.name not in _NOT_DOCUMENTS)
    documents: list[SourceDocument] = []
    recommendations: list[Recommendation] = []
    for text_path in sorted(seeds.glob("*.txt")):
        if not text_path.with_suffix(".yaml").exists():
            problems.append(
                Problem(
                    code=Code.SEED_MISSING,
                    file=(SEEDS_DIR / text_path.name).as_posix(),
                    key_path="",
                    expected=f"a metadata file {text_path.stem}.yaml beside the document",
                    found="none",
                    hint="add the YAML file with the document's metadata and recommendations",
                )
            )
    if not yaml_paths:
        problems.append(
            Problem(
                code=Code.SEED_MISSING,
                file=SEEDS_DIR.as_posix(),
                key_path="",
                expected="at least one document with its YAML file",
                found="none",
                hint="add seeds/<name>.txt and seeds/<name>.yaml",
            )
        )
    for yaml_path in yaml_paths:
        loaded = _load_seed(yaml_path, criteria_file, problems)
        if loaded is not None:
            documents.append(loaded[0])
            recommendations += loaded[1]
    problems += _duplicate_recommendation_problems(documents)
    return tuple(documents), tuple(recommendations)


def load_document_files(
    yaml_path: Path,
    criteria_file: CriteriaFile,
    problems: list[Problem],
    *,
    display: str,
    text_dirs: Sequence[Path] = (),
) -> tuple[SourceDocument, list[Recommendation]] | None:
    """Read one ``<name>.yaml`` and the ``<name>.txt`` beside it with the seeds' rules.

    For documents kept outside ``seeds/`` (the workspace's, see :mod:`scoring.intake`);
    ``display`` names the YAML file in problems. Returns the document and its valid
    recommendations (spans set), or None; every fault is added to ``problems``. The texts of
    merged ``sources`` are looked up beside the YAML file, then in ``text_dirs``.
    """
    return _load_seed(yaml_path, criteria_file, problems, display, text_dirs)


def _load_seed(
    yaml_path: Path,
    criteria_file: CriteriaFile,
    problems: list[Problem],
    display: str = "",
    text_dirs: Sequence[Path] = (),
) -> tuple[SourceDocument, list[Recommendation]] | None:
    display = display or (SEEDS_DIR / yaml_path.name).as_posix()
    data = read_yaml(yaml_path, display, problems)
    if data is None:
        return None
    header, entries = _validate_document(data, display, problems)
    if header is None or not entries:
        return None
    meta = DocumentMeta(**dict(header), recommendations=tuple(rec for _, rec in entries))
    text_path = yaml_path.parent / meta.document
    expected_name = yaml_path.with_suffix(".txt").name
    if meta.document != expected_name:
        problems.append(
            Problem(
                code=Code.BAD_VALUE,
                file=display,
                key_path="document",
                expected=f"the text file beside it, {expected_name!r}",
                found=repr(meta.document),
                hint=f"set document: {expected_name}",
            )
        )
        return None
    try:
        text = text_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(
            Problem(
                code=Code.SEED_MISSING,
                file=display,
                key_path="document",
                expected=f"the document {Path(display).with_name(meta.document).as_posix()}",
                found="no such file",
                hint="restore the document or remove this YAML file",
            )
        )
        return None
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(
            Problem(
                code=Code.FILE_UNREADABLE,
                file=display,
                key_path="document",
                expected="UTF-8 text",
                found=str(exc),
                hint="",
            )
        )
        return None
    normalized = normalize_text(text)
    recommendations = []
    for index, rec in entries:
        where = f"recommendations[{index}] (id {rec.id})"
        span = find_span(normalized, rec.quote)
        found = _recommendation_problems(rec, where, display, criteria_file, span)
        sources, source_problems = _located_sources(
            rec, where, display, (yaml_path.parent, *text_dirs)
        )
        found += source_problems
        problems += found
        if not found and span is not None:
            recommendations.append(
                rec.model_copy(update={"span": span, "document": meta.document, "sources": sources})
            )
    return SourceDocument(meta=meta, text=text, normalized=normalized), recommendations


def quote_problems(
    display: str,
    where: str,
    quote: str,
    recorded: tuple[int, int] | None,
    found: tuple[int, int] | None,
    passage_of: str,
    span_in: str,
) -> list[Problem]:
    """A quote not found verbatim, or a recorded span that is not where it was found.

    ``found`` is the quote's span as located (None: not found); ``passage_of`` and ``span_in``
    name the text in the messages ("the document", "000_....txt").
    """
    if found is None:
        return [
            Problem(
                code=Code.QUOTE_NOT_FOUND,
                file=display,
                key_path=f"{where}.quote",
                expected=f"a verbatim passage of {passage_of}",
                found=short_repr(quote),
                hint="copy the passage exactly, including curly quotes and footnote digits",
            )
        ]
    if recorded is not None and tuple(recorded) != found:
        return [
            Problem(
                code=Code.SPAN_MISMATCH,
                file=display,
                key_path=f"{where}.span",
                expected=f"the quote's span in {span_in}, {list(found)}",
                found=str(list(recorded)),
                hint=f"set span: {list(found)} or remove it (it is computed)",
            )
        ]
    return []


def _located_sources(
    rec: Recommendation, where: str, display: str, folders: Sequence[Path]
) -> tuple[tuple[Source, ...], list[Problem]]:
    """Each merged source's quote found in its document's text, as the main quote is."""
    located, problems = [], []
    for number, source in enumerate(rec.sources):
        key = f"{where}.sources[{number}]"
        path = next((f / source.document for f in folders if (f / source.document).is_file()), None)
        if path is None:
            problems.append(
                Problem(
                    code=Code.SEED_MISSING,
                    file=display,
                    key_path=f"{key}.document",
                    expected="a document stored beside this one",
                    found=f"no file {source.document!r}",
                    hint="add that document first, or remove this source",
                )
            )
            continue
        span = find_span(normalize_text(path.read_text(encoding="utf-8")), source.quote)
        found = quote_problems(
            display, key, source.quote, source.span, span, source.document, source.document
        )
        problems += found
        if span is not None and not found:
            located.append(source.model_copy(update={"span": span}))
    return tuple(located), problems


def _validate_document(
    data: Any, display: str, problems: list[Problem]
) -> tuple[DocumentHeader | None, list[tuple[int, Recommendation]]]:
    """Validate the header and each recommendation apart, so one bad entry hides no other.

    Returns the header (None if invalid) and the recommendations valid on their own, with
    their positions in the file.
    """
    if not isinstance(data, dict):
        return _validate(DocumentHeader, data, display, problems), []
    header = _validate(
        DocumentHeader,
        {key: value for key, value in data.items() if key != "recommendations"},
        display,
        problems,
        document=data,
    )
    raw = data.get("recommendations")
    if not isinstance(raw, list) or not raw:
        problems.append(
            Problem(
                code=Code.MISSING_KEY if raw is None else Code.WRONG_TYPE,
                file=display,
                key_path="recommendations",
                expected="a non-empty list of recommendations",
                found=short_repr(raw),
                hint="list the document's recommendations (an implicit one counts)",
            )
        )
        return None, []
    validated = [
        (
            index,
            _validate(Recommendation, entry, display, problems, ("recommendations", index), data),
        )
        for index, entry in enumerate(raw)
    ]
    return header, [(index, rec) for index, rec in validated if rec is not None]


def _recommendation_problems(
    rec: Recommendation,
    where: str,
    display: str,
    criteria_file: CriteriaFile,
    span: tuple[int, int] | None,
) -> list[Problem]:
    """Problems of one valid recommendation against the criteria, instruments and its
    quote's ``span`` in the document (None: not found)."""
    problems = criterion_key_problems(
        rec.scores,
        [c.id for c in criteria_file.criteria],
        display,
        f"{where}.scores",
        Code.MISSING_SCORE,
        "add {criterion}: {{value: 3, low: 2, high: 4, rationale: ...}}",
    )
    if rec.instrument not in criteria_file.instruments:
        problems.append(
            Problem(
                code=Code.UNKNOWN_INSTRUMENT,
                file=display,
                key_path=f"{where}.instrument",
                expected=f"one of {sorted(criteria_file.instruments)}",
                found=repr(rec.instrument),
                hint="pick the closest instrument from criteria/criteria.yaml",
            )
        )
    problems += quote_problems(
        display,
        where,
        rec.quote,
        rec.span,
        span,
        "the document (whitespace-normalised)",
        "the normalised text",
    )
    return problems


def _duplicate_recommendation_problems(documents: Sequence[SourceDocument]) -> list[Problem]:
    seen: dict[str, str] = {}
    problems = []
    for document in documents:
        display = (SEEDS_DIR / document.meta.document).with_suffix(".yaml").as_posix()
        for index, rec in enumerate(document.meta.recommendations):
            if rec.id in seen:
                problems.append(
                    Problem(
                        code=Code.DUPLICATE_ID,
                        file=display,
                        key_path=f"recommendations[{index}].id",
                        expected="an id used by no other recommendation",
                        found=f"{rec.id!r}, already used in {seen[rec.id]}",
                        hint="give this recommendation a new id",
                    )
                )
            else:
                seen[rec.id] = display
    return problems
