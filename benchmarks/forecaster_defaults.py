"""How ``train_forecaster``'s defaults do on several real series against seasonal naive.

``train_forecaster`` is meant to be usable on a series nobody tuned it for, so its defaults are checked on
several series of different kinds — a multiplicative monthly series (AirPassengers), a noisy cycle that is
not a calendar season (monthly sunspots, last 70 years), an hourly series (ETTh1 ``OT``, first 1,500 hours)
and a synthetic trend + season + noise series — each with the last rows held out, the forecaster trained
on the rows before them (five seeds) and compared with the seasonal naive forecast of the same history.
These four series are the ones the defaults were chosen on. Two more series, which the choice never saw,
come from statsmodels when it is installed (``pip install -e .[bench]``): the monthly means of the Mauna
Loa CO2 record and the monthly El Niño sea surface temperatures.

Beside the defaults, the ablation: the previous defaults (no linear skip, no weight decay) and the linear
skip without weight decay.

Usage::

    python benchmarks/forecaster_defaults.py            # writes benchmarks/results/forecaster_defaults-*.json
    python benchmarks/forecaster_defaults.py --no-write

Reads the series the package carries (``rnn_guide.data.resolve``; ``$RNN_GUIDE_DATA`` overrides).
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np
import torch

from rnn_guide.forecaster import train_forecaster
from rnn_guide.results import write_result
from rnn_guide.timeseries import interpolate_missing, load_air_passengers, load_etth1, load_sunspots

#: Settings compared: the current defaults (no overrides) and the ablation.
VARIANTS: dict[str, dict[str, Any]] = {
    "defaults": {},
    "linear_skip_without_weight_decay": {"weight_decay": 0.0},
    "previous_defaults": {"linear_skip": False, "weight_decay": 0.0},
}
Case = tuple[str, np.ndarray, int, int, int, int]


def cases() -> list[Case]:
    """``(name, series, test_size, season, lookback, horizon)`` for each series the defaults were chosen on."""
    rng = np.random.default_rng(5)
    t = np.arange(240)
    synthetic = 50 + 0.1 * t + 5 * np.sin(2 * np.pi * t / 12) + rng.normal(0, 1, 240)
    return [
        ("air_passengers", load_air_passengers().values[:, 0], 24, 12, 24, 12),
        ("sunspots_last_840_months", load_sunspots().values[-840:, 0], 24, 12, 120, 12),
        ("etth1_ot_first_1500_hours", load_etth1(columns=["OT"]).values[:1500, 0], 96, 24, 48, 24),
        ("synthetic_trend_season_noise", synthetic, 36, 12, 24, 12),
    ]


def unseen_cases() -> list[Case]:
    """Series the defaults were not chosen on, shipped with statsmodels; empty without it."""
    try:
        from statsmodels.datasets import co2, elnino
    except ImportError:
        return []
    weekly = co2.load_pandas().data["co2"]
    monthly_co2 = interpolate_missing(weekly.resample("MS").mean().to_numpy())
    nino = elnino.load_pandas().data.drop(columns="YEAR").to_numpy().reshape(-1)  # 1950-01 .. 2010-12
    return [
        ("statsmodels_co2_monthly", monthly_co2, 24, 12, 24, 12),
        ("statsmodels_elnino_monthly", nino, 24, 12, 24, 12),
    ]


def run(task: tuple[Case, str, int]) -> tuple[float, float]:
    """Test RMSE of one (series, variant, seed), and of seasonal naive on the same history."""
    (_, series, test_size, season, lookback, horizon), variant, seed = task
    torch.set_num_threads(1)
    forecaster = train_forecaster(
        series[:-test_size], lookback=lookback, horizon=horizon, seed=seed, progress=False, **VARIANTS[variant]
    )
    scores = forecaster.evaluate(series, test_size=test_size, season=season)
    return scores["forecaster"]["rmse"], scores["seasonal_naive"]["rmse"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    parser.add_argument("--jobs", type=int, default=2, help="worker processes, one torch thread each")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    chosen_on, unseen = cases(), unseen_cases()
    tasks = [(case, variant, seed) for case in chosen_on + unseen for variant in VARIANTS for seed in args.seeds]
    with ProcessPoolExecutor(args.jobs) as pool:
        outcomes = dict(zip(((c[0], v, s) for c, v, s in tasks), pool.map(run, tasks), strict=True))
    metrics: dict[str, float] = {}
    for name, *_ in chosen_on + unseen:
        naive_rmse = outcomes[(name, "defaults", args.seeds[0])][1]
        metrics[f"{name}_seasonal_naive_rmse"] = float(naive_rmse)
        for variant in VARIANTS:
            rmses = [outcomes[(name, variant, seed)][0] for seed in args.seeds]
            metrics[f"{name}_{variant}_rmse_mean"] = float(np.mean(rmses))
            metrics[f"{name}_{variant}_rmse_max"] = float(np.max(rmses))
            metrics[f"{name}_{variant}_seeds_beating_seasonal_naive"] = int(sum(r < naive_rmse for r in rmses))
            for seed, value in zip(args.seeds, rmses, strict=True):
                metrics[f"{name}_{variant}_rmse_seed_{seed}"] = float(value)
            print(f"{name:30} {variant:34} RMSE {np.round(rmses, 2).tolist()}", flush=True)
        print(f"{name:30} {'seasonal naive':34} RMSE {naive_rmse:.2f}", flush=True)
    config = {
        "cases": [
            {"name": n, "rows": len(s), "test_size": ts, "season": m, "lookback": lb, "horizon": h}
            for n, s, ts, m, lb, h in chosen_on + unseen
        ],
        "chosen_on": [c[0] for c in chosen_on],
        "not_used_to_choose_the_defaults": [c[0] for c in unseen],
        "variants": VARIANTS,
        "seeds": args.seeds,
        "threads": 1,
        "jobs": args.jobs,
    }
    if not args.no_write:
        duration = time.perf_counter() - started
        print("wrote", write_result("forecaster_defaults", metrics=metrics, config=config, duration_s=duration))


if __name__ == "__main__":
    main()
