"""Turning user input into a checked ``(T, C)`` float array, and filling gaps on request.

Every public function of the forecasting API accepts a series as a list, a NumPy array, a
``torch.Tensor`` or a pandas ``DataFrame``/``Series`` (anything with ``.to_numpy()``). This module is
the single place that checks such input: dimensionality, numeric type, length, NaNs and infinities.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from rnn_guide._validation import check_choice, check_int, describe

__all__ = ["as_series_array", "interpolate_missing"]


def _non_numeric_columns(series: Any) -> list[str]:
    """Names of non-numeric columns of a DataFrame-like object (empty if it has no ``dtypes``)."""
    dtypes = getattr(series, "dtypes", None)
    if dtypes is None or not hasattr(dtypes, "items"):
        return []
    bad = []
    for column, dtype in dtypes.items():
        kind = getattr(dtype, "kind", "O")
        if kind not in "biuf":
            bad.append(f"{column!r} ({dtype})")
    return bad


def _to_numpy(name: str, series: Any) -> np.ndarray:
    if isinstance(series, torch.Tensor):
        if series.is_complex() or series.dtype == torch.bool:
            raise TypeError(f"{name} must hold real numbers, got {describe(series)}")
        return series.detach().cpu().to(torch.float64).numpy()
    if isinstance(series, (str, bytes, dict)) or series is None or np.isscalar(series):
        raise TypeError(
            f"{name} must be a 1-D or 2-D array, tensor, list or DataFrame of numbers, got {describe(series)}"
        )
    if hasattr(series, "to_numpy") and not isinstance(series, np.ndarray):
        bad = _non_numeric_columns(series)
        if bad:
            raise TypeError(
                f"{name} must have only numeric columns, got non-numeric column(s) {', '.join(bad)}; "
                "drop them (for example the date column) before passing the frame"
            )
        series = series.to_numpy()
    array = np.asarray(series)
    if array.dtype == object or array.dtype.kind not in "biuf":
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError):
            raise TypeError(
                f"{name} must hold real numbers, got an array of dtype {array.dtype}; "
                "convert or drop non-numeric columns first"
            ) from None
    if array.dtype.kind == "b":
        raise TypeError(f"{name} must hold real numbers, got an array of dtype bool")
    return array.astype(np.float64)


def as_series_array(
    series: Any,
    *,
    name: str = "series",
    min_length: int = 1,
    allow_nan: bool = False,
) -> tuple[np.ndarray, bool]:
    """Check a time series and return it as a ``(T, C)`` float64 array.

    Args:
        series: a 1-D series of length ``T`` or a 2-D series of shape ``(T, C)`` (rows are time steps,
            columns are channels), as a list, NumPy array, ``torch.Tensor`` or anything with ``.to_numpy()``
            (pandas ``DataFrame``/``Series``).
        name: the argument name used in error messages.
        min_length: the least number of rows ``T`` accepted.
        allow_nan: if ``False`` (default) a NaN anywhere raises ``ValueError``.

    Returns:
        ``(values, was_1d)``: ``values`` of shape ``(T, C)`` (``C = 1`` for a 1-D input) and whether the input
        was 1-D, so that results can be returned in the caller's shape.

    Raises:
        TypeError: if ``series`` is not array-like or holds non-numeric values or columns.
        ValueError: if it is not 1-D or 2-D, has fewer than ``min_length`` rows or no columns, or holds
            NaN (unless ``allow_nan``) or infinite values.
    """
    array = _to_numpy(name, series)
    if array.ndim not in (1, 2):
        raise ValueError(f"{name} must be 1-D (T,) or 2-D (T, C), got a {array.ndim}-D array of shape {array.shape}")
    was_1d = array.ndim == 1
    if was_1d:
        array = array[:, None]
    if array.shape[1] == 0:
        raise ValueError(f"{name} must have at least one column, got shape {array.shape}")
    if array.shape[0] < min_length:
        raise ValueError(f"{name} must have at least {min_length} time steps, got {array.shape[0]}")
    nan = np.isnan(array)
    if nan.any() and not allow_nan:
        rows = np.flatnonzero(nan.any(axis=1))
        shown = ", ".join(str(r) for r in rows[:5]) + (", ..." if len(rows) > 5 else "")
        raise ValueError(
            f"{name} contains {int(nan.sum())} NaN value(s) (rows {shown}); fill them first, for example "
            "with rnn_guide.timeseries.interpolate_missing(series)"
        )
    if np.isinf(array).any():
        raise ValueError(f"{name} contains infinite values")
    return array, was_1d


def interpolate_missing(series: Any, *, method: str = "linear") -> np.ndarray:
    """Fill NaNs in each column by interpolation in time.

    Interior gaps are filled linearly between the neighbouring observed values (``method="linear"``) or
    with the last observed value (``method="previous"``); leading NaNs take the first observed value and
    trailing NaNs the last one. Only values inside the series are used, so filling never looks further
    ahead than the next observation.

    Args:
        series: a 1-D series ``(T,)`` or 2-D series ``(T, C)``.
        method: ``"linear"`` or ``"previous"``.

    Returns:
        A float64 array with the shape of ``series`` and no NaNs.

    Raises:
        ValueError: if a column is entirely NaN, or ``method`` is unknown.
    """
    check_choice("method", method, ("linear", "previous"))
    values, was_1d = as_series_array(series, allow_nan=True)
    filled = values.copy()
    positions = np.arange(len(values))
    for column in range(values.shape[1]):
        observed = ~np.isnan(values[:, column])
        if not observed.any():
            raise ValueError(f"series column {column} is entirely NaN; nothing to interpolate from")
        known_x, known_y = positions[observed], values[observed, column]
        if method == "linear":
            filled[:, column] = np.interp(positions, known_x, known_y)
        else:
            last = np.maximum.accumulate(np.where(observed, positions, -1))
            first = known_x[0]
            filled[:, column] = values[np.where(last < 0, first, last), column]
    return filled[:, 0] if was_1d else filled


def check_lookback_horizon(lookback: Any, horizon: Any) -> None:
    """Raise unless ``lookback`` and ``horizon`` are positive integers."""
    lookback = check_int("lookback", lookback, minimum=1)
    horizon = check_int("horizon", horizon, minimum=1)
