"""The command line's own commands (classify and forecast have their own test files)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support.bad_inputs import assert_one_line_error
from torch import nn

from rnn_guide.cli import main


def test_shapes_command_prints_the_real_shapes(capsys: pytest.CaptureFixture[str]) -> None:
    arguments = "shapes LSTM --input-size 10 --hidden-size 20 --num-layers 2 --bidirectional --proj-size 5"
    status = main([*arguments.split(), "--batch-first", "--seq-len", "7", "--batch-size", "3"])
    out = capsys.readouterr().out
    assert status == 0
    lstm = nn.LSTM(10, 20, num_layers=2, bidirectional=True, proj_size=5, batch_first=True)
    output, (h_n, c_n) = lstm(__import__("torch").zeros(3, 7, 10))
    for name, tensor in [("output", output), ("h_n", h_n), ("c_n", c_n), *lstm.named_parameters()]:
        assert name in out and str(tuple(tensor.shape)) in out, f"{name} {tuple(tensor.shape)} missing from:\n{out}"
    assert f"{sum(p.numel() for p in lstm.parameters()):,}" in out


def test_shapes_command_reports_illegal_settings(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["shapes", "GRU", "--input-size", "4", "--hidden-size", "8", "--proj-size", "2"])
    assert status == 2
    assert "proj_size" in capsys.readouterr().err


def test_bad_number_is_an_argparse_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["shapes", "RNN", "--input-size", "0", "--hidden-size", "8"])
    assert exit_info.value.code == 2
    assert "expected a positive integer, got 0" in capsys.readouterr().err


@pytest.mark.slow  # a fresh Python process
def test_python_dash_m_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rnn_guide", "shapes", "RNN", "--input-size", "3", "--hidden-size", "5"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "weight_ih_l0" in result.stdout and "(5, 3)" in result.stdout


# ----------------------------------------------------------------------------------------------------
# classify: a bad input prints one line "error: ...", status 2 (forecast: tests/test_timeseries_cli.py)
# ----------------------------------------------------------------------------------------------------

TRAIN = ["--epochs", "1", "--embedding-dim", "4", "--hidden-size", "4", "--min-freq", "1", "--no-progress"]
NOT_A_MODEL = "not an rnn-guide model"

# (command, arguments with {placeholders} for the files, what the one line must say)
BAD_INPUTS = {
    "train-missing-file": ("train", "--data {missing} --out {out}", "--data file {missing} does not exist"),
    "train-folder-as-file": ("train", "--data {folder} --out {out}", "is not a file"),
    "train-binary-file": ("train", "--data {binary} --out {out}", "is not UTF-8 text"),
    "train-empty-file": ("train", "--data {empty} --out {out}", "is empty"),
    "train-header-only": ("train", "--data {header_only} --out {out}", "no rows of data"),
    "train-wrong-column": ("train", "--data {reviews} --text-column body --out {out}", "has no column 'body'"),
    "train-unwritable-out": ("train", "--data {reviews} --out {a_file}/model.pt", "cannot be written"),
    "evaluate-missing-model": ("evaluate", "--model {missing} --data {reviews}", "does not exist"),
    "evaluate-random-bytes": ("evaluate", "--model {random_bytes} --data {reviews}", NOT_A_MODEL),
    "evaluate-other-torch-file": ("evaluate", "--model {state_dict} --data {reviews}", NOT_A_MODEL),
    "evaluate-forecaster-file": (
        "evaluate",
        "--model {forecaster} --data {reviews}",
        "is not a saved TextClassifier: it holds a checkpoint of SequenceForecaster",
    ),
    "evaluate-missing-data": ("evaluate", "--model {classifier} --data {missing}", "does not exist"),
    "evaluate-wrong-column": ("evaluate", "--model {classifier} --data {reviews} --label-column y", "no column 'y'"),
    "predict-missing-model": ("predict", "--model {missing} good", "does not exist"),
    "predict-random-bytes": ("predict", "--model {random_bytes} good", NOT_A_MODEL),
    "predict-other-torch-file": ("predict", "--model {state_dict} good", NOT_A_MODEL),
    "predict-forecaster-file": ("predict", "--model {forecaster} good", "is not a saved TextClassifier"),
    "predict-missing-input": ("predict", "--model {classifier} --input {missing}", "No such file or directory"),
    "predict-binary-input": ("predict", "--model {classifier} --input {binary}", "is not UTF-8 text"),
}


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, str]:
    from support.bad_inputs import broken_files

    reviews = tmp_path / "reviews.csv"
    reviews.write_text("text,label\ngood film,pos\nbad film,neg\ngood,pos\nbad,neg\n", encoding="utf-8")
    files = {name: str(path) for name, path in broken_files(tmp_path).items()}
    return files | {"reviews": str(reviews), "out": str(tmp_path / "out.pt")}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_a_bad_classify_input_prints_one_line_and_exits_2(
    case: str, bad_files: dict[str, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RNN_GUIDE_DEBUG", raising=False)
    command, arguments, says = BAD_INPUTS[case]
    argv = ["classify", command, *arguments.format(**bad_files).split()]
    status = main([*argv, *(TRAIN if command == "train" else [])])
    assert_one_line_error(status, capsys.readouterr().err, says.format(**bad_files))


def test_classify_debug_shows_the_error(bad_files: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    argv = ["classify", "predict", "--model", bad_files["random_bytes"], "good"]
    with pytest.raises(ValueError, match=NOT_A_MODEL):
        main([*argv, "--debug"])
    monkeypatch.setenv("RNN_GUIDE_DEBUG", "1")
    with pytest.raises(ValueError, match=NOT_A_MODEL):
        main(argv)


@pytest.mark.slow  # a fresh Python process
def test_not_a_model_from_the_shell_is_one_line(bad_files: dict[str, str]) -> None:
    from support.bad_inputs import run_module

    result = run_module("classify", "predict", "--model", bad_files["random_bytes"], "good")
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert NOT_A_MODEL in result.stderr and "Unsupported operand" not in result.stderr


def test_one_positive_int_for_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (
        ["shapes", "RNN", "--input-size", "x", "--hidden-size", "8"],
        ["forecast", "train", "--data", "s.csv", "--lookback", "0", "--horizon", "2", "--out", "m.pt"],
        ["classify", "train", "--data", "r.csv", "--epochs", "0", "--out", "m.pt"],
    ):
        with pytest.raises(SystemExit) as exit_info:
            main(argv)
        assert exit_info.value.code == 2
        assert "must be a positive integer" in capsys.readouterr().err
