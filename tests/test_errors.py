"""Tests of rnn_guide.errors: the helpers that show the errors of wrong calls."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from rnn_guide.errors import raised, show_error


def test_raised_returns_the_exception() -> None:
    rnn = nn.RNN(input_size=20, hidden_size=4)
    error = raised(lambda: rnn(torch.zeros(5, 2, 30)))
    assert isinstance(error, RuntimeError)
    assert "Expected 20, got 30" in str(error)


def test_raised_fails_when_nothing_is_raised() -> None:
    with pytest.raises(AssertionError, match="to raise Exception, but it returned"):
        raised(lambda: 1)


def test_raised_lets_other_exception_types_through() -> None:
    with pytest.raises(KeyError):
        raised(lambda: {}["missing"], ValueError)


def test_show_error_prints_type_and_message(capsys: pytest.CaptureFixture[str]) -> None:
    error = show_error(lambda: nn.GRU(10, 20, proj_size=5), ValueError)
    assert isinstance(error, ValueError)
    assert capsys.readouterr().out == f"ValueError: {error}\n"


def test_show_error_fails_when_nothing_is_raised(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(AssertionError):
        show_error(lambda: None)
    assert capsys.readouterr().out == ""
