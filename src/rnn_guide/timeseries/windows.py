"""Sliding windows over a series: ``lookback`` input rows followed by ``horizon`` target rows.

A window is identified by ``t``, the row of its first target. Its inputs are rows ``[t - lookback, t)``
and its targets rows ``[t, t + horizon)``. Restricting ``t`` so that the targets lie inside
``[target_start, target_end)`` while the inputs may reach back before ``target_start`` is exactly the
"borders" rule of the standard long-horizon protocol (Informer, DLinear): a split owns the rows it
predicts, not the rows it reads. Windows of the training split therefore never predict a validation or
test row, which is what prevents look-ahead leakage.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch.utils.data import Dataset

from rnn_guide._validation import check_int
from rnn_guide.timeseries.arrays import as_series_array, check_lookback_horizon

__all__ = ["WindowDataset", "sliding_windows", "window_starts"]


def window_starts(
    n_rows: int,
    lookback: int,
    horizon: int,
    stride: int = 1,
    *,
    target_start: int = 0,
    target_end: int | None = None,
) -> np.ndarray:
    """First target rows ``t`` of all complete windows with targets in ``[target_start, target_end)``.

    Args:
        n_rows: number of rows ``T`` of the series.
        lookback: input rows per window, ``L``.
        horizon: target rows per window, ``H``.
        stride: distance in rows between consecutive windows.
        target_start: first row that a target may occupy.
        target_end: one past the last row that a target may occupy (default ``n_rows``).

    Returns:
        An int64 array of window positions ``t``, increasing; inputs are rows ``[t - L, t)``, targets
        ``[t, t + H)``, with ``max(target_start, L) <= t`` and ``t + H <= target_end``.

    Raises:
        ValueError: if an argument is out of range or no complete window fits.
    """
    n_rows = check_int("n_rows", n_rows, minimum=0)
    check_lookback_horizon(lookback, horizon)
    stride = check_int("stride", stride, minimum=1)
    target_start = check_int("target_start", target_start, minimum=0)
    if target_end is None:
        target_end = n_rows
    target_end = check_int("target_end", target_end, minimum=0)
    if target_end > n_rows:
        raise ValueError(f"target_end must be at most the number of rows {n_rows}, got {target_end}")
    first = max(target_start, lookback)
    last = target_end - horizon
    if last < first:
        raise ValueError(
            f"no complete window fits: a window needs lookback + horizon = {lookback + horizon} rows "
            f"with its targets inside rows [{target_start}, {target_end}) of a series of {n_rows} rows "
            f"(inputs may start at row {max(0, target_start - lookback)}); use a longer series or a "
            "shorter lookback/horizon"
        )
    return np.arange(first, last + 1, stride, dtype=np.int64)


def _target_columns(columns: Any, n_channels: int) -> list[int] | None:
    if columns is None:
        return None
    if isinstance(columns, int) and not isinstance(columns, bool):
        columns = [columns]
    columns = list(columns)
    for column in columns:
        check_int("target_columns entry", column, minimum=0)
        if column >= n_channels:
            raise ValueError(f"target_columns entries must be below the number of channels {n_channels}, got {column}")
    if not columns:
        raise ValueError("target_columns must name at least one column, got an empty list")
    return columns


def sliding_windows(
    series: Any,
    lookback: int,
    horizon: int,
    stride: int = 1,
    *,
    target_start: int = 0,
    target_end: int | None = None,
    target_columns: int | list[int] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Cut a series into stacked ``(inputs, targets)`` windows.

    Args:
        series: a 1-D series ``(T,)`` or 2-D series ``(T, C)``.
        lookback: input rows per window, as in :func:`window_starts`.
        horizon: target rows per window.
        stride: rows between the starts of consecutive windows.
        target_start: first row a target may lie in.
        target_end: end (exclusive) of the rows a target may lie in.
        target_columns: columns to predict (default: all ``C``).

    Returns:
        ``inputs`` of shape ``(N, L, C)`` and ``targets`` of shape ``(N, H, C_out)`` as float64 NumPy
        arrays, ``N`` the number of windows, ``C_out`` the number of target columns.

    Raises:
        ValueError: if the series is too short for one window, or has NaNs or the wrong shape.
        TypeError: if the series is not numeric.
    """
    values, _ = as_series_array(series)
    starts = window_starts(len(values), lookback, horizon, stride, target_start=target_start, target_end=target_end)
    columns = _target_columns(target_columns, values.shape[1])
    inputs = values[starts[:, None] + np.arange(-lookback, 0)]
    targets = values[starts[:, None] + np.arange(horizon)]
    if columns is not None:
        targets = targets[:, :, columns]
    return inputs, targets


class WindowDataset(Dataset):
    r"""A lazily sliced ``torch`` data set of ``(inputs, targets)`` windows over one series.

    Items are views into one float32 tensor, so long lookbacks cost no extra memory until batched.

    Args:
        series: a 1-D series ``(T,)`` or 2-D series ``(T, C)`` (already scaled, if you scale).
        lookback: input rows per window, as in :func:`window_starts`.
        horizon: target rows per window.
        stride: rows between the starts of consecutive windows.
        target_start: first row a target may lie in.
        target_end: end (exclusive) of the rows a target may lie in.
        target_columns: columns to predict (default: all ``C``).

    Shape:
        - item ``inputs``: :math:`(L, C)`
        - item ``targets``: :math:`(H, C_{out})`

    Attributes:
        starts: int64 array ``(N,)`` with the first target row of every window.
    """

    def __init__(
        self,
        series: Any,
        lookback: int,
        horizon: int,
        stride: int = 1,
        *,
        target_start: int = 0,
        target_end: int | None = None,
        target_columns: int | list[int] | None = None,
    ) -> None:
        values, _ = as_series_array(series)
        self.starts = window_starts(
            len(values), lookback, horizon, stride, target_start=target_start, target_end=target_end
        )
        self.lookback = lookback
        self.horizon = horizon
        self.values = torch.as_tensor(values, dtype=torch.float32)
        self.target_columns = _target_columns(target_columns, values.shape[1])

    def __len__(self) -> int:
        return len(self.starts)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        t = int(self.starts[index])
        inputs = self.values[t - self.lookback : t]
        targets = self.values[t : t + self.horizon]
        if self.target_columns is not None:
            targets = targets[:, self.target_columns]
        return inputs, targets

    def target_rows(self, index: int) -> range:
        """The rows of the series that the targets of window ``index`` occupy."""
        t = int(self.starts[index])
        return range(t, t + self.horizon)
