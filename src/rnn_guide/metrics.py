r"""Point-forecast accuracy metrics: MAE, MSE, RMSE, MAPE, sMAPE and MASE.

All functions take ``y_true`` and ``y_pred`` of the same shape (any shape: ``(H,)``, ``(H, C)``,
``(N, H, C)``), as lists, NumPy arrays or tensors, and average over every element. With
:math:`e_i = y_i - \hat y_i`:

.. math::

    \text{MAE} = \tfrac1n \sum |e_i|,\quad
    \text{RMSE} = \sqrt{\tfrac1n \sum e_i^2},\quad
    \text{MAPE} = \tfrac{100}{n} \sum \left|\tfrac{e_i}{y_i}\right|,\quad
    \text{sMAPE} = \tfrac{200}{n} \sum \tfrac{|e_i|}{|y_i| + |\hat y_i|}

and MASE (Hyndman & Koehler, 2006) divides the MAE by the in-sample MAE of the seasonal naive forecast
on the training series: :math:`\text{MASE} = \text{MAE} / (\tfrac{1}{T-m}\sum_{t>m} |y_t - y_{t-m}|)`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from rnn_guide._validation import check_int, describe

__all__ = ["forecast_metrics", "mae", "mape", "mase", "mse", "rmse", "smape"]


def _array(name: str, value: Any) -> np.ndarray:
    if isinstance(value, torch.Tensor):
        value = value.detach().cpu().double().numpy()
    if isinstance(value, (str, bytes)) or value is None:
        raise TypeError(f"{name} must be an array of numbers, got {describe(value)}")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {describe(value)}") from None
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} must hold finite numbers only, got NaN or infinite values")
    return array


def _pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    true, pred = _array("y_true", y_true), _array("y_pred", y_pred)
    if true.shape != pred.shape:
        raise ValueError(f"y_true and y_pred must have the same shape, got {true.shape} and {pred.shape}")
    return true, pred


def mae(y_true: Any, y_pred: Any) -> float:
    """Mean absolute error.

    Args:
        y_true: observed values, any shape.
        y_pred: forecasts, the same shape.

    Returns:
        The MAE as a float.

    Raises:
        ValueError: if the shapes differ, an input is empty or not finite.
    """
    true, pred = _pair(y_true, y_pred)
    return float(np.mean(np.abs(true - pred)))


def mse(y_true: Any, y_pred: Any) -> float:
    """Mean squared error (arguments as in :func:`mae`)."""
    true, pred = _pair(y_true, y_pred)
    return float(np.mean((true - pred) ** 2))


def rmse(y_true: Any, y_pred: Any) -> float:
    """Root mean squared error, in the units of the series (arguments as in :func:`mae`)."""
    return float(np.sqrt(mse(y_true, y_pred)))


def mape(y_true: Any, y_pred: Any) -> float:
    """Mean absolute percentage error, in percent.

    Raises:
        ValueError: if some ``y_true`` is zero (the percentage is undefined; use :func:`smape` or
            :func:`mase`), or as in :func:`mae`.
    """
    true, pred = _pair(y_true, y_pred)
    if (true == 0).any():
        raise ValueError(
            f"y_true must not contain zeros for MAPE, got {int((true == 0).sum())} zero(s); use smape or mase"
        )
    return float(100.0 * np.mean(np.abs((true - pred) / true)))


def smape(y_true: Any, y_pred: Any) -> float:
    """Symmetric MAPE in percent, between 0 and 200; a pair of zeros counts as a perfect forecast."""
    true, pred = _pair(y_true, y_pred)
    denominator = np.abs(true) + np.abs(pred)
    ratio = np.divide(np.abs(true - pred), denominator, out=np.zeros_like(denominator), where=denominator > 0)
    return float(200.0 * np.mean(ratio))


def mase(y_true: Any, y_pred: Any, *, y_train: Any, season: int = 1) -> float:
    """Mean absolute scaled error against the in-sample seasonal naive forecast.

    Args:
        y_true: observed values of the forecast period, ``(H,)`` or ``(H, C)``.
        y_pred: forecasts, the same shape.
        y_train: the training series ``(T,)`` or ``(T, C)`` (same number of channels), used only for the scale.
        season: the seasonal period ``m`` (1 scales by the naive forecast).

    Returns:
        The MASE; below 1 means better than the in-sample seasonal naive forecast.

    Raises:
        ValueError: if ``y_train`` has at most ``season`` rows, is constant at lag ``season`` (scale 0),
            or the shapes do not fit.
    """
    season = check_int("season", season, minimum=1)
    true, pred = _pair(y_true, y_pred)
    train = _array("y_train", y_train)
    if train.ndim != true.ndim or train.shape[1:] != true.shape[1:]:
        raise ValueError(f"y_train must have the trailing shape of y_true {true.shape[1:]}, got shape {train.shape}")
    if len(train) <= season:
        raise ValueError(f"y_train must have more than season={season} rows, got {len(train)}")
    scale = float(np.mean(np.abs(train[season:] - train[:-season])))
    if scale == 0:
        raise ValueError(f"y_train is constant at lag {season}, so the MASE scale is zero; use mae instead")
    return float(np.mean(np.abs(true - pred)) / scale)


def forecast_metrics(y_true: Any, y_pred: Any, *, y_train: Any = None, season: int = 1) -> dict[str, float]:
    """All metrics at once: ``mae``, ``mse``, ``rmse``, ``smape``, plus ``mape`` when ``y_true`` has no zero
    and ``mase`` when ``y_train`` is given.

    Args:
        y_true: observed values, as in :func:`mae`.
        y_pred: forecasts, the same shape.
        y_train: the training series, as in :func:`mase` (optional).
        season: the seasonal period, as in :func:`mase`.

    Returns:
        A dict of metric name to value.
    """
    result = {
        "mae": mae(y_true, y_pred),
        "mse": mse(y_true, y_pred),
        "rmse": rmse(y_true, y_pred),
        "smape": smape(y_true, y_pred),
    }
    if not (_array("y_true", y_true) == 0).any():
        result["mape"] = mape(y_true, y_pred)
    if y_train is not None:
        result["mase"] = mase(y_true, y_pred, y_train=y_train, season=season)
    return result
