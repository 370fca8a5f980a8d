"""Plain RNN vs LSTM vs GRU, and hidden × embedding sizes, on the same budget of epochs.

Every run trains ``train_text_classifier`` with its defaults except the settings compared, for the same fixed
number of epochs (``--epochs``, no early stopping), on the training split of ``--dataset``; it reports the test
accuracy of the final weights and the training time. Two tables:

* ``cell``: ``rnn_type`` in rnn, lstm, gru (bidirectional, embedding 128, hidden 128 per direction);
* ``size``: LSTM with ``hidden_size`` in ``--hidden`` × ``embedding_dim`` in ``--embedding``.

The result is written with ``rnn_guide.results.write_result`` as ``classifier_comparison_<dataset>``; each row
of ``config["rows"]`` holds the settings, ``test_accuracy``, ``training_seconds`` and the parameter count.

Usage::

    python benchmarks/classifier_comparison.py --dataset chnsenticorp --threads 1
    python benchmarks/classifier_comparison.py --dataset chnsenticorp --epochs 1 --limit 1000 --no-write  # quick
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import torch

from rnn_guide.classifier import train_text_classifier
from rnn_guide.results import write_result
from rnn_guide.text.datasets import load_chnsenticorp, load_imdb

LANGUAGE = {"imdb": "en", "chnsenticorp": "zh"}


def run(texts: list[str], labels: list[Any], test: Any, language: str, epochs: int, **settings: Any) -> dict[str, Any]:
    started = time.perf_counter()
    classifier = train_text_classifier(texts, labels, language=language, epochs=epochs, progress=False, **settings)
    training_seconds = time.perf_counter() - started
    return {
        **settings,
        "test_accuracy": classifier.score(test.texts, test.labels),
        "training_seconds": training_seconds,
        "parameters": sum(p.numel() for p in classifier.model.parameters()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=sorted(LANGUAGE), default="chnsenticorp")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--hidden", type=int, nargs="+", default=[64, 128, 256])
    parser.add_argument("--embedding", type=int, nargs="+", default=[64, 128, 256])
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's)")
    parser.add_argument("--limit", type=int, default=None, help="train on the first N texts only (smoke runs)")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    started = time.perf_counter()
    data = load_imdb() if args.dataset == "imdb" else load_chnsenticorp()
    texts, labels = data["train"].texts, data["train"].labels
    if args.limit is not None:
        half = args.limit // 2
        texts, labels = texts[:half] + texts[-half:], labels[:half] + labels[-half:]
    common = {"texts": texts, "labels": labels, "test": data["test"], "language": LANGUAGE[args.dataset]}

    rows: list[dict[str, Any]] = []
    for rnn_type in ("rnn", "lstm", "gru"):
        rows.append({"table": "cell", **run(**common, epochs=args.epochs, rnn_type=rnn_type)})
        print(json.dumps(rows[-1]), flush=True)
    for hidden in args.hidden:
        for embedding in args.embedding:
            settings = {"rnn_type": "lstm", "hidden_size": hidden, "embedding_dim": embedding}
            rows.append({"table": "size", **run(**common, epochs=args.epochs, **settings)})
            print(json.dumps(rows[-1]), flush=True)

    metrics: dict[str, float] = {}
    for row in rows:
        if row["table"] == "cell":
            metrics[f"{row['rnn_type']}_test_accuracy"] = row["test_accuracy"]
            metrics[f"{row['rnn_type']}_training_seconds"] = row["training_seconds"]
    best = max((r for r in rows if r["table"] == "size"), key=lambda r: r["test_accuracy"])
    metrics["best_size_test_accuracy"] = best["test_accuracy"]
    config = {
        "dataset": args.dataset,
        "epochs": args.epochs,
        "train_texts": len(texts),
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
