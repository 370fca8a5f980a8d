"""Tests of rnn_guide.timeseries: checked arrays, windows, splits, scalers and loaders."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from rnn_guide.downloads import ChecksumError
from rnn_guide.timeseries import (
    ETTH1_SPLIT,
    ChronologicalSplit,
    IdentityScaler,
    LogScaler,
    StandardScaler,
    WindowDataset,
    as_series_array,
    chronological_split,
    data_file,
    interpolate_missing,
    load_air_passengers,
    load_csv_series,
    load_etth1,
    load_sunspots,
    make_scaler,
    scaler_from_state,
    sliding_windows,
    window_datasets,
    window_starts,
)

# ---------------------------------------------------------------- as_series_array / interpolate_missing


def test_as_series_array_accepts_lists_arrays_and_tensors() -> None:
    from_list, was_1d = as_series_array([1, 2, 3])
    assert was_1d and from_list.shape == (3, 1) and from_list.dtype == np.float64
    from_tensor, was_1d = as_series_array(torch.arange(6.0).reshape(3, 2))
    assert not was_1d and from_tensor.shape == (3, 2)
    np.testing.assert_array_equal(from_tensor[:, 1], [1.0, 3.0, 5.0])


def test_as_series_array_accepts_a_duck_typed_frame() -> None:
    class Frame:
        dtypes: ClassVar[dict[str, np.dtype]] = {"a": np.dtype("float64"), "b": np.dtype("int64")}

        def to_numpy(self) -> np.ndarray:
            return np.array([[1.0, 2], [3.0, 4]])

    values, was_1d = as_series_array(Frame())
    assert values.shape == (2, 2) and not was_1d


def test_as_series_array_names_non_numeric_columns() -> None:
    class Frame:
        dtypes: ClassVar[dict[str, np.dtype]] = {"date": np.dtype("O"), "value": np.dtype("float64")}

        def to_numpy(self) -> np.ndarray:
            return np.array([["1949-01", 1.0]], dtype=object)

    with pytest.raises(TypeError, match=r"non-numeric column\(s\) 'date'"):
        as_series_array(Frame())


@pytest.mark.parametrize(
    ("bad", "error", "match"),
    [
        (np.zeros((2, 2, 2)), ValueError, r"1-D \(T,\) or 2-D \(T, C\), got a 3-D"),
        (np.float64(3.0), TypeError, "must be a 1-D or 2-D"),
        ("abc", TypeError, "must be a 1-D or 2-D"),
        (np.array(["a", "b"]), TypeError, "real numbers"),
        ([[1.0, "x"]], TypeError, "real numbers"),
        (np.array([True, False]), TypeError, "real numbers"),
        (np.zeros((3, 0)), ValueError, "at least one column"),
        ([1.0, np.nan, 3.0], ValueError, r"1 NaN value\(s\) \(rows 1\).*interpolate_missing"),
        ([1.0, np.inf], ValueError, "infinite"),
    ],
)
def test_as_series_array_rejects_bad_input(bad: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        as_series_array(bad)


def test_as_series_array_checks_min_length() -> None:
    with pytest.raises(ValueError, match="at least 5 time steps, got 3"):
        as_series_array([1, 2, 3], min_length=5)


def test_interpolate_missing_linear_and_previous() -> None:
    series = np.array([[np.nan, 1.0], [2.0, np.nan], [np.nan, 3.0], [6.0, np.nan]])
    linear = interpolate_missing(series)
    np.testing.assert_allclose(linear, [[2.0, 1.0], [2.0, 2.0], [4.0, 3.0], [6.0, 3.0]])
    previous = interpolate_missing(series, method="previous")
    np.testing.assert_allclose(previous, [[2.0, 1.0], [2.0, 1.0], [2.0, 3.0], [6.0, 3.0]])
    assert interpolate_missing([1.0, np.nan, 3.0]).shape == (3,)


def test_interpolate_missing_rejects_all_nan_column_and_unknown_method() -> None:
    with pytest.raises(ValueError, match="entirely NaN"):
        interpolate_missing(np.array([[1.0, np.nan], [2.0, np.nan]]))
    with pytest.raises(ValueError, match="method must be one of"):
        interpolate_missing([1.0, 2.0], method="cubic")


# ---------------------------------------------------------------- windows


def test_window_starts_small_example() -> None:
    # 10 rows, inputs of 3 rows, targets of 2 rows: t runs from 3 to 8.
    np.testing.assert_array_equal(window_starts(10, 3, 2), [3, 4, 5, 6, 7, 8])
    np.testing.assert_array_equal(window_starts(10, 3, 2, 2), [3, 5, 7])
    np.testing.assert_array_equal(window_starts(10, 3, 2, target_start=6), [6, 7, 8])
    np.testing.assert_array_equal(window_starts(10, 3, 2, target_end=7), [3, 4, 5])


def test_sliding_windows_values_univariate_and_multivariate() -> None:
    series = np.arange(8.0)
    inputs, targets = sliding_windows(series, 3, 2)
    assert inputs.shape == (4, 3, 1) and targets.shape == (4, 2, 1)
    np.testing.assert_array_equal(inputs[0, :, 0], [0, 1, 2])
    np.testing.assert_array_equal(targets[0, :, 0], [3, 4])
    np.testing.assert_array_equal(targets[-1, :, 0], [6, 7])
    multi = np.stack([np.arange(8.0), 10 * np.arange(8.0)], axis=1)
    inputs, targets = sliding_windows(multi, 2, 1, target_columns=[1])
    assert inputs.shape == (6, 2, 2) and targets.shape == (6, 1, 1)
    np.testing.assert_array_equal(targets[:, 0, 0], 10 * np.arange(2.0, 8.0))


def test_window_dataset_matches_sliding_windows() -> None:
    series = np.random.default_rng(0).normal(size=(30, 3))
    dataset = WindowDataset(series, 5, 4, 3, target_start=10, target_end=25, target_columns=2)
    inputs, targets = sliding_windows(series, 5, 4, 3, target_start=10, target_end=25, target_columns=2)
    assert len(dataset) == len(inputs)
    for i in range(len(dataset)):
        x, y = dataset[i]
        assert x.shape == (5, 3) and y.shape == (4, 1) and x.dtype == torch.float32
        np.testing.assert_allclose(x.numpy(), inputs[i], rtol=1e-6)
        np.testing.assert_allclose(y.numpy(), targets[i], rtol=1e-6)
        assert dataset.target_rows(i) == range(int(dataset.starts[i]), int(dataset.starts[i]) + 4)


@settings(max_examples=60, deadline=None)
@given(
    n_rows=st.integers(10, 80),
    lookback=st.integers(1, 12),
    horizon=st.integers(1, 8),
    stride=st.integers(1, 4),
    valid_fraction=st.floats(0.1, 0.4),
    test_fraction=st.floats(0.1, 0.4),
)
def test_every_window_predicts_rows_of_its_own_part_only(
    n_rows: int, lookback: int, horizon: int, stride: int, valid_fraction: float, test_fraction: float
) -> None:
    split = chronological_split(n_rows, valid_fraction=valid_fraction, test_fraction=test_fraction)
    for name in ("train", "valid", "test"):
        part = getattr(split, name)
        try:
            starts = window_starts(
                n_rows,
                lookback,
                horizon,
                stride if name == "train" else 1,
                target_start=part.start,
                target_end=part.stop,
            )
        except ValueError:
            continue  # part too short for one window: nothing can leak
        for t in starts:
            assert part.start <= t and t + horizon <= part.stop  # targets inside the part
            assert t - lookback >= 0  # inputs exist
            assert t - lookback >= max(0, part.start - lookback)  # inputs reach back at most lookback rows


def test_training_windows_never_contain_later_rows() -> None:
    # Each row holds its own index, so a window reveals which rows it read.
    series = np.arange(100.0)
    split = chronological_split(100, valid_fraction=0.2, test_fraction=0.2)
    parts = window_datasets(series, split, 12, 6, stride=2)
    for i in range(len(parts["train"])):
        x, y = parts["train"][i]
        assert x.max() < split.train.stop and y.max() < split.train.stop
    test_x, test_y = parts["test"][0]
    assert test_y[0, 0] == split.test.start and test_x[0, 0] == split.test.start - 12
    assert set(parts) == {"train", "valid", "test"}


def test_window_errors_are_clear() -> None:
    with pytest.raises(ValueError, match="no complete window fits: a window needs lookback \\+ horizon = 12"):
        window_starts(10, 8, 4)
    with pytest.raises(ValueError, match="lookback must be a positive integer, got 0"):
        window_starts(10, 0, 4)
    with pytest.raises(TypeError, match="horizon must be an integer"):
        sliding_windows(np.arange(10.0), 3, 1.5)
    with pytest.raises(ValueError, match="target_end must be at most the number of rows 10"):
        window_starts(10, 2, 2, target_end=11)
    with pytest.raises(ValueError, match="target_columns entries must be below the number of channels 1"):
        sliding_windows(np.arange(10.0), 2, 2, target_columns=[1])
    with pytest.raises(ValueError, match="valid part .* holds no window"):
        window_datasets(np.arange(20.0), chronological_split(20, valid_size=2), 3, 4)


# ---------------------------------------------------------------- splits


def test_chronological_split_sizes_and_validation() -> None:
    split = chronological_split(100, valid_fraction=0.1, test_size=25)
    assert split.train == range(0, 65) and split.valid == range(65, 75) and split.test == range(75, 100)
    assert split.n_rows == 100
    assert ETTH1_SPLIT.train == range(0, 8640) and ETTH1_SPLIT.test == range(11520, 14400)
    with pytest.raises(ValueError, match="leaves no training rows"):
        chronological_split(10, valid_size=5, test_size=5)
    with pytest.raises(ValueError, match=r"valid_fraction must lie in \[0.0, 1.0\)"):
        chronological_split(10, valid_fraction=1.0)
    with pytest.raises(ValueError, match="valid must start where train stops"):
        ChronologicalSplit(train=range(0, 5), valid=range(6, 8), test=range(0))


# ---------------------------------------------------------------- scalers


def test_standard_scaler_sees_training_rows_only() -> None:
    rng = np.random.default_rng(1)
    series = rng.normal(5.0, 2.0, size=(60, 2))
    split = chronological_split(60, valid_fraction=0.25, test_fraction=0.25)
    scaler = StandardScaler().fit(series[split.train])
    poisoned = series.copy()
    poisoned[split.train.stop :] = 1e6  # later rows must not change the statistics
    other = StandardScaler().fit(poisoned[split.train])
    np.testing.assert_array_equal(scaler.mean, other.mean)
    np.testing.assert_allclose(scaler.mean, series[: split.train.stop].mean(axis=0))
    scaled = scaler.transform(series[split.train])
    np.testing.assert_allclose(scaled.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(scaled.std(axis=0), 1.0)


def test_scalers_round_trip_on_numpy_and_torch() -> None:
    series = np.random.default_rng(2).uniform(1.0, 50.0, size=(40, 3))
    for scaler in (StandardScaler(), LogScaler(), LogScaler(standardize=False), IdentityScaler()):
        scaler.fit(series)
        np.testing.assert_allclose(scaler.inverse_transform(scaler.transform(series)), series, rtol=1e-10)
        batch = torch.as_tensor(series[None, :5], dtype=torch.float32)  # (N, L, C)
        back = scaler.inverse_transform(scaler.transform(batch))
        assert isinstance(back, torch.Tensor) and back.shape == (1, 5, 3)
        torch.testing.assert_close(back, batch, rtol=1e-5, atol=1e-4)
        rebuilt = scaler_from_state(scaler.state_dict())
        np.testing.assert_allclose(rebuilt.transform(series), scaler.transform(series))


def test_log_scaler_makes_multiplicative_seasonality_additive() -> None:
    t = np.arange(48)
    series = np.exp(0.02 * t) * (1 + 0.3 * np.sin(2 * np.pi * t / 12)) * 100
    logs = LogScaler(standardize=False).fit_transform(series)
    np.testing.assert_allclose(logs, np.log(series))


def test_constant_series_is_not_divided_by_zero() -> None:
    scaler = StandardScaler().fit(np.full((10, 1), 7.0))
    np.testing.assert_array_equal(scaler.scale, [1.0])
    np.testing.assert_array_equal(scaler.transform(np.full((3, 1), 7.0)), np.zeros((3, 1)))
    log = LogScaler().fit(np.full(10, 7.0))
    assert np.isfinite(log.transform(np.full((2, 1), 7.0))).all()


def test_scaler_errors() -> None:
    with pytest.raises(RuntimeError, match="must be fitted"):
        StandardScaler().transform(np.zeros((2, 1)))
    with pytest.raises(ValueError, match="LogScaler needs values greater than"):
        LogScaler().fit([1.0, 0.0, 2.0])
    with pytest.raises(ValueError, match="must have 2 channel"):
        StandardScaler().fit(np.ones((4, 2))).transform(np.ones((4, 3)))
    with pytest.raises(ValueError, match="scaling must be one of"):
        make_scaler("minmax")
    assert isinstance(make_scaler("log"), LogScaler)
    with pytest.raises(ValueError, match="scaler state dict"):
        scaler_from_state({"kind": "robust"})


# ---------------------------------------------------------------- loaders


def test_load_csv_series_reads_numbers_and_blank_cells(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("day,a,b\nd1,1.5,2\nd2,,3\n", encoding="utf-8")
    series = load_csv_series(path)
    assert series.columns == ("a", "b") and series.index == ("d1", "d2")
    assert np.isnan(series.values[1, 0]) and series.values[1, 1] == 3.0
    np.testing.assert_array_equal(series.column("b"), [2.0, 3.0])
    assert series.row_of("d2") == 1
    path.write_text("day,a\nd1,oops\n", encoding="utf-8")
    with pytest.raises(ValueError, match="column 'a' .* must be numeric, got 'oops'"):
        load_csv_series(path)
    with pytest.raises(ValueError, match="columns must be names in the header"):
        load_csv_series(tmp_path / "s.csv", columns=["zzz"])
    with pytest.raises(FileNotFoundError, match="existing CSV file"):
        load_csv_series(tmp_path / "missing.csv")


def test_loaders_read_the_carried_copies_without_any_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RNN_GUIDE_DATA", raising=False)
    air = load_air_passengers()
    assert air.values.shape == (144, 1) and air.values.sum() == 40363 and air.row_of("1959") == 120
    assert air.index[0] == "1949-01" and air.index[-1] == "1960-12"
    sunspots = load_sunspots()
    assert sunspots.values.shape == (2820, 1) and sunspots.values.max() == 253.8
    etth1 = load_etth1(columns=["OT"])
    assert etth1.values.shape == (17420, 1) and etth1.index[0] == "2016-07-01 00:00:00"
    assert load_etth1().columns == ("HUFL", "HULL", "MUFL", "MULL", "LUFL", "LULL", "OT")


def test_loader_given_a_folder_without_the_file_says_so() -> None:
    with pytest.raises(FileNotFoundError, match="nonexistent-directory is neither AirPassengers.csv nor a folder"):
        load_air_passengers(data_dir="/nonexistent-directory")


def test_loader_rejects_a_file_with_the_wrong_checksum(tmp_path: Path) -> None:
    path = tmp_path / "AirPassengers.csv"
    path.write_text("Date,Passengers\n1949-01,112\n", encoding="utf-8")
    with pytest.raises(ChecksumError, match="SHA-256 of .* expected 28af0eb8"):
        load_air_passengers(path=path)
    with pytest.raises(ValueError, match="name must be one of"):
        data_file("mnist")
