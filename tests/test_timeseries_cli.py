"""Tests of the ``forecast`` command line (train, evaluate, predict) on a tiny CSV file."""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np
import pytest
import torch

from rnn_guide.cli_forecast import add_parser, main

torch.set_num_threads(1)


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    t = np.arange(72)
    values = 100 + t + 10 * np.sin(2 * np.pi * t / 12)
    path = tmp_path / "series.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["month", "value", "other"])
        for i, v in enumerate(values):
            writer.writerow([f"m{i}", f"{v:.3f}", f"{2 * v:.3f}"])
    return path


def test_train_evaluate_predict(csv_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    model = tmp_path / "model.pt"
    common = ["--data", str(csv_file), "--column", "value"]
    status = main(
        [
            *["forecast", "train", *common, "--test-size", "12", "--lookback", "12", "--horizon", "6"],
            *["--epochs", "3", "--hidden-size", "8", "--scaling", "log", "--out", str(model)],
        ]
    )
    assert status == 0 and model.is_file()
    assert "on 60 rows for 3 epochs" in capsys.readouterr().out

    assert main(["forecast", "evaluate", "--model", str(model), *common, "--test-size", "12", "--season", "12"]) == 0
    scores = json.loads(capsys.readouterr().out)
    assert set(scores) == {"forecaster", "seasonal_naive"} and scores["forecaster"]["rmse"] > 0

    output = tmp_path / "forecast.csv"
    assert main(["forecast", "predict", "--model", str(model), *common, "--steps", "8", "--output", str(output)]) == 0
    rows = list(csv.reader(output.open(encoding="utf-8")))
    assert rows[0] == ["step", "value"] and len(rows) == 9 and float(rows[1][1]) > 0

    assert main(["forecast", "predict", "--model", str(model), *common]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1 + 6  # header + horizon rows


def test_add_parser_registers_the_three_commands() -> None:
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["forecast", "evaluate", "--model", "m.pt", "--dataset", "etth1", "--test-size", "5"])
    assert args.forecast_command == "evaluate" and callable(args.func) and args.dataset == "etth1"


def test_bad_arguments_exit_with_a_message(csv_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["forecast", "train", "--data", str(csv_file), "--lookback", "0", "--horizon", "2", "--out", "m.pt"])
    assert "must be a positive integer" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["forecast", "predict", "--model", "m.pt"])  # no data source
    with pytest.raises(ValueError, match="name must be one of the columns"):
        main(
            [
                *["forecast", "train", "--data", str(csv_file), "--column", "nope"],
                *["--lookback", "2", "--horizon", "1", "--out", "m.pt"],
            ]
        )
