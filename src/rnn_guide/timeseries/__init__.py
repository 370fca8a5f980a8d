"""Time-series data handling: checked arrays, sliding windows, chronological splits, scalers, loaders.

The pieces fit together so that nothing from the future leaks into training::

    series = load_etth1().values                       # (T, C)
    scaler = StandardScaler().fit(series[ETTH1_SPLIT.train])  # statistics of training rows only
    parts = window_datasets(scaler.transform(series), ETTH1_SPLIT, lookback=720, horizon=96)
    # parts["train"] windows predict training rows only; inputs of parts["test"] may read
    # the 720 rows before the test border, as in the standard protocol.
"""

from __future__ import annotations

from rnn_guide.timeseries.arrays import as_series_array, interpolate_missing
from rnn_guide.timeseries.datasets import (
    DATASETS,
    TimeSeries,
    data_file,
    load_air_passengers,
    load_csv_series,
    load_etth1,
    load_sunspots,
)
from rnn_guide.timeseries.scaling import (
    IdentityScaler,
    LogScaler,
    Scaler,
    StandardScaler,
    make_scaler,
    scaler_from_state,
)
from rnn_guide.timeseries.splits import ETTH1_SPLIT, ChronologicalSplit, chronological_split, window_datasets
from rnn_guide.timeseries.windows import WindowDataset, sliding_windows, window_starts

__all__ = [
    "DATASETS",
    "ETTH1_SPLIT",
    "ChronologicalSplit",
    "IdentityScaler",
    "LogScaler",
    "Scaler",
    "StandardScaler",
    "TimeSeries",
    "WindowDataset",
    "as_series_array",
    "chronological_split",
    "data_file",
    "interpolate_missing",
    "load_air_passengers",
    "load_csv_series",
    "load_etth1",
    "load_sunspots",
    "make_scaler",
    "scaler_from_state",
    "sliding_windows",
    "window_datasets",
    "window_starts",
]
