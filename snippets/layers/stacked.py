"""Stacked and bidirectional layers: output and h_n layout, final states, weights."""

import os
from pathlib import Path

FIGURES = Path(os.environ.get("RNN_GUIDE_FIGURE_DIR", "docs/assets/figures"))

# --8<-- [start:build]
import torch
from torch import nn

torch.manual_seed(0)
L, N, H_in, H = 5, 3, 4, 6  # length, batch, input size, hidden size
lstm = nn.LSTM(H_in, H, num_layers=2, bidirectional=True)  # D = 2 directions
x = torch.randn(L, N, H_in)
output, (h_n, c_n) = lstm(x)

print("output", tuple(output.shape), " # (L, N, D * H_out)")
print("h_n   ", tuple(h_n.shape), " # (num_layers * D, N, H_out)")
print("c_n   ", tuple(c_n.shape), " # (num_layers * D, N, H_cell)")
# --8<-- [end:build]

# --8<-- [start:proof]
import torch
from torch import nn

torch.manual_seed(0)
L, N, H_in, H = 5, 3, 4, 6  # set-up: the sizes from above

from torch import nn

from rnn_guide import reference

lstm64 = nn.LSTM(H_in, H, num_layers=2, bidirectional=True, dtype=torch.float64)
gru64 = nn.GRU(H_in, H, num_layers=3, bidirectional=True, dtype=torch.float64)
x64 = torch.randn(L, N, H_in, dtype=torch.float64)
for module in (lstm64, gru64):
    ours, theirs = reference.forward(module, x64), module(x64)
    pairs = [(ours[0], theirs[0])]
    if isinstance(module, nn.LSTM):
        pairs += list(zip(ours[1], theirs[1], strict=True))  # h_n and c_n
    else:
        pairs.append((ours[1], theirs[1]))  # h_n
    diff = max((a - b).abs().max().item() for a, b in pairs)
    print(f"nn.{module!r}: max |Δ| < 1e-12: {diff < 1e-12}")
# --8<-- [end:proof]

# --8<-- [start:h-n-layout]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the layer and its outputs from above
L, N, H_in, H = 5, 3, 4, 6
lstm = nn.LSTM(H_in, H, num_layers=2, bidirectional=True)
x = torch.randn(L, N, H_in)
output, (h_n, c_n) = lstm(x)

D = 2
for k in range(h_n.shape[0]):  # row k = layer * D + direction
    layer, direction = divmod(k, D)
    print(f"h_n[{k}]: layer {layer}, {('forward', 'backward')[direction]}")

per_layer = h_n.view(2, D, N, H)  # (num_layers, D, N, H_out)
print("h_n.view(...)[1, 0] is h_n[2]:", torch.equal(per_layer[1, 0], h_n[2]))
print("h_n.view(...)[1, 1] is h_n[3]:", torch.equal(per_layer[1, 1], h_n[3]))
# --8<-- [end:h-n-layout]

# --8<-- [start:output-layout]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the layer and its outputs from above
L, N, H_in, H, D = 5, 3, 4, 6, 2
lstm = nn.LSTM(H_in, H, num_layers=2, bidirectional=True)
x = torch.randn(L, N, H_in)
output, (h_n, c_n) = lstm(x)

both = output.view(L, N, D, H)  # (L, N, D, H_out): split the features
forward, backward = both[:, :, 0], both[:, :, 1]  # each (L, N, H_out)
print("forward  = output[..., :H]:", torch.equal(forward, output[..., :H]))
print("backward = output[..., H:]:", torch.equal(backward, output[..., H:]))

# The forward direction ends at t = L - 1, the backward direction at t = 0.
print("forward[-1] == h_n[-2]:", torch.equal(forward[-1], h_n[-2]))
print("backward[0] == h_n[-1]:", torch.equal(backward[0], h_n[-1]))
print("backward[-1] == h_n[-1]:", torch.equal(backward[-1], h_n[-1]))
# --8<-- [end:output-layout]

assert torch.equal(forward[-1], h_n[-2]) and torch.equal(backward[0], h_n[-1])
assert not torch.equal(backward[-1], h_n[-1])

# --8<-- [start:batch-first]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the layer and its outputs from above
L, N, H_in, H, D = 5, 3, 4, 6, 2
lstm = nn.LSTM(H_in, H, num_layers=2, bidirectional=True)
x = torch.randn(L, N, H_in)
output, (h_n, c_n) = lstm(x)

from torch import nn

lstm_bf = nn.LSTM(H_in, H, num_layers=2, bidirectional=True, batch_first=True)
lstm_bf.load_state_dict(lstm.state_dict())  # same weights
out_bf, (h_n_bf, _) = lstm_bf(x.transpose(0, 1))  # input (N, L, H_in)

both_bf = out_bf.view(N, L, D, H)  # (N, L, D, H_out)
print("output", tuple(out_bf.shape), " h_n", tuple(h_n_bf.shape))
forward_end, backward_end = both_bf[:, -1, 0], both_bf[:, 0, 1]  # (N, H_out)
print("forward  ends at [:, -1, 0]:", torch.equal(forward_end, h_n_bf[-2]))
print("backward ends at [:, 0, 1]: ", torch.equal(backward_end, h_n_bf[-1]))
# --8<-- [end:batch-first]

# --8<-- [start:classifier]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the layer and its outputs from above
L, N, H_in, H, D = 5, 3, 4, 6, 2
lstm = nn.LSTM(H_in, H, num_layers=2, bidirectional=True)
x = torch.randn(L, N, H_in)
output, (h_n, c_n) = lstm(x)

import torch

# Top layer, both directions: the last two rows of h_n
final = torch.cat([h_n[-2], h_n[-1]], dim=-1)  # (N, 2 * H_out)
print("final", tuple(final.shape))

# The same from output: forward half at t = L - 1, backward half at t = 0
from_output = torch.cat([output[-1, :, :H], output[0, :, H:]], dim=-1)
print("same as from output:", torch.equal(final, from_output))

# The same for any num_layers: take the top layer of the (num_layers, D) view
top = h_n.view(2, D, N, H)[-1]  # (D, N, H_out)
flat = top.transpose(0, 1).reshape(N, D * H)  # (N, D * H_out)
print("same as from the view:", torch.equal(flat, final))

# output[-1] pairs the forward final state with the backward state after
# ONE step, which has read only x[L - 1]
print("output[-1] is the final state:", torch.equal(output[-1], final))

classifier = nn.Linear(2 * H, 2)
print("logits", tuple(classifier(final).shape))
# --8<-- [end:classifier]

assert torch.equal(final, from_output) and not torch.equal(output[-1], final)

# --8<-- [start:table-en]
from torch import nn

lstm = nn.LSTM(4, 6, num_layers=2, bidirectional=True)  # set-up: from above

from rnn_guide.shapes import format_parameter_table, parameter_table

print(format_parameter_table(parameter_table(lstm), language="en"))
# --8<-- [end:table-en]

# --8<-- [start:table-zh]
from torch import nn

lstm = nn.LSTM(4, 6, num_layers=2, bidirectional=True)  # set-up: from above

from rnn_guide.shapes import format_parameter_table, parameter_table

print(format_parameter_table(parameter_table(lstm), language="zh"))
# --8<-- [end:table-zh]

real = {name: tuple(p.shape) for name, p in lstm.named_parameters()}
assert real == {row.name: row.shape for row in parameter_table(lstm)}

# --8<-- [start:count]
from torch import nn

H_in, H, D = 4, 6, 2  # set-up: the layer from above
lstm = nn.LSTM(H_in, H, num_layers=2, bidirectional=True)

from rnn_guide.shapes import parameter_count

G = 4  # gates of an LSTM
layer_0 = G * H * (H_in + H) + 2 * G * H  # one direction
layer_1 = G * H * (D * H + H) + 2 * G * H  # reads D * H features
print("formula:        ", D * (layer_0 + layer_1))
print("parameter_count:", parameter_count(lstm))
print("numel:          ", sum(p.numel() for p in lstm.parameters()))
# --8<-- [end:count]

# --8<-- [start:plot-en]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the layer and its outputs from above
L, N, H_in, H, D = 5, 3, 4, 6, 2
lstm = nn.LSTM(H_in, H, num_layers=2, bidirectional=True)
x = torch.randn(L, N, H_in)
output, (h_n, c_n) = lstm(x)

from rnn_guide.plotting.layout import plot_state_layout

# One sequence of the batch: output[:, 0] is (L, D * H), h_n[:, 0] is (4, H)
fig = plot_state_layout(output[:, 0], h_n[:, 0], num_layers=2, language="en")
# --8<-- [end:plot-en]

from rnn_guide.plotting import save_figure

save_figure(fig, FIGURES / "stacked-state-layout-en.svg")

# --8<-- [start:plot-zh]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the layer and its outputs from above
L, N, H_in, H, D = 5, 3, 4, 6, 2
lstm = nn.LSTM(H_in, H, num_layers=2, bidirectional=True)
x = torch.randn(L, N, H_in)
output, (h_n, c_n) = lstm(x)

from rnn_guide.plotting.layout import plot_state_layout

# One sequence of the batch: output[:, 0] is (L, D * H), h_n[:, 0] is (4, H)
fig = plot_state_layout(output[:, 0], h_n[:, 0], num_layers=2, language="zh")
# --8<-- [end:plot-zh]

save_figure(fig, FIGURES / "stacked-state-layout-zh.svg")
