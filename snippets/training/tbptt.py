"""Truncated BPTT: a stateful loop, the error without detach(), memory and length."""

import os
from pathlib import Path

FIGURES = Path(os.environ.get("RNN_GUIDE_FIGURE_DIR", "docs/assets/figures"))

# --8<-- [start:stateful]
import torch
from torch import nn

torch.manual_seed(0)

# One long series per stream: (T, N, 1) = 1000 steps, 4 streams
t = torch.arange(1000, dtype=torch.float32)
series = torch.stack([torch.sin(0.05 * t + phase) for phase in range(4)], dim=1)
series = (series + 0.05 * torch.randn_like(series)).unsqueeze(-1)

lstm, head = nn.LSTM(1, 16), nn.Linear(16, 1)
optimizer = torch.optim.Adam([*lstm.parameters(), *head.parameters()], lr=0.01)
window = 50  # truncation length k: gradients flow back at most 50 steps

for epoch in range(3):
    state, losses = None, []  # (h, c): zeros at the start of each pass
    for start in range(0, len(series) - window, window):
        x = series[start : start + window]  # (k, N, 1)
        y = series[start + 1 : start + window + 1]  # next value of each step
        output, state = lstm(x, state)
        loss = nn.functional.mse_loss(head(output), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        state = tuple(s.detach() for s in state)  # keep the values, cut the graph
        losses.append(loss.item())
    mean = sum(losses) / len(losses)
    print(f"epoch {epoch}: {len(losses)} windows, mean loss {mean:.4f}")
print("h carried on:", tuple(state[0].shape), "grad_fn:", state[0].grad_fn)
# --8<-- [end:stateful]

assert state[0].grad_fn is None and losses[-1] < 0.05

# --8<-- [start:no-detach]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the series, the layer and the head from above
t = torch.arange(1000, dtype=torch.float32)
series = torch.stack([torch.sin(0.05 * t + phase) for phase in range(4)], dim=1)
series = (series + 0.05 * torch.randn_like(series)).unsqueeze(-1)
lstm, head = nn.LSTM(1, 16), nn.Linear(16, 1)
window = 50

state = None
try:
    for start in (0, window):
        x = series[start : start + window]
        y = series[start + 1 : start + window + 1]
        output, state = lstm(x, state)  # state still points into the last graph
        loss = nn.functional.mse_loss(head(output), y)
        loss.backward()  # the second call walks into the freed first graph
        print(f"window at {start}: backward() done")
except RuntimeError as error:
    message = str(error)
    print("RuntimeError:", message.split(". ")[0] + ".")
# --8<-- [end:no-detach]

assert start == window and "backward through the graph a second time" in message

# --8<-- [start:retain-graph]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the series, the layer and the head from above
t = torch.arange(1000, dtype=torch.float32)
series = torch.stack([torch.sin(0.05 * t + phase) for phase in range(4)], dim=1)
series = (series + 0.05 * torch.randn_like(series)).unsqueeze(-1)
lstm, head = nn.LSTM(1, 16), nn.Linear(16, 1)
optimizer = torch.optim.Adam([*lstm.parameters(), *head.parameters()], lr=1e-2)
window = 50

state = None
try:
    for start in (0, window):
        x = series[start : start + window]
        y = series[start + 1 : start + window + 1]
        output, state = lstm(x, state)
        loss = nn.functional.mse_loss(head(output), y)
        optimizer.zero_grad()
        loss.backward(retain_graph=True)  # keeps the first graph alive ...
        optimizer.step()  # ... but changes the weights it saved, in place
        print(f"window at {start}: backward() and step() done")
except RuntimeError as error:
    message = str(error)
    print("RuntimeError:", message.split(": [")[0] + ".")
# --8<-- [end:retain-graph]

assert start == window and "modified by an inplace operation" in message


# --8<-- [start:saved-bytes-en]
import torch
from torch import nn


def saved_bytes(run):
    """Bytes of the distinct storages that autograd saves for backward in run()."""
    storages = {}

    def pack(tensor):
        storage = tensor.untyped_storage()
        storages[storage.data_ptr()] = storage.nbytes()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        run()
    return sum(storages.values())


torch.manual_seed(0)
lstm = nn.LSTM(input_size=8, hidden_size=64)
batch, k = 16, 50


def full_bptt(length):
    x = torch.randn(length, batch, 8)
    return lambda: lstm(x)[0].sum()  # one graph over the whole sequence


def one_window():
    x = torch.randn(k, batch, 8)
    h, c = torch.zeros(1, batch, 64), torch.zeros(1, batch, 64)  # carried state
    return lambda: lstm(x, (h, c))[0].sum()  # the graph never holds more than k steps


lengths = [50, 100, 200, 400, 800]
full = [saved_bytes(full_bptt(n)) for n in lengths]
truncated = [saved_bytes(one_window()) for _ in lengths]
growth = (full[-1] - full[0]) / (lengths[-1] - lengths[0])  # bytes per step
print("| L | full BPTT (MiB) | truncated BPTT, k = 50 (MiB) |")
print("|--:|--:|--:|")
for n, a, b in zip(lengths, full, truncated, strict=True):
    print(f"| {n} | {a / 2**20:.2f} | {b / 2**20:.2f} |")
print(f"\nFull BPTT grows by {growth / 1024:.1f} KiB per time step.")
# --8<-- [end:saved-bytes-en]

from rnn_guide.gradients import saved_tensor_bytes

# The package's copy of saved_bytes, which the figure's block uses, measures the same.
assert saved_tensor_bytes(full_bptt(100)) == saved_bytes(full_bptt(100))

# --8<-- [start:saved-bytes-zh]
import torch
from torch import nn


def saved_bytes(run):
    """Bytes of the distinct storages that autograd saves for backward in run()."""
    storages = {}

    def pack(tensor):
        storage = tensor.untyped_storage()
        storages[storage.data_ptr()] = storage.nbytes()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        run()
    return sum(storages.values())


torch.manual_seed(0)
lstm = nn.LSTM(input_size=8, hidden_size=64)
batch, k = 16, 50


def full_bptt(length):
    x = torch.randn(length, batch, 8)
    return lambda: lstm(x)[0].sum()  # one graph over the whole sequence


def one_window():
    x = torch.randn(k, batch, 8)
    h, c = torch.zeros(1, batch, 64), torch.zeros(1, batch, 64)  # carried state
    return lambda: lstm(x, (h, c))[0].sum()  # the graph never holds more than k steps


lengths = [50, 100, 200, 400, 800]
full = [saved_bytes(full_bptt(n)) for n in lengths]
truncated = [saved_bytes(one_window()) for _ in lengths]
growth = (full[-1] - full[0]) / (lengths[-1] - lengths[0])  # bytes per step
print("| L | 完整 BPTT（MiB） | 截断 BPTT，k = 50（MiB） |")
print("|--:|--:|--:|")
for n, a, b in zip(lengths, full, truncated, strict=True):
    print(f"| {n} | {a / 2**20:.2f} | {b / 2**20:.2f} |")
print(f"\n完整 BPTT 每多一个时间步，多保存 {growth / 1024:.1f} KiB。")
# --8<-- [end:saved-bytes-zh]

steps = [
    (b - a) / (m - n)
    for n, m, a, b in zip(lengths, lengths[1:], full, full[1:], strict=False)
]
assert max(steps) < 1.01 * min(steps)  # linear in L
assert len(set(truncated)) == 1

# --8<-- [start:plot-en]
import torch
from torch import nn

from rnn_guide.gradients import saved_tensor_bytes
from rnn_guide.plotting.memory import plot_bptt_memory

# set-up: the measurement above, with the package's saved_tensor_bytes
torch.manual_seed(0)
lstm = nn.LSTM(input_size=8, hidden_size=64)
batch, k = 16, 50
h, c = torch.zeros(1, batch, 64), torch.zeros(1, batch, 64)
lengths = [50, 100, 200, 400, 800]
full = [
    saved_tensor_bytes(lambda n=n: lstm(torch.randn(n, batch, 8))[0].sum())
    for n in lengths
]
window = [saved_tensor_bytes(lambda: lstm(torch.randn(k, batch, 8), (h, c))[0].sum())]
truncated = window * len(lengths)  # the same for every L: the graph holds k steps

fig = plot_bptt_memory(lengths, full, truncated, window=k, language="en")
# --8<-- [end:plot-en]

save_figure_en = fig
# --8<-- [start:plot-zh]
import torch
from torch import nn

from rnn_guide.gradients import saved_tensor_bytes
from rnn_guide.plotting.memory import plot_bptt_memory

# set-up: the measurement above, with the package's saved_tensor_bytes
torch.manual_seed(0)
lstm = nn.LSTM(input_size=8, hidden_size=64)
batch, k = 16, 50
h, c = torch.zeros(1, batch, 64), torch.zeros(1, batch, 64)
lengths = [50, 100, 200, 400, 800]
full = [
    saved_tensor_bytes(lambda n=n: lstm(torch.randn(n, batch, 8))[0].sum())
    for n in lengths
]
window = [saved_tensor_bytes(lambda: lstm(torch.randn(k, batch, 8), (h, c))[0].sum())]
truncated = window * len(lengths)  # the same for every L: the graph holds k steps

fig = plot_bptt_memory(lengths, full, truncated, window=k, language="zh")
# --8<-- [end:plot-zh]

from rnn_guide.plotting import save_figure

save_figure(save_figure_en, FIGURES / "training-tbptt-memory-en.svg")
save_figure(fig, FIGURES / "training-tbptt-memory-zh.svg")
