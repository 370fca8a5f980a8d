"""``rnn-guide forecast train|evaluate|predict``: the forecaster from the command line.

Examples::

    # hold out the last 24 months, train on the rest, save the model
    python -m rnn_guide forecast train --dataset air_passengers --test-size 24 \\
        --lookback 36 --horizon 12 --scaling log --out airline.pt
    # forecast the held-out months from the rows before them; compare with seasonal naive
    python -m rnn_guide forecast evaluate --model airline.pt --dataset air_passengers --test-size 24 --season 12
    # forecast the 24 months after the end of a CSV file
    python -m rnn_guide forecast predict --model airline.pt --data AirPassengers.csv --steps 24

A series comes from ``--data FILE.csv`` (a header row, a time-stamp column, numeric columns) or from
``--dataset NAME``, one of the series the package carries (found by :func:`rnn_guide.data.resolve`).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from rnn_guide.cli import add_debug_argument, positive_int, run_command, writable_path
from rnn_guide.forecaster import LOSSES, Forecaster, train_forecaster
from rnn_guide.timeseries import (
    DATASETS,
    TimeSeries,
    load_air_passengers,
    load_csv_series,
    load_etth1,
    load_sunspots,
)
from rnn_guide.timeseries.models import FORECASTER_MODELS, InstanceNormalization

__all__ = ["add_parser", "main"]

_LOADERS = {"air_passengers": load_air_passengers, "sunspots": load_sunspots, "etth1": load_etth1}


def _add_data_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--data", type=Path, help="CSV file with a header row; first column = time stamps")
    source.add_argument("--dataset", choices=sorted(DATASETS), help="a series the package carries")
    parser.add_argument(
        "--column", action="append", dest="columns", metavar="NAME", help="value column to use (repeatable)"
    )
    parser.add_argument(
        "--index-column", default="0", help="name or position of the time-stamp column of --data (default 0)"
    )
    add_debug_argument(parser)


def _load_series(args: argparse.Namespace) -> TimeSeries:
    if args.dataset is not None:
        series = _LOADERS[args.dataset]()
    else:
        index: str | int = int(args.index_column) if args.index_column.isdigit() else args.index_column
        series = load_csv_series(args.data, index_column=index)
    if args.columns:
        values = np.stack([series.column(name) for name in args.columns], axis=1)
        series = TimeSeries(values=values, columns=tuple(args.columns), index=series.index)
    return series


def _values(series: TimeSeries) -> np.ndarray:
    return series.values[:, 0] if series.values.shape[1] == 1 else series.values


def _train(args: argparse.Namespace) -> int:
    writable_path(args.out, "--out")
    series = _load_series(args)
    values = _values(series)
    if args.test_size:
        if args.test_size >= len(values):
            raise ValueError(f"--test-size must be smaller than the series ({len(values)} rows), got {args.test_size}")
        values = values[: -args.test_size]
    forecaster = train_forecaster(
        values,
        lookback=args.lookback,
        horizon=args.horizon,
        valid_fraction=args.valid_fraction,
        model=args.model,
        rnn_type=args.rnn_type,
        hidden_size=args.hidden_size,
        num_layers=args.num_layers,
        dropout=args.dropout,
        normalization=args.normalization,
        channel_independent=args.channel_independent,
        segment_length=args.segment_length,
        linear_skip=args.linear_skip,
        scaling=args.scaling,
        loss=args.loss,
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        weight_decay=args.weight_decay,
        patience=args.patience,
        seed=args.seed,
        device=args.device,
        progress=False if args.no_progress else None,
    )
    forecaster.save(args.out)
    history = forecaster.history
    print(
        f"trained {forecaster!r} on {len(values)} rows for {history.epochs} epochs "
        f"(best epoch {history.best_epoch}); saved to {args.out}"
    )
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    forecaster = Forecaster.load(args.model)
    scores = forecaster.evaluate(_values(_load_series(args)), test_size=args.test_size, season=args.season)
    print(json.dumps(scores, indent=2, sort_keys=True))
    return 0


def _predict(args: argparse.Namespace) -> int:
    if args.output:
        writable_path(args.output, "--output")
    forecaster = Forecaster.load(args.model)
    series = _load_series(args)
    forecast = forecaster.predict(series.values, steps=args.steps)
    handle = open(args.output, "w", newline="", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        writer = csv.writer(handle)
        writer.writerow(["step", *series.columns])
        for step, row in enumerate(forecast, start=1):
            writer.writerow([step, *(f"{v:.6g}" for v in row)])
    finally:
        if handle is not sys.stdout:
            handle.close()
    return 0


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``forecast`` command (with ``train``, ``evaluate``, ``predict``) to ``subparsers``.

    Each sub-command sets ``func``: call ``args.func(args)``, which returns the exit status.

    Args:
        subparsers: the object returned by ``ArgumentParser.add_subparsers()``.

    Returns:
        The ``forecast`` parser.
    """
    forecast = subparsers.add_parser(
        "forecast", help="train, evaluate and run time-series forecasters", description=__doc__.split("\n\n")[0]
    )
    commands = forecast.add_subparsers(dest="forecast_command", required=True)

    train = commands.add_parser("train", help="train a forecaster on a series and save it")
    _add_data_arguments(train)
    train.add_argument("--lookback", type=positive_int, required=True, help="past rows the model reads")
    train.add_argument("--horizon", type=positive_int, required=True, help="rows predicted per forward pass")
    train.add_argument("--test-size", type=int, default=0, help="last rows to leave out of training entirely")
    train.add_argument("--valid-fraction", type=float, default=0.2, help="share of rows for early stopping")
    train.add_argument("--model", choices=sorted(FORECASTER_MODELS), default="sequence")
    train.add_argument("--rnn-type", choices=("lstm", "gru"), default="lstm")
    train.add_argument("--hidden-size", type=positive_int, default=64)
    train.add_argument("--num-layers", type=positive_int, default=1)
    train.add_argument("--dropout", type=float, default=0.0)
    train.add_argument("--normalization", choices=InstanceNormalization.MODES, default="mean")
    train.add_argument("--channel-independent", action="store_true")
    train.add_argument("--segment-length", type=positive_int, default=None)
    train.add_argument(
        "--linear-skip",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="add a least-squares linear autoregression to the network's output (default: on)",
    )
    train.add_argument("--scaling", choices=("standard", "log", "none"), default="standard")
    train.add_argument("--loss", choices=sorted(LOSSES), default="mse")
    train.add_argument("--epochs", type=positive_int, default=100)
    train.add_argument("--batch-size", type=positive_int, default=32)
    train.add_argument("--lr", type=float, default=3e-3, help="Adam's learning rate")
    train.add_argument("--weight-decay", type=float, default=1e-4, help="Adam's L2 penalty (not on the linear skip)")
    train.add_argument("--patience", type=positive_int, default=20)
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--device", default=None, help="cpu, cuda, mps (default: automatic)")
    train.add_argument("--no-progress", action="store_true", help="hide the progress bar (shown in a terminal)")
    train.add_argument("--out", type=Path, required=True, help="where to save the trained forecaster")
    train.set_defaults(func=_train)

    evaluate = commands.add_parser("evaluate", help="score a saved forecaster on the last rows of a series")
    evaluate.add_argument("--model", type=Path, required=True, help="a file written by 'forecast train'")
    _add_data_arguments(evaluate)
    evaluate.add_argument("--test-size", type=positive_int, required=True, help="held-out rows at the end")
    evaluate.add_argument("--season", type=positive_int, default=1, help="season of the seasonal naive baseline")
    evaluate.set_defaults(func=_evaluate)

    predict = commands.add_parser("predict", help="forecast the rows after the end of a series (CSV output)")
    predict.add_argument("--model", type=Path, required=True, help="a file written by 'forecast train'")
    _add_data_arguments(predict)
    predict.add_argument("--steps", type=positive_int, default=None, help="rows to forecast (default: horizon)")
    predict.add_argument("--output", type=Path, default=None, help="CSV file to write (default: stdout)")
    predict.set_defaults(func=_predict)
    return forecast


def main(argv: list[str] | None = None) -> int:
    """Run ``forecast ...`` on its own: ``main(["forecast", "train", ...])``; returns the exit status."""
    parser = argparse.ArgumentParser(prog="rnn-guide")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return run_command(args)
