"""Tests of rnn_guide.errors: the helpers that show the errors of wrong calls."""

from __future__ import annotations

import warnings

import pytest
import torch
from torch import nn

from rnn_guide.errors import raised, show_error, show_warnings, tidy_message


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


def test_tidy_message_removes_colour_codes_and_addresses() -> None:
    text = "Weights only load failed. \x1b[1mdo those steps\x1b[0m for <object at 0x7f3a2c1d9e80>"
    assert tidy_message(text) == "Weights only load failed. do those steps for <object at 0x…>"


def test_tidy_message_shortens_paths_but_keeps_urls() -> None:
    text = (
        "function `pack_padded_sequence` in file `/home/me/.venv/lib/python3.11/site-packages/torch/nn/utils/rnn.py`"
        " (MOD_SKIPLIST (/opt/py/lib/python3.11/dist-packages/torch/nn))\n"
        '   File "/tmp/rnn-guide-alone-x1/work/snippets/errors/deployment.py", line 8, in forward\n'
        "see https://pytorch.org/docs/stable/generated/torch.load.html and 1D CPU int64 tensor"
    )
    assert tidy_message(text) == (
        "function `pack_padded_sequence` in file `…/site-packages/torch/nn/utils/rnn.py`"
        " (MOD_SKIPLIST (…/dist-packages/torch/nn))\n"
        '   File "deployment.py", line 8, in forward\n'
        "see https://pytorch.org/docs/stable/generated/torch.load.html and 1D CPU int64 tensor"
    )


def test_tidy_message_leaves_ordinary_messages_alone() -> None:
    text = "Expected hidden[0] size (1, 3, 8), got [1, 5, 8]"
    assert tidy_message(text) == text


def test_show_error_prints_the_tidied_message(capsys: pytest.CaptureFixture[str]) -> None:
    def fail() -> None:
        raise RuntimeError("\x1b[96mstep 1/3\x1b[0m failed in /home/me/model.py")

    show_error(fail, RuntimeError)
    assert capsys.readouterr().out == "RuntimeError: step 1/3 failed in model.py\n"


def test_show_warnings_prints_each_warning_and_returns_the_result(capsys: pytest.CaptureFixture[str]) -> None:
    layer = show_warnings(lambda: nn.GRU(4, 8, dropout=0.5))
    assert isinstance(layer, nn.GRU)
    out = capsys.readouterr().out
    assert out.startswith("UserWarning: dropout option adds dropout after all but last recurrent layer")
    assert out.count("\n") == 1


def test_show_warnings_fails_without_a_warning() -> None:
    with pytest.raises(AssertionError, match="to warn with UserWarning"):
        show_warnings(lambda: nn.GRU(4, 8, num_layers=2, dropout=0.5))


def test_show_warnings_passes_other_categories_on() -> None:
    def both() -> int:
        warnings.warn("kept", DeprecationWarning, stacklevel=1)
        warnings.warn("shown", UserWarning, stacklevel=1)
        return 3

    with pytest.warns(DeprecationWarning, match="kept"):
        assert show_warnings(both) == 3
