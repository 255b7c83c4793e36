"""Train the extractor's sentence model on the development set and save it.

Run: ``uv run python benchmarks/train_extraction.py [--check]``

Reads the five seeds and ``../shared/corpus`` (see ``benchmarks/devset.py``), labels every
sentence the extractor reads (``scoring.intake.extraction.training_examples``), fits the logistic
regression (``scoring.intake.sentence_classifier.train``) and writes
``scoring/models/extraction_model.json`` with the SHA-256 of the training data. Deterministic:
the same data gives the same file. ``--check`` only reports whether the stored model was
trained on the data present now.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from devset import CORPUS, data_hash, development_set

from scoring.intake.extraction import training_examples
from scoring.intake.sentence_classifier import MODEL_PATH, load_model, save_model, train


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare hashes, write nothing")
    args = parser.parse_args(argv)
    documents = development_set()
    if not any(doc.collection == "corpus" for doc in documents):
        print(f"{CORPUS} not found: train only with the corpus present", file=sys.stderr)
        return 2
    sha = data_hash(documents)
    if args.check:
        stored = load_model(MODEL_PATH)
        same = stored is not None and stored.data_sha256 == sha
        print(f"data {sha}; stored model {'matches' if same else 'does NOT match'}")
        return 0 if same else 1
    examples = [
        example
        for doc in documents
        for example in training_examples(doc.text, [(g.kind, g.span) for g in doc.gold])
    ]
    model = train(examples, data_sha256=sha)
    save_model(model, MODEL_PATH)
    print(
        f"{MODEL_PATH.relative_to(MODEL_PATH.parents[2])}: {model.examples} sentences "
        f"({model.positives} positive) from {len(documents)} documents, "
        f"{len(model.weights)} features; data sha256 {sha}"
    )
    top = sorted(model.weights.items(), key=lambda item: -abs(item[1]))[:12]
    print("largest weights: " + ", ".join(f"{name} {w:+.2f}" for name, w in top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
