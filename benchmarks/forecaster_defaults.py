"""How ``train_forecaster``'s defaults do on several real series against seasonal naive.

``train_forecaster`` is meant to be usable on a series nobody tuned it for, so its defaults are checked on
several series of different kinds — a multiplicative monthly series (AirPassengers), a noisy cycle that is
not a calendar season (monthly sunspots, last 70 years), an hourly series (ETTh1 ``OT``, first 1,500 hours)
and a synthetic trend + season + noise series — each with the last rows held out, the forecaster trained
on the rows before them (two seeds) and compared with the seasonal naive forecast of the same history.
The previous defaults (last-value normalisation, learning rate 1e-3, constant) are scored beside them.

Usage::

    python benchmarks/forecaster_defaults.py            # writes benchmarks/results/forecaster_defaults-*.json
    python benchmarks/forecaster_defaults.py --no-write

Reads the series the package carries (``rnn_guide.data.resolve``; ``$RNN_GUIDE_DATA`` overrides).
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np
import torch

from rnn_guide.forecaster import train_forecaster
from rnn_guide.results import write_result
from rnn_guide.timeseries import load_air_passengers, load_etth1, load_sunspots

#: Settings compared: the current defaults (no overrides) and the previous ones.
VARIANTS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "previous_defaults": {"normalization": "last", "lr": 1e-3, "lr_schedule": "constant"},
}


def cases() -> list[tuple[str, np.ndarray, int, int, int, int]]:
    """``(name, series, test_size, season, lookback, horizon)`` for each series."""
    rng = np.random.default_rng(5)
    t = np.arange(240)
    synthetic = 50 + 0.1 * t + 5 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 1, 240)
    return [
        ("air_passengers", load_air_passengers().values[:, 0], 24, 12, 24, 12),
        ("sunspots_last_840_months", load_sunspots().values[-840:, 0], 24, 12, 120, 12),
        ("etth1_ot_first_1500_hours", load_etth1(columns=["OT"]).values[:1500, 0], 96, 24, 48, 24),
        ("synthetic_trend_season_noise", synthetic, 36, 12, 24, 12),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    started = time.perf_counter()
    metrics: dict[str, float] = {}
    for name, series, test_size, season, lookback, horizon in cases():
        for variant, overrides in VARIANTS.items():
            rmses = []
            for seed in args.seeds:
                forecaster = train_forecaster(
                    series[:-test_size], lookback=lookback, horizon=horizon, seed=seed, **overrides
                )
                scores = forecaster.evaluate(series, test_size=test_size, season=season)
                rmses.append(scores["forecaster"]["rmse"])
            metrics[f"{name}_{variant}_rmse_mean"] = float(np.mean(rmses))
            for seed, value in zip(args.seeds, rmses, strict=True):
                metrics[f"{name}_{variant}_rmse_seed_{seed}"] = float(value)
            print(f"{name:30} {variant:18} RMSE {np.round(rmses, 2).tolist()}", flush=True)
        metrics[f"{name}_seasonal_naive_rmse"] = float(scores["seasonal_naive"]["rmse"])
        print(f"{name:30} {'seasonal naive':18} RMSE {scores['seasonal_naive']['rmse']:.2f}", flush=True)
    config = {
        "cases": [
            {"name": n, "rows": len(s), "test_size": ts, "season": m, "lookback": lb, "horizon": h}
            for n, s, ts, m, lb, h in cases()
        ],
        "variants": VARIANTS,
        "seeds": args.seeds,
        "threads": args.threads,
    }
    if not args.no_write:
        duration = time.perf_counter() - started
        print("wrote", write_result("forecaster_defaults", metrics=metrics, config=config, duration_s=duration))


if __name__ == "__main__":
    main()
