"""Test accuracy of ``train_text_classifier`` with its default settings, trained from scratch.

* ``--dataset imdb``: trained on the 25,000 IMDB training reviews (no validation data, the default number of
  epochs), scored on the 25,000 test reviews. Anchors on the same test set: Keras BiLSTM example 84.28 %,
  d2l BiRNN with GloVe 86.1 %, bentrevett BiLSTM 86.2 %, a tuned random-init LSTM (Dai & Le 2015) 86.5 %,
  NBSVM-bi (a linear model, Wang & Manning 2012) 91.22 %.
* ``--dataset chnsenticorp``: trained on the 9,600 training reviews, the epoch with the best accuracy on the
  1,200 dev reviews kept, scored on the 1,200 test reviews. Anchors on this split: PaddleNLP BiLSTM 89.83 %,
  TextCNN 91.07 %.

Nothing is tuned on the test set: the settings are the library's defaults, the test texts are read only
once, after training. The result (test accuracy, epoch times, training time) is written with
``rnn_guide.results.write_result`` as ``classifier_<dataset>``.

Usage::

    python benchmarks/classifier_accuracy.py --dataset chnsenticorp
    python benchmarks/classifier_accuracy.py --dataset imdb --threads 2
    python benchmarks/classifier_accuracy.py --dataset imdb --limit 2000 --epochs 1 --no-write   # a quick look

The data sets are found through ``$RNN_GUIDE_DATA`` (or the cache, or downloaded; see
``rnn_guide.text.datasets``).
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=sorted(LANGUAGE), required=True)
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's)")
    parser.add_argument("--device", default="cpu", help="cpu (default), cuda, ...")
    parser.add_argument("--epochs", type=int, default=None, help="override the default number of epochs")
    parser.add_argument("--limit", type=int, default=None, help="train on the first N texts only (smoke runs)")
    parser.add_argument("--save", default=None, help="also save the trained classifier to this file")
    parser.add_argument("--no-write", action="store_true", help="print the result, write no result file")
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)

    started = time.perf_counter()
    data = load_imdb() if args.dataset == "imdb" else load_chnsenticorp()
    train = data["train"]
    texts, labels = train.texts, train.labels
    if args.limit is not None:  # keep both classes: take from the start and the end (files are sorted by label)
        half = args.limit // 2
        texts, labels = texts[:half] + texts[-half:], labels[:half] + labels[-half:]
    overrides: dict[str, Any] = {"epochs": args.epochs} if args.epochs is not None else {}
    valid = data.get("dev")
    classifier = train_text_classifier(
        texts,
        labels,
        language=LANGUAGE[args.dataset],
        valid=(valid.texts, valid.labels) if valid is not None else None,
        device=args.device,
        **overrides,
    )
    training_s = time.perf_counter() - started
    test = data["test"]
    test_accuracy = classifier.score(test.texts, test.labels)
    duration_s = time.perf_counter() - started
    history = classifier.history
    assert history is not None
    metrics = {
        "test_accuracy": test_accuracy,
        "training_seconds": training_s,
        "seconds_per_epoch": sum(history.epoch_times) / history.epochs,
        "epochs_trained": history.epochs,
        "final_train_loss": history.train_loss[-1],
    }
    if history.metrics.get("accuracy"):
        metrics["best_valid_accuracy"] = max(history.metrics["accuracy"])
        metrics["best_epoch"] = history.best_epoch
    model_config = {k: v for k, v in classifier.model.config.items() if k != "vocab_size"}
    config = {
        "dataset": args.dataset,
        "train_texts": len(texts),
        "test_texts": len(test),
        "valid_texts": len(valid) if valid is not None else 0,
        "vocab_size": len(classifier.vocab),
        "max_length": classifier.max_length,
        "truncation": classifier.truncation,
        "threads": torch.get_num_threads(),
        "device": args.device,
        "overrides": overrides,
        "limit": args.limit,
        "model": model_config,
        "valid_accuracy_per_epoch": history.metrics.get("accuracy", []),
        "epoch_seconds": history.epoch_times,
    }
    if args.save:
        classifier.save(args.save)
    print(json.dumps({"metrics": metrics, "config": config}, indent=2))
    if not args.no_write:
        print(
            "wrote", write_result(f"classifier_{args.dataset}", metrics=metrics, config=config, duration_s=duration_s)
        )


if __name__ == "__main__":
    main()
