"""Quick start: an LSTM layer, a batch, its shapes and the package's check of them."""

# --8<-- [start:quickstart]
import torch
from torch import nn

from rnn_guide.shapes import expected_shapes

torch.manual_seed(0)
lstm = nn.LSTM(
    input_size=8, hidden_size=16, num_layers=2, batch_first=True, bidirectional=True
)
x = torch.randn(4, 10, 8)  # (N, L, H_in) because batch_first=True
output, (h_n, c_n) = lstm(x)
print("output", tuple(output.shape), " h_n", tuple(h_n.shape), " c_n", tuple(c_n.shape))
print(
    expected_shapes(lstm, seq_len=10, batch_size=4)["h_n"]
)  # computed from the formulas
# --8<-- [end:quickstart]
