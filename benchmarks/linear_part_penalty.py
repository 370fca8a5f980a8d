"""The classifier's linear n-gram part alone, its penalty chosen on the held-out texts or by cross-validation.

``train_text_classifier`` fits a TF-IDF n-gram logistic regression first and trains the network on top of it
(``linear_ngrams=True``); where no epoch of the network beats it on the held-out texts, the classifier *is* that
linear part. Its L2 penalty comes from a grid of four (``LINEAR_L2_GRID``), chosen either on the 10 % of the
training texts held out (``linear_penalty="holdout"``) or by 5-fold cross-validation on the other 90 %
(``"cv"``). This benchmark fits the linear part alone, both ways and with the seeds 0, 1 and 2 (the seed draws
the held-out texts and the folds), on each of the five cross-validation folds of ChnSentiCorp's training split
(the same folds as ``benchmarks/classifier_vs_linear.py``), and scores it on the fold's other fifth. It shows
how far the choice on 768 held-out texts moves with the seed. Nothing here is fitted on a test split.

One result file per fold (``linear_part_penalty_chnsenticorp_cv_fold<k>``), metrics
``holdout_seed<s>_accuracy`` / ``cv_seed<s>_accuracy`` (the fold's fifth; ``--choices`` runs one way only),
with the penalty each chose in the config, and the seconds each fit took.

Usage::

    python benchmarks/linear_part_penalty.py              # the five folds, about 25 minutes on 2 cores
    python benchmarks/linear_part_penalty.py --choices holdout                   # about 9 minutes
    python benchmarks/linear_part_penalty.py --folds 3 --no-write
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from contextlib import redirect_stderr
from io import StringIO
from pathlib import Path

import torch

from rnn_guide.classifier import LINEAR_L2_GRID, _fit_linear_part, _validation_texts
from rnn_guide.results import write_result

sys.path.insert(0, str(Path(__file__).parent))
import classifier_vs_linear  # the same folds

SEEDS = (0, 1, 2)
CHOICES = ("holdout", "cv")


def linear_part_alone(train, test, choice: str, seed: int) -> dict[str, float]:
    """Fit the linear part as ``train_text_classifier(texts, labels, language="zh", linear_penalty=choice,
    seed=seed)`` does; its accuracy on ``test``, the penalty it chose and the seconds it took."""
    classes = sorted(set(train.labels))
    index = {label: j for j, label in enumerate(classes)}
    texts, labels, valid = _validation_texts(list(train.texts), list(train.labels), classes, None, 0.1, seed, False)
    started = time.perf_counter()
    said = StringIO()
    with redirect_stderr(said):
        linear, _, _ = _fit_linear_part(
            texts,
            [index[y] for y in labels],
            (valid[0], [index[y] for y in valid[1]]),
            num_classes=len(classes),
            language="zh",
            seed=seed,
            progress=True,
            penalty=choice,
        )
    seconds = time.perf_counter() - started
    chosen = float(re.search(r"L2 (\S+)", said.getvalue()).group(1))
    truth = torch.tensor([index[y] for y in test.labels])
    with torch.no_grad():
        accuracy = float((linear(test.texts).argmax(1) == truth).float().mean())
    return {"accuracy": accuracy, "l2": chosen, "seconds": seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, nargs="+", default=list(range(classifier_vs_linear.FOLDS)))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--choices", nargs="+", choices=CHOICES, default=list(CHOICES), help="how to choose")
    parser.add_argument("--no-write", action="store_true", help="print the results, write no result file")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for split, train, test in classifier_vs_linear.units("chnsenticorp-cv", args.folds):
        started = time.perf_counter()
        metrics, chosen = {}, {}
        for choice in args.choices:
            for seed in SEEDS:
                fit = linear_part_alone(train, test, choice, seed)
                metrics[f"{choice}_seed{seed}_accuracy"] = fit["accuracy"]
                metrics[f"{choice}_seed{seed}_seconds"] = fit["seconds"]
                chosen[f"{choice}_seed{seed}"] = fit["l2"]
                print(f"{split} {choice} seed {seed}: {fit['accuracy']:.4f} (L2 {fit['l2']:g}, {fit['seconds']:.0f} s)")
        config = {
            "dataset": "chnsenticorp-cv",
            "split": split,
            "l2_grid": list(LINEAR_L2_GRID),
            "chosen_l2": chosen,
            "seeds": list(SEEDS),
            "choices": list(args.choices),
            "train_texts": len(train.texts),
            "test_texts": len(test.texts),
            "threads": torch.get_num_threads(),
        }
        if args.no_write:
            print(metrics, config)
        else:
            name = f"linear_part_penalty_chnsenticorp_cv_{split}"
            duration = time.perf_counter() - started
            print(f"written: {write_result(name, metrics=metrics, config=config, duration_s=duration)}")


if __name__ == "__main__":
    main()
