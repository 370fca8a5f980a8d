"""The command line's own commands (classify and forecast have their own test files)."""

from __future__ import annotations

import subprocess
import sys

import pytest
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


def test_python_dash_m_entry_point() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rnn_guide", "shapes", "RNN", "--input-size", "3", "--hidden-size", "5"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "weight_ih_l0" in result.stdout and "(5, 3)" in result.stdout
