"""Tests of the ``forecast`` command line (train, evaluate, predict) on a tiny CSV file."""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np
import pytest
import torch
from support.bad_inputs import assert_one_line_error

from rnn_guide import cli
from rnn_guide.cli_forecast import add_parser, main
from rnn_guide.forecaster import Forecaster

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
                *["--lookback", "2", "--horizon", "1", "--out", "m.pt", "--debug"],  # --debug: the error itself
            ]
        )


# ----------------------------------------------------------------------------------------------------
# Bad inputs: one line "error: ...", status 2; --debug or RNN_GUIDE_DEBUG=1 shows the traceback
# ----------------------------------------------------------------------------------------------------

TRAIN = ["--lookback", "4", "--horizon", "2", "--epochs", "1", "--hidden-size", "4", "--no-progress"]

NOT_A_MODEL = "not an rnn-guide model"

# (command, arguments with {placeholders} for the files, what the one line must say)
BAD_INPUTS = {
    "train-missing-file": ("train", "--data {missing} --out {out}", "missing.csv"),
    "train-folder-as-file": ("train", "--data {folder} --out {out}", "a-folder"),
    "train-binary-file": ("train", "--data {binary} --out {out}", "is not UTF-8 text"),
    "train-empty-file": ("train", "--data {empty} --out {out}", "must hold a header row and at least one data row"),
    "train-non-numeric-cell": ("train", "--data {non_numeric} --out {out}", "must be numeric, got 'abc'"),
    "train-wrong-column": ("train", "--data {csv} --column nope --out {out}", "name must be one of the columns"),
    "train-unwritable-out": ("train", "--data {csv} --out {a_file}/model.pt", "cannot be written"),
    "evaluate-missing-model": ("evaluate", "--model {missing} --data {csv} --test-size 4", "does not exist"),
    "evaluate-random-bytes": (
        "evaluate",
        "--model {random_bytes} --data {csv} --test-size 4",
        "not an rnn-guide model",
    ),
    "evaluate-other-torch-file": (
        "evaluate",
        "--model {state_dict} --data {csv} --test-size 4",
        "not an rnn-guide model",
    ),
    "evaluate-classifier-file": (
        "evaluate",
        "--model {classifier} --data {csv} --test-size 4",
        "is not a saved Forecaster: it holds a checkpoint of rnn_guide.TextClassifier",
    ),
    "evaluate-missing-data": ("evaluate", "--model {forecaster} --data {missing} --test-size 4", "missing.csv"),
    "evaluate-non-numeric-cell": (
        "evaluate",
        "--model {forecaster} --data {non_numeric} --test-size 4",
        "must be numeric, got 'abc'",
    ),
    "evaluate-wrong-column": (
        "evaluate",
        "--model {forecaster} --data {csv} --column nope --test-size 4",
        "name must be one of the columns",
    ),
    "predict-missing-model": ("predict", "--model {missing} --data {csv}", "does not exist"),
    "predict-random-bytes": ("predict", "--model {random_bytes} --data {csv}", "not an rnn-guide model"),
    "predict-other-torch-file": ("predict", "--model {state_dict} --data {csv}", "not an rnn-guide model"),
    "predict-classifier-file": ("predict", "--model {classifier} --data {csv}", "is not a saved Forecaster"),
    "predict-empty-file": ("predict", "--model {forecaster} --data {empty}", "must hold a header row"),
    "predict-unwritable-output": (
        "predict",
        "--model {forecaster} --data {csv} --column value --output {folder}",
        "is a folder",
    ),
}


@pytest.fixture
def bad_files(tmp_path: Path, csv_file: Path) -> dict[str, str]:
    from support.bad_inputs import broken_files

    files = {name: str(path) for name, path in broken_files(tmp_path).items()}
    non_numeric = tmp_path / "non-numeric.csv"
    non_numeric.write_text(csv_file.read_text(encoding="utf-8").replace("\nm3,", "\nm3,abc,", 1), encoding="utf-8")
    return files | {"csv": str(csv_file), "non_numeric": str(non_numeric), "out": str(tmp_path / "out.pt")}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_a_bad_input_prints_one_line_and_exits_2(
    case: str, bad_files: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RNN_GUIDE_DEBUG", raising=False)
    command, arguments, says = BAD_INPUTS[case]
    argv = ["forecast", command, *arguments.format(**bad_files).split()]
    status = cli.main([*argv, *(TRAIN if command == "train" else [])])
    assert_one_line_error(status, capsys.readouterr().err, says)


def test_debug_flag_and_environment_variable_show_the_error(
    bad_files: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    argv = ["forecast", "predict", "--model", bad_files["random_bytes"], "--data", bad_files["csv"]]
    with pytest.raises(ValueError, match="not an rnn-guide model") as raised:
        cli.main([*argv, "--debug"])
    assert raised.value.__cause__ is not None  # torch's own error is chained to it
    with pytest.raises(ValueError, match="not an rnn-guide model"):
        cli.main(["--debug", *argv])
    monkeypatch.setenv("RNN_GUIDE_DEBUG", "1")
    with pytest.raises(ValueError, match="not an rnn-guide model"):
        cli.main(argv)


@pytest.mark.slow  # a fresh Python process
def test_missing_file_from_the_shell_is_one_line(tmp_path: Path) -> None:
    from support.bad_inputs import run_module

    arguments = f"forecast train --data {tmp_path / 'missing.csv'} --lookback 3 --horizon 1 --out {tmp_path / 'm.pt'}"
    result = run_module(*arguments.split())
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_linear_skip_and_weight_decay_flags_reach_the_forecaster(csv_file: Path, tmp_path: Path) -> None:
    common = ["forecast", "train", "--data", str(csv_file), "--column", "value", "--lookback", "12", "--horizon", "6"]
    fast = ["--epochs", "2", "--hidden-size", "8", "--no-progress"]
    for flags, skip, decay in (([], True, 1e-4), (["--no-linear-skip", "--weight-decay", "0"], False, 0.0)):
        out = tmp_path / f"{skip}.pt"
        assert main([*common, *fast, *flags, "--out", str(out)]) == 0
        loaded = Forecaster.load(out)
        assert loaded.settings["linear_skip"] is skip and loaded.settings["weight_decay"] == decay
        assert (loaded.model.skip is not None) is skip
