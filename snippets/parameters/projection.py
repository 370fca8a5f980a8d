"""proj_size (LSTM only)."""

# --8<-- [start:proj-size]
import torch
from torch import nn

from rnn_guide.shapes import expected_shapes

torch.manual_seed(0)
lstm = nn.LSTM(input_size=10, hidden_size=20, proj_size=5)
output, (h_n, c_n) = lstm(torch.randn(7, 3, 10))
print("output", tuple(output.shape), " # (L, N, proj_size)")
print("h_n   ", tuple(h_n.shape), " # (num_layers * D, N, proj_size)")
print("c_n   ", tuple(c_n.shape), " # (num_layers * D, N, hidden_size)")
shapes = expected_shapes(lstm, seq_len=7, batch_size=3)
assert shapes["output"] == output.shape and shapes["c_n"] == c_n.shape
# --8<-- [end:proj-size]

# --8<-- [start:proj-size-table-en]
from torch import nn

from rnn_guide.shapes import format_parameter_table, parameter_table

lstm = nn.LSTM(input_size=10, hidden_size=20, proj_size=5)  # set-up: from above

print(format_parameter_table(parameter_table(lstm), language="en"))
# --8<-- [end:proj-size-table-en]

# --8<-- [start:proj-size-table-zh]
from torch import nn

from rnn_guide.shapes import format_parameter_table, parameter_table

lstm = nn.LSTM(input_size=10, hidden_size=20, proj_size=5)  # set-up: from above

print(format_parameter_table(parameter_table(lstm), language="zh"))
# --8<-- [end:proj-size-table-zh]

# --8<-- [start:proj-size-errors]
from torch import nn

attempts = {
    "nn.GRU(10, 20, proj_size=5)": lambda: nn.GRU(10, 20, proj_size=5),
    "nn.RNN(10, 20, proj_size=0)": lambda: nn.RNN(10, 20, proj_size=0),
    "nn.LSTM(10, 20, proj_size=20)": lambda: nn.LSTM(10, 20, proj_size=20),
    "nn.LSTM(10, 20, proj_size=-1)": lambda: nn.LSTM(10, 20, proj_size=-1),
}
for call, attempt in attempts.items():
    try:
        attempt()
    except ValueError as error:
        print(f"{call}\n  ValueError: {error}")
# --8<-- [end:proj-size-errors]
