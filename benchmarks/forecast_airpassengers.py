"""AirPassengers: the LSTM forecaster against honest baselines, on the classic split.

Protocol: train on 1949-01 .. 1958-12 (120 months), forecast 1959-01 .. 1960-12 (24 months) once, from
the end of 1958; RMSE in thousands of passengers (also MAE, MAPE, MASE with season 12).

Hyperparameters are chosen without looking at the test years: a small grid is scored on a validation
split *inside* the training years (fit on 1949-1956, forecast 1957-1958, mean RMSE over 3 seeds), the
best configuration is then refitted on 1949-1958 with 5 seeds, and the test RMSE of *every* seed is
reported with their mean and standard deviation -- not the best seed. The lag count of the linear
autoregression is chosen on the same validation split.

Baselines: naive, seasonal naive, drift, linear autoregression on the logarithms (closed form). If
statsmodels is installed (``pip install -e .[bench]``), SARIMA(0,1,1)(0,1,1)12 on the logarithms and
Holt-Winters (additive trend, multiplicative season; plain and damped) are fitted too; otherwise the
published reference numbers are recorded, labelled as not computed here.

Usage::

    python benchmarks/forecast_airpassengers.py                # selection + 5 seeds (a few minutes)
    python benchmarks/forecast_airpassengers.py --no-select    # the default configuration, 5 seeds
"""

from __future__ import annotations

import argparse
import itertools
import time
from typing import Any

import numpy as np
import torch

from rnn_guide.baselines import LinearAutoregression, drift, naive, seasonal_naive
from rnn_guide.forecaster import train_forecaster
from rnn_guide.metrics import forecast_metrics, rmse
from rnn_guide.results import write_result
from rnn_guide.timeseries import load_air_passengers

SEASON = 12
TEST_MONTHS = 24
FIXED = {
    "rnn_type": "lstm",
    "normalization": "mean",
    "scaling": "log",
    "valid_fraction": 0.0,
    "epochs": 300,
    "batch_size": 16,
    "lr": 3e-3,
}
DEFAULT = {"lookback": 48, "horizon": 12, "hidden_size": 32, "lr_schedule": "constant"}  # what the selection picks
GRID = {
    "lookback": (24, 36, 48),
    "horizon": (12, 24),
    "hidden_size": (32, 64),
    "lr_schedule": ("constant", "cosine"),
}
AR_LAGS = (12, 13, 24, 36)
QUOTED_REFERENCES = {
    "sarima_011_011_12_log_rmse": 43.19,
    "sarima_011_011_12_log_bias_adjusted_rmse": 40.64,
    "holt_winters_rmse": 32.5,
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--selection-seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--no-select", action="store_true", help="skip the selection, use the default config")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    parser.add_argument("--no-write", action="store_true", help="print only, write no result file")
    return parser.parse_args()


def lstm_forecast(history: np.ndarray, config: dict[str, Any], seed: int, steps: int) -> np.ndarray:
    forecaster = train_forecaster(history, seed=seed, **FIXED, **config)
    return forecaster.predict(history, steps=steps)


def select(train: np.ndarray, seeds: list[int]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Score the grid on 1957-1958 after fitting on 1949-1956; return the best config and all scores."""
    fit_part, valid_part = train[:-TEST_MONTHS], train[-TEST_MONTHS:]
    scores = []
    for values in itertools.product(*GRID.values()):
        config = dict(zip(GRID, values, strict=True))
        runs = [rmse(valid_part, lstm_forecast(fit_part, config, seed, TEST_MONTHS)) for seed in seeds]
        scores.append({**config, "valid_rmse_mean": float(np.mean(runs)), "valid_rmse": [round(r, 2) for r in runs]})
        print(f"  select {config}: valid RMSE {np.mean(runs):.1f} {np.round(runs, 1).tolist()}", flush=True)
    best = min(scores, key=lambda s: s["valid_rmse_mean"])
    return {k: best[k] for k in GRID}, scores


def select_ar_lags(train: np.ndarray) -> int:
    fit_part, valid_part = np.log(train[:-TEST_MONTHS]), train[-TEST_MONTHS:]
    errors = {
        lags: rmse(valid_part, np.exp(LinearAutoregression(lags).fit(fit_part).predict(fit_part, TEST_MONTHS)))
        for lags in AR_LAGS
    }
    return min(errors, key=errors.get)


def statsmodels_references(train: np.ndarray, test: np.ndarray) -> dict[str, float] | None:
    try:
        from statsmodels.tsa.holtwinters import ExponentialSmoothing
        from statsmodels.tsa.statespace.sarimax import SARIMAX
    except ImportError:
        return None
    sarima = SARIMAX(np.log(train), order=(0, 1, 1), seasonal_order=(0, 1, 1, SEASON)).fit(disp=False)
    log_forecast = sarima.get_forecast(TEST_MONTHS)
    variance = np.asarray(log_forecast.var_pred_mean)
    mean = np.asarray(log_forecast.predicted_mean)

    def holt_winters(damped: bool) -> np.ndarray:
        model = ExponentialSmoothing(train, trend="add", seasonal="mul", seasonal_periods=SEASON, damped_trend=damped)
        return model.fit().forecast(TEST_MONTHS)

    return {
        "sarima_011_011_12_log_rmse": rmse(test, np.exp(mean)),
        "sarima_011_011_12_log_bias_adjusted_rmse": rmse(test, np.exp(mean + variance / 2)),
        "holt_winters_rmse": rmse(test, holt_winters(damped=False)),  # additive trend, multiplicative season
        "holt_winters_damped_rmse": rmse(test, holt_winters(damped=True)),
    }


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    series = load_air_passengers()
    values = series.values[:, 0]
    split = series.row_of("1959-01")
    train, test = values[:split], values[split:]
    assert len(train) == 120 and len(test) == TEST_MONTHS

    if args.no_select:
        config, selection = dict(DEFAULT), []
    else:
        config, selection = select(train, args.selection_seeds)
    print(f"configuration: {config} + {FIXED}", flush=True)

    per_seed = []
    for seed in args.seeds:
        forecast = lstm_forecast(train, config, seed, TEST_MONTHS)
        per_seed.append(forecast_metrics(test, forecast, y_train=train, season=SEASON))
        print(f"  seed {seed}: RMSE {per_seed[-1]['rmse']:.2f}", flush=True)
    rmses = np.array([m["rmse"] for m in per_seed])

    lags = select_ar_lags(train)
    log_train = np.log(train)
    baselines = {
        "naive": naive(train, TEST_MONTHS),
        "seasonal_naive": seasonal_naive(train, TEST_MONTHS, SEASON),
        "drift": drift(train, TEST_MONTHS),
        "linear_ar": np.exp(LinearAutoregression(lags).fit(log_train).predict(log_train, TEST_MONTHS)),
    }
    metrics: dict[str, float] = {
        "lstm_rmse_mean": float(rmses.mean()),
        "lstm_rmse_std": float(rmses.std(ddof=1)) if len(rmses) > 1 else 0.0,
        "lstm_rmse_min": float(rmses.min()),
        "lstm_rmse_max": float(rmses.max()),
        "lstm_mae_mean": float(np.mean([m["mae"] for m in per_seed])),
        "lstm_mape_mean": float(np.mean([m["mape"] for m in per_seed])),
        "lstm_mase_mean": float(np.mean([m["mase"] for m in per_seed])),
    }
    for seed, value in zip(args.seeds, rmses, strict=True):
        metrics[f"lstm_rmse_seed_{seed}"] = float(value)
    for name, forecast in baselines.items():
        scores = forecast_metrics(test, forecast, y_train=train, season=SEASON)
        metrics[f"{name}_rmse"], metrics[f"{name}_mae"] = scores["rmse"], scores["mae"]
    computed = statsmodels_references(train, test)
    if computed is not None:
        metrics.update(computed)
    duration = time.perf_counter() - started
    result_config = {
        "split": "train 1949-01..1958-12 (120 months), test 1959-01..1960-12 (24 months)",
        "model": "SequenceForecaster (train_forecaster)",
        "selected": config,
        "fixed": FIXED,
        "seeds": args.seeds,
        "selection": {
            "protocol": "fit 1949-1956, score 1957-1958, mean RMSE over seeds",
            "seeds": args.selection_seeds,
            "grid": {k: list(v) for k, v in GRID.items()},
            "scores": selection,
        }
        if not args.no_select
        else "skipped (--no-select): DEFAULT, the configuration an earlier run with the selection picked",
        "linear_ar_lags": lags,
        "linear_ar_lag_choices": list(AR_LAGS),
        "threads": args.threads,
        "statsmodels": computed is not None,
        "quoted_references_not_computed_here": None if computed is not None else QUOTED_REFERENCES,
    }
    print(
        f"LSTM RMSE {rmses.mean():.2f} ± {metrics['lstm_rmse_std']:.2f} over seeds {args.seeds} "
        f"({np.round(rmses, 2).tolist()}); seasonal naive {metrics['seasonal_naive_rmse']:.2f}, "
        f"linear AR({lags}) {metrics['linear_ar_rmse']:.2f}, naive {metrics['naive_rmse']:.2f}, "
        f"drift {metrics['drift_rmse']:.2f}; {duration:.0f} s",
        flush=True,
    )
    if computed is None:
        print(f"statsmodels not installed; quoted references (not computed here): {QUOTED_REFERENCES}")
    if not args.no_write:
        write_result("forecast_airpassengers", metrics=metrics, config=result_config, duration_s=duration)


if __name__ == "__main__":
    main()
