"""A small learned sentence model: is this sentence an explicit recommendation?

The extractor's rules are exact where they fire but leave two kinds of error: advice in a form
no rule knows (gerund items, reported calls worded otherwise) and rule hits that are not advice
(commitments, descriptions). A logistic regression over sparse, named features (the rules' own
verdict and cue, the layout, general word classes and part of speech from lemminflect's
lexicon, see :func:`scoring.intake.extraction.unit_features`) weighs them against each other. It is
plain numpy (Newton's method with an L2 penalty, a dozen iterations), so it needs no download
and trains in well under a second; the weights are a small JSON file,
``scoring/models/extraction_model.json``, carrying the SHA-256 of the data it was trained on.

Train it with ``uv run python benchmarks/train_extraction.py``; the benchmark reports it
leave-one-document-out.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

__all__ = ["MODEL_PATH", "SentenceModel", "load_model", "save_model", "train"]

MODEL_PATH = Path(__file__).parent.parent / "models" / "extraction_model.json"
SCHEMA_VERSION = 1
# The L2 penalty: with ~2,000 sentences and ~70 features, 1.0 keeps rare features (seen in one
# document) from taking large weights that would not transfer to the next document.
DEFAULT_PENALTY = 1.0
# A sentence no rule found becomes a candidate only from this probability.
DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class SentenceModel:
    """Logistic-regression weights by feature name, with what they were trained on."""

    weights: Mapping[str, float]
    bias: float
    threshold: float = DEFAULT_THRESHOLD
    data_sha256: str = ""
    examples: int = 0
    positives: int = 0
    penalty: float = DEFAULT_PENALTY

    def probability(self, features: Mapping[str, float]) -> float:
        """P(explicit recommendation | features); unknown features weigh nothing."""
        score = self.bias + sum(self.weights.get(name, 0.0) * v for name, v in features.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))

    def record(self) -> dict[str, object]:
        """Plain data for the JSON file, weights sorted by name for stable diffs."""
        return {
            "schema_version": SCHEMA_VERSION,
            "kind": "logistic regression (numpy, L2)",
            "data_sha256": self.data_sha256,
            "examples": self.examples,
            "positives": self.positives,
            "penalty": self.penalty,
            "threshold": self.threshold,
            "bias": round(self.bias, 6),
            "weights": {name: round(w, 6) for name, w in sorted(self.weights.items())},
        }


def train(
    examples: Sequence[tuple[Mapping[str, float], int]],
    *,
    penalty: float = DEFAULT_PENALTY,
    threshold: float = DEFAULT_THRESHOLD,
    data_sha256: str = "",
    iterations: int = 25,
) -> SentenceModel:
    """Fit the weights by Newton's method on the penalised log-likelihood (bias unpenalised)."""
    names = sorted({name for features, _ in examples for name in features})
    column = {name: index for index, name in enumerate(names)}
    x = np.zeros((len(examples), len(names) + 1))
    x[:, -1] = 1.0  # the bias column
    y = np.array([label for _, label in examples], dtype=float)
    for row, (features, _) in enumerate(examples):
        for name, value in features.items():
            x[row, column[name]] = value
    ridge = np.full(len(names) + 1, penalty)
    ridge[-1] = 0.0
    beta = np.zeros(len(names) + 1)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -30, 30)))
        gradient = x.T @ (p - y) + ridge * beta
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(ridge) + 1e-9 * np.eye(len(beta))
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if float(np.max(np.abs(step))) < 1e-8:
            break
    return SentenceModel(
        weights={name: float(beta[column[name]]) for name in names},
        bias=float(beta[-1]),
        threshold=threshold,
        data_sha256=data_sha256,
        examples=len(examples),
        positives=int(y.sum()),
        penalty=penalty,
    )


def save_model(model: SentenceModel, path: Path = MODEL_PATH) -> None:
    """Write the model as JSON (sorted, two-space indent, trailing newline)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.record(), indent=2) + "\n", encoding="utf-8")


@cache
def load_model(path: Path = MODEL_PATH) -> SentenceModel | None:
    """The model stored at ``path``, or None if there is none (the rules then stand alone)."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return SentenceModel(
        weights={str(k): float(v) for k, v in data["weights"].items()},
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
        data_sha256=str(data["data_sha256"]),
        examples=int(data["examples"]),
        positives=int(data["positives"]),
        penalty=float(data["penalty"]),
    )
