"""Tests of the forecasting models and of train_forecaster / Forecaster on tiny synthetic series."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
import torch

import rnn_guide.forecaster as forecaster_module
from rnn_guide.baselines import naive
from rnn_guide.checkpoints import save_checkpoint
from rnn_guide.forecaster import Forecaster, default_segment_length, train_forecaster
from rnn_guide.metrics import rmse
from rnn_guide.timeseries.models import InstanceNormalization, SegmentRecurrentForecaster, SequenceForecaster

torch.set_num_threads(1)

FAST = {"hidden_size": 8, "epochs": 3, "batch_size": 16, "progress": False}


def seasonal_series(n: int = 120, *, noise: float = 0.05, seed: int = 0) -> np.ndarray:
    t = np.arange(n)
    rng = np.random.default_rng(seed)
    return 10 + 0.02 * t + np.sin(2 * np.pi * t / 12) + noise * rng.normal(size=n)


def models() -> list[torch.nn.Module]:
    torch.manual_seed(0)
    return [
        SequenceForecaster(3, 4, hidden_size=8),
        SequenceForecaster(3, 4, hidden_size=8, rnn_type="gru", num_layers=2, channel_independent=True),
        SegmentRecurrentForecaster(3, 12, 4, segment_length=3, d_model=8),
        SegmentRecurrentForecaster(3, 12, 5, segment_length=4, d_model=8, rnn_type="lstm", channel_independent=False),
    ]


# ---------------------------------------------------------------- models


@pytest.mark.parametrize("model", models(), ids=lambda m: f"{type(m).__name__}-{m.config['rnn_type']}")
def test_models_map_windows_to_horizon_rows(model: torch.nn.Module) -> None:
    model.eval()
    x = torch.randn(5, 12, 3)
    assert model(x).shape == (5, model.horizon, 3)
    # items of a batch do not influence each other
    single = model(x[:1])
    torch.testing.assert_close(model(x)[:1], single, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("model", models(), ids=lambda m: f"{type(m).__name__}-{m.config['rnn_type']}")
def test_roll_out_feeds_back_its_own_forecasts(model: torch.nn.Module) -> None:
    model.eval()
    x = torch.randn(2, 12, 3)
    h = model.horizon
    with torch.no_grad():
        first = model(x)
        second = model(torch.cat([x, first], dim=1)[:, -12:])
        rolled = model.forecast(x, 2 * h + 1)
    assert rolled.shape == (2, 2 * h + 1, 3)
    torch.testing.assert_close(rolled[:, :h], first)
    torch.testing.assert_close(rolled[:, h : 2 * h], second)
    torch.testing.assert_close(model.forecast(x, 2), first[:, :2])


@pytest.mark.parametrize(
    "model",
    [
        SequenceForecaster(2, 3, hidden_size=8, channel_independent=True),
        SegmentRecurrentForecaster(2, 8, 3, segment_length=4, d_model=8),
    ],
)
def test_channel_independent_models_keep_channels_apart(model: torch.nn.Module) -> None:
    model.eval()
    x = torch.randn(1, 8, 2)
    changed = x.clone()
    changed[:, :, 1] += torch.randn(8)
    torch.testing.assert_close(model(changed)[:, :, 0], model(x)[:, :, 0])


def test_joint_model_mixes_channels() -> None:
    torch.manual_seed(0)
    model = SegmentRecurrentForecaster(2, 8, 3, segment_length=4, d_model=8, channel_independent=False).eval()
    x = torch.randn(1, 8, 2)
    changed = x.clone()
    changed[:, :, 1] += torch.randn(8)  # a constant shift would be removed by the normalisation
    assert not torch.allclose(model(changed)[:, :, 0], model(x)[:, :, 0])


@pytest.mark.parametrize("mode", ["last", "mean"])
def test_shift_normalisation_makes_forecasts_follow_the_level(mode: str) -> None:
    torch.manual_seed(0)
    model = SequenceForecaster(1, 4, hidden_size=8, normalization=mode).eval()
    x = torch.randn(3, 10, 1)
    torch.testing.assert_close(model(x + 100.0), model(x) + 100.0, rtol=1e-5, atol=1e-3)


def test_standard_normalisation_is_affine_equivariant() -> None:
    torch.manual_seed(0)
    model = SegmentRecurrentForecaster(1, 8, 4, segment_length=4, d_model=8, normalization="standard").eval()
    x = torch.randn(3, 8, 1)
    torch.testing.assert_close(model(3 * x + 7), 3 * model(x) + 7, rtol=1e-4, atol=1e-3)
    norm = InstanceNormalization("standard")
    z, stats = norm.normalize(x)
    torch.testing.assert_close(norm.denormalize(z, stats), x)


def test_segment_model_trims_the_last_output_segment() -> None:
    model = SegmentRecurrentForecaster(1, 24, 10, segment_length=6, d_model=8)
    assert model.segments_in == 4 and model.segments_out == 2
    assert model(torch.randn(2, 24, 1)).shape == (2, 10, 1)


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (lambda: SequenceForecaster(0, 3), ValueError, "input_size must be a positive integer"),
        (lambda: SequenceForecaster(1, 3, rnn_type="rnn"), ValueError, "rnn_type must be one of 'lstm', 'gru'"),
        (lambda: SequenceForecaster(1, 3, dropout=1.0), ValueError, "dropout must lie in"),
        (lambda: SequenceForecaster(1, 3, normalization="z"), ValueError, "normalization must be one of"),
        (lambda: SegmentRecurrentForecaster(1, 10, 3, segment_length=4), ValueError, "multiple of segment_length"),
        (lambda: SegmentRecurrentForecaster(1, 8, 3, segment_length=4, d_model=7), ValueError, "d_model must be even"),
        (lambda: SequenceForecaster(2, 3)(torch.randn(4, 5, 3)), ValueError, "input_size=2 channels"),
        (lambda: SequenceForecaster(2, 3)(torch.randn(5, 2)), ValueError, "x must be 3-D"),
        (lambda: SequenceForecaster(2, 3)(np.zeros((1, 5, 2))), TypeError, "x must be a torch.Tensor"),
        (
            lambda: SegmentRecurrentForecaster(1, 8, 3, segment_length=4, d_model=8)(torch.randn(1, 12, 1)),
            ValueError,
            "lookback=8 time steps",
        ),
        (lambda: SequenceForecaster(1, 3).forecast(torch.randn(1, 5, 1), 0), ValueError, "steps must be"),
    ],
)
def test_model_errors(build, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        build()


def test_default_segment_length() -> None:
    assert default_segment_length(720) == 24
    assert default_segment_length(24) == 4
    assert default_segment_length(7) == 1


# ---------------------------------------------------------------- train_forecaster


def test_train_forecaster_learns_a_seasonal_series() -> None:
    series = seasonal_series(150)
    train, test = series[:126], series[126:]
    forecaster = train_forecaster(
        train, lookback=24, horizon=12, hidden_size=32, epochs=60, lr=1e-2, seed=0, patience=None
    )
    forecast = forecaster.predict(train, steps=24)  # 12 direct + 12 rolled out
    assert forecast.shape == (24,)
    assert rmse(test, forecast) < 0.5 * rmse(test, naive(train, 24))


def test_training_windows_and_scaler_see_training_rows_only(monkeypatch: pytest.MonkeyPatch) -> None:
    captured = {}
    real_fit = forecaster_module.fit

    def spy_fit(model, train_data, **kwargs):
        captured["train"], captured["valid"] = train_data, kwargs["valid_data"]
        return real_fit(model, train_data, **kwargs)

    monkeypatch.setattr(forecaster_module, "fit", spy_fit)
    series = np.arange(100.0)  # each row holds its own index, so windows reveal the rows they read
    forecaster = train_forecaster(series, lookback=10, horizon=5, valid_fraction=0.3, scaling="none", **FAST)
    assert forecaster.settings["train_rows"] == 70
    train_rows = [torch.cat([x.flatten(), y.flatten()]) for x, y in captured["train"]]
    assert torch.cat(train_rows).max() == 69  # the last training window ends on row 69, and none later
    valid_targets = torch.cat([y.flatten() for _, y in captured["valid"]])
    assert valid_targets.min() == 70 and valid_targets.max() == 99

    spread = series.copy()
    spread[70:] = 1e6  # values after the training rows must not reach the scaler
    scaled = train_forecaster(spread, lookback=10, horizon=5, valid_fraction=0.3, **FAST)
    np.testing.assert_allclose(scaled.scaler.mean, [np.arange(70.0).mean()])


def trained_on(forecaster: Forecaster) -> torch.device:
    """The device of a forecaster's weights (CUDA in the suite's CUDA mode; ``load`` defaults to the CPU)."""
    return next(forecaster.model.parameters()).device


def test_predict_save_and_load_round_trip(tmp_path: Path) -> None:
    series = np.stack([seasonal_series(60), seasonal_series(60, seed=1) * 2], axis=1)
    forecaster = train_forecaster(series, lookback=12, horizon=4, model="segment", rnn_type="gru", **FAST)
    assert isinstance(forecaster.model, SegmentRecurrentForecaster) and forecaster.model.segment_length == 3
    forecast = forecaster.predict(series, steps=9)
    assert forecast.shape == (9, 2) and np.isfinite(forecast).all()
    path = tmp_path / "model.pt"
    forecaster.save(path)
    loaded = Forecaster.load(path, map_location=trained_on(forecaster))  # the same device: the same numbers
    np.testing.assert_array_equal(loaded.predict(series, steps=9), forecast)
    assert loaded.settings == forecaster.settings and loaded.history.epochs == forecaster.history.epochs
    assert repr(loaded).startswith("Forecaster(model=SegmentRecurrentForecaster, lookback=12, horizon=4")


def test_load_rejects_other_checkpoints(tmp_path: Path) -> None:
    path = tmp_path / "plain.pt"
    save_checkpoint(path, model=torch.nn.Linear(2, 2), epoch=0)
    with pytest.raises(ValueError, match="not a saved Forecaster"):
        Forecaster.load(path)
    with pytest.raises(FileNotFoundError):
        Forecaster.load(tmp_path / "missing.pt")


def test_log_scaling_and_evaluate() -> None:
    series = np.exp(seasonal_series(84) / 5)
    forecaster = train_forecaster(series[:-12], lookback=12, horizon=6, scaling="log", **FAST)
    scores = forecaster.evaluate(series, test_size=12, season=12)
    assert set(scores) == {"forecaster", "seasonal_naive"}
    assert {"rmse", "mae", "mase", "smape", "mape"} <= set(scores["forecaster"])
    with pytest.raises(ValueError, match="LogScaler needs values greater than"):
        forecaster.predict(-series)


def test_accepts_tensors_and_dataframe_like_input() -> None:
    class Frame:
        dtypes: ClassVar[dict[str, np.dtype]] = {"a": np.dtype("float64")}

        def __init__(self, values: np.ndarray) -> None:
            self.values = values

        def to_numpy(self) -> np.ndarray:
            return self.values[:, None]

    series = seasonal_series(60)
    from_frame = train_forecaster(Frame(series), lookback=12, horizon=3, **FAST)
    from_tensor = train_forecaster(torch.tensor(series), lookback=12, horizon=3, **FAST)
    np.testing.assert_allclose(from_frame.predict(series), from_tensor.predict(series), rtol=1e-6)
    assert from_frame.predict(Frame(series)).shape == (3, 1)


def test_constant_series_trains_without_dividing_by_zero() -> None:
    forecaster = train_forecaster(np.full(40, 3.0), lookback=8, horizon=4, **FAST)
    forecast = forecaster.predict(np.full(8, 3.0))
    assert np.isfinite(forecast).all()
    np.testing.assert_allclose(forecast, 3.0, atol=0.5)


def test_a_small_validation_part_grows_to_one_window() -> None:
    forecaster = train_forecaster(np.arange(60.0), lookback=8, horizon=14, valid_fraction=0.2, **FAST)
    assert forecaster.settings["valid_rows"] == 14 and forecaster.settings["train_rows"] == 46
    assert len(forecaster.history.valid_loss) == 3


def test_without_validation_all_epochs_run() -> None:
    forecaster = train_forecaster(
        seasonal_series(40), lookback=8, horizon=4, valid_fraction=0.0, lr_schedule="constant", **FAST
    )
    assert forecaster.history.epochs == 3 and forecaster.history.valid_loss == []
    assert forecaster.settings["valid_rows"] == 0
    assert forecaster.history.learning_rates == [3e-3] * 3


def test_cosine_schedule_lowers_the_learning_rate_every_epoch() -> None:
    forecaster = train_forecaster(
        seasonal_series(40), lookback=8, horizon=4, lr_schedule="cosine", **{**FAST, "epochs": 4}
    )
    rates = forecaster.history.learning_rates
    assert rates[0] == 3e-3 and all(a > b for a, b in itertools.pairwise(rates))
    np.testing.assert_allclose(rates[2], 3e-3 * (1 + np.cos(np.pi * 2 / 4)) / 2)


class _TextFrame:
    dtypes: ClassVar[dict[str, np.dtype]] = {"date": np.dtype("O"), "value": np.dtype("float64")}

    def to_numpy(self) -> np.ndarray:
        return np.array([["2000-01", 1.0]] * 30, dtype=object)


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"series": np.arange(10.0), "lookback": 8, "horizon": 4}, ValueError, "at least lookback \\+ horizon = 12"),
        ({"series": np.arange(14.0), "lookback": 8, "horizon": 4}, ValueError, "training part .* at least"),
        ({"series": [1.0, np.nan] * 20, "lookback": 4, "horizon": 2}, ValueError, "NaN.*interpolate_missing"),
        ({"series": np.zeros((30, 2, 2)), "lookback": 4, "horizon": 2}, ValueError, "1-D \\(T,\\) or 2-D"),
        ({"series": _TextFrame(), "lookback": 4, "horizon": 2}, TypeError, "non-numeric column\\(s\\) 'date'"),
        ({"series": np.arange(1.0, 41.0), "lookback": 0, "horizon": 2}, ValueError, "lookback must be a positive"),
        ({"series": np.arange(1.0, 41.0), "lookback": 4, "horizon": 2, "model": "tcn"}, ValueError, "model must be"),
        ({"series": np.arange(1.0, 41.0), "lookback": 4, "horizon": 2, "loss": "l3"}, ValueError, "loss must be"),
        ({"series": np.arange(-5.0, 35.0), "lookback": 4, "horizon": 2, "scaling": "log"}, ValueError, "LogScaler"),
        (
            {"series": np.arange(1.0, 41.0), "lookback": 8, "horizon": 2, "model": "segment", "num_layers": 2},
            ValueError,
            "num_layers must be 1",
        ),
    ],
)
def test_train_forecaster_rejects_bad_input(kwargs: dict, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        train_forecaster(**kwargs, **FAST)


def test_predict_rejects_bad_history() -> None:
    forecaster = train_forecaster(seasonal_series(40), lookback=8, horizon=4, **FAST)
    with pytest.raises(ValueError, match="history must have at least 8 time steps, got 5"):
        forecaster.predict(np.ones(5))
    with pytest.raises(ValueError, match="history must have the 1 channel"):
        forecaster.predict(np.ones((10, 2)))
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        forecaster.predict(np.ones(10), steps=0)


# ---------------------------------------------------------------- linear skip


@pytest.mark.parametrize("normalization", ["none", "mean", "last"])
@pytest.mark.parametrize("channel_independent", [False, True])
@pytest.mark.parametrize("segment", [False, True], ids=["sequence", "segment"])
def test_init_linear_skip_starts_from_the_least_squares_forecast(
    normalization: str, channel_independent: bool, segment: bool
) -> None:
    torch.manual_seed(0)
    lookback, horizon, channels = 6, 3, 2
    common = {"normalization": normalization, "channel_independent": channel_independent, "linear_skip": True}
    if segment:
        model = SegmentRecurrentForecaster(channels, lookback, horizon, segment_length=3, d_model=4, **common)
    else:
        model = SequenceForecaster(channels, horizon, hidden_size=5, lookback=lookback, **common)
    x = torch.randn(200, lookback, channels, dtype=torch.float64).cumsum(1)
    y = torch.randn(200, horizon, channels, dtype=torch.float64)
    model.double().init_linear_skip(x, y, ridge=0.0)
    # the reference fit: numpy least squares on the normalised windows of every channel, pooled
    shift = {"none": 0.0, "mean": x.mean(1, keepdim=True), "last": x[:, -1:]}[normalization]
    z, t = (x - shift).transpose(1, 2).reshape(-1, lookback), (y - shift).transpose(1, 2).reshape(-1, horizon)
    design = np.concatenate([z.numpy(), np.ones((len(z), 1))], axis=1)
    solution = np.linalg.lstsq(design, t.numpy(), rcond=None)[0]
    expected = (z.numpy() @ solution[:-1] + solution[-1]).reshape(200, channels, horizon).transpose(0, 2, 1)
    expected = expected + (shift.numpy() if normalization != "none" else 0.0)
    with torch.no_grad():
        np.testing.assert_allclose(model(x).numpy(), expected, atol=1e-8)
    output = model.head[1] if segment else model.head
    assert not output.weight.any() and not output.bias.any()


def test_linear_skip_needs_lookback_and_a_window_of_that_length() -> None:
    with pytest.raises(ValueError, match="linear_skip=True needs lookback"):
        SequenceForecaster(1, 3, linear_skip=True)
    model = SequenceForecaster(1, 3, linear_skip=True, lookback=6)
    with pytest.raises(ValueError, match="lookback=6 time steps"):
        model(torch.randn(2, 5, 1))
    with pytest.raises(RuntimeError, match="linear_skip=True"):
        SequenceForecaster(1, 3).init_linear_skip(torch.randn(2, 6, 1), torch.randn(2, 3, 1))
    with pytest.raises(ValueError, match=r"y must have shape \(N, H, C\) = \(2, 3, 1\)"):
        model.init_linear_skip(torch.randn(2, 6, 1), torch.randn(2, 4, 1))
    with pytest.raises(TypeError, match="linear_skip must be True or False"):
        SegmentRecurrentForecaster(1, 8, 3, segment_length=4, d_model=8, linear_skip=1)  # type: ignore[arg-type]


def test_train_forecaster_with_linear_skip_fits_before_training_and_round_trips(tmp_path: Path) -> None:
    series = seasonal_series(96)
    untrained = train_forecaster(series, lookback=12, horizon=6, linear_skip=True, **(FAST | {"epochs": 1, "lr": 1e-9}))
    # an almost zero learning rate leaves the least-squares start: the forecast is the linear one
    scaled = untrained.scaler.transform(series[: untrained.settings["train_rows"]])
    windows = np.lib.stride_tricks.sliding_window_view(scaled, 18)
    shift = windows[:, :12].mean(1, keepdims=True)  # the default "mean" normalisation
    design = np.concatenate([windows[:, :12] - shift, np.ones((len(windows), 1))], axis=1)
    gram = design.T @ design
    gram[:12, :12] += 1e-3 * np.mean(design[:, :12] ** 2) * len(design) * np.eye(12)  # the default ridge
    solution = np.linalg.lstsq(gram, design.T @ (windows[:, 12:] - shift), rcond=None)[0]
    last = scaled[-12:]
    linear = (last - last.mean()) @ solution[:-1] + solution[-1] + last.mean()
    predicted = untrained.scaler.transform(untrained.predict(series[: untrained.settings["train_rows"]]))
    np.testing.assert_allclose(predicted, linear, atol=1e-4)
    assert untrained.settings["linear_skip"] is True

    for model in ("sequence", "segment"):
        trained = train_forecaster(series, lookback=12, horizon=6, model=model, linear_skip=True, **FAST)
        assert trained.model.skip is not None
        path = tmp_path / f"{model}.pt"
        trained.save(path)
        loaded = Forecaster.load(path, map_location=trained_on(trained))
        np.testing.assert_array_equal(loaded.predict(series, steps=9), trained.predict(series, steps=9))


def test_the_linear_start_competes_as_epoch_zero() -> None:
    series = seasonal_series(160, noise=0.2)
    common = {"lookback": 12, "horizon": 4, "hidden_size": 8, "batch_size": 16, "progress": False, "seed": 0}
    start = train_forecaster(series, **common, epochs=1, lr=1e-12)
    # a learning rate far too high ruins every epoch, so the least-squares start is kept
    ruined = train_forecaster(series, **common, epochs=3, lr=50.0, clip=None, weight_decay=0.0)
    assert ruined.settings["kept_linear_start"] is True
    assert ruined.settings["linear_start_valid_loss"] < min(ruined.history.valid_loss)
    np.testing.assert_allclose(ruined.predict(series), start.predict(series), rtol=1e-6)
    # a square wave is not linear in its past: training beats the linear start and is kept
    square = np.sign(np.sin(2 * np.pi * np.arange(200) / 10 + 0.3)) + 0.01 * np.arange(200)
    trained = train_forecaster(square, **(common | {"hidden_size": 16}), epochs=30, lr=1e-2)
    assert trained.settings["kept_linear_start"] is False
    assert min(trained.history.valid_loss) < trained.settings["linear_start_valid_loss"]
    # without validation there is nothing to compare, and nothing is recorded
    assert train_forecaster(series, **common, epochs=1, valid_fraction=0.0).settings["linear_start_valid_loss"] is None
