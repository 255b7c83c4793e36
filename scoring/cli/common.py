"""What several command groups share: method options, the catalog with the workspace, tables."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from scoring.briefs.escape import neutralize_formula, visible_bidi
from scoring.errors import Code, InputError
from scoring.intake import (
    load_with_documents,
)
from scoring.methods import (
    DEFAULT_METHOD,
    Method,
    names,
    registry,
)
from scoring.model import Catalog, Score, WeightProfile
from scoring.scope import ALL, DECISION_MAKERS, DEFAULT_DECISION_MAKER, scoped
from scoring.weights import parse_weight_spec, resolve_weights
from scoring.workspace import (
    OverrideKey,
    Workspace,
    WorkspaceState,
    apply_overrides,
)

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("table", "csv", "json")


def add_decision_maker(
    parser: argparse.ArgumentParser, default: str = DEFAULT_DECISION_MAKER
) -> None:
    parser.add_argument(
        "--decision-maker",
        default=default,
        choices=tuple(DECISION_MAKERS),
        help=f"rank only the options open to this actor; the rest is shown as context "
        f"(default {default}; {ALL} ranks every item)",
    )


def add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table")


def positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return number


def warn(problems: Iterable[object]) -> None:
    """Print each problem or notice to stderr as a warning; the command goes on."""
    for problem in problems:
        print(f"recscore: warning: {problem}", file=sys.stderr)


def with_documents(catalog: Catalog, args: argparse.Namespace) -> tuple[Catalog, WorkspaceState]:
    """The catalog with the workspace's documents (no overrides applied) and the workspace;
    the workspace's problems are printed as warnings."""
    catalog, workspace = load_with_documents(Workspace.locate(args.workspace), catalog)
    warn(workspace.problems)
    return catalog, workspace


def overrides_used(
    args: argparse.Namespace, workspace: WorkspaceState, hint: str
) -> Mapping[OverrideKey, Score]:
    """The workspace's score overrides unless --ignore-overrides; say on stderr when applied."""
    overrides = {} if args.ignore_overrides else workspace.overrides
    if overrides:
        print(
            f"recscore: {len(overrides)} score override(s) from "
            f"{workspace.workspace.root.as_posix()} applied ({hint})",
            file=sys.stderr,
        )
    return overrides


def package_context(
    catalog: Catalog,
    args: argparse.Namespace,
    hint: str = "--ignore-overrides to leave them out",
    weights_spec: str = "",
) -> tuple[Catalog, WorkspaceState, WeightProfile, dict[str, float]]:
    """The catalog with the workspace's documents and overrides (unless ignored), the workspace,
    the profile and its weights with ``weights_spec`` (``id=w,...``) applied.

    ``hint`` ends the stderr note that says overrides were applied.
    """
    catalog, workspace = with_documents(catalog, args)
    scored = scoped(
        apply_overrides(catalog, overrides_used(args, workspace, hint)), args.decision_maker
    )
    profile, weights = resolve_weights(
        scored,
        args.profile,
        parse_weight_spec(weights_spec),
        profiles=workspace.profiles_with(scored),
    )
    return scored, workspace, profile, weights


def chosen_method(args: argparse.Namespace, method: str | None = None) -> Method:
    """``--method`` (or ``method``) with its settings; an option for another method is
    refused rather than ignored, so no output claims settings it was not ranked with."""
    method = method or args.method
    owners = registry.setting_owners()
    foreign = [owners[name][0].option for name in settings_given(args) if owners[name][1] != method]
    if foreign:
        own = [setting.option for setting, takes in owners.values() if takes == method]
        raise InputError(
            Code.BAD_VALUE,
            foreign[0],
            "",
            f"options of the method {method} ({', '.join(own) or 'none'})",
            f"{', '.join(foreign)} with --method {method}",
            _options_hint(),
        )
    return method_of(args, method)


def method_of(args: argparse.Namespace, name: str) -> Method:
    """Method ``name`` with the settings its options give."""
    method = registry.get(name, "--method")
    return method(**{s.name: getattr(args, s.name) for s in method.settings_schema()})


def settings_given(args: argparse.Namespace) -> list[str]:
    """The method settings whose options were given a value other than the default."""
    return [
        name
        for name, (setting, _) in registry.setting_owners().items()
        if getattr(args, name) != setting.default
    ]


def _options_hint() -> str:
    """Which options go with which method, e.g. "--anchors is for --method topsis; ..."."""
    parts = []
    for name in names():
        options = [setting.option for setting in registry.get(name).settings_schema()]
        if options:
            listed = options[0] if len(options) == 1 else ", ".join(options[:-1])
            if len(options) > 1:
                listed += f" and {options[-1]}"
            verb = "is" if len(options) == 1 else "are"
            parts.append(f"{listed} {verb} for --method {name}")
    return "; ".join(parts)


def add_method_options(parser: argparse.ArgumentParser, choose: bool = True) -> None:
    """``--method`` (the registry's names, read now) and one option per method setting."""
    if choose:
        parser.add_argument("--method", choices=names(), default=DEFAULT_METHOD)
    for setting, _ in registry.setting_owners().values():
        if setting.choices:
            parser.add_argument(
                setting.option, choices=setting.choices, default=setting.default, help=setting.help
            )
        else:
            parser.add_argument(
                setting.option, type=float, default=setting.default, help=setting.help
            )


def json_text(record: object) -> str:
    """JSON of plain data with numpy scalars as numbers and NaN as null (strict JSON)."""

    def plain(value: object) -> object:
        if isinstance(value, dict):
            return {str(key): plain(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [plain(item) for item in value]
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, float) and not np.isfinite(value):
            return None
        return visible_bidi(value) if isinstance(value, str) else value

    return json.dumps(plain(record), indent=2, ensure_ascii=False, allow_nan=False)


# What pandas' ``to_string`` writes in place of these characters in a text cell.
_CELL_ESCAPES = str.maketrans({"\t": "\\t", "\r": "\\r", "\n": "\\n"})


def plain_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Rows of text cells as :func:`table_text` lays out a frame of them, byte for byte
    (every cell and header right-aligned to its column's widest, one space between columns),
    without pandas: importing it is most of ``recscore rank``'s time (tested against
    pandas)."""
    if not rows:  # pandas' own wording for an empty frame
        return visible_bidi(f"Empty DataFrame\nColumns: [{', '.join(columns)}]\nIndex: []")
    cells = [[str(cell).translate(_CELL_ESCAPES) for cell in row] for row in rows]
    widths = [max(len(name), *(len(row[j]) for row in cells)) for j, name in enumerate(columns)]
    lines = [
        " ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True))
        for line in [list(columns), *cells]
    ]
    return visible_bidi("\n".join(lines))


def table_text(frame: pd.DataFrame) -> str:
    """The frame as a terminal table; bidirectional controls in text are made visible."""
    import pandas as pd  # here: validate and --version print no table and need no pandas

    with pd.option_context("display.max_colwidth", 60, "display.width", 200):
        return visible_bidi(frame.to_string(index=False))


def csv_text(frame: pd.DataFrame) -> str:
    """The frame as CSV, every text cell neutralised as the briefs' are: a cell a spreadsheet
    would run as a formula (``=``, ``+``, ``-``, ``@``) gets a leading apostrophe, and
    bidirectional controls are made visible. Text from an ingested document lands here."""
    import pandas as pd

    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralize_formula)
    safe.columns = [str(neutralize_formula(str(name))) for name in safe.columns]
    return str(safe.to_csv(index=False))
