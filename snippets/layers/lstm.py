"""nn.LSTM: gates i, f, g, o, the cell state, proj_size, the reference equations."""

import os
from pathlib import Path

FIGURES = Path(os.environ.get("RNN_GUIDE_FIGURE_DIR", "docs/assets/figures"))

# --8<-- [start:tensors]
import torch
from torch import nn

from rnn_guide.shapes import expected_shapes

torch.manual_seed(0)

lstm = nn.LSTM(input_size=4, hidden_size=3)
x = torch.randn(6, 2, 4)  # (L, N, H_in)
output, (h_n, c_n) = lstm(x)  # h_0 and c_0 default to zeros

expected = expected_shapes(lstm, seq_len=6, batch_size=2)
tensors = {"input": x, "output": output, "h_n": h_n, "c_n": c_n}
for name, tensor in tensors.items():
    assert tensor.shape == expected[name]
    print(f"{name:6} {tuple(tensor.shape)}")
print("output[-1] equals h_n[-1]:", torch.equal(output[-1], h_n[-1]))
# --8<-- [end:tensors]

# --8<-- [start:gate-order]
import torch
from torch import nn

from rnn_guide import reference

torch.manual_seed(0)
f64 = torch.float64
lstm = nn.LSTM(input_size=4, hidden_size=3, dtype=f64)
H = lstm.hidden_size
x = torch.randn(6, 2, 4, dtype=f64)
h_0, c_0 = torch.randn(1, 2, H, dtype=f64), torch.randn(1, 2, H, dtype=f64)
output, _ = lstm(x, (h_0, c_0))

# weight_ih_l0 is (4*H, H_in): four (H, H_in) blocks in the order i, f, g, o
print("weight_ih_l0", tuple(lstm.weight_ih_l0.shape))
W_ii, W_if, W_ig, W_io = lstm.weight_ih_l0.chunk(4)  # rows 0:H, H:2H, ...
W_hi, W_hf, W_hg, W_ho = lstm.weight_hh_l0.chunk(4)
b_i, b_f, b_g, b_o = (lstm.bias_ih_l0 + lstm.bias_hh_l0).chunk(4)

x_1, h, c = x[0], h_0[0], c_0[0]  # first step, batch of 2
with torch.no_grad():
    i = torch.sigmoid(x_1 @ W_ii.T + h @ W_hi.T + b_i)
    f = torch.sigmoid(x_1 @ W_if.T + h @ W_hf.T + b_f)
    g = torch.tanh(x_1 @ W_ig.T + h @ W_hg.T + b_g)
    o = torch.sigmoid(x_1 @ W_io.T + h @ W_ho.T + b_o)
    c_1 = f * c + i * g
    h_1 = o * torch.tanh(c_1)
    weights = (lstm.weight_ih_l0, lstm.weight_hh_l0)
    biases = (lstm.bias_ih_l0, lstm.bias_hh_l0)
    h_ref, c_ref = reference.lstm_cell(x_1, h, c, *weights, *biases)
    # the same blocks read in ONNX's order i, o, f, c: block 2 taken as o, ...
    o_wrong = torch.sigmoid(x_1 @ W_if.T + h @ W_hf.T + b_f)
    f_wrong = torch.sigmoid(x_1 @ W_ig.T + h @ W_hg.T + b_g)
    g_wrong = torch.tanh(x_1 @ W_io.T + h @ W_ho.T + b_o)
    h_wrong = o_wrong * torch.tanh(f_wrong * c + i * g_wrong)

assert (h_1 - h_ref).abs().max() < 1e-14 and (c_1 - c_ref).abs().max() < 1e-14
assert (h_1 - output[0]).abs().max() < 1e-14
wrong = (h_wrong - output[0]).abs().max()
print("i, f, g, o  vs lstm_cell and the module: max |Δ| < 1e-14")
print(f"i, o, f, g  vs the module:               max |Δ| = {wrong:.2f}")
# --8<-- [end:gate-order]

# --8<-- [start:forget-bias]
import torch
from torch import nn

lstm = nn.LSTM(input_size=4, hidden_size=3)  # set-up: the layer from above
H = lstm.hidden_size
with torch.no_grad():
    lstm.bias_ih_l0[H : 2 * H] = 1.0  # b_if, the second block
    lstm.bias_hh_l0[H : 2 * H] = 0.0  # b_hf
b_f = (lstm.bias_ih_l0 + lstm.bias_hh_l0).chunk(4)[1]
print("b_if + b_hf:", b_f.tolist())
# --8<-- [end:forget-bias]

# --8<-- [start:proj]
import torch
from torch import nn

torch.manual_seed(0)
projected = nn.LSTM(input_size=4, hidden_size=6, proj_size=2)
output, (h_n, c_n) = projected(torch.randn(5, 3, 4))  # L = 5, N = 3

print("output      ", tuple(output.shape), "  # (L, N, P)")
print("h_n         ", tuple(h_n.shape), "  # (num_layers * D, N, P)")
print("c_n         ", tuple(c_n.shape), "  # (num_layers * D, N, H)")
print("weight_hh_l0", tuple(projected.weight_hh_l0.shape), " # (4*H, P)")
print("weight_hr_l0", tuple(projected.weight_hr_l0.shape), "  # (P, H)")

try:  # h_0 must have P features, not H
    wrong_h_0 = torch.zeros(1, 3, 6)  # (1, N, H) instead of (1, N, P)
    projected(torch.randn(5, 3, 4), (wrong_h_0, torch.zeros(1, 3, 6)))
except RuntimeError as error:
    print("RuntimeError:", error)
for layer_type, size in ((nn.LSTM, 6), (nn.GRU, 2)):
    try:
        layer_type(4, 6, proj_size=size)
    except ValueError as error:
        print("ValueError:", error)
# --8<-- [end:proj]

# --8<-- [start:proof]
import torch
from torch import nn

from rnn_guide import reference

torch.manual_seed(0)
f64 = torch.float64
configurations = [
    {},
    {"proj_size": 2},
    {"bias": False},
    {"num_layers": 2},
    {"bidirectional": True},
    {"batch_first": True},
    {"num_layers": 2, "bidirectional": True, "proj_size": 2},
]
for options in configurations:
    layer = nn.LSTM(4, 3, dtype=f64, **options).eval()
    x64 = torch.randn(6, 2, 4, dtype=f64)
    out, (h, c) = reference.forward(layer, x64)
    module_out, (module_h, module_c) = layer(x64)
    pairs = [(out, module_out), (h, module_h), (c, module_c)]
    gap = max((a - b).abs().max() for a, b in pairs)
    assert gap < 1e-14, gap  # float64 rounding is about 1e-16
    call = ", ".join(["4, 3"] + [f"{k}={v!r}" for k, v in options.items()])
    print(f"max |Δ| < 1e-14   nn.LSTM({call})")
# --8<-- [end:proof]

# --8<-- [start:params-en]
from torch import nn

from rnn_guide.shapes import format_parameter_table, parameter_table

projected = nn.LSTM(input_size=4, hidden_size=6, proj_size=2)  # set-up: from above

print(format_parameter_table(parameter_table(projected), language="en"))
# --8<-- [end:params-en]

# --8<-- [start:params-zh]
from torch import nn

from rnn_guide.shapes import format_parameter_table, parameter_table

projected = nn.LSTM(input_size=4, hidden_size=6, proj_size=2)  # set-up: from above

print(format_parameter_table(parameter_table(projected), language="zh"))
# --8<-- [end:params-zh]

# --8<-- [start:count]
from torch import nn

from rnn_guide.shapes import parameter_count

projected = nn.LSTM(input_size=4, hidden_size=6, proj_size=2)  # set-up: from above

H_in, H, P = 4, 6, 2  # projected = nn.LSTM(4, 6, proj_size=2)
weights = 4 * H * H_in + 4 * H * P  # weight_ih (4H, H_in), weight_hh (4H, P)
biases = 2 * 4 * H  # bias_ih, bias_hh (4H,)
projection = P * H  # weight_hr (P, H)
print("formula:        ", weights + biases + projection)
print("parameter_count:", parameter_count(projected))
print("numel:          ", sum(p.numel() for p in projected.parameters()))
# --8<-- [end:count]

# --8<-- [start:gates]
import torch
from torch import nn

from rnn_guide import reference

torch.manual_seed(0)
f64 = torch.float64
layer = nn.LSTM(input_size=1, hidden_size=8, dtype=f64)
signal = torch.zeros(40, 1, 1, dtype=f64)  # (L, N, H_in): two pulses
signal[5:10] = 3.0
signal[22:25] = -3.0

w_ih, w_hh = layer.weight_ih_l0, layer.weight_hh_l0
b_ih, b_hh = layer.bias_ih_l0, layer.bias_hh_l0
h = c = torch.zeros(1, 8, dtype=f64)
steps = {"i": [], "f": [], "o": []}
with torch.no_grad():
    for x_t in signal:  # x_t: (N, H_in)
        i, f, g, o = (x_t @ w_ih.T + b_ih + h @ w_hh.T + b_hh).chunk(4, dim=-1)
        for name, pre in (("i", i), ("f", f), ("o", o)):
            steps[name].append(torch.sigmoid(pre)[0])  # sample 0: (H,)
        h, c = reference.lstm_cell(x_t, h, c, w_ih, w_hh, b_ih, b_hh)
    _, (h_n, c_n) = layer(signal)
gates = {name: torch.stack(values) for name, values in steps.items()}  # (L, H)
print("gates:", {name: tuple(v.shape) for name, v in gates.items()})
same = torch.allclose(h, h_n[0]) and torch.allclose(c, c_n[0])
print("loop ends at the module's h_n and c_n:", same)
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
layer = nn.LSTM(input_size=1, hidden_size=8, dtype=f64)
signal = torch.zeros(40, 1, 1, dtype=f64)  # (L, N, H_in)
signal[5:10] = 3.0
signal[22:25] = -3.0
every = gate_activations(layer, signal)  # the loop above: i, f, g, o, each (L, H)
gates = {name: every[name] for name in ("i", "f", "o")}

fig = plot_gates(gates, inputs=signal[:, 0], kind="LSTM", language="en")
# --8<-- [end:plot-en]

# --8<-- [start:plot-zh]
import torch
from torch import nn

from rnn_guide.plotting.gates import plot_gates
from rnn_guide.reference import gate_activations

torch.manual_seed(0)  # set-up: the layer and the two pulses from above
f64 = torch.float64
layer = nn.LSTM(input_size=1, hidden_size=8, dtype=f64)
signal = torch.zeros(40, 1, 1, dtype=f64)  # (L, N, H_in)
signal[5:10] = 3.0
signal[22:25] = -3.0
every = gate_activations(layer, signal)  # the loop above: i, f, g, o, each (L, H)
gates = {name: every[name] for name in ("i", "f", "o")}

fig = plot_gates(gates, inputs=signal[:, 0], kind="LSTM", language="zh")
# --8<-- [end:plot-zh]

from rnn_guide.plotting import save_figure

for language in ("en", "zh"):
    save_figure(
        plot_gates(gates, inputs=signal[:, 0], kind="LSTM", language=language),
        FIGURES / f"layers-lstm-gates-{language}.svg",
    )
