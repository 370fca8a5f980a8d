"""Where an ETTh1 training epoch of the segment-wise GRU spends its time, and what slows it down.

The model and batches are those of ``benchmarks/forecast_etth1.py`` (multivariate, lookback 720, 512
units, batch 256, every training window). The script times training batches (data loading, forward,
backward, optimizer step) under three conditions, interleaved so that a slow patch of the machine
touches all of them:

* ``alone``: the only job on the machine, float32 (what the benchmark does);
* ``two_jobs``: the same, while a second copy of the same training loop runs on the same cores (what
  happens when two benchmarks are started side by side);
* ``bfloat16``: alone, with ``torch.autocast("cpu", dtype=torch.bfloat16)`` around the forward pass
  (for comparison only; the benchmark trains in float32).

Seconds per epoch are projected from seconds per batch times the batches of one epoch; the validation
pass (forward only over 2,785 windows) comes on top. Each condition is repeated ``--repeats`` times and the
result gives the median and the range.

Usage::

    python benchmarks/etth1_epoch_time.py --repeats 3
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

import torch
from torch.utils.data import DataLoader

from rnn_guide.results import write_result
from rnn_guide.timeseries import ETTH1_SPLIT, StandardScaler, load_etth1, window_datasets
from rnn_guide.timeseries.models import SegmentRecurrentForecaster

CONDITIONS = ("alone", "two_jobs", "bfloat16")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--horizon", type=int, default=96)
    parser.add_argument("--batches", type=int, default=6, help="timed batches per measurement (after one warm-up)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--competitor", action="store_true", help=argparse.SUPPRESS)  # the second job
    parser.add_argument("--no-write", action="store_true", help="print only, write no result file")
    return parser.parse_args()


def setup(horizon: int) -> tuple[SegmentRecurrentForecaster, torch.optim.Optimizer, DataLoader]:
    series = load_etth1().values[: ETTH1_SPLIT.n_rows]
    scaled = StandardScaler().fit(series[ETTH1_SPLIT.train]).transform(series)
    parts = window_datasets(scaled, ETTH1_SPLIT, 720, horizon, stride=1)
    torch.manual_seed(0)
    model = SegmentRecurrentForecaster(7, 720, horizon, d_model=512, dropout=0.5, normalization="last")
    loader = DataLoader(parts["train"], batch_size=256, shuffle=True, generator=torch.Generator().manual_seed(0))
    return model, torch.optim.Adam(model.parameters(), lr=1e-3), loader


def time_batches(model, optimizer, loader, batches: int, *, bfloat16: bool = False) -> dict[str, float]:
    """Seconds per batch of each step, averaged over ``batches`` batches after one warm-up batch."""
    loss_fn = torch.nn.L1Loss()
    totals = {"load": 0.0, "forward": 0.0, "backward": 0.0, "step": 0.0}
    iterator = iter(loader)
    for i in range(batches + 1):
        t0 = time.perf_counter()
        x, y = next(iterator)
        t1 = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bfloat16):
            loss = loss_fn(model(x).float(), y)
        t2 = time.perf_counter()
        optimizer.zero_grad()
        loss.backward()
        t3 = time.perf_counter()
        optimizer.step()
        t4 = time.perf_counter()
        if i:  # the first batch warms up allocators and kernels
            for key, seconds in zip(totals, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                totals[key] += seconds / batches
    return totals


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    model, optimizer, loader = setup(args.horizon)
    if args.competitor:  # train until killed
        while True:
            time_batches(model, optimizer, loader, 4)
    started = time.perf_counter()
    measured: dict[str, list[dict[str, float]]] = {c: [] for c in CONDITIONS}
    for repeat in range(args.repeats):
        for condition in CONDITIONS:
            competitor = None
            if condition == "two_jobs":
                command = [sys.executable, __file__, "--competitor", "--horizon", str(args.horizon)]
                competitor = subprocess.Popen([*command, "--threads", str(args.threads)])
                time.sleep(8)  # let it load the data and start training
            try:
                steps = time_batches(model, optimizer, loader, args.batches, bfloat16=condition == "bfloat16")
            finally:
                if competitor is not None:
                    competitor.kill()
                    competitor.wait()
            measured[condition].append(steps)
            batch = sum(steps.values())
            print(
                f"repeat {repeat + 1}/{args.repeats} {condition:>9}: {batch:.2f} s/batch "
                + ", ".join(f"{k} {v:.3f}" for k, v in steps.items()),
                flush=True,
            )
    batches_per_epoch = len(loader)
    metrics: dict[str, float] = {"batches_per_epoch": batches_per_epoch}
    for condition, runs in measured.items():
        per_epoch = sorted(sum(r.values()) * batches_per_epoch for r in runs)
        metrics[f"{condition}_train_seconds_per_epoch_median"] = statistics.median(per_epoch)
        metrics[f"{condition}_train_seconds_per_epoch_min"] = per_epoch[0]
        metrics[f"{condition}_train_seconds_per_epoch_max"] = per_epoch[-1]
        for step in ("load", "forward", "backward", "step"):
            metrics[f"{condition}_{step}_seconds_per_batch_median"] = statistics.median(r[step] for r in runs)
    for condition in ("two_jobs", "bfloat16"):
        ratios = sorted(
            sum(o.values()) / sum(a.values()) for o, a in zip(measured[condition], measured["alone"], strict=True)
        )
        metrics[f"{condition}_over_alone_ratio_median"] = statistics.median(ratios)
        metrics[f"{condition}_over_alone_ratio_min"] = ratios[0]
        metrics[f"{condition}_over_alone_ratio_max"] = ratios[-1]
    for key, value in metrics.items():
        print(f"{key}: {value:.3f}")
    config = {
        "horizon": args.horizon,
        "lookback": 720,
        "d_model": 512,
        "batch_size": 256,
        "features": "M",
        "batches_timed_per_measurement": args.batches,
        "repeats": args.repeats,
        "threads": args.threads,
        "conditions": list(CONDITIONS),
    }
    if not args.no_write:
        write_result("etth1_epoch_time", metrics=metrics, config=config, duration_s=time.perf_counter() - started)


if __name__ == "__main__":
    main()
