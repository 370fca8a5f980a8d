"""bias, batch_first and bidirectional."""

# --8<-- [start:bias]
import torch
from torch import nn

from rnn_guide.shapes import parameter_count

torch.manual_seed(0)
with_bias = nn.LSTM(input_size=10, hidden_size=20)
without = nn.LSTM(input_size=10, hidden_size=20, bias=False)
print("bias=True: ", [name for name, _ in with_bias.named_parameters()])
print("bias=False:", [name for name, _ in without.named_parameters()])
print("parameters:", parameter_count(with_bias), "->", parameter_count(without))

# Without bias, zero input and zero state stay exactly zero
output, _ = without(torch.zeros(5, 3, 10))
print("bias=False, zero input -> all zero:", bool((output == 0).all()))
output, _ = with_bias(torch.zeros(5, 3, 10))
print("bias=True,  zero input -> all zero:", bool((output == 0).all()))
# --8<-- [end:bias]

# --8<-- [start:bias-errors]
from torch import nn

try:
    nn.LSTM(input_size=10, hidden_size=20, bias=1)
except TypeError as error:
    print("TypeError:", error)
# --8<-- [end:bias-errors]

# --8<-- [start:batch-first]
import torch
from torch import nn

torch.manual_seed(0)
seq_first = nn.LSTM(input_size=10, hidden_size=20)
batch_first = nn.LSTM(input_size=10, hidden_size=20, batch_first=True)
batch_first.load_state_dict(seq_first.state_dict())  # same weights

x = torch.randn(3, 5, 10)  # (N, L, H_in): 3 sequences of 5 steps
out_bf, (h_bf, c_bf) = batch_first(x)
out_sf, (h_sf, c_sf) = seq_first(x.transpose(0, 1))  # (L, N, H_in)
print("batch_first=True : input", tuple(x.shape), "output", tuple(out_bf.shape))
print(
    "batch_first=False: input",
    tuple(x.transpose(0, 1).shape),
    "output",
    tuple(out_sf.shape),
)
print("h_n in both:", tuple(h_bf.shape), tuple(h_sf.shape))  # never batch-first
assert torch.allclose(out_bf, out_sf.transpose(0, 1), atol=1e-6)
assert torch.allclose(h_bf, h_sf, atol=1e-6)
# --8<-- [end:batch-first]

# --8<-- [start:batch-first-errors]
import torch
from torch import nn

batch_first = nn.LSTM(input_size=10, hidden_size=20, batch_first=True)  # set-up
x = torch.randn(3, 5, 10)  # set-up: (N, L, H_in) as above

h_0 = torch.zeros(3, 1, 20)  # batch-first layout (N, num_layers, H): wrong
try:
    batch_first(x, (h_0, h_0))
except RuntimeError as error:
    print("RuntimeError:", error)
h_0 = torch.zeros(1, 3, 20)  # (num_layers * D, N, H), even when batch_first
print("h_0 (1, 3, 20) works:", tuple(batch_first(x, (h_0, h_0))[0].shape))
try:
    nn.LSTM(input_size=10, hidden_size=20, batch_first="True")
except TypeError as error:
    print("TypeError:", error)
# --8<-- [end:batch-first-errors]

# --8<-- [start:bidirectional]
import torch
from torch import nn

from rnn_guide.shapes import parameter_count

torch.manual_seed(0)
bi = nn.GRU(input_size=10, hidden_size=20, bidirectional=True)
output, h_n = bi(torch.randn(5, 3, 10))
print("output", tuple(output.shape), " # (L, N, 2 * H): concatenated")
print("h_n   ", tuple(h_n.shape), " # (2 * num_layers, N, H)")
forward, backward = output[..., :20], output[..., 20:]
print("h_n[0] == forward[-1] (last step): ", torch.equal(h_n[0], forward[-1]))
print("h_n[1] == backward[0] (first step):", torch.equal(h_n[1], backward[0]))
one_way = nn.GRU(input_size=10, hidden_size=20)
print("parameters:", parameter_count(one_way), "->", parameter_count(bi))
# --8<-- [end:bidirectional]

# --8<-- [start:bidirectional-truthy]
import torch
from torch import nn

# Not type-checked when the layer is built: the string builds two directions
surprise = nn.GRU(input_size=10, hidden_size=20, bidirectional="False")
print(surprise, "parameters:", sum(p.numel() for p in surprise.parameters()))
try:  # ...and the first call fails, far from the cause
    surprise(torch.randn(5, 3, 10))
except TypeError as error:
    print("TypeError:", str(error).splitlines()[0])
# --8<-- [end:bidirectional-truthy]
