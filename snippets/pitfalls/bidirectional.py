"""Pitfalls about bidirectional and stacked layers: concatenation, final states."""

# --8<-- [start:merge-wrong]
import torch
from torch import nn

torch.manual_seed(0)

try:  # "the two directions are concatenated or summed": pick "sum"
    nn.LSTM(input_size=3, hidden_size=5, bidirectional=True, merge_mode="sum")
except TypeError as e:
    print(f"{type(e).__name__}: {e}")
# --8<-- [end:merge-wrong]

from rnn_guide.errors import raised

assert "merge_mode" in str(
    raised(lambda: nn.LSTM(3, 5, bidirectional=True, merge_mode="sum"))
)

# --8<-- [start:merge-right]
import torch
from torch import nn

H = 5
bi = nn.LSTM(input_size=3, hidden_size=H, bidirectional=True)
x = torch.randn(4, 2, 3)  # (L=4, N=2, H_in=3)
output, (h_n, c_n) = bi(x)
print("output", tuple(output.shape), " # (L, N, 2 * hidden_size)")

# Rebuild the two directions as two one-way layers with the same weights
forward, backward = nn.LSTM(3, H), nn.LSTM(3, H)
weights = bi.state_dict()
forward.load_state_dict({k: w for k, w in weights.items() if "reverse" not in k})
backward.load_state_dict(
    {k[: -len("_reverse")]: w for k, w in weights.items() if "_reverse" in k}
)
out_f, _ = forward(x)
out_b, _ = backward(x.flip(0))  # read the sequence backwards...
out_b = out_b.flip(0)  # ...and put the steps back in order
concatenated = torch.cat([out_f, out_b], dim=-1)
same = torch.allclose(output, concatenated)
print("output == cat([forward, backward]):", same)

summed = output.view(4, 2, 2, H).sum(dim=2)  # a sum, if you want one
print("sum of the directions", tuple(summed.shape))
# --8<-- [end:merge-right]

assert torch.allclose(output, concatenated)

# --8<-- [start:bi-last-wrong]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the layer and the batch from above
H = 5
bi = nn.LSTM(input_size=3, hidden_size=H, bidirectional=True)
x = torch.randn(4, 2, 3)  # (L=4, N=2, H_in=3)
output, (h_n, c_n) = bi(x)
backward = nn.LSTM(3, H)  # the backward direction as a one-way layer
weights = bi.state_dict()
backward.load_state_dict(
    {k[: -len("_reverse")]: w for k, w in weights.items() if "_reverse" in k}
)

last = output[-1]  # (N, 2H); with batch_first=True: output[:, -1]
one_step, _ = backward(x[-1:])  # backward direction, after reading x[-1] only
after_one = torch.allclose(last[:, H:], one_step[0])
after_all = torch.allclose(last[:, H:], h_n[1])
print("backward half == backward state after reading x[-1] only:", after_one)
print("backward half == backward final state h_n[1]:", after_all)
# --8<-- [end:bi-last-wrong]

assert torch.allclose(last[:, H:], one_step[0])
assert not torch.allclose(last[:, H:], h_n[1])

# --8<-- [start:bi-last-right]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the layer and the batch from above
H = 5
bi = nn.LSTM(input_size=3, hidden_size=H, bidirectional=True)
x = torch.randn(4, 2, 3)  # (L=4, N=2, H_in=3)
output, (h_n, c_n) = bi(x)

final = torch.cat([h_n[-2], h_n[-1]], dim=1)  # last layer: forward, backward
print("final", tuple(final.shape))  # (N, 2 * hidden_size)

# the same values, taken from output: forward at t = L-1, backward at t = 0
from_output = torch.cat([output[-1, :, :H], output[0, :, H:]], dim=1)
print("equal:", torch.equal(final, from_output))
# --8<-- [end:bi-last-right]

assert torch.equal(final, from_output)

# --8<-- [start:squeeze-wrong]
import torch
from torch import nn

fc = nn.Linear(16, 1)
for num_layers, bidirectional in [(1, False), (2, False), (1, True)]:
    rnn = nn.RNN(8, 16, num_layers=num_layers, bidirectional=bidirectional)
    _, hidden = rnn(torch.randn(5, 4, 8))  # N = 4
    squeezed = torch.squeeze(hidden, 0)  # "the final state"
    print(
        f"num_layers={num_layers} bidirectional={bidirectional!s:5} "
        f"hidden {tuple(hidden.shape)} -> squeeze {tuple(squeezed.shape)} "
        f"-> fc {tuple(fc(squeezed).shape)}"
    )
# --8<-- [end:squeeze-wrong]

assert fc(squeezed).shape == (2, 4, 1)


# --8<-- [start:squeeze-right]
import torch
from torch import nn


def final_state(h_n, num_layers, bidirectional):
    """Last layer's final state(s): (num_layers * D, N, H) -> (N, D * H)."""
    D = 2 if bidirectional else 1
    last_layer = h_n.view(num_layers, D, h_n.shape[1], h_n.shape[2])[-1]
    return torch.cat(list(last_layer), dim=1)  # forward, then backward


for num_layers, bidirectional in [(1, False), (2, False), (2, True)]:
    rnn = nn.RNN(8, 16, num_layers=num_layers, bidirectional=bidirectional)
    output, h_n = rnn(torch.randn(5, 4, 8))
    features = final_state(h_n, num_layers, bidirectional)
    fc = nn.Linear(features.shape[1], 1)
    print(
        f"num_layers={num_layers} bidirectional={bidirectional!s:5} "
        f"h_n {tuple(h_n.shape)} -> {tuple(features.shape)} "
        f"-> fc {tuple(fc(features).shape)}"
    )
# --8<-- [end:squeeze-right]

assert torch.equal(features, torch.cat([h_n[-2], h_n[-1]], dim=1))
assert torch.equal(features[:, :16], output[-1, :, :16])
