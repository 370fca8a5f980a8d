"""Where packing costs time on the CPU: forward or backward pass, and how it grows with the sequence length.

One ``nn.LSTM(32, 128, batch_first=True)``, batch 32, one thread. For each sequence length L it times
the forward pass and the ``backward()`` of the output's sum separately, for three inputs:

* ``padded``: the padded batch, shape (32, L, 32);
* ``packed``: the same batch packed, lengths drawn uniformly from 1 to L (the batch shrinks step by step);
* ``packed_equal``: packed with every length equal to L (packed, but the batch never shrinks).

The settings are interleaved (padded, packed, packed_equal, padded, ...) and each is repeated; the
metrics are medians of CPU time (``time.process_time``, which a busy machine disturbs less than wall
time) with quartiles. Run it with::

    nice -n 10 python benchmarks/packing_backward.py

The result is written with ``rnn_guide.results.write_result``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from rnn_guide.results import write_result

SETTINGS = ("padded", "packed", "packed_equal")
PHASES = ("forward", "backward")
SEED = 0


def time_once(lstm: nn.LSTM, setting: str, length: int, generator: torch.Generator) -> tuple[float, float]:
    """CPU seconds of one forward pass and of its backward pass."""
    x = torch.randn(32, length, 32, generator=generator)
    if setting == "padded":
        inputs = x
    else:
        lengths = (
            torch.full((32,), length)
            if setting == "packed_equal"
            else torch.randint(1, length + 1, (32,), generator=generator)
        )
        inputs = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    lstm.zero_grad()
    start = time.process_time()
    output, _ = lstm(inputs)
    middle = time.process_time()
    (output if setting == "padded" else output.data).sum().backward()
    end = time.process_time()
    return middle - start, end - middle


def quartiles(values: list[float]) -> tuple[float, float, float]:
    low, median, high = statistics.quantiles(values, n=4, method="inclusive")
    return low, median, high


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lengths", type=int, nargs="+", default=[64, 128, 256])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--directory", default="benchmarks/results", help="where to write the result file")
    parser.add_argument("--no-write", action="store_true", help="print only, write no result file")
    args = parser.parse_args()

    started = time.perf_counter()
    load_average = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    lstm = nn.LSTM(32, 128, batch_first=True)
    generator = torch.Generator().manual_seed(SEED)
    for setting in SETTINGS:  # warm-up: allocator growth, first-call costs
        time_once(lstm, setting, min(args.lengths), generator)

    metrics: dict[str, float] = {}
    for length in args.lengths:
        times: dict[str, list[tuple[float, float]]] = {s: [] for s in SETTINGS}
        for _ in range(args.repeats):
            for setting in SETTINGS:
                times[setting].append(time_once(lstm, setting, length, generator))
        for setting in SETTINGS:
            for index, phase in enumerate(PHASES):
                low, median, high = quartiles([1000 * t[index] for t in times[setting]])
                key = f"{setting}_length_{length}_{phase}_milliseconds"
                metrics[key] = median
                metrics[key + "_lower_quartile"] = low
                metrics[key + "_upper_quartile"] = high
            forward, backward = (
                metrics[f"{setting}_length_{length}_{p}_milliseconds"] for p in ("forward", "backward")
            )
            print(f"L={length:4} {setting:13} forward {forward:7.1f} ms  backward {backward:7.1f} ms")
    config = {
        "lengths": args.lengths,
        "repeats": args.repeats,
        "model": "nn.LSTM(32, 128, batch_first=True)",
        "batch_size": 32,
        "threads": 1,
        "device": "cpu",
        "timer": "time.process_time, medians and quartiles over interleaved repeats",
        "load_average_at_start": load_average,
    }
    if not args.no_write:
        path = write_result(
            "packing_backward",
            metrics=metrics,
            config=config,
            duration_s=time.perf_counter() - started,
            directory=args.directory,
        )
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
