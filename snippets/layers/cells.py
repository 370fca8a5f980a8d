"""Cells and hand-written time loops: shapes, a loop equal to nn.LSTM, decoding."""

import os
from pathlib import Path

FIGURES = Path(os.environ.get("RNN_GUIDE_FIGURE_DIR", "docs/assets/figures"))

# --8<-- [start:one-step]
import torch
from torch import nn

torch.manual_seed(0)
cell = nn.LSTMCell(input_size=3, hidden_size=5)

x_t = torch.randn(2, 3)  # one time step of a batch: (N, H_in)
h, c = cell(x_t)  # the state (h, c) defaults to zeros
print("batched:  ", tuple(x_t.shape), "->", tuple(h.shape), tuple(c.shape))

h1, c1 = cell(x_t[0])  # one step of a single sequence: (H_in,)
print("unbatched:", tuple(x_t[0].shape), "->", tuple(h1.shape), tuple(c1.shape))
print("same numbers as row 0 of the batch:", torch.allclose(h1, h[0]))

gru_cell = nn.GRUCell(input_size=3, hidden_size=5)
print("GRUCell returns h only:", tuple(gru_cell(x_t).shape))
# --8<-- [end:one-step]

# --8<-- [start:mistakes]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the cell and the step from above
cell = nn.LSTMCell(input_size=3, hidden_size=5)
x_t = torch.randn(2, 3)

sequence = torch.randn(7, 2, 3)  # a whole sequence (L, N, H_in)
try:
    cell(sequence)  # a cell takes ONE step
except ValueError as error:
    print("ValueError:", error)

try:
    cell(x_t, torch.zeros(2, 5))  # an LSTMCell needs the pair (h, c)
except TypeError as error:
    print("TypeError:", error)
# --8<-- [end:mistakes]

# --8<-- [start:reference]
import torch
from torch import nn

from rnn_guide import reference

x_t = torch.randn(4, 3, dtype=torch.float64)
h = torch.randn(4, 5, dtype=torch.float64)
c = torch.randn(4, 5, dtype=torch.float64)
for kind in (nn.RNNCell, nn.LSTMCell, nn.GRUCell):
    module = kind(3, 5, dtype=torch.float64)
    state = (h, c) if kind is nn.LSTMCell else h
    ours = reference.forward(module, x_t, state)  # the equations
    theirs = module(x_t, state)
    if kind is nn.LSTMCell:  # compare h' and c'
        pairs = list(zip(ours, theirs, strict=True))
    else:
        pairs = [(ours, theirs)]
    diff = max((a - b).abs().max().item() for a, b in pairs)
    print(f"{kind.__name__:9} max |Δ| < 1e-12: {diff < 1e-12}")
# --8<-- [end:reference]

assert isinstance(diff, float)

# --8<-- [start:loop]
import torch
from torch import nn

torch.manual_seed(0)
lstm = nn.LSTM(input_size=3, hidden_size=5)
cell = nn.LSTMCell(input_size=3, hidden_size=5)
# Same tensors, other names: weight_ih_l0 -> weight_ih, ...
weights = lstm.state_dict()
cell.load_state_dict({k.removesuffix("_l0"): w for k, w in weights.items()})

x = torch.randn(7, 2, 3)  # (L, N, H_in)
h, c = torch.zeros(2, 5), torch.zeros(2, 5)  # h_0 and c_0 of a cell: (N, H)
outputs = []
for x_t in x:  # iterates over dim 0: one (N, H_in) step at a time
    h, c = cell(x_t, (h, c))
    outputs.append(h)
output = torch.stack(outputs)  # (L, N, H), like the layer's output

expected, (h_n, c_n) = lstm(x)
for name, mine, theirs in [
    ("output", output, expected),
    ("h_n", h, h_n[0]),
    ("c_n", c, c_n[0]),
]:
    diff = (mine - theirs).abs().max().item()
    print(f"{name:6} max |loop - layer| < 1e-6: {diff < 1e-6}")
# --8<-- [end:loop]

# --8<-- [start:layers]
import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(7, 2, 3)  # set-up: (L, N, H_in) as above

deep = nn.LSTM(input_size=3, hidden_size=5, num_layers=2)
cells = [nn.LSTMCell(3, 5), nn.LSTMCell(5, 5)]  # layer 1 reads layer 0's h_t
weights = deep.state_dict()
for k, layer_cell in enumerate(cells):  # weight_ih_l1 -> cells[1].weight_ih
    tag = f"_l{k}"
    own = {n.removesuffix(tag): w for n, w in weights.items() if n.endswith(tag)}
    layer_cell.load_state_dict(own)

states = [(torch.zeros(2, 5), torch.zeros(2, 5)) for _ in cells]
for x_t in x:
    layer_input = x_t
    for k, layer_cell in enumerate(cells):  # every layer at step t
        states[k] = layer_cell(layer_input, states[k])
        layer_input = states[k][0]

_, (h_n, c_n) = deep(x)
h_loop = torch.stack([h for h, _ in states])  # (num_layers, N, H), like h_n
print("h_n of both layers match:", torch.allclose(h_loop, h_n, atol=1e-6))
# --8<-- [end:layers]


# --8<-- [start:decoder]
import torch
from torch import nn


class Decoder(nn.Module):
    """Predicts the next value of a series, one time step at a time."""

    def __init__(self, hidden_size: int = 16) -> None:
        super().__init__()
        self.cell = nn.LSTMCell(input_size=1, hidden_size=hidden_size)
        self.head = nn.Linear(hidden_size, 1)

    def forward(
        self, x: torch.Tensor, future: int = 0, teacher_forcing: bool = True
    ) -> torch.Tensor:
        """x: (L, N, 1) -> predictions of x[t + 1]: (L + future, N, 1)."""
        h = c = x.new_zeros(x.shape[1], self.cell.hidden_size)  # (N, H)
        step_input, predictions = x[0], []
        for t in range(x.shape[0] + future):
            h, c = self.cell(step_input, (h, c))
            y = self.head(h)  # (N, 1): the prediction of x[t + 1]
            predictions.append(y)
            known = teacher_forcing and t + 1 < x.shape[0]
            step_input = x[t + 1] if known else y  # truth or own guess
        return torch.stack(predictions)


torch.manual_seed(0)
decoder = Decoder()
series = torch.sin(torch.linspace(0, 6, 24)).view(12, 2, 1)  # (L, N, 1)

forced = decoder(series)  # training: read the true previous value
free = decoder(series, teacher_forcing=False)  # read its own output
print("step 0 equal:", torch.equal(forced[0], free[0]))
print("step 1 equal:", torch.equal(forced[1], free[1]))

ahead = decoder(series, future=5)  # 12 known steps, then 5 predicted ones
print("with future=5:", tuple(ahead.shape))
# --8<-- [end:decoder]

assert torch.equal(ahead[:12], forced)

# --8<-- [start:speed]
import torch
from torch import nn

lstm = nn.LSTM(input_size=3, hidden_size=5)  # set-up: the layer and cell above
cell = nn.LSTMCell(input_size=3, hidden_size=5)

calls = {"layer": 0, "cell": 0}


def counter(name: str):  # a forward hook that counts calls
    def hook(module, inputs, output) -> None:
        calls[name] += 1

    return hook


lstm.register_forward_hook(counter("layer"))
cell.register_forward_hook(counter("cell"))

long = torch.randn(100, 2, 3)  # L = 100 steps
with torch.no_grad():
    lstm(long)  # the whole sequence in one call
    h, c = torch.zeros(2, 5), torch.zeros(2, 5)
    for x_t in long:  # one call per step
        h, c = cell(x_t, (h, c))
print("calls for 100 steps:", calls)
# --8<-- [end:speed]

# --8<-- [start:table-en]
from torch import nn

cell = nn.LSTMCell(input_size=3, hidden_size=5)  # set-up: from above

from rnn_guide.shapes import format_parameter_table, parameter_table

print(format_parameter_table(parameter_table(cell), language="en"))
# --8<-- [end:table-en]

# --8<-- [start:table-zh]
from torch import nn

cell = nn.LSTMCell(input_size=3, hidden_size=5)  # set-up: from above

from rnn_guide.shapes import format_parameter_table, parameter_table

print(format_parameter_table(parameter_table(cell), language="zh"))
# --8<-- [end:table-zh]

shapes = {name: tuple(p.shape) for name, p in cell.named_parameters()}
assert shapes == {row.name: row.shape for row in parameter_table(cell)}
assert sum(p.numel() for p in cell.parameters()) == 200

# --8<-- [start:plot-en]
from rnn_guide.plotting.layout import plot_unrolled_loop

fig = plot_unrolled_loop(steps=4, cell="LSTMCell", language="en")
# --8<-- [end:plot-en]

from rnn_guide.plotting import save_figure

save_figure(fig, FIGURES / "cells-unrolled-loop-en.svg")

# --8<-- [start:plot-zh]
from rnn_guide.plotting.layout import plot_unrolled_loop

fig = plot_unrolled_loop(steps=4, cell="LSTMCell", language="zh")
# --8<-- [end:plot-zh]

save_figure(fig, FIGURES / "cells-unrolled-loop-zh.svg")

# --8<-- [start:kernels]
import warnings

import torch
from torch import nn
from torch.profiler import ProfilerActivity, profile


def kernel_calls(layer, x):
    """Calls of the fused and of the per-step kernel in a forward and backward pass."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "LSTM with projections is not supported ..."
        with profile(activities=[ProfilerActivity.CPU]) as prof:
            layer(x)[0].sum().backward()
    counts = {event.key: event.count for event in prof.key_averages()}
    return counts.get("aten::mkldnn_rnn_layer", 0), counts.get("aten::addmm", 0)


torch.manual_seed(0)
x = torch.randn(20, 4, 8)  # (L, N, H_in), L = 20 steps
layers = {
    "LSTM float32": (nn.LSTM(8, 16), x),
    "LSTM float64": (nn.LSTM(8, 16).double(), x.double()),
    "LSTM proj_size=8": (nn.LSTM(8, 16, proj_size=8), x),
    "GRU": (nn.GRU(8, 16), x),
    "RNN": (nn.RNN(8, 16), x),
}
print(f"{'layer (CPU)':18} {'mkldnn_rnn_layer':>16} {'addmm':>6}")
for name, (layer, inputs) in layers.items():
    fused, addmm = kernel_calls(layer, inputs)
    print(f"{name:18} {fused:16} {addmm:6}")
# --8<-- [end:kernels]
