"""How much slower is ``rnn_guide.training.fit`` than a bare, hand-written PyTorch loop?

Both loops train the same LSTM regressor on the same data with the same optimizer, seed and shuffling, one
CPU thread, no progress bar. The bare loop is what one would write by hand: ``zero_grad``, forward, loss,
``backward``, clip (when clipping), ``step``, and ``loss.item()`` for the epoch's mean loss. ``fit`` adds
its bookkeeping: gradient-norm tracking, the non-finite check, the history.

Two settings are timed:

* with clipping: ``fit(clip=max_norm)`` vs ``torch.nn.utils.clip_grad_norm_`` in the bare loop;
* without clipping: ``fit(clip=None)`` (which still computes one gradient norm per step for its history)
  vs a bare loop without any norm.

The loops do the same arithmetic, so they must end with bit-identical weights; the script checks that
for every pair before it reports a time.

Timing: CPU time of this process (``time.process_time``) with one PyTorch thread, so that other programs on
a shared machine disturb the comparison less. The two loops run in pairs, back to back, the order
alternating. ``overhead_percent`` is the median over pairs of ``100 * (fit / bare - 1)`` (the quartiles
show its spread); the seconds per epoch of each loop are medians over all runs, in CPU and wall-clock time.
The result is written with ``rnn_guide.results.write_result``.

Usage::

    python benchmarks/training_overhead.py                                  # about a minute
    python benchmarks/training_overhead.py --repeats 5 --samples 512 --no-write  # a quick look
"""

from __future__ import annotations

import argparse
import copy
import os
import statistics
import time
from typing import Any

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from rnn_guide.devices import seed_everything
from rnn_guide.results import write_result
from rnn_guide.training import fit

SEED = 0


class LSTMRegressor(nn.Module):
    """``nn.LSTM`` over ``(N, L, H_in)`` and a linear head on the last time step's output: ``(N,)``."""

    def __init__(self, input_size: int, hidden_size: int) -> None:
        super().__init__()
        self.lstm = nn.LSTM(input_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        output, _ = self.lstm(x)  # (N, L, H_out)
        return self.head(output[:, -1]).squeeze(-1)


def make_data(samples: int, seq_len: int, input_size: int) -> TensorDataset:
    generator = torch.Generator().manual_seed(SEED)
    x = torch.randn(samples, seq_len, input_size, generator=generator)
    y = x[:, :, 0].mean(dim=1) + 0.1 * torch.randn(samples, generator=generator)
    return TensorDataset(x, y)


def bare_loop(
    model: nn.Module,
    loader: DataLoader,
    optimizer: torch.optim.Optimizer,
    *,
    epochs: int,
    max_norm: float | None,
) -> list[float]:
    """The hand-written loop; returns the mean training loss of each epoch."""
    loss_fn = nn.MSELoss()
    losses = []
    for _ in range(epochs):
        model.train()
        total, count = 0.0, 0
        for x, y in loader:
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), y)
            loss.backward()
            if max_norm is not None:
                torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
            optimizer.step()
            total += loss.item() * len(y)
            count += len(y)
        losses.append(total / count)
    return losses


def run_once(
    kind: str, initial: nn.Module, data: TensorDataset, args: argparse.Namespace, max_norm: float | None
) -> tuple[float, float, dict[str, torch.Tensor]]:
    """Train a copy of ``initial`` with one loop; return (CPU, wall) seconds per epoch and the final weights."""
    model = copy.deepcopy(initial)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    loader = DataLoader(data, batch_size=args.batch_size, shuffle=True)
    seed_everything(SEED)
    cpu_started, wall_started = time.process_time(), time.perf_counter()
    if kind == "fit":
        fit(
            model,
            loader,
            epochs=args.epochs,
            loss_fn=nn.MSELoss(),
            optimizer=optimizer,
            clip=max_norm,
            device="cpu",
            progress=False,
        )
    else:
        bare_loop(model, loader, optimizer, epochs=args.epochs, max_norm=max_norm)
    cpu = time.process_time() - cpu_started
    wall = time.perf_counter() - wall_started
    return cpu / args.epochs, wall / args.epochs, model.state_dict()


def quartiles(values: list[float]) -> tuple[float, float, float]:
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


def compare(
    initial: nn.Module, data: TensorDataset, args: argparse.Namespace, max_norm: float | None
) -> dict[str, Any]:
    """Time both loops ``args.repeats`` times in pairs run back to back (order alternating)."""
    times: dict[str, list[float]] = {"fit": [], "bare": []}
    wall: dict[str, list[float]] = {"fit": [], "bare": []}
    for repeat in range(args.repeats):
        order = ("fit", "bare") if repeat % 2 == 0 else ("bare", "fit")
        weights = {}
        for kind in order:
            cpu_seconds, wall_seconds, weights[kind] = run_once(kind, initial, data, args, max_norm)
            times[kind].append(cpu_seconds)
            wall[kind].append(wall_seconds)
        identical = all(torch.equal(weights["fit"][k], weights["bare"][k]) for k in weights["fit"])
        if not identical:
            raise RuntimeError("fit and the bare loop ended with different weights, so they did different work")
    # Each pair ran within a second, under the same load: the ratio within a pair is the least noisy measure.
    ratios = [100.0 * (f / b - 1.0) for f, b in zip(times["fit"], times["bare"], strict=True)]
    low, overhead, high = quartiles(ratios)
    return {
        "fit": statistics.median(times["fit"]),
        "bare": statistics.median(times["bare"]),
        "overhead_percent": overhead,
        "overhead_low": low,
        "overhead_high": high,
        "fit_wall": statistics.median(wall["fit"]),
        "bare_wall": statistics.median(wall["bare"]),
        "times": times,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=25, help="timed pairs (fit, bare loop) per setting")
    parser.add_argument("--epochs", type=int, default=1, help="epochs per timed run")
    parser.add_argument("--samples", type=int, default=2048)
    parser.add_argument("--seq-len", type=int, default=32)
    parser.add_argument("--input-size", type=int, default=8)
    parser.add_argument("--hidden-size", type=int, default=64)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--max-norm", type=float, default=1.0)
    parser.add_argument("--directory", default="benchmarks/results", help="where to write the result file")
    parser.add_argument("--no-write", action="store_true", help="print only, write no result file")
    args = parser.parse_args()

    started = time.perf_counter()
    # Other programs compete for the CPU on a shared machine; the record says how busy it was.
    load_average = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
    torch.set_num_threads(1)
    data = make_data(args.samples, args.seq_len, args.input_size)
    torch.manual_seed(SEED)
    initial = LSTMRegressor(args.input_size, args.hidden_size)

    # Warm-up: first calls pay one-off costs (imports, allocator growth) that are not the loop's.
    warm_up = argparse.Namespace(**{**vars(args), "epochs": 1})
    for kind in ("fit", "bare"):
        run_once(kind, initial, data, warm_up, args.max_norm)

    clipped = compare(initial, data, args, args.max_norm)
    unclipped = compare(initial, data, args, None)
    metrics = {
        "fit_seconds_per_epoch": clipped["fit"],
        "bare_loop_seconds_per_epoch": clipped["bare"],
        "overhead_percent": clipped["overhead_percent"],
        "overhead_percent_lower_quartile": clipped["overhead_low"],
        "overhead_percent_upper_quartile": clipped["overhead_high"],
        "fit_wall_seconds_per_epoch": clipped["fit_wall"],
        "bare_loop_wall_seconds_per_epoch": clipped["bare_wall"],
        "fit_seconds_per_epoch_without_clipping": unclipped["fit"],
        "bare_loop_seconds_per_epoch_without_clipping": unclipped["bare"],
        "overhead_percent_without_clipping": unclipped["overhead_percent"],
        "overhead_percent_without_clipping_lower_quartile": unclipped["overhead_low"],
        "overhead_percent_without_clipping_upper_quartile": unclipped["overhead_high"],
        "steps_per_epoch": -(-args.samples // args.batch_size),
    }
    for label, result in (("with clipping", clipped), ("without clipping", unclipped)):
        print(
            f"{label}: fit {result['fit'] * 1e3:.1f} ms/epoch, bare loop {result['bare'] * 1e3:.1f} ms/epoch "
            f"(median CPU time); overhead {result['overhead_percent']:+.2f} % "
            f"(quartiles {result['overhead_low']:+.2f} % to {result['overhead_high']:+.2f} %); "
            f"wall clock: fit {result['fit_wall'] * 1e3:.1f}, bare {result['bare_wall'] * 1e3:.1f} ms/epoch"
        )
    config = {
        key: getattr(args, key)
        for key in ("repeats", "epochs", "samples", "seq_len", "input_size", "hidden_size", "batch_size", "lr")
    } | {
        "max_norm": args.max_norm,
        "model": "LSTMRegressor",
        "optimizer": "Adam",
        "device": "cpu",
        "threads": 1,
        "timer": "time.process_time",
        "overhead": "median over pairs of 100 * (fit / bare - 1)",
        "load_average_at_start": load_average,
    }
    if not args.no_write:
        path = write_result(
            "training_overhead",
            metrics=metrics,
            config=config,
            duration_s=time.perf_counter() - started,
            directory=args.directory,
        )
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
