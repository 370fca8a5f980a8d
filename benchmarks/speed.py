"""Training-step throughput of recurrent layers on the CPU: implementations, packing, batch size, threads.

One *training step* is a forward pass over a batch of sequences and ``backward()`` of a scalar loss (no
optimizer step, which costs the same in every variant). Throughput is reported in samples (sequences) per
second of wall-clock time. The compared settings, all with ``input_size=32``, ``hidden_size=128``, one layer:

* **implementation** (batch 32, length 64, 1 thread): the fused ``nn.LSTM``; a Python loop over
  ``nn.LSTMCell``; ``torch.compile`` of that whole loop module; ``torch.compile`` of the cell only (the loop
  stays in Python). Compilation runs once, before timing, under a time limit (``--compile-timeout``); a
  compilation that fails or runs out of time is recorded in ``config["compile"]`` and has no metric.
* **packing** (batch 32, 1 thread): sequences of random lengths between 8 and 64, run as one padded tensor
  of length 64 or as a ``PackedSequence`` (``pack_padded_sequence(..., enforce_sorted=False)``).
* **batch size and threads**: the fused ``nn.LSTM`` (length 64) with batch sizes 1 to 256, with 1 and 2
  PyTorch threads (``torch.set_num_threads``).

The machine may be shared with other programs, so every setting is measured ``--repeats`` times, the
settings interleaved in a different (seeded) order in each round, and the file records the median and the
quartiles over rounds, plus the load average before and after. Each measurement runs a fixed number of
steps, calibrated once so that one measurement takes about ``--target-seconds``.

The result is written with ``rnn_guide.results.write_result`` under the name ``speed``.

Usage::

    nice -n 10 python benchmarks/speed.py                    # a few minutes on 2 cores
    python benchmarks/speed.py --repeats 3 --no-write         # a quick look
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import time
import traceback
from collections.abc import Callable
from typing import Any

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from rnn_guide.results import write_result

SEED = 0
INPUT_SIZE = 32
HIDDEN_SIZE = 128
SEQ_LEN = 64
IMPLEMENTATION_BATCH = 32
BATCH_SIZES = (1, 4, 16, 64, 256)
THREADS = (1, 2)


class LSTMCellLoop(nn.Module):
    """The LSTM written as a Python loop over ``nn.LSTMCell``: ``(L, N, H_in)`` -> ``(L, N, H)``."""

    def __init__(self, input_size: int, hidden_size: int) -> None:
        super().__init__()
        self.cell = nn.LSTMCell(input_size, hidden_size)
        self.hidden_size = hidden_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x.new_zeros(x.shape[1], self.hidden_size)  # (N, H)
        c = h
        outputs = []
        for t in range(x.shape[0]):
            h, c = self.cell(x[t], (h, c))
            outputs.append(h)
        return torch.stack(outputs)  # (L, N, H)


def fused_step(lstm: nn.LSTM, x: torch.Tensor) -> Callable[[], None]:
    def step() -> None:
        output, _ = lstm(x)
        output.sum().backward()

    return step


def module_step(module: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor) -> Callable[[], None]:
    def step() -> None:
        module(x).sum().backward()

    return step


def packed_step(lstm: nn.LSTM, x: torch.Tensor, lengths: torch.Tensor) -> Callable[[], None]:
    def step() -> None:
        packed = pack_padded_sequence(x, lengths, enforce_sorted=False)
        output, _ = lstm(packed)
        output.data.sum().backward()

    return step


class CompileTimeout(Exception):
    """Raised by the alarm when compilation runs past its time limit."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise CompileTimeout


def try_compile(
    make_step: Callable[[], Callable[[], None]], timeout_s: int
) -> tuple[Callable[[], None] | None, str, float]:
    """Build a compiled step and run it twice within ``timeout_s`` seconds.

    Returns (step or None, status text, seconds spent compiling).
    """
    started = time.perf_counter()
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(timeout_s)
    try:
        step = make_step()
        step()  # compiles forward and backward
        step()
        status = "ok"
    except CompileTimeout:
        step, status = None, f"did not finish within {timeout_s} s"
    except Exception as error:  # any failure of the compiler is a result to record
        step = None
        last = traceback.format_exception_only(type(error), error)[0].strip()
        # "CompileTimeout" in the message: the alarm fired inside the compiler, which wrapped it
        timed_out = "CompileTimeout" in last
        status = f"did not finish within {timeout_s} s" if timed_out else f"failed: {last[:300]}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return step, status, time.perf_counter() - started


def calibrate(step: Callable[[], None], threads: int, target_s: float) -> int:
    """Number of steps that take about ``target_s`` seconds (at least 2)."""
    torch.set_num_threads(threads)
    step()  # warm-up
    started = time.perf_counter()
    runs = 0
    while time.perf_counter() - started < target_s / 4 or runs < 1:
        step()
        runs += 1
    per_step = (time.perf_counter() - started) / runs
    return max(2, round(target_s / per_step))


def measure(step: Callable[[], None], threads: int, steps: int, batch: int) -> float:
    """Samples per second of wall-clock time over ``steps`` steps with ``threads`` threads."""
    torch.set_num_threads(threads)
    step()  # one untimed step after a thread change
    started = time.perf_counter()
    for _ in range(steps):
        step()
    return steps * batch / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=9, help="rounds; every setting is measured once per round")
    parser.add_argument("--target-seconds", type=float, default=0.3, help="length of one measurement")
    parser.add_argument("--compile-timeout", type=int, default=150, help="seconds allowed per torch.compile")
    parser.add_argument("--no-compile", action="store_true", help="skip torch.compile")
    parser.add_argument("--directory", default="benchmarks/results", help="where to write the result file")
    parser.add_argument("--no-write", action="store_true", help="print only, write no result file")
    args = parser.parse_args()

    started = time.perf_counter()
    load_before = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
    torch.manual_seed(SEED)
    torch.set_num_threads(1)

    lstm = nn.LSTM(INPUT_SIZE, HIDDEN_SIZE)
    loop = LSTMCellLoop(INPUT_SIZE, HIDDEN_SIZE)
    x = torch.randn(SEQ_LEN, IMPLEMENTATION_BATCH, INPUT_SIZE)
    lengths = torch.randint(8, SEQ_LEN + 1, (IMPLEMENTATION_BATCH,))
    padded = x.clone()
    for n, length in enumerate(lengths.tolist()):
        padded[length:, n] = 0.0

    # name -> (step, threads, batch size)
    settings: dict[str, tuple[Callable[[], None], int, int]] = {
        "fused_lstm": (fused_step(lstm, x), 1, IMPLEMENTATION_BATCH),
        "lstm_cell_loop": (module_step(loop, x), 1, IMPLEMENTATION_BATCH),
        "padded": (fused_step(lstm, padded), 1, IMPLEMENTATION_BATCH),
        "packed": (packed_step(lstm, padded, lengths), 1, IMPLEMENTATION_BATCH),
    }
    for batch in BATCH_SIZES:
        xb = torch.randn(SEQ_LEN, batch, INPUT_SIZE)
        for threads in THREADS:
            settings[f"batch_size_{batch}_threads_{threads}"] = (fused_step(lstm, xb), threads, batch)

    compile_status: dict[str, Any] = {}
    if args.no_compile:
        compile_status = {"compiled_lstm_cell_loop": "not run (--no-compile)", "compiled_cell_step": "not run"}
    else:
        variants: dict[str, Callable[[], Callable[[], None]]] = {
            "compiled_lstm_cell_loop": lambda: module_step(torch.compile(loop), x),
            "compiled_cell_step": lambda: module_step(_loop_with_compiled_cell(loop), x),
        }
        for name, make in variants.items():
            torch.set_num_threads(1)
            step, status, seconds = try_compile(make, args.compile_timeout)
            compile_status[name] = {"status": status, "compile_seconds": round(seconds, 1)}
            print(f"{name}: {status} ({seconds:.1f} s)", flush=True)
            if step is not None:
                settings[name] = (step, 1, IMPLEMENTATION_BATCH)

    steps = {name: calibrate(step, threads, args.target_seconds) for name, (step, threads, _) in settings.items()}
    samples: dict[str, list[float]] = {name: [] for name in settings}
    order = list(settings)
    shuffler = random.Random(SEED)
    for repeat in range(args.repeats):
        shuffler.shuffle(order)
        for name in order:
            step, threads, batch = settings[name]
            samples[name].append(measure(step, threads, steps[name], batch))
        print(f"round {repeat + 1}/{args.repeats} done", flush=True)
    torch.set_num_threads(1)

    metrics: dict[str, float] = {}
    for name, values in samples.items():
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
        metrics[f"{name}_samples_per_second"] = median
        metrics[f"{name}_samples_per_second_lower_quartile"] = q1
        metrics[f"{name}_samples_per_second_upper_quartile"] = q3
        print(f"{name:36} {median:10.1f} samples/s (quartiles {q1:.1f} to {q3:.1f})")
    for name, info in compile_status.items():
        if isinstance(info, dict) and info["status"] == "ok":
            metrics[f"{name}_compile_seconds"] = info["compile_seconds"]

    load_after = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None
    config = {
        "repeats": args.repeats,
        "target_seconds": args.target_seconds,
        "steps_per_measurement": steps,
        "input_size": INPUT_SIZE,
        "hidden_size": HIDDEN_SIZE,
        "seq_len": SEQ_LEN,
        "implementation_batch_size": IMPLEMENTATION_BATCH,
        "batch_sizes": list(BATCH_SIZES),
        "threads": list(THREADS),
        "packed_lengths": lengths.tolist(),
        "step": "forward + backward of output.sum(), no optimizer",
        "timer": "time.perf_counter (wall clock)",
        "statistic": "median over rounds; quartiles alongside",
        "compile": compile_status,
        "compile_timeout_seconds": args.compile_timeout,
        "device": "cpu",
        "load_average_before": load_before,
        "load_average_after": load_after,
        "shared_machine": True,
    }
    if not args.no_write:
        path = write_result(
            "speed", metrics=metrics, config=config, duration_s=time.perf_counter() - started, directory=args.directory
        )
        print(f"wrote {path}")


def _loop_with_compiled_cell(loop: LSTMCellLoop) -> Callable[[torch.Tensor], torch.Tensor]:
    """The same Python loop as ``loop``, calling a compiled copy of its cell (same parameters)."""
    cell = torch.compile(loop.cell)

    def run(x: torch.Tensor) -> torch.Tensor:
        h = x.new_zeros(x.shape[1], loop.hidden_size)
        c = h
        outputs = []
        for t in range(x.shape[0]):
            h, c = cell(x[t], (h, c))
            outputs.append(h)
        return torch.stack(outputs)

    return run


if __name__ == "__main__":
    main()
