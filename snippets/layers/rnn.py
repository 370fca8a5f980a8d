"""nn.RNN: the Elman equation, every tensor, the reference equations, parameters."""

import os
from pathlib import Path

FIGURES = Path(os.environ.get("RNN_GUIDE_FIGURE_DIR", "docs/assets/figures"))

# --8<-- [start:figure-en]
from rnn_guide.plotting.unrolled import plot_unrolled

fig = plot_unrolled(steps=4, kind="RNN", language="en")
# --8<-- [end:figure-en]

# --8<-- [start:figure-zh]
from rnn_guide.plotting.unrolled import plot_unrolled

fig = plot_unrolled(steps=4, kind="RNN", language="zh")
# --8<-- [end:figure-zh]

from rnn_guide.plotting import save_figure

for language in ("en", "zh"):
    save_figure(
        plot_unrolled(steps=4, kind="RNN", language=language),
        FIGURES / f"layers-rnn-unrolled-{language}.svg",
    )

# --8<-- [start:tensors]
import torch
from torch import nn

from rnn_guide.shapes import expected_shapes

torch.manual_seed(0)

rnn = nn.RNN(input_size=4, hidden_size=3, num_layers=2)
x = torch.randn(6, 2, 4)  # (L, N, H_in): 6 steps, batch of 2, 4 features
h_0 = torch.zeros(2, 2, 3)  # (num_layers * D, N, H): the default when omitted
output, h_n = rnn(x, h_0)

tensors = {"input": x, "h_0": h_0, "output": output, "h_n": h_n}
expected = expected_shapes(rnn, seq_len=6, batch_size=2)
for name, tensor in tensors.items():
    assert tensor.shape == expected[name]
    print(f"{name:6} {tuple(tensor.shape)}")
# output: the last layer at every step; h_n: every layer at the last step
print("output[-1] equals h_n[-1]:", torch.equal(output[-1], h_n[-1]))
# --8<-- [end:tensors]

# --8<-- [start:tanh-vs-relu]
import torch
from torch import nn

torch.manual_seed(1)
tanh_rnn = nn.RNN(1, 8, nonlinearity="tanh", dtype=torch.float64)
relu_rnn = nn.RNN(1, 8, nonlinearity="relu", dtype=torch.float64)
relu_rnn.load_state_dict(tanh_rnn.state_dict())  # the very same weights
with torch.no_grad():
    for layer in (tanh_rnn, relu_rnn):
        layer.weight_hh_l0 *= 3  # a larger recurrent weight

ones = torch.ones(80, 1, dtype=torch.float64)  # unbatched: (L, H_in)
with torch.no_grad():
    h_tanh, _ = tanh_rnn(ones)  # (L, H)
    h_relu, _ = relu_rnn(ones)
print("steps   max |h| tanh   max |h| relu")
for n_steps in (1, 10, 20, 40, 80):
    big_tanh = h_tanh[n_steps - 1].abs().max().item()
    big_relu = h_relu[n_steps - 1].abs().max().item()
    print(f"{n_steps:5}   {big_tanh:12.4f}   {big_relu:12.4g}")

try:
    nn.RNN(1, 8, nonlinearity="sigmoid")
except ValueError as error:
    print("ValueError:", error)
# --8<-- [end:tanh-vs-relu]

# --8<-- [start:cell-loop]
import torch
from torch import nn

from rnn_guide import reference

torch.manual_seed(0)
x = torch.randn(6, 2, 4)  # set-up: (L, N, H_in) as above
one = nn.RNN(input_size=4, hidden_size=3, nonlinearity="relu")
out, _ = one(x)

weights = (one.weight_ih_l0, one.weight_hh_l0, one.bias_ih_l0, one.bias_hh_l0)
h = torch.zeros(2, 3)  # h_0
steps = []
for x_t in x:  # x_t: (N, H_in), t = 0 ... L-1
    h = reference.rnn_cell(x_t, h, *weights, nonlinearity="relu")
    steps.append(h)
same = torch.allclose(torch.stack(steps), out, atol=1e-6)
print("loop == module output:", same)
# --8<-- [end:cell-loop]

# --8<-- [start:proof]
import torch
from torch import nn

from rnn_guide import reference

configurations = [
    {},
    {"nonlinearity": "relu"},
    {"bias": False},
    {"num_layers": 2},
    {"bidirectional": True},
    {"batch_first": True},
    {"num_layers": 2, "bidirectional": True},
]
f64 = torch.float64
for options in configurations:
    layer = nn.RNN(4, 3, dtype=f64, **options).eval()
    x64 = torch.randn(6, 2, 4, dtype=f64)
    ours = reference.forward(layer, x64)  # (output, h_n)
    theirs = layer(x64)
    gap = max((a - b).abs().max() for a, b in zip(ours, theirs, strict=True))
    assert gap < 1e-14, gap  # float64 rounding is about 1e-16
    call = ", ".join(["4, 3"] + [f"{k}={v!r}" for k, v in options.items()])
    print(f"max |Δ| < 1e-14   nn.RNN({call})")
# --8<-- [end:proof]

# --8<-- [start:biases]
import copy

import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(6, 2, 4)  # set-up: the input and the relu layer of the loop above
one = nn.RNN(input_size=4, hidden_size=3, nonlinearity="relu")
out, _ = one(x)

merged = copy.deepcopy(one)
with torch.no_grad():
    merged.bias_ih_l0 += merged.bias_hh_l0  # fold b_hh into b_ih ...
    merged.bias_hh_l0.zero_()  # ... and drop it
print("same output:", torch.allclose(merged(x)[0], out, atol=1e-6))
# --8<-- [end:biases]

# --8<-- [start:params-en]
from torch import nn

from rnn_guide.shapes import format_parameter_table, parameter_table

rnn = nn.RNN(input_size=4, hidden_size=3, num_layers=2)  # set-up: from above

print(format_parameter_table(parameter_table(rnn), language="en"))
# --8<-- [end:params-en]

# --8<-- [start:params-zh]
from torch import nn

from rnn_guide.shapes import format_parameter_table, parameter_table

rnn = nn.RNN(input_size=4, hidden_size=3, num_layers=2)  # set-up: from above

print(format_parameter_table(parameter_table(rnn), language="zh"))
# --8<-- [end:params-zh]

# --8<-- [start:count]
from torch import nn

from rnn_guide.shapes import parameter_count

rnn = nn.RNN(input_size=4, hidden_size=3, num_layers=2)  # set-up: from above
H_in, H = 4, 3
layer_0 = H * H_in + H * H + 2 * H  # weight_ih, weight_hh, two biases
layer_1 = H * H + H * H + 2 * H  # layer 1 reads layer 0's h_t: H features
print("formula:        ", layer_0 + layer_1)
print("parameter_count:", parameter_count(rnn))
print("numel:          ", sum(p.numel() for p in rnn.parameters()))
# --8<-- [end:count]
