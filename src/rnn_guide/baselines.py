"""Honest baselines that every learned forecaster must beat: naive, seasonal naive, drift and linear
autoregression on lags, fitted in closed form.

All forecasts take a ``history`` of shape ``(T,)`` or ``(T, C)`` and return ``(H,)`` or ``(H, C)``
(the shape of ``history``, with ``H = horizon`` rows), each channel forecast on its own.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from rnn_guide._validation import check_choice, check_int, check_number
from rnn_guide.timeseries.arrays import as_series_array

__all__ = ["LinearAutoregression", "drift", "naive", "seasonal_naive"]


def _shape_like(forecast: np.ndarray, was_1d: bool) -> np.ndarray:
    return forecast[:, 0] if was_1d else forecast


def naive(history: Any, horizon: int) -> np.ndarray:
    r"""Repeat the last observation: :math:`\hat y_{T+h} = y_T`.

    Args:
        history: observed series ``(T,)`` or ``(T, C)``.
        horizon: number of future steps ``H``.

    Returns:
        The forecast, ``(H,)`` or ``(H, C)``.
    """
    horizon = check_int("horizon", horizon, minimum=1)
    values, was_1d = as_series_array(history, name="history")
    return _shape_like(np.repeat(values[-1:], horizon, axis=0), was_1d)


def seasonal_naive(history: Any, horizon: int, season: int) -> np.ndarray:
    r"""Repeat the last observed season: :math:`\hat y_{T+h} = y_{T+h-m\lceil h/m \rceil}`.

    Args:
        history: observed series ``(T,)`` or ``(T, C)`` with ``T >= season``.
        horizon: number of future steps ``H``.
        season: the seasonal period ``m`` (12 for monthly data with a yearly cycle).

    Returns:
        The forecast, ``(H,)`` or ``(H, C)``.

    Raises:
        ValueError: if the history is shorter than one season.
    """
    horizon = check_int("horizon", horizon, minimum=1)
    season = check_int("season", season, minimum=1)
    values, was_1d = as_series_array(history, name="history", min_length=season)
    last_season = values[-season:]
    repeats = -(-horizon // season)
    return _shape_like(np.tile(last_season, (repeats, 1))[:horizon], was_1d)


def drift(history: Any, horizon: int) -> np.ndarray:
    r"""Extend the line through the first and last observation: :math:`\hat y_{T+h} = y_T + h\,\frac{y_T - y_1}{T-1}`.

    Args:
        history: observed series ``(T,)`` or ``(T, C)`` with ``T >= 2``.
        horizon: number of future steps ``H``.

    Returns:
        The forecast, ``(H,)`` or ``(H, C)``.
    """
    horizon = check_int("horizon", horizon, minimum=1)
    values, was_1d = as_series_array(history, name="history", min_length=2)
    slope = (values[-1] - values[0]) / (len(values) - 1)
    steps = np.arange(1, horizon + 1)[:, None]
    return _shape_like(values[-1] + steps * slope, was_1d)


class LinearAutoregression:
    r"""Linear autoregression on the last ``lags`` values, fitted by (ridge) least squares in closed form.

    With ``strategy="recursive"`` one model predicts the next value,
    :math:`\hat y_{t} = b + \sum_{k=1}^{p} w_k y_{t-k}`, and forecasts are rolled out step by step.
    With ``strategy="direct"`` one linear map predicts all ``horizon`` next values at once (the
    "Linear" model of Zeng et al., 2023); longer forecasts are rolled out in blocks of ``horizon``.

    Args:
        lags: number of past values ``p`` used as inputs.
        strategy: ``"recursive"`` or ``"direct"``.
        horizon: outputs of the direct model (required for ``"direct"``).
        ridge: L2 penalty :math:`\lambda \ge 0` on the weights (not on the intercept).
        per_channel: fit one model per channel; otherwise one model is shared by all channels
            (channel-independent, windows of all channels pooled).

    Attributes:
        coef_: weights ``(C_models, p, H_out)``, oldest lag first; ``C_models`` is ``C`` or 1.
        intercept_: intercepts ``(C_models, H_out)``.
    """

    def __init__(
        self,
        lags: int,
        *,
        strategy: str = "recursive",
        horizon: int | None = None,
        ridge: float = 0.0,
        per_channel: bool = True,
    ) -> None:
        lags = check_int("lags", lags, minimum=1)
        check_choice("strategy", strategy, ("recursive", "direct"))
        if strategy == "direct":
            horizon = check_int("horizon", horizon, minimum=1)
        elif horizon not in (None, 1):
            raise ValueError(f"horizon must be None or 1 for strategy='recursive', got {horizon!r}")
        self.lags = lags
        self.strategy = strategy
        self.outputs = horizon if strategy == "direct" else 1
        self.ridge = check_number("ridge", ridge, low=0.0)
        self.per_channel = bool(per_channel)
        self.n_channels: int | None = None

    def fit(self, series: Any) -> LinearAutoregression:
        """Fit on all complete windows of ``series`` ``(T,)`` or ``(T, C)``; needs ``T >= lags + outputs``.

        Returns:
            ``self``.

        Raises:
            ValueError: if the series is too short or has NaNs.
        """
        values, _ = as_series_array(series, min_length=self.lags + self.outputs)
        self.n_channels = values.shape[1]
        groups = [values[:, [c]] for c in range(values.shape[1])] if self.per_channel else [values]
        fitted = [self._solve(group) for group in groups]
        self.coef_ = np.stack([w for w, _ in fitted])
        self.intercept_ = np.stack([b for _, b in fitted])
        return self

    def _solve(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        p, h = self.lags, self.outputs
        features = p + 1
        gram = np.zeros((features, features))
        cross = np.zeros((features, h))
        for column in values.T:  # pool windows of every channel in the group
            windows = np.lib.stride_tricks.sliding_window_view(column, p + h)
            for start in range(0, len(windows), 8192):
                block = windows[start : start + 8192]
                design = np.concatenate([block[:, :p], np.ones((len(block), 1))], axis=1)
                gram += design.T @ design
                cross += design.T @ block[:, p:]
        gram[:p, :p] += self.ridge * np.eye(p)
        solution = np.linalg.lstsq(gram, cross, rcond=None)[0]
        return solution[:p], solution[p]

    def _step(self, window: np.ndarray) -> np.ndarray:
        """Next ``outputs`` values ``(outputs, C)`` from the last ``lags`` rows ``(lags, C)``."""
        coef = self.coef_ if self.per_channel else np.repeat(self.coef_, window.shape[1], axis=0)
        intercept = self.intercept_ if self.per_channel else np.repeat(self.intercept_, window.shape[1], axis=0)
        return (np.einsum("pc,cph->hc", window, coef) + intercept.T).reshape(self.outputs, -1)

    def predict(self, history: Any, steps: int | None = None) -> np.ndarray:
        """Forecast ``steps`` values after ``history``.

        Args:
            history: ``(T,)`` or ``(T, C)`` with ``T >= lags`` and the ``C`` channels seen in ``fit``.
            steps: number of future steps (default: ``horizon`` for the direct model, 1 otherwise).

        Returns:
            The forecast, ``(steps,)`` or ``(steps, C)``.

        Raises:
            RuntimeError: if called before ``fit``.
            ValueError: if the history is too short or has the wrong number of channels.
        """
        if self.n_channels is None:
            raise RuntimeError("LinearAutoregression must be fitted before predict; call fit(series) first")
        steps = self.outputs if steps is None else steps
        steps = check_int("steps", steps, minimum=1)
        values, was_1d = as_series_array(history, name="history", min_length=self.lags)
        if values.shape[1] != self.n_channels:
            raise ValueError(f"history must have {self.n_channels} channel(s), got {values.shape[1]}")
        window = values[-self.lags :].copy()
        produced: list[np.ndarray] = []
        total = 0
        while total < steps:
            block = self._step(window)
            produced.append(block)
            total += len(block)
            window = np.concatenate([window, block])[-self.lags :]
        return _shape_like(np.concatenate(produced)[:steps], was_1d)
