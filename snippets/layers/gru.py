"""nn.GRU: gates r, z, n, PyTorch's variant versus Cho et al. (2014), the reference."""

import os
from pathlib import Path

FIGURES = Path(os.environ.get("RNN_GUIDE_FIGURE_DIR", "docs/assets/figures"))

# --8<-- [start:tensors]
import torch
from torch import nn

from rnn_guide.shapes import expected_shapes

torch.manual_seed(0)

gru = nn.GRU(input_size=4, hidden_size=3)
x = torch.randn(6, 2, 4)  # (L, N, H_in)
output, h_n = gru(x)  # h_0 defaults to zeros; no cell state

expected = expected_shapes(gru, seq_len=6, batch_size=2)
for name, tensor in {"input": x, "output": output, "h_n": h_n}.items():
    assert tensor.shape == expected[name]
    print(f"{name:6} {tuple(tensor.shape)}")
print("output[-1] equals h_n[-1]:", torch.equal(output[-1], h_n[-1]))
# --8<-- [end:tensors]

# --8<-- [start:by-hand]
import torch
from torch import nn

from rnn_guide import reference

torch.manual_seed(0)
f64 = torch.float64
gru = nn.GRU(input_size=4, hidden_size=3, dtype=f64)
H = gru.hidden_size
x = torch.randn(6, 2, 4, dtype=f64)
h_0 = torch.randn(1, 2, H, dtype=f64)
output, _ = gru(x, h_0)

# weight_ih_l0 is (3*H, H_in): three (H, H_in) blocks in the order r, z, n
print("weight_ih_l0", tuple(gru.weight_ih_l0.shape))
W_ir, W_iz, W_in = gru.weight_ih_l0.chunk(3)
W_hr, W_hz, W_hn = gru.weight_hh_l0.chunk(3)
b_ir, b_iz, b_in = gru.bias_ih_l0.chunk(3)
b_hr, b_hz, b_hn = gru.bias_hh_l0.chunk(3)

x_1, h = x[0], h_0[0]
with torch.no_grad():
    r = torch.sigmoid(x_1 @ W_ir.T + b_ir + h @ W_hr.T + b_hr)
    z = torch.sigmoid(x_1 @ W_iz.T + b_iz + h @ W_hz.T + b_hz)
    n = torch.tanh(x_1 @ W_in.T + b_in + r * (h @ W_hn.T + b_hn))
    h_1 = (1 - z) * n + z * h
    weights = (gru.weight_ih_l0, gru.weight_hh_l0)
    biases = (gru.bias_ih_l0, gru.bias_hh_l0)
    h_ref = reference.gru_cell(x_1, h, *weights, *biases)
assert (h_1 - h_ref).abs().max() < 1e-14
assert (h_1 - output[0]).abs().max() < 1e-14
print("r, z, n by hand vs gru_cell and the module: max |Δ| < 1e-14")
# --8<-- [end:by-hand]

# --8<-- [start:update-gate]
import copy

import torch
from torch import nn

torch.manual_seed(0)  # set-up: the layer and input from above
f64 = torch.float64
gru = nn.GRU(input_size=4, hidden_size=3, dtype=f64)
x, h_0 = torch.randn(6, 2, 4, dtype=f64), torch.randn(1, 2, 3, dtype=f64)
H = gru.hidden_size

for bias in (20.0, -20.0):
    frozen = copy.deepcopy(gru)
    with torch.no_grad():
        frozen.bias_ih_l0[H : 2 * H] = bias  # b_iz: z = sigmoid(about bias)
        _, h_last = frozen(x, h_0)
    change = (h_last - h_0).abs().max().item()
    print(f"b_iz = {bias:+.0f}:  max |h_L - h_0| = {change:.1g}")
# --8<-- [end:update-gate]

# --8<-- [start:variants]
import torch
from torch import nn

from rnn_guide import reference

torch.manual_seed(0)  # set-up: the layer and input from above
f64 = torch.float64
gru = nn.GRU(input_size=4, hidden_size=3, dtype=f64)
x, h_0 = torch.randn(6, 2, 4, dtype=f64), torch.randn(1, 2, 3, dtype=f64)
output, _ = gru(x, h_0)
weights = (gru.weight_ih_l0, gru.weight_hh_l0)
biases = (gru.bias_ih_l0, gru.bias_hh_l0)
x_1, h = x[0], h_0[0]

torch.set_printoptions(precision=4, sci_mode=False)
with torch.no_grad():
    # PyTorch: r * (W_hn h + b_hn); the paper: W_hn (r * h) + b_hn
    pytorch_h = reference.gru_cell(x_1, h, *weights, *biases)
    paper_h = reference.gru_cell_original(x_1, h, *weights, *biases)
print("gru_cell         ", pytorch_h[0])
print("gru_cell_original", paper_h[0])
print("difference       ", (pytorch_h - paper_h)[0])
print("module == gru_cell:         ", torch.allclose(output[0], pytorch_h))
print("module == gru_cell_original:", torch.allclose(output[0], paper_h))
# --8<-- [end:variants]

# --8<-- [start:biases]
import copy

import torch
from torch import nn

torch.manual_seed(0)  # set-up: the layer and input from above
f64 = torch.float64
gru = nn.GRU(input_size=4, hidden_size=3, dtype=f64)
x, h_0 = torch.randn(6, 2, 4, dtype=f64), torch.randn(1, 2, 3, dtype=f64)
H = gru.hidden_size
output, _ = gru(x, h_0)

for folded in ("r, z", "r, z, n"):
    merged = copy.deepcopy(gru)
    blocks = 2 * H if folded == "r, z" else 3 * H  # rows of b_ih and b_hh
    with torch.no_grad():
        merged.bias_ih_l0[:blocks] += merged.bias_hh_l0[:blocks]
        merged.bias_hh_l0[:blocks] = 0.0
        gap = (merged(x, h_0)[0] - output).abs().max().item()
    shown = "< 1e-14" if gap < 1e-14 else f"= {gap:.2f}"
    print(f"b_hh folded into b_ih for {folded:7}: max |Δ| {shown}")
# --8<-- [end:biases]

# --8<-- [start:proof]
import torch
from torch import nn

from rnn_guide import reference

torch.manual_seed(0)
f64 = torch.float64
configurations = [
    {},
    {"bias": False},
    {"num_layers": 2},
    {"bidirectional": True},
    {"batch_first": True},
    {"num_layers": 2, "bidirectional": True},
]
for options in configurations:
    layer = nn.GRU(4, 3, dtype=f64, **options).eval()
    x64 = torch.randn(6, 2, 4, dtype=f64)
    ours = reference.forward(layer, x64)  # (output, h_n)
    theirs = layer(x64)
    gap = max((a - b).abs().max() for a, b in zip(ours, theirs, strict=True))
    assert gap < 1e-14, gap  # float64 rounding is about 1e-16
    call = ", ".join(["4, 3"] + [f"{k}={v!r}" for k, v in options.items()])
    print(f"max |Δ| < 1e-14   nn.GRU({call})")
# --8<-- [end:proof]

# --8<-- [start:params-en]
from torch import nn

from rnn_guide.shapes import format_parameter_table, parameter_table

bigru = nn.GRU(input_size=4, hidden_size=3, bidirectional=True)
print(format_parameter_table(parameter_table(bigru), language="en"))
# --8<-- [end:params-en]

# --8<-- [start:params-zh]
from torch import nn

from rnn_guide.shapes import format_parameter_table, parameter_table

bigru = nn.GRU(input_size=4, hidden_size=3, bidirectional=True)
print(format_parameter_table(parameter_table(bigru), language="zh"))
# --8<-- [end:params-zh]

# --8<-- [start:count]
from torch import nn

from rnn_guide.shapes import parameter_count

bigru = nn.GRU(input_size=4, hidden_size=3, bidirectional=True)  # set-up: from above

H_in, H, D = 4, 3, 2  # bigru = nn.GRU(4, 3, bidirectional=True)
per_direction = 3 * H * H_in + 3 * H * H + 2 * 3 * H  # weights, then biases
print("formula:        ", D * per_direction)
print("parameter_count:", parameter_count(bigru))
print("numel:          ", sum(p.numel() for p in bigru.parameters()))
# --8<-- [end:count]

# --8<-- [start:gates]
import torch
from torch import nn

from rnn_guide import reference

torch.manual_seed(0)
f64 = torch.float64
layer = nn.GRU(input_size=1, hidden_size=8, dtype=f64)
signal = torch.zeros(40, 1, 1, dtype=f64)  # (L, N, H_in): two pulses
signal[5:10] = 3.0
signal[22:25] = -3.0

w_ih, w_hh = layer.weight_ih_l0, layer.weight_hh_l0
b_ih, b_hh = layer.bias_ih_l0, layer.bias_hh_l0
h = torch.zeros(1, 8, dtype=f64)
steps = {"r": [], "z": [], "n": []}
with torch.no_grad():
    for x_t in signal:  # x_t: (N, H_in)
        x_r, x_z, x_n = (x_t @ w_ih.T + b_ih).chunk(3, dim=-1)
        h_r, h_z, h_n = (h @ w_hh.T + b_hh).chunk(3, dim=-1)
        r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
        n = torch.tanh(x_n + r * h_n)
        for name, value in (("r", r), ("z", z), ("n", n)):
            steps[name].append(value[0])  # sample 0: (H,)
        h = reference.gru_cell(x_t, h, w_ih, w_hh, b_ih, b_hh)
    _, h_last = layer(signal)
gates = {name: torch.stack(values) for name, values in steps.items()}  # (L, H)
print("gates:", {name: tuple(v.shape) for name, v in gates.items()})
print("loop ends at the module's h_n:", torch.allclose(h, h_last[0]))
# --8<-- [end:gates]

from rnn_guide.reference import gate_activations

# The figure's block uses the package's gate_activations: the loop's values.
assert all(torch.allclose(gates[k], gate_activations(layer, signal)[k]) for k in gates)

# --8<-- [start:plot-en]
import torch
from torch import nn

from rnn_guide.plotting.gates import plot_gates
from rnn_guide.reference import gate_activations

torch.manual_seed(0)  # set-up: the layer and the two pulses from above
f64 = torch.float64
layer = nn.GRU(input_size=1, hidden_size=8, dtype=f64)
signal = torch.zeros(40, 1, 1, dtype=f64)  # (L, N, H_in)
signal[5:10] = 3.0
signal[22:25] = -3.0
gates = gate_activations(layer, signal)  # the loop above: r, z, n, each (L, H)

fig = plot_gates(gates, inputs=signal[:, 0], kind="GRU", language="en")
# --8<-- [end:plot-en]

# --8<-- [start:plot-zh]
import torch
from torch import nn

from rnn_guide.plotting.gates import plot_gates
from rnn_guide.reference import gate_activations

torch.manual_seed(0)  # set-up: the layer and the two pulses from above
f64 = torch.float64
layer = nn.GRU(input_size=1, hidden_size=8, dtype=f64)
signal = torch.zeros(40, 1, 1, dtype=f64)  # (L, N, H_in)
signal[5:10] = 3.0
signal[22:25] = -3.0
gates = gate_activations(layer, signal)  # the loop above: r, z, n, each (L, H)

fig = plot_gates(gates, inputs=signal[:, 0], kind="GRU", language="zh")
# --8<-- [end:plot-zh]

from rnn_guide.plotting import save_figure

for language in ("en", "zh"):
    save_figure(
        plot_gates(gates, inputs=signal[:, 0], kind="GRU", language=language),
        FIGURES / f"layers-gru-gates-{language}.svg",
    )
