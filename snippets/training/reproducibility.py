"""Reproducibility: seeded runs, DataLoader workers, deterministic algorithms."""

# --8<-- [start:seeded-runs]
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from rnn_guide.devices import seed_everything


def train_once(seed):
    """Build, shuffle and train from one seed; return the final weights."""
    seed_everything(seed)  # random, NumPy, torch (CPU and every GPU)
    model = nn.LSTM(3, 8, batch_first=True)
    head = nn.Linear(8, 1)
    data = TensorDataset(torch.randn(64, 10, 3), torch.randn(64, 1))
    loader = DataLoader(data, batch_size=16, shuffle=True)
    optimizer = torch.optim.Adam([*model.parameters(), *head.parameters()])
    for x, y in loader:
        output, _ = model(x)
        loss = nn.functional.mse_loss(head(output[:, -1]), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return {**model.state_dict(), **head.state_dict()}


def identical(a, b):
    return all(torch.equal(a[name], b[name]) for name in a)


first, second, other = train_once(0), train_once(0), train_once(1)
print("seed 0 twice, bit-identical weights:", identical(first, second))
print("seed 0 and seed 1, identical:       ", identical(first, other))
# --8<-- [end:seeded-runs]

assert identical(first, second) and not identical(first, other)

# --8<-- [start:worker-seeds]
import random

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, get_worker_info


class WorkerDraws(Dataset):
    """Item i: the id of its worker, and one draw each from torch, NumPy and random."""

    def __len__(self):
        return 4

    def __getitem__(self, i):
        worker = get_worker_info().id
        draws = [torch.rand(1).item(), np.random.rand(), random.random()]
        return torch.tensor([worker, *draws])


def draws(seed):
    loader = DataLoader(  # no worker_init_fn
        WorkerDraws(),
        batch_size=1,
        num_workers=2,
        generator=torch.Generator().manual_seed(seed),
    )
    return torch.cat(list(loader))


torch.set_printoptions(precision=4, sci_mode=False)
a, b = draws(seed=0), draws(seed=0)
print("columns: worker, torch, NumPy, random")
print(a)
print("same seed, same draws:     ", torch.equal(a, b))
print("other seed, other draws:   ", not torch.equal(a, draws(seed=1)))
# --8<-- [end:worker-seeds]

assert torch.equal(a, b) and not torch.equal(a, draws(seed=1))

# --8<-- [start:flags]
import os

import torch

from rnn_guide.devices import deterministic_mode

with deterministic_mode():
    print("deterministic algorithms:", torch.are_deterministic_algorithms_enabled())
    print("cudnn.deterministic:     ", torch.backends.cudnn.deterministic)
    print("cudnn.benchmark:         ", torch.backends.cudnn.benchmark)
    print("CUBLAS_WORKSPACE_CONFIG: ", os.environ.get("CUBLAS_WORKSPACE_CONFIG"))
print("after the block:         ", torch.are_deterministic_algorithms_enabled())
# --8<-- [end:flags]

assert not torch.are_deterministic_algorithms_enabled()

# --8<-- [start:error]
import warnings

import torch
from torch import nn

from rnn_guide.devices import deterministic_mode

values = torch.tensor([[[5.0, 7.0]]])  # (N, C, L) after max_pool1d(..., 2)
indices = torch.tensor([[[1, 2]]])  # where each value goes
try:
    with deterministic_mode():
        nn.functional.max_unpool1d(values, indices, kernel_size=2)
except RuntimeError as error:
    message = str(error)
    print("RuntimeError:", message.split(", but")[0])

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    with deterministic_mode(warn_only=True):  # warn and run anyway
        out = nn.functional.max_unpool1d(values, indices, kernel_size=2)
print(f"warn_only=True: {len(caught)} {caught[0].category.__name__}, output {out}")
# --8<-- [end:error]

assert "does not have a deterministic implementation" in message
assert len(caught) == 1

# --8<-- [start:rnn-docs]
from torch import nn

for layer in (nn.RNN, nn.LSTM, nn.GRU):
    note = "cudnn_rnn_determinism" in layer.__doc__
    print(f"{layer.__name__:5} docstring includes the cuDNN determinism note: {note}")
# --8<-- [end:rnn-docs]
