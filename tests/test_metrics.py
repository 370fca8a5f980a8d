"""Tests of rnn_guide.metrics against values worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from rnn_guide.metrics import forecast_metrics, mae, mape, mase, mse, rmse, smape

TRUE = [2.0, 4.0, 8.0]
PRED = [1.0, 5.0, 5.0]  # errors 1, -1, 3


def test_values_by_hand() -> None:
    assert mae(TRUE, PRED) == pytest.approx(5 / 3)
    assert mse(TRUE, PRED) == pytest.approx(11 / 3)
    assert rmse(TRUE, PRED) == pytest.approx(math.sqrt(11 / 3))
    assert mape(TRUE, PRED) == pytest.approx(100 * (1 / 2 + 1 / 4 + 3 / 8) / 3)
    assert smape(TRUE, PRED) == pytest.approx(200 * (1 / 3 + 1 / 9 + 3 / 13) / 3)
    # in-sample naive errors of [1, 2, 4, 7]: 1, 2, 3 -> scale 2
    assert mase(TRUE, PRED, y_train=[1.0, 2.0, 4.0, 7.0]) == pytest.approx((5 / 3) / 2)
    # season 2: |4-1|, |7-2| -> scale 4
    assert mase(TRUE, PRED, y_train=[1.0, 2.0, 4.0, 7.0], season=2) == pytest.approx((5 / 3) / 4)


def test_perfect_forecast_and_input_types() -> None:
    y = np.arange(1.0, 7.0).reshape(3, 2)
    assert mae(y, y) == 0 and rmse(torch.tensor(y), y) == 0 and smape(y, y) == 0
    assert smape([0.0, 1.0], [0.0, 1.0]) == 0  # 0/0 pairs count as perfect
    assert mae(torch.tensor(TRUE), torch.tensor(PRED)) == pytest.approx(5 / 3)


def test_forecast_metrics_collects_everything() -> None:
    result = forecast_metrics(TRUE, PRED, y_train=[1.0, 2.0, 4.0, 7.0])
    assert set(result) == {"mae", "mse", "rmse", "smape", "mape", "mase"}
    assert result["rmse"] == pytest.approx(rmse(TRUE, PRED))
    assert "mape" not in forecast_metrics([0.0, 1.0], [1.0, 1.0])


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: mae([1.0, 2.0], [1.0]), ValueError, r"same shape, got \(2,\) and \(1,\)"),
        (lambda: mae([], []), ValueError, "y_true must not be empty"),
        (lambda: rmse([1.0, np.nan], [1.0, 2.0]), ValueError, "y_true must hold finite numbers"),
        (lambda: mae("abc", [1.0]), TypeError, "y_true must be an array of numbers"),
        (lambda: mae([1.0], ["x"]), TypeError, "y_pred must be an array of numbers"),
        (lambda: mape([0.0, 1.0], [1.0, 1.0]), ValueError, r"must not contain zeros for MAPE, got 1 zero"),
        (lambda: mase([1.0], [1.0], y_train=[5.0, 5.0, 5.0]), ValueError, "constant at lag 1"),
        (lambda: mase([1.0], [1.0], y_train=[1.0, 2.0], season=2), ValueError, "more than season=2 rows"),
        (lambda: mase([1.0], [1.0], y_train=[1.0, 2.0], season=0), ValueError, "season must be a positive"),
        (
            lambda: mase(np.ones((2, 2)), np.ones((2, 2)), y_train=np.arange(6.0)),
            ValueError,
            "y_train must have the trailing shape",
        ),
    ],
)
def test_bad_input(call, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()
