"""Test accuracy of ``train_text_classifier`` with its default settings, trained from scratch.

* ``--dataset imdb``: the official split. IMDB has no validation split, so the last 1,250 negative and the last
  1,250 positive training reviews (by review id; neighbouring ids tend to be reviews of the same film, so this
  keeps most of their films out of the training part) are held out as validation data (``--holdout``); the
  model trains on the other 22,500 training reviews, the epoch with the best validation accuracy is kept, and
  it is scored on the 25,000 test reviews. Anchors on the same test set: Keras BiLSTM example 84.28 %,
  d2l BiRNN with GloVe 86.1 %, bentrevett BiLSTM 86.2 %, a tuned random-init LSTM (Dai & Le 2015) 86.5 %,
  NBSVM-bi (a linear model, Wang & Manning 2012) 91.22 %.
* ``--dataset chnsenticorp``: trained on the 9,600 training reviews, the epoch with the best accuracy on the
  1,200 dev reviews kept, scored on the 1,200 test reviews. The guide's result uses jieba words, a constant
  learning rate and up to 6 epochs (see Usage): its 150 steps per epoch are few for a halving learning rate,
  and on the dev split words did better than characters (0.906 against 0.892 at a constant learning rate).
  Anchors on this split: PaddleNLP BiLSTM 89.83 %, TextCNN 91.07 %.

The network is trained alone (``linear_ngrams=False``, as every committed result of this benchmark was;
``benchmarks/classifier_vs_linear.py`` measures the defaults with the linear n-gram part).

Nothing is tuned on the test set: the settings are the library's defaults, changed only by ``--epochs`` and
``--set`` (recorded in ``config["overrides"]``, chosen on validation data); the test texts are read only once,
after training. The result (test accuracy, validation accuracy per epoch, epoch times, training time) is
written with ``rnn_guide.results.write_result`` as ``classifier_<dataset>``.

Usage::

    python benchmarks/classifier_accuracy.py --dataset chnsenticorp --threads 1 \
        --set zh_tokenizer=word --set lr_decay=1.0 --epochs 6     # the settings of the guide's result
    python benchmarks/classifier_accuracy.py --dataset imdb --threads 1
    python benchmarks/classifier_accuracy.py --dataset imdb --limit 2000 --epochs 1 --no-write   # a quick look

The data sets are found by ``rnn_guide.data.resolve``: ``$RNN_GUIDE_DATA``, the copy the package carries
(ChnSentiCorp), the cache, or a checksum-verified download (the full IMDB).
"""

from __future__ import annotations

import argparse
import inspect
import json
import time
from typing import Any

import torch

from rnn_guide.classifier import train_text_classifier
from rnn_guide.results import write_result
from rnn_guide.text.datasets import LabelledTexts, load_chnsenticorp, load_imdb

LANGUAGE = {"imdb": "en", "chnsenticorp": "zh"}


def _parse_value(text: str) -> Any:
    """``"32"`` -> 32, ``"null"`` -> None, ``"word"`` -> "word": JSON if it parses, else the string."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _hold_out(texts: list[str], labels: list[Any], size: int) -> tuple[list[str], list[Any], LabelledTexts]:
    """Split off the last ``size // 2`` texts of each class (in file order, i.e. by review id) as validation data.

    Returns:
        ``(train_texts, train_labels, valid)``.
    """
    held: set[int] = set()
    for label in sorted(set(labels)):
        held.update([i for i, y in enumerate(labels) if y == label][-(size // 2) :])
    kept = [i for i in range(len(texts)) if i not in held]
    chosen = sorted(held)
    valid = LabelledTexts([texts[i] for i in chosen], [labels[i] for i in chosen])
    return [texts[i] for i in kept], [labels[i] for i in kept], valid


def _training_settings(overrides: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``train_text_classifier`` this run used: its defaults, then ``overrides``."""
    skip = {"texts", "labels", "valid", "language", "device", "progress"}
    defaults = {
        name: p.default
        for name, p in inspect.signature(train_text_classifier).parameters.items()
        if p.default is not inspect.Parameter.empty and name not in skip
    }
    return {**defaults, **overrides}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", choices=sorted(LANGUAGE), required=True)
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: torch's)")
    parser.add_argument("--device", default="cpu", help="cpu (default), cuda, ...")
    parser.add_argument("--epochs", type=int, default=None, help="override the default number of epochs")
    parser.add_argument("--limit", type=int, default=None, help="train on the first N texts only (smoke runs)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a keyword argument of train_text_classifier, e.g. --set batch_size=32 (VALUE is read as "
        "JSON if it parses, else as a string); repeatable; recorded in the result's config['overrides']",
    )
    parser.add_argument(
        "--holdout",
        type=int,
        default=2500,
        help="for a data set without a dev split (imdb): hold out the last N/2 training texts of each class as "
        "validation data (default 2500; 0: none, train on all and keep the last epoch)",
    )
    parser.add_argument("--save", default=None, help="also save the trained classifier to this file")
    parser.add_argument("--no-write", action="store_true", help="print the result, write no result file")
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)

    started = time.perf_counter()
    data = load_imdb() if args.dataset == "imdb" else load_chnsenticorp()
    train = data["train"]
    texts, labels = train.texts, train.labels
    valid = data.get("dev")
    if valid is None and args.holdout > 0:
        texts, labels, valid = _hold_out(texts, labels, args.holdout)
    if args.limit is not None:  # keep both classes: take from the start and the end (files are sorted by label)
        half = args.limit // 2
        texts, labels = texts[:half] + texts[-half:], labels[:half] + labels[-half:]
    overrides: dict[str, Any] = {"linear_ngrams": False}  # the network alone, as in the committed results
    if args.epochs is not None:
        overrides["epochs"] = args.epochs
    for item in args.set:
        name, _, value = item.partition("=")
        overrides[name.strip()] = _parse_value(value.strip())
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
        "valid_source": "dev split"
        if "dev" in data
        else (f"last {args.holdout // 2} training texts of each class" if valid is not None else None),
        "vocab_size": len(classifier.vocab),
        "max_length": classifier.max_length,
        "truncation": classifier.truncation,
        "threads": torch.get_num_threads(),
        "device": args.device,
        "overrides": overrides,
        "training": _training_settings(overrides),
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
