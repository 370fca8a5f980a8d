"""``rnn-guide classify train|evaluate|predict``: the sentiment classifier from the command line.

Examples::

    # train the default BiLSTM on IMDB's 25,000 training reviews and save it
    python -m rnn_guide classify train --dataset imdb --out imdb.pt
    # accuracy on the 25,000 test reviews
    python -m rnn_guide classify evaluate --model imdb.pt --dataset imdb
    # label new texts (arguments, or one text per line of a file; "-" reads standard input)
    python -m rnn_guide classify predict --model imdb.pt "A wonderful film." "Two hours I will never get back."

    # Chinese: ChnSentiCorp, validated on its dev split after each epoch
    python -m rnn_guide classify train --dataset chnsenticorp --out chnsenticorp.pt
    python -m rnn_guide classify predict --model chnsenticorp.pt "房间很干净，服务也好。"

Data come from ``--dataset NAME`` (``--data-dir``, else found by :func:`rnn_guide.data.resolve`:
``$RNN_GUIDE_DATA``, the copy the package carries, the cache, or a download) or from ``--data FILE``: a CSV
(``.csv``) or tab-separated (``.tsv``) file with a header row and a text and a label column
(``--text-column``, ``--label-column``; labels made of digits only are read as integers).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

from rnn_guide.cli import add_debug_argument, positive_int, run_command, writable_path

__all__ = ["add_parser", "main"]

DATASETS = ("imdb", "chnsenticorp")
_LANGUAGE = {"imdb": "en", "chnsenticorp": "zh"}
_VALID_SPLIT = {"imdb": None, "chnsenticorp": "dev"}
_HYPERPARAMETERS: tuple[tuple[str, Any, str], ...] = (
    ("rnn_type", str, "rnn, lstm or gru"),
    ("embedding_dim", positive_int, "size of the token embeddings"),
    ("hidden_size", positive_int, "hidden units per direction"),
    ("num_layers", positive_int, "stacked recurrent layers"),
    ("pooling", str, "last, mean or max"),
    ("dropout", float, "dropout probability"),
    ("max_length", positive_int, "the most tokens per text"),
    ("min_freq", positive_int, "the least count of a vocabulary token"),
    ("max_vocab_size", positive_int, "the largest vocabulary"),
    ("epochs", positive_int, "passes over the training data"),
    ("batch_size", positive_int, "texts per step"),
    ("lr", float, "Adam's learning rate in the first epoch"),
    ("lr_decay", float, "factor applied to the learning rate after every epoch (1: constant)"),
    ("patience", positive_int, "with validation data: epochs without improvement before stopping"),
    (
        "valid_fraction",
        float,
        "without validation data: share of the training texts held out to choose the epoch (default 0.1)",
    ),
    ("seed", int, "random seed"),
)


def _read_table(path: Path, text_column: str, label_column: str | None) -> tuple[list[str], list[Any]]:
    if not path.exists():
        raise FileNotFoundError(f"--data file {path} does not exist")
    if not path.is_file():
        raise ValueError(f"--data {path} is not a file")
    delimiter = "\t" if path.suffix.lower() in (".tsv", ".tab") else ","
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter=delimiter, quoting=quoting)
            columns = reader.fieldnames or []
            if not columns:
                raise ValueError(f"{path} is empty: expected a header row and one row per text")
            for name in (text_column, label_column):
                if name is not None and name not in columns:
                    raise ValueError(f"{path} has no column {name!r}; its columns are {columns}")
            rows = list(reader)
    except UnicodeDecodeError as error:
        raise ValueError(f"{path} is not UTF-8 text (byte {error.start}): is it a CSV or TSV file?") from error
    if not rows:
        raise ValueError(f"{path} has a header row but no rows of data")
    texts = [row[text_column] or "" for row in rows]
    if label_column is None:
        return texts, []
    labels: list[Any] = [(row[label_column] or "").strip() for row in rows]
    if labels and all(label.lstrip("-").isdigit() for label in labels):
        labels = [int(label) for label in labels]
    return texts, labels


def _load_dataset(name: str, data_dir: Path | None) -> dict[str, Any]:
    from rnn_guide.text.datasets import load_chnsenticorp, load_imdb

    loader = load_imdb if name == "imdb" else load_chnsenticorp
    return loader(data_dir)


def _labelled(args: argparse.Namespace, split: str) -> tuple[list[str], list[Any]]:
    if args.dataset is not None:
        data = _load_dataset(args.dataset, args.data_dir)
        if split not in data:
            raise ValueError(f"--split must be one of {sorted(data)} for {args.dataset}, got {split!r}")
        return data[split].texts, data[split].labels
    return _read_table(args.data, args.text_column, args.label_column)


def _train(args: argparse.Namespace) -> int:
    from rnn_guide.classifier import train_text_classifier

    writable_path(args.out, "--out")
    texts, labels = _labelled(args, "train")
    valid = None
    language = args.language
    if args.dataset is not None:
        language = language or _LANGUAGE[args.dataset]
        split = _VALID_SPLIT[args.dataset]
        if split is not None and not args.no_valid:
            data = _load_dataset(args.dataset, args.data_dir)
            valid = (data[split].texts, data[split].labels)
    elif args.valid_data is not None:
        valid = _read_table(args.valid_data, args.text_column, args.label_column)
    settings = {name: getattr(args, name) for name, _, _ in _HYPERPARAMETERS if getattr(args, name) is not None}
    classifier = train_text_classifier(
        texts,
        labels,
        language=language or "en",
        valid=valid,
        zh_tokenizer=args.zh_tokenizer,
        linear_ngrams=not args.no_linear_ngrams,
        device=args.device,
        progress=False if args.no_progress else None,
        **settings,
    )
    path = classifier.save(args.out)
    history = classifier.history
    summary: dict[str, Any] = {"model": str(path), "epochs": history.epochs if history else 0}
    if history is not None and history.metrics.get("accuracy"):
        summary["best_valid_accuracy"] = max(history.metrics["accuracy"])
        summary["best_epoch"] = history.best_epoch
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from rnn_guide.classifier import TextClassifier

    classifier = TextClassifier.load(args.model, device=args.device or "cpu")
    texts, labels = _labelled(args, args.split)
    if not labels:
        raise ValueError("evaluate needs labels: give --label-column")
    accuracy = classifier.score(texts, labels)
    print(json.dumps({"accuracy": accuracy, "texts": len(texts)}))
    return 0


def _predict(args: argparse.Namespace) -> int:
    from rnn_guide.classifier import TextClassifier

    classifier = TextClassifier.load(args.model, device=args.device or "cpu")
    texts = list(args.texts)
    if args.input is not None:
        handle = sys.stdin if str(args.input) == "-" else open(args.input, encoding="utf-8")  # noqa: SIM115
        try:
            with handle:
                texts += [line.rstrip("\n") for line in handle]
        except UnicodeDecodeError as error:
            raise ValueError(f"--input {args.input} is not UTF-8 text (byte {error.start})") from error
    if not texts:
        raise ValueError("predict needs texts: give them as arguments or with --input FILE")
    probabilities = classifier.predict_proba(texts)
    for text, row in zip(texts, probabilities, strict=True):
        best = int(row.argmax())
        label = classifier.classes[best]
        if args.json:
            record = {
                "text": text,
                "label": label,
                "probabilities": dict(zip(map(str, classifier.classes), row.tolist(), strict=True)),
            }
            print(json.dumps(record, ensure_ascii=False))
        else:
            print(f"{label}\t{row[best]:.3f}\t{text}")
    return 0


def _add_source(parser: argparse.ArgumentParser, *, labels: bool = True) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--dataset", choices=DATASETS, help="IMDB (English) or ChnSentiCorp (Chinese)")
    source.add_argument("--data", type=Path, help="a .csv or .tsv file with a header row")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="a local copy of --dataset (default: $RNN_GUIDE_DATA, the carried copy, the cache)",
    )
    parser.add_argument("--text-column", default="text", help="text column of --data (default: text)")
    if labels:
        parser.add_argument("--label-column", default="label", help="label column of --data (default: label)")
    parser.add_argument("--device", help="cpu, cuda, ... (default: automatic)")
    add_debug_argument(parser)


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``classify`` and its ``train``, ``evaluate`` and ``predict`` commands."""
    parser = subparsers.add_parser(
        "classify",
        help="train, evaluate and use sentiment classifiers",
        description="Sentiment classification with a recurrent network, in English or Chinese.",
        epilog=__doc__.split("Examples::", 1)[1].split("Data come from", 1)[0].rstrip(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="classify_command", required=True)

    train = commands.add_parser("train", help="train a classifier and save it")
    _add_source(train)
    train.add_argument("--out", type=Path, required=True, help="file to save the classifier to")
    train.add_argument("--language", choices=("en", "zh"), help="default: the data set's language, else en")
    train.add_argument("--zh-tokenizer", choices=("char", "word"), default="word", help="Chinese: jieba words or chars")
    train.add_argument("--valid-data", type=Path, help="validation file for --data (same columns)")
    train.add_argument(
        "--no-valid",
        action="store_true",
        help="do not validate on the data set's dev split (hold out --valid-fraction of the training texts instead)",
    )
    train.add_argument(
        "--no-linear-ngrams",
        action="store_true",
        help="train the recurrent network alone, not on top of a TF-IDF n-gram logistic regression",
    )
    train.add_argument("--no-progress", action="store_true", help="hide the progress bar (shown in a terminal)")
    for name, kind, text in _HYPERPARAMETERS:
        train.add_argument("--" + name.replace("_", "-"), type=kind, default=None, help=f"{text} (default: library's)")
    train.set_defaults(func=_train)

    evaluate = commands.add_parser("evaluate", help="accuracy of a saved classifier on labelled texts")
    evaluate.add_argument("--model", type=Path, required=True)
    _add_source(evaluate)
    evaluate.add_argument("--split", default="test", help="split of --dataset (default: test)")
    evaluate.set_defaults(func=_evaluate)

    predict = commands.add_parser("predict", help="label texts with a saved classifier")
    predict.add_argument("--model", type=Path, required=True)
    predict.add_argument("texts", nargs="*", help="texts to label")
    predict.add_argument("--input", help="file with one text per line ('-': standard input)")
    predict.add_argument("--json", action="store_true", help="one JSON object per text, with all probabilities")
    predict.add_argument("--device", help="cpu, cuda, ... (default: cpu)")
    add_debug_argument(predict)
    predict.set_defaults(func=_predict)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run ``classify`` on its own: ``main(["train", "--dataset", "imdb", "--out", "m.pt"])``."""
    parser = argparse.ArgumentParser(prog="rnn-guide")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["classify", *(argv if argv is not None else sys.argv[1:])])
    return run_command(args)
