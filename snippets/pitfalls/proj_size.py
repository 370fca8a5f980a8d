"""Pitfalls about proj_size: c_n keeps hidden_size; LSTM only; < hidden_size."""

# --8<-- [start:shapes]
import torch
from torch import nn

torch.manual_seed(0)

lstm = nn.LSTM(input_size=10, hidden_size=20, proj_size=5)
x = torch.randn(7, 3, 10)  # (L, N, H_in)
output, (h_n, c_n) = lstm(x)
print("output", tuple(output.shape), " # (L, N, proj_size)")
print("h_n   ", tuple(h_n.shape), " # (num_layers * D, N, proj_size)")
print("c_n   ", tuple(c_n.shape), " # (num_layers * D, N, hidden_size)")
w_hr = lstm.weight_hr_l0
print("weight_hr_l0", tuple(w_hr.shape), "# (proj_size, hidden_size)")
# --8<-- [end:shapes]

assert c_n.shape[-1] == 20 and h_n.shape[-1] == 5

# --8<-- [start:state-wrong]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the layer and the batch from above
lstm = nn.LSTM(input_size=10, hidden_size=20, proj_size=5)
x = torch.randn(7, 3, 10)  # (L, N, H_in)

h_0 = torch.zeros(1, 3, 5)
c_0 = torch.zeros(1, 3, 5)  # "c has the same size as h"
try:
    lstm(x, (h_0, c_0))
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
# --8<-- [end:state-wrong]

from rnn_guide.errors import raised

assert "Expected hidden[1] size (1, 3, 20)" in str(raised(lambda: lstm(x, (h_0, c_0))))

# --8<-- [start:state-right]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the layer and the batch from above
lstm = nn.LSTM(input_size=10, hidden_size=20, proj_size=5)
x = torch.randn(7, 3, 10)  # (L, N, H_in)

h_0 = torch.zeros(1, 3, 5)  # (num_layers * D, N, proj_size)
c_0 = torch.zeros(1, 3, 20)  # (num_layers * D, N, hidden_size)
output, (h_n, c_n) = lstm(x, (h_0, c_0))
print("h_n", tuple(h_n.shape), " c_n", tuple(c_n.shape))
# --8<-- [end:state-right]

# --8<-- [start:limits-wrong]
from torch import nn

for build in (
    lambda: nn.GRU(input_size=10, hidden_size=20, proj_size=5),
    lambda: nn.LSTM(input_size=10, hidden_size=20, proj_size=20),
):
    try:
        build()
    except ValueError as e:
        print(f"{type(e).__name__}: {e}")
# --8<-- [end:limits-wrong]

assert "only supported for LSTM" in str(raised(lambda: nn.GRU(10, 20, proj_size=5)))
assert "smaller than hidden_size" in str(raised(lambda: nn.LSTM(10, 20, proj_size=20)))

# --8<-- [start:limits-right]
import torch
from torch import nn

x = torch.randn(7, 3, 10)  # set-up: (L, N, H_in) as above
gru = nn.GRU(input_size=10, hidden_size=20)  # GRU/RNN: project after the layer
project = nn.Linear(20, 5, bias=False)
output, h_n = gru(x)
print("GRU + Linear", tuple(project(output).shape))
lstm = nn.LSTM(input_size=10, hidden_size=20, proj_size=19)  # 0 < 19 < 20
print("LSTM proj_size=19", tuple(lstm(x)[0].shape))
# --8<-- [end:limits-right]
