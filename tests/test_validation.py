"""Argument checks accept Python and NumPy numbers alike, refuse booleans, and name what they got."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from rnn_guide._validation import check_int, check_number, check_path


@pytest.mark.parametrize("value", [3, np.int64(3), np.int32(3), np.uint8(3)])
def test_check_int_accepts_integers_of_any_kind(value: object) -> None:
    checked = check_int("epochs", value, minimum=1)
    assert checked == 3 and type(checked) is int


@pytest.mark.parametrize("value", [True, np.bool_(True), 3.0, np.float64(3.0), "3", None])
def test_check_int_refuses_booleans_floats_and_strings(value: object) -> None:
    with pytest.raises(TypeError, match="epochs must be an integer, got"):
        check_int("epochs", value, minimum=1)


def test_check_int_range_and_none() -> None:
    with pytest.raises(ValueError, match="epochs must be a positive integer, got 0"):
        check_int("epochs", np.int64(0), minimum=1)
    assert check_int("patience", None, allow_none=True) is None


@pytest.mark.parametrize("value", [0.5, np.float32(0.5), np.float64(0.5), Fraction(1, 2), np.int64(0)])
def test_check_number_accepts_reals_of_any_kind(value: object) -> None:
    checked = check_number("lr", value, low=0.0, high=1.0)
    assert checked == float(value) and type(checked) is float


@pytest.mark.parametrize("value", [False, np.bool_(False), "0.5", 1j, None])
def test_check_number_refuses_booleans_strings_and_complex(value: object) -> None:
    with pytest.raises(TypeError, match="lr must be a number, got"):
        check_number("lr", value)


def test_check_number_range_and_finiteness() -> None:
    with pytest.raises(ValueError, match=r"lr must lie in \(0.0, inf\], got 0.0"):
        check_number("lr", np.float32(0.0), low=0.0, low_inclusive=False)
    with pytest.raises(ValueError, match="must be a finite number"):
        check_number("lr", np.float64("nan"))


def test_check_path() -> None:
    assert check_path("out", "a/b.pt") == Path("a/b.pt")
    with pytest.raises(TypeError, match="out must be a file path, got 3"):
        check_path("out", 3)
