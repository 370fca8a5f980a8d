"""nn.RNN in five minutes: build a layer, run a batch, look at its shapes and h_t."""

import os
from pathlib import Path

FIGURES = Path(os.environ.get("RNN_GUIDE_FIGURE_DIR", "docs/assets/figures"))

# --8<-- [start:build]
import torch
from torch import nn

torch.manual_seed(0)

rnn = nn.RNN(input_size=3, hidden_size=5, num_layers=1, nonlinearity="tanh")
x = torch.randn(7, 2, 3)  # (L, N, H_in): 7 steps, batch of 2, 3 features
output, h_n = rnn(x)  # h_0 defaults to zeros

print("input ", tuple(x.shape))
print("output", tuple(output.shape), " # (L, N, H_out): last layer, every t")
print("h_n   ", tuple(h_n.shape), " # (num_layers * D, N, H_out): final step")
print("output[-1] equals h_n[-1]:", torch.equal(output[-1], h_n[-1]))
# --8<-- [end:build]

# --8<-- [start:by-hand]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the layer and the batch from above
rnn = nn.RNN(input_size=3, hidden_size=5, num_layers=1, nonlinearity="tanh")
x = torch.randn(7, 2, 3)
output, h_n = rnn(x)

h = torch.zeros(2, 5)  # h_0 for a batch of 2
for t in range(x.shape[0]):
    h = torch.tanh(
        x[t] @ rnn.weight_ih_l0.T
        + rnn.bias_ih_l0
        + h @ rnn.weight_hh_l0.T
        + rnn.bias_hh_l0
    )

print("same as h_n:", torch.allclose(h, h_n[0], atol=1e-6))
# --8<-- [end:by-hand]

# --8<-- [start:parameters]
from torch import nn

rnn = nn.RNN(input_size=3, hidden_size=5, num_layers=1)  # set-up: from above
for name, parameter in rnn.named_parameters():
    print(f"{name:13} {tuple(parameter.shape)}")
print("parameters:", sum(p.numel() for p in rnn.parameters()))
# --8<-- [end:parameters]

# --8<-- [start:plot-en]
import torch
from torch import nn

from rnn_guide.plotting import plot_hidden_trajectory, save_figure

# One period of a sine wave: (L, N, H_in) = (40, 1, 1)
signal = torch.sin(torch.linspace(0, 6.28, 40)).reshape(40, 1, 1)
torch.manual_seed(0)
wave_rnn = nn.RNN(input_size=1, hidden_size=4)
with torch.no_grad():
    states, _ = wave_rnn(signal)  # (40, 1, 4)
fig = plot_hidden_trajectory(states[:, 0], inputs=signal[:, 0], language="en")
# --8<-- [end:plot-en]

save_figure(fig, FIGURES / "rnn-five-minutes-trajectory-en.svg")

# --8<-- [start:plot-zh]
import torch
from torch import nn

from rnn_guide.plotting import plot_hidden_trajectory, save_figure

# One period of a sine wave: (L, N, H_in) = (40, 1, 1)
signal = torch.sin(torch.linspace(0, 6.28, 40)).reshape(40, 1, 1)
torch.manual_seed(0)
wave_rnn = nn.RNN(input_size=1, hidden_size=4)
with torch.no_grad():
    states, _ = wave_rnn(signal)  # (40, 1, 4)
fig = plot_hidden_trajectory(states[:, 0], inputs=signal[:, 0], language="zh")
# --8<-- [end:plot-zh]

save_figure(fig, FIGURES / "rnn-five-minutes-trajectory-zh.svg")
