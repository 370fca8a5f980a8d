"""Chronological train/valid/test splits that own the rows they predict.

A split is three consecutive, non-overlapping row ranges. Windows of a part take their *targets* from
that part only; their inputs may reach back ``lookback`` rows into the previous part (the standard
protocol of Informer and DLinear). Scalers are fitted on ``split.train`` rows only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rnn_guide._validation import check_int, check_number
from rnn_guide.timeseries.windows import WindowDataset

__all__ = ["ETTH1_SPLIT", "ChronologicalSplit", "chronological_split", "window_datasets"]


@dataclass(frozen=True)
class ChronologicalSplit:
    """Row ranges of the training, validation and test parts of one series.

    Attributes:
        train: rows whose values train the model (and fit the scaler).
        valid: rows predicted for early stopping and model selection (may be empty).
        test: rows predicted for the final score (may be empty).
    """

    train: range
    valid: range
    test: range

    def __post_init__(self) -> None:
        for name in ("train", "valid", "test"):
            part = getattr(self, name)
            if not isinstance(part, range) or part.step != 1:
                raise TypeError(f"{name} must be a range with step 1, got {part!r}")
        if len(self.train) == 0:
            raise ValueError("train must contain at least one row, got an empty range")
        if self.train.start != 0:
            raise ValueError(f"train must start at row 0, got {self.train.start}")
        if len(self.valid) and self.valid.start != self.train.stop:
            raise ValueError(f"valid must start where train stops (row {self.train.stop}), got {self.valid.start}")
        previous = self.valid.stop if len(self.valid) else self.train.stop
        if len(self.test) and self.test.start != previous:
            raise ValueError(f"test must start where the previous part stops (row {previous}), got {self.test.start}")

    @property
    def n_rows(self) -> int:
        """Number of rows covered by the three parts."""
        return max(self.train.stop, self.valid.stop, self.test.stop)


ETTH1_SPLIT = ChronologicalSplit(train=range(0, 8640), valid=range(8640, 11520), test=range(11520, 14400))
"""The conventional ETTh1 split (12/4/4 months of hourly rows; Informer, Autoformer, DLinear, SegRNN)."""


def chronological_split(
    n_rows: int,
    *,
    valid_fraction: float = 0.0,
    test_fraction: float = 0.0,
    valid_size: int | None = None,
    test_size: int | None = None,
) -> ChronologicalSplit:
    """Split ``n_rows`` consecutive rows into train, valid and test parts, in this order.

    Sizes are given either as fractions of ``n_rows`` (rounded to the nearest row) or as row counts
    (``valid_size``/``test_size``, which take precedence).

    Args:
        n_rows: number of rows ``T`` of the series.
        valid_fraction: share of rows for validation, in ``[0, 1)``.
        test_fraction: share of rows for testing, in ``[0, 1)``.
        valid_size: number of validation rows.
        test_size: number of test rows.

    Returns:
        The :class:`ChronologicalSplit`.

    Raises:
        ValueError: if the parts leave no training rows.
    """
    n_rows = check_int("n_rows", n_rows, minimum=1)
    check_number("valid_fraction", valid_fraction, low=0.0, high=1.0, high_inclusive=False)
    check_number("test_fraction", test_fraction, low=0.0, high=1.0, high_inclusive=False)
    valid_size = check_int("valid_size", valid_size, minimum=0, allow_none=True)
    test_size = check_int("test_size", test_size, minimum=0, allow_none=True)
    n_valid = valid_size if valid_size is not None else round(n_rows * valid_fraction)
    n_test = test_size if test_size is not None else round(n_rows * test_fraction)
    n_train = n_rows - n_valid - n_test
    if n_train < 1:
        raise ValueError(
            f"the split leaves no training rows: {n_rows} rows, {n_valid} for validation and {n_test} for test"
        )
    return ChronologicalSplit(
        train=range(0, n_train),
        valid=range(n_train, n_train + n_valid),
        test=range(n_train + n_valid, n_rows),
    )


def window_datasets(
    series: Any,
    split: ChronologicalSplit,
    lookback: int,
    horizon: int,
    *,
    stride: int = 1,
    target_columns: int | list[int] | None = None,
) -> dict[str, WindowDataset]:
    """One :class:`WindowDataset` per non-empty part of ``split``, with targets inside that part only.

    Args:
        series: the (scaled) series, ``(T,)`` or ``(T, C)`` with ``T >= split.n_rows``.
        split: the row ranges.
        lookback: input rows per window, as in :func:`~rnn_guide.timeseries.window_starts`.
        horizon: target rows per window.
        stride: rows between training windows.
        target_columns: columns to predict (default: all).

    Returns:
        A dict with keys among ``"train"``, ``"valid"``, ``"test"``. Validation and test windows use
        stride 1 (every window is scored); ``stride`` applies to training windows.

    Raises:
        ValueError: if a non-empty part is too short to hold one window's targets.
    """
    if not isinstance(split, ChronologicalSplit):
        raise TypeError(f"split must be a ChronologicalSplit, got {type(split).__name__}")
    datasets = {}
    for name in ("train", "valid", "test"):
        part = getattr(split, name)
        if len(part) == 0:
            continue
        try:
            datasets[name] = WindowDataset(
                series,
                lookback,
                horizon,
                stride if name == "train" else 1,
                target_start=part.start,
                target_end=part.stop,
                target_columns=target_columns,
            )
        except ValueError as error:
            raise ValueError(f"the {name} part (rows {part.start}-{part.stop - 1}) holds no window: {error}") from None
    return datasets
