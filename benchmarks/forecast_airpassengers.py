"""AirPassengers: the LSTM forecaster against honest baselines, on the classic split.

Protocol: train on 1949-01 .. 1958-12 (120 months), forecast 1959-01 .. 1960-12 (24 months) once, from
the end of 1958; RMSE in thousands of passengers (also MAE, MAPE, MASE with season 12).

Hyperparameters are chosen without looking at the test years, by rolling-origin validation inside the
training years: each configuration of a small grid is fitted on the first 72, 84 and 96 months
(1949-1954, -1955, -1956) and scored on the 24 months after each, with 2 seeds; the configuration with the
lowest mean RMSE is then refitted on 1949-1958 with 5 seeds, and the test RMSE of *every* seed is reported
with their mean and standard deviation -- not the best seed. The grid includes ``linear_skip`` (a linear
autoregression of the window added to the LSTM's output, fitted by least squares before training, so
that the LSTM learns what the linear model misses), so the result file also holds the ablation: every
grid configuration's validation score and 5-seed test RMSE, the selected one with plain standard scaling
instead of logarithms, and the forecast averaged over the 5 seeds (a seed ensemble). The lag count of the
linear autoregression baseline is chosen on a validation split (fit 1949-1956, score 1957-1958).

Baselines: naive, seasonal naive, drift, linear autoregression on the logarithms (closed form). If
statsmodels is installed (``pip install -e .[bench]``), SARIMA(0,1,1)(0,1,1)12 on the logarithms and
Holt-Winters (additive trend, multiplicative season; plain and damped) are fitted too; otherwise the
published reference numbers are recorded, labelled as not computed here.

Usage::

    python benchmarks/forecast_airpassengers.py                # selection, ablation, 5 seeds (~12 min, 2 cores)
    python benchmarks/forecast_airpassengers.py --no-select    # only DEFAULT and its ablation rows
"""

from __future__ import annotations

import argparse
import itertools
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
import torch

from rnn_guide.baselines import LinearAutoregression, drift, naive, seasonal_naive
from rnn_guide.forecaster import Forecaster, train_forecaster
from rnn_guide.metrics import forecast_metrics, rmse
from rnn_guide.results import write_result
from rnn_guide.timeseries import load_air_passengers, make_scaler, sliding_windows
from rnn_guide.timeseries.models import SequenceForecaster

SEASON = 12
TEST_MONTHS = 24
FIXED = {
    "rnn_type": "lstm",
    "scaling": "log",
    "valid_fraction": 0.0,
    "hidden_size": 32,
    "horizon": 12,
    "epochs": 100,
    "batch_size": 16,
    "lr": 3e-3,
    "weight_decay": 1e-4,
    "lr_schedule": "cosine",
}
DEFAULT = {"lookback": 12, "linear_skip": True, "normalization": "last"}  # what the selection picks
GRID = {
    "lookback": (12, 24, 36),
    "linear_skip": (False, True),
    "normalization": ("mean", "last"),
}
ORIGINS = (72, 84, 96)  # months fitted before each validation forecast of TEST_MONTHS months
AR_LAGS = (12, 13, 24, 36)
QUOTED_REFERENCES = {
    "sarima_011_011_12_log_rmse": 43.19,
    "sarima_011_011_12_log_bias_adjusted_rmse": 40.64,
    "holt_winters_rmse": 32.5,
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--selection-seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--no-select", action="store_true", help="skip the selection and the grid, use DEFAULT")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes, one torch thread each")
    parser.add_argument("--no-write", action="store_true", help="print only, write no result file")
    return parser.parse_args()


def lstm_forecast(history: np.ndarray, config: dict[str, Any], seed: int, steps: int) -> np.ndarray:
    torch.set_num_threads(1)
    forecaster = train_forecaster(history, seed=seed, **{**FIXED, **config})
    return forecaster.predict(history, steps=steps)


def _task(args: tuple[np.ndarray, dict[str, Any], int]) -> np.ndarray:
    history, config, seed = args
    return lstm_forecast(history, config, seed, TEST_MONTHS)


def run_all(pool: ProcessPoolExecutor, tasks: list[tuple[np.ndarray, dict[str, Any], int]]) -> list[np.ndarray]:
    return list(pool.map(_task, tasks))


def linear_start_forecast(history: np.ndarray, config: dict[str, Any], steps: int) -> np.ndarray:
    """The forecast of a linear-skip configuration before any training: its least-squares linear part alone."""
    settings = {**FIXED, **config}
    lookback, horizon = settings["lookback"], settings["horizon"]
    scaler = make_scaler(settings["scaling"]).fit(history)
    x, y = sliding_windows(scaler.transform(history), lookback, horizon)
    model = SequenceForecaster(
        1,
        horizon,
        hidden_size=settings["hidden_size"],
        normalization=settings["normalization"],
        linear_skip=True,
        lookback=lookback,
    )
    model.init_linear_skip(torch.as_tensor(x, dtype=torch.float32), torch.as_tensor(y, dtype=torch.float32))
    return Forecaster(model, scaler, lookback=lookback, model_name="sequence").predict(history, steps)


def label(config: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in config.items())


def select(
    pool: ProcessPoolExecutor, train: np.ndarray, configs: list[dict[str, Any]], seeds: list[int]
) -> list[dict[str, Any]]:
    """Rolling-origin validation inside the training years: mean RMSE over ORIGINS x seeds per config."""
    tasks = [(train[:origin], c, s) for c in configs for origin in ORIGINS for s in seeds]
    forecasts = iter(run_all(pool, tasks))
    scores = []
    for config in configs:
        runs = [rmse(train[o : o + TEST_MONTHS], next(forecasts)) for o in ORIGINS for _ in seeds]
        scores.append({**config, "valid_rmse_mean": float(np.mean(runs)), "valid_rmse": [round(r, 2) for r in runs]})
        print(f"  select {label(config)}: valid RMSE {np.mean(runs):.2f} {np.round(runs, 1).tolist()}", flush=True)
    return scores


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
    started = time.perf_counter()
    series = load_air_passengers()
    values = series.values[:, 0]
    split = series.row_of("1959-01")
    train, test = values[:split], values[split:]
    assert len(train) == 120 and len(test) == TEST_MONTHS

    configs = (
        [dict(DEFAULT)]
        if args.no_select
        else [dict(zip(GRID, v, strict=True)) for v in itertools.product(*GRID.values())]
    )
    with ProcessPoolExecutor(args.jobs) as pool:
        selection = [] if args.no_select else select(pool, train, configs, args.selection_seeds)
        config = (
            dict(DEFAULT)
            if args.no_select
            else {k: min(selection, key=lambda s: s["valid_rmse_mean"])[k] for k in GRID}
        )
        print(f"configuration: {config} + {FIXED}", flush=True)
        # the ablation: every configuration (and the selected one on plain standard scaling) on the test years
        variants = [*configs, {**config, "scaling": "standard"}]
        tasks = [(train, c, s) for c in variants for s in args.seeds]
        forecasts = iter(run_all(pool, tasks))
        test_forecasts = {label(c): [next(forecasts) for _ in args.seeds] for c in variants}
    ablation = []
    for variant in variants:
        runs = [rmse(test, f) for f in test_forecasts[label(variant)]]
        scores = next(
            (s for s in selection if all(s[k] == variant.get(k) for k in GRID) and "scaling" not in variant), None
        )
        ablation.append(
            {
                **variant,
                "valid_rmse_mean": None if scores is None else scores["valid_rmse_mean"],
                "test_rmse_mean": float(np.mean(runs)),
                "test_rmse_std": float(np.std(runs, ddof=1)) if len(runs) > 1 else 0.0,
                "test_rmse": [round(r, 2) for r in runs],
                "selected": variant == config,
            }
        )
        print(f"  test {label(variant)}: RMSE {np.mean(runs):.2f} ± {ablation[-1]['test_rmse_std']:.2f}", flush=True)
    chosen = test_forecasts[label(config)]
    per_seed = [forecast_metrics(test, f, y_train=train, season=SEASON) for f in chosen]
    for seed, m in zip(args.seeds, per_seed, strict=True):
        print(f"  seed {seed}: RMSE {m['rmse']:.2f}", flush=True)
    rmses = np.array([m["rmse"] for m in per_seed])
    ensemble = forecast_metrics(test, np.mean(chosen, axis=0), y_train=train, season=SEASON)
    linear_start = rmse(test, linear_start_forecast(train, config, TEST_MONTHS)) if config["linear_skip"] else None

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
        "lstm_seed_ensemble_rmse": ensemble["rmse"],
        "lstm_seed_ensemble_mae": ensemble["mae"],
    }
    if linear_start is not None:  # the selected configuration's linear skip alone, before training
        metrics["linear_start_rmse"] = linear_start
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
            "protocol": (
                f"rolling origin: fit the first {', '.join(map(str, ORIGINS))} months, score the next "
                f"{TEST_MONTHS} months after each; mean RMSE over origins and seeds"
            ),
            "seeds": args.selection_seeds,
            "grid": {k: list(v) for k, v in GRID.items()},
            "scores": selection,
        }
        if not args.no_select
        else "skipped (--no-select): DEFAULT, the configuration an earlier run with the selection picked",
        "ablation": ablation,
        "seed_ensemble": "the mean of the selected configuration's forecasts over all seeds",
        "linear_start": "the selected configuration's least-squares linear skip alone, before the LSTM is trained",
        "linear_ar_lags": lags,
        "linear_ar_lag_choices": list(AR_LAGS),
        "threads": 1,
        "jobs": args.jobs,
        "statsmodels": computed is not None,
        "quoted_references_not_computed_here": None if computed is not None else QUOTED_REFERENCES,
    }
    print(
        f"LSTM RMSE {rmses.mean():.2f} ± {metrics['lstm_rmse_std']:.2f} over seeds {args.seeds} "
        f"({np.round(rmses, 2).tolist()}), seed ensemble {ensemble['rmse']:.2f}, linear start {linear_start}; "
        f"seasonal naive {metrics['seasonal_naive_rmse']:.2f}, "
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
