"""Agreement between the two independent scorings of the catalog, before reconciliation.

Every cell of the bundled catalog was scored twice, by two analysts working apart
(``criteria/agreement/scorer_a.yaml`` and ``scorer_b.yaml``), then reconciled into the seeds.
This module measures how far the two agreed, per criterion, on the items the catalog holds:

- exact agreement and agreement within one level;
- Cohen's kappa with quadratic weights (disagreeing by two levels costs four times one);
- Krippendorff's alpha at the ordinal level (the ``krippendorff`` package).

``uv run python -m scoring.agreement`` prints the table the README quotes.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from scoring.model import SCALE_MAX, SCALE_MIN, Catalog

__all__ = [
    "AGREEMENT_DIR",
    "CriterionAgreement",
    "agreement_table",
    "load_scoring",
    "measure_agreement",
    "quadratic_kappa",
]

AGREEMENT_DIR = Path("criteria") / "agreement"
LEVELS = np.arange(SCALE_MIN, SCALE_MAX + 1)


@dataclass(frozen=True)
class CriterionAgreement:
    """How far two scorings agree on one criterion (``cells`` pairs of values)."""

    criterion_id: str
    cells: int
    exact: float
    within_one: float
    kappa: float
    alpha: float


def load_scoring(path: Path) -> dict[str, dict[str, float]]:
    """One scorer's values, ``{recommendation id: {criterion id: value}}``."""
    data: Mapping[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        rec_id: {cid: float(cell["value"]) for cid, cell in cells.items()}
        for rec_id, cells in data["items"].items()
    }


def quadratic_kappa(first: np.ndarray, second: np.ndarray) -> float:
    """Cohen's kappa with quadratic weights for two raters' 1-5 levels (NaN if undefined)."""
    size = len(LEVELS)
    observed = np.zeros((size, size))
    np.add.at(observed, (first.astype(int) - SCALE_MIN, second.astype(int) - SCALE_MIN), 1)
    observed /= observed.sum()
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    distance = (LEVELS[:, None] - LEVELS[None, :]) ** 2 / (size - 1) ** 2
    disagreement_expected = float((distance * expected).sum())
    if disagreement_expected == 0:
        return float("nan")
    return 1.0 - float((distance * observed).sum()) / disagreement_expected


def _ordinal_alpha(first: np.ndarray, second: np.ndarray) -> float:
    import krippendorff  # only this report needs it

    return float(
        krippendorff.alpha(
            reliability_data=np.vstack([first, second]),
            level_of_measurement="ordinal",
            value_domain=LEVELS.tolist(),
        )
    )


def measure_agreement(
    first: Mapping[str, Mapping[str, float]],
    second: Mapping[str, Mapping[str, float]],
    criterion_ids: Sequence[str],
    ids: Sequence[str],
) -> tuple[CriterionAgreement, ...]:
    """Agreement per criterion over ``ids`` (both scorings must hold them), then over all."""
    rows = []
    pooled: tuple[list[float], list[float]] = ([], [])
    for criterion_id in (*criterion_ids, "all"):
        if criterion_id == "all":
            a, b = np.array(pooled[0]), np.array(pooled[1])
        else:
            a = np.array([first[i][criterion_id] for i in ids])
            b = np.array([second[i][criterion_id] for i in ids])
            pooled[0].extend(a.tolist())
            pooled[1].extend(b.tolist())
        rows.append(
            CriterionAgreement(
                criterion_id=criterion_id,
                cells=len(a),
                exact=float(np.mean(a == b)),
                within_one=float(np.mean(np.abs(a - b) <= 1)),
                kappa=quadratic_kappa(a, b),
                alpha=_ordinal_alpha(a, b),
            )
        )
    return tuple(rows)


def agreement_table(catalog: Catalog, root: Path) -> str:
    """The Markdown table of agreement on the catalog's items, as the README shows it."""
    first = load_scoring(root / AGREEMENT_DIR / "scorer_a.yaml")
    second = load_scoring(root / AGREEMENT_DIR / "scorer_b.yaml")
    ids = [rec.id for rec in catalog.recommendations + catalog.context]
    missing = [rec_id for rec_id in ids if rec_id not in first or rec_id not in second]
    if missing:
        raise ValueError(f"not scored by both: {', '.join(missing)}")
    names = {c.id: c.name for c in catalog.criteria} | {"all": "All criteria"}
    lines = [
        f"Two independent scorings of {len(ids)} items, before reconciliation:",
        "",
        "| criterion | cells | exact | within 1 | weighted kappa | Krippendorff's alpha |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in measure_agreement(first, second, catalog.criterion_ids, ids):
        lines.append(
            f"| {names[row.criterion_id]} | {row.cells} | {row.exact:.0%} | "
            f"{row.within_one:.0%} | {row.kappa:.2f} | {row.alpha:.2f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the agreement table for the data root (default: the bundled data)."""
    from scoring.bundled import default_root
    from scoring.loading import load_catalog

    args = sys.argv[1:] if argv is None else list(argv)
    root = Path(args[0]) if args else default_root()
    print(agreement_table(load_catalog(root), root))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
