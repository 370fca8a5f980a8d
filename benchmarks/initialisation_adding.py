"""Does the initialisation of an LSTM change how fast it learns a long dependency?

The adding problem (``rnn_guide.tasks.adding_problem``): two values marked among ``--seq-len`` random numbers,
the target is their sum. Always predicting the mean gives a mean squared error of 1/6; a model that has
learned the task gets close to 0. Four initialisations of the same ``nn.LSTM`` (hidden size ``--hidden``)
are compared, each from the same seeds, on the same training batches and the same validation set:

* ``default``: PyTorch's U(-1/sqrt(H), 1/sqrt(H)) for every weight and bias;
* ``orthogonal``: ``nn.init.orthogonal_`` on each gate's (H, H) block of ``weight_hh_l0``;
* ``forget_bias``: the forget gate's bias set to 1 (``bias_ih`` slice 1, ``bias_hh`` slice 0; their sum is
  what the gate sees), Jozefowicz et al. (2015);
* ``orthogonal_forget_bias``: both.

Metrics: for each initialisation, the validation MSE every ``--eval-every`` steps of every seed
(``<init>_seed_<s>_valid_mse_step_<k>``), the final MSE (mean over seeds), and the first evaluated step at
which the MSE fell below ``--solved`` (``<init>_steps_to_solve_mean``; a run that never gets there counts
as ``--steps``, and ``<init>_runs_solved`` says how many did). One PyTorch thread, CPU, deterministic.

Usage::

    nice -n 10 python benchmarks/initialisation_adding.py             # about 5 minutes on one core
    python benchmarks/initialisation_adding.py --steps 200 --no-write  # a quick look
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
from torch import nn

from rnn_guide.results import write_result
from rnn_guide.tasks import ADDING_BASELINE_MSE, adding_problem

INITIALISATIONS = ("default", "orthogonal", "forget_bias", "orthogonal_forget_bias")


class AddingModel(nn.Module):
    """``nn.LSTM`` over ``(N, L, 2)`` and a linear head on the last step's output: ``(N,)``."""

    def __init__(self, hidden_size: int) -> None:
        super().__init__()
        self.lstm = nn.LSTM(2, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        output, _ = self.lstm(x)  # (N, L, H)
        return self.head(output[:, -1]).squeeze(-1)


def initialise(lstm: nn.LSTM, scheme: str) -> None:
    """Apply ``scheme`` to a one-layer ``nn.LSTM`` in place (gate order i, f, g, o)."""
    hidden = lstm.hidden_size
    with torch.no_grad():
        if scheme in ("orthogonal", "orthogonal_forget_bias"):
            for gate in range(4):
                nn.init.orthogonal_(lstm.weight_hh_l0[gate * hidden : (gate + 1) * hidden])
        if scheme in ("forget_bias", "orthogonal_forget_bias"):
            lstm.bias_ih_l0[hidden : 2 * hidden].fill_(1.0)
            lstm.bias_hh_l0[hidden : 2 * hidden].fill_(0.0)


def train_one(
    scheme: str, seed: int, args: argparse.Namespace, valid: tuple[torch.Tensor, torch.Tensor]
) -> list[float]:
    """Train one model; return the validation MSE after every ``eval_every`` steps."""
    torch.manual_seed(seed)
    model = AddingModel(args.hidden)
    initialise(model.lstm, scheme)
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    batches = torch.Generator().manual_seed(1000 + seed)  # the same batches for every scheme
    x_valid, y_valid = valid
    curve = []
    for step in range(1, args.steps + 1):
        x, y = adding_problem(args.batch_size, args.seq_len, generator=batches)
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % args.eval_every == 0:
            with torch.no_grad():
                curve.append(float(nn.functional.mse_loss(model(x_valid), y_valid)))
    return curve


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seq-len", type=int, default=20)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--eval-every", type=int, default=50)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--solved", type=float, default=0.01)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(1)
    start = time.perf_counter()
    valid = adding_problem(1024, args.seq_len, seed=12345)
    metrics: dict[str, float] = {"baseline_mse": ADDING_BASELINE_MSE}
    for scheme in INITIALISATIONS:
        finals, solve_steps, solved = [], [], 0
        for seed in args.seeds:
            curve = train_one(scheme, seed, args, valid)
            for index, value in enumerate(curve):
                metrics[f"{scheme}_seed_{seed}_valid_mse_step_{(index + 1) * args.eval_every:05d}"] = value
            finals.append(curve[-1])
            first = next((i for i, v in enumerate(curve) if v < args.solved), None)
            solved += first is not None
            solve_steps.append(args.steps if first is None else (first + 1) * args.eval_every)
            print(f"{scheme:24} seed {seed}: final MSE {curve[-1]:.4f}, solved at {solve_steps[-1]}", flush=True)
        metrics[f"{scheme}_final_valid_mse_mean"] = statistics.fmean(finals)
        metrics[f"{scheme}_steps_to_solve_mean"] = statistics.fmean(solve_steps)
        metrics[f"{scheme}_runs_solved"] = solved
    duration = time.perf_counter() - start
    print(f"{duration:.0f} s")
    if not args.no_write:
        config = {
            "task": "adding problem, first mark in the first tenth, second in the rest of the first half",
            "model": "nn.LSTM(2, hidden) + nn.Linear(hidden, 1) on the last step",
            "initialisations": list(INITIALISATIONS),
            "seq_len": args.seq_len,
            "hidden_size": args.hidden,
            "steps": args.steps,
            "batch_size": args.batch_size,
            "optimizer": "Adam",
            "learning_rate": args.lr,
            "eval_every": args.eval_every,
            "validation_samples": 1024,
            "seeds": args.seeds,
            "solved_below_mse": args.solved,
            "threads": 1,
        }
        path = write_result("initialisation_adding", metrics=metrics, config=config, duration_s=duration)
        print(path)


if __name__ == "__main__":
    main()
