"""Tests of rnn_guide.baselines."""

from __future__ import annotations

import numpy as np
import pytest

from rnn_guide.baselines import LinearAutoregression, drift, naive, seasonal_naive


def test_naive_seasonal_naive_and_drift_by_hand() -> None:
    history = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 7.0])
    np.testing.assert_array_equal(naive(history, 3), [7.0, 7.0, 7.0])
    np.testing.assert_array_equal(seasonal_naive(history, 5, 4), [3.0, 4.0, 5.0, 7.0, 3.0])
    np.testing.assert_allclose(drift(history, 2), [7.0 + 1.2, 7.0 + 2.4])


def test_baselines_keep_channels_apart() -> None:
    history = np.stack([np.arange(6.0), 10 * np.arange(6.0)], axis=1)
    np.testing.assert_array_equal(naive(history, 2), [[5.0, 50.0], [5.0, 50.0]])
    np.testing.assert_array_equal(seasonal_naive(history, 2, 3)[:, 1], [30.0, 40.0])
    np.testing.assert_allclose(drift(history, 1), [[6.0, 60.0]])


def test_recursive_autoregression_recovers_known_coefficients() -> None:
    rng = np.random.default_rng(0)
    y = np.zeros(4000)
    for t in range(2, len(y)):
        y[t] = 1.0 + 0.6 * y[t - 1] - 0.3 * y[t - 2] + rng.normal(scale=0.1)
    model = LinearAutoregression(2).fit(y)
    np.testing.assert_allclose(model.coef_[0, :, 0], [-0.3, 0.6], atol=0.03)  # oldest lag first
    np.testing.assert_allclose(model.intercept_[0], [1.0], atol=0.05)
    forecast = model.predict(y, steps=3)
    expected = [1.0 + 0.6 * y[-1] - 0.3 * y[-2]]
    assert forecast.shape == (3,) and forecast[0] == pytest.approx(expected[0], abs=0.05)


def test_direct_autoregression_continues_a_seasonal_pattern_exactly() -> None:
    t = np.arange(120)
    y = 5.0 + 0.1 * t + np.sin(2 * np.pi * t / 12)
    model = LinearAutoregression(24, strategy="direct", horizon=12).fit(y[:96])
    forecast = model.predict(y[:96], steps=24)  # two blocks of 12
    np.testing.assert_allclose(forecast, y[96:], atol=1e-6)


def test_shared_model_pools_channels_and_per_channel_model_does_not() -> None:
    t = np.arange(200.0)
    series = np.stack([np.sin(t / 5), 3 + np.cos(t / 7)], axis=1)
    shared = LinearAutoregression(6, per_channel=False).fit(series)
    separate = LinearAutoregression(6).fit(series)
    assert shared.coef_.shape == (1, 6, 1) and separate.coef_.shape == (2, 6, 1)
    assert shared.predict(series, steps=4).shape == (4, 2)
    # a sinusoid plus a constant obeys an exact linear recursion, so both forecasts are exact
    np.testing.assert_allclose(separate.predict(series[:-5], 5), series[-5:], atol=1e-6)
    np.testing.assert_allclose(shared.predict(series[:-5], 5), series[-5:], atol=1e-6)


def test_ridge_shrinks_weights() -> None:
    y = np.sin(np.arange(100) / 3.0) + np.random.default_rng(1).normal(scale=0.1, size=100)
    plain = LinearAutoregression(8).fit(y)
    shrunk = LinearAutoregression(8, ridge=100.0).fit(y)
    assert np.abs(shrunk.coef_).sum() < np.abs(plain.coef_).sum()


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: naive([1.0, 2.0], 0), ValueError, "horizon must be a positive integer, got 0"),
        (lambda: seasonal_naive([1.0, 2.0], 3, 12), ValueError, "history must have at least 12 time steps"),
        (lambda: drift([1.0], 3), ValueError, "history must have at least 2 time steps"),
        (lambda: naive([[["x"]]], 1), TypeError, "real numbers"),
        (lambda: naive([1.0, np.nan], 1), ValueError, "NaN"),
        (lambda: LinearAutoregression(0), ValueError, "lags must be a positive integer"),
        (lambda: LinearAutoregression(3, strategy="direct"), TypeError, "horizon must be an integer"),
        (lambda: LinearAutoregression(3, horizon=4), ValueError, "horizon must be None or 1"),
        (lambda: LinearAutoregression(3, strategy="mimo"), ValueError, "strategy must be one of"),
        (lambda: LinearAutoregression(3).fit([1.0, 2.0, 3.0]), ValueError, "at least 4 time steps"),
        (lambda: LinearAutoregression(3).predict([1.0, 2.0, 3.0]), RuntimeError, "must be fitted"),
        (
            lambda: LinearAutoregression(2).fit(np.arange(10.0)).predict(np.ones((5, 2))),
            ValueError,
            r"history must have 1 channel\(s\), got 2",
        ),
    ],
)
def test_bad_input(call, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()
