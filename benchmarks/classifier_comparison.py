"""Plain RNN vs LSTM vs GRU, hidden × embedding sizes and depth, on the same budget of epochs.

Every run trains ``train_text_classifier`` with its defaults except the settings compared, for the same fixed
number of epochs (``--epochs``, no validation data, no early stopping), on the training split of ``--dataset``
(or its first ``--limit`` texts, half from each class); it reports the test accuracy of the final weights, the
training time (wall clock and CPU time of this process) and the parameter count. Three tables:

* ``cell``: ``rnn_type`` in rnn, lstm, gru (bidirectional, embedding 128, hidden 128 per direction);
* ``size``: LSTM with ``hidden_size`` in ``--hidden`` × ``embedding_dim`` in ``--embedding``;
* ``depth``: LSTM with ``num_layers`` in ``--layers`` (embedding 128, hidden 128);
* ``baseline``: on the same texts, TF-IDF + logistic regression (as in ``benchmarks/classifier_vs_linear.py``,
  ``C`` chosen by 3-fold cross-validation on the training texts) and ``train_text_classifier(texts, labels,
  language=...)`` with every default (its n-gram model, its own validation split and early stopping; not held
  to ``--epochs``): what the network alone is measured against.

A setting that occurs in several tables (the default LSTM: 128, 128, one layer) is trained once; its row is
repeated with ``"same_run_as"`` naming the table it was trained for. The budget is small on purpose, so that
the whole comparison runs on a CPU: the accuracies are those after ``--epochs`` epochs, not the best each
model could reach, and the times depend on the machine and on what else runs on it (the CPU time is the more
stable of the two).

The result is written with ``rnn_guide.results.write_result`` as ``classifier_comparison_<dataset>``; each
row of ``config["rows"]`` holds ``table``, the settings, ``test_accuracy``, ``training_seconds``,
``training_cpu_seconds`` and ``parameters``; a baseline row holds ``model`` (``tfidf_logistic_regression`` or
``defaults``) instead of the settings.

Usage::

    python benchmarks/classifier_comparison.py --dataset chnsenticorp --threads 1
    python benchmarks/classifier_comparison.py --dataset chnsenticorp --epochs 1 --limit 1000 --no-write  # quick
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any, TypeVar

import torch
from classifier_vs_linear import linear_baseline  # the script beside this one

from rnn_guide.classifier import train_text_classifier
from rnn_guide.results import write_result
from rnn_guide.text.datasets import LabelledTexts, load_chnsenticorp, load_imdb

LANGUAGE = {"imdb": "en", "chnsenticorp": "zh"}
T = TypeVar("T")
DEFAULTS = {"rnn_type": "lstm", "hidden_size": 128, "embedding_dim": 128, "num_layers": 1}


def timed(train: Callable[[], T]) -> tuple[T, dict[str, float]]:
    """``train()``'s result and the time it took: ``training_seconds`` (wall clock) and ``training_cpu_seconds``."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = train()
    return result, {"training_seconds": time.perf_counter() - wall, "training_cpu_seconds": time.process_time() - cpu}


def run(texts: list[str], labels: list[Any], test: Any, language: str, epochs: int, **settings: Any) -> dict[str, Any]:
    """Train one classifier with ``settings`` and measure it on ``test``."""
    alone = {"linear_ngrams": False, "valid_fraction": 0.0}  # the network alone on every text, as committed
    classifier, times = timed(
        lambda: train_text_classifier(
            texts, labels, language=language, epochs=epochs, progress=False, **(alone | settings)
        )
    )
    return {
        **settings,
        "test_accuracy": classifier.score(test.texts, test.labels),
        **times,
        "parameters": sum(p.numel() for p in classifier.model.parameters()),
    }


def baselines(texts: list[str], labels: list[Any], test: Any, language: str) -> list[dict[str, Any]]:
    """TF-IDF + logistic regression and the classifier's full defaults, trained on the same texts."""
    linear, linear_times = timed(lambda: linear_baseline(language, LabelledTexts(texts, labels), test))
    classifier, times = timed(lambda: train_text_classifier(texts, labels, language=language, progress=False))
    history = classifier.history
    return [
        {
            "table": "baseline",
            "model": "tfidf_logistic_regression",
            "test_accuracy": linear["test_accuracy"],
            **linear_times,
            "C": linear["C"],
        },
        {
            "table": "baseline",
            "model": "defaults",
            "test_accuracy": classifier.score(test.texts, test.labels),
            **times,
            "epochs": len(history.train_loss) if history is not None else None,
        },
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=sorted(LANGUAGE), default="chnsenticorp")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--hidden", type=int, nargs="+", default=[64, 128, 256])
    parser.add_argument("--embedding", type=int, nargs="+", default=[64, 128, 256])
    parser.add_argument("--layers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's)")
    parser.add_argument("--limit", type=int, default=None, help="train on the first N texts only (half per class)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    started = time.perf_counter()
    data = load_imdb() if args.dataset == "imdb" else load_chnsenticorp()
    texts, labels = data["train"].texts, data["train"].labels
    if args.limit is not None:  # keep both classes: take from the start and the end (files are sorted by label)
        half = args.limit // 2
        texts, labels = texts[:half] + texts[-half:], labels[:half] + labels[-half:]
    common = {"texts": texts, "labels": labels, "test": data["test"], "language": LANGUAGE[args.dataset]}

    plan: list[tuple[str, dict[str, Any]]] = [("cell", {**DEFAULTS, "rnn_type": t}) for t in ("rnn", "lstm", "gru")]
    plan += [("size", {**DEFAULTS, "hidden_size": h, "embedding_dim": e}) for h in args.hidden for e in args.embedding]
    plan += [("depth", {**DEFAULTS, "num_layers": n}) for n in args.layers]
    done: dict[str, dict[str, Any]] = {}
    rows: list[dict[str, Any]] = []
    for table, settings in plan:
        key = json.dumps(settings, sort_keys=True)
        if key in done:
            rows.append({**done[key], "table": table, "same_run_as": done[key]["table"]})
        else:
            done[key] = {"table": table, **run(**common, epochs=args.epochs, **settings)}
            rows.append(done[key])
        print(json.dumps(rows[-1]), flush=True)

    for row in baselines(texts, labels, data["test"], LANGUAGE[args.dataset]):
        rows.append(row)
        print(json.dumps(row), flush=True)

    metrics: dict[str, float] = {}
    for row in rows:
        if row["table"] == "cell":
            metrics[f"{row['rnn_type']}_test_accuracy"] = row["test_accuracy"]
            metrics[f"{row['rnn_type']}_training_seconds"] = row["training_seconds"]
            metrics[f"{row['rnn_type']}_training_cpu_seconds"] = row["training_cpu_seconds"]
    best = max((r for r in rows if r["table"] == "size"), key=lambda r: r["test_accuracy"])
    metrics["best_size_test_accuracy"] = best["test_accuracy"]
    for row in rows:
        if row["table"] == "baseline":
            metrics[f"{row['model']}_test_accuracy"] = row["test_accuracy"]
    config = {
        "dataset": args.dataset,
        "epochs": args.epochs,
        "budget": f"{args.epochs} epochs per run, final weights, no validation data or early stopping",
        "train_texts": len(texts),
        "test_texts": len(data["test"]),
        "threads": torch.get_num_threads(),
        "limit": args.limit,
        "best_size": {"hidden_size": best["hidden_size"], "embedding_dim": best["embedding_dim"]},
        "rows": rows,
    }
    if not args.no_write:
        duration = time.perf_counter() - started
        path = write_result(
            f"classifier_comparison_{args.dataset}", metrics=metrics, config=config, duration_s=duration
        )
        print("wrote", path)


if __name__ == "__main__":
    main()
