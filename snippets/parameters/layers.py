"""num_layers and nonlinearity."""

# --8<-- [start:num-layers]
import torch
from torch import nn

torch.manual_seed(0)
gru = nn.GRU(input_size=10, hidden_size=20, num_layers=3)
output, h_n = gru(torch.randn(5, 2, 10))  # (L, N, H_in)
print("output", tuple(output.shape), " # top layer only, every step")
print("h_n   ", tuple(h_n.shape), " # every layer, last step")
print("output[-1] == h_n[-1]:", torch.equal(output[-1], h_n[-1]))
for layer in range(3):  # layers above the first read hidden_size features
    weight = getattr(gru, f"weight_ih_l{layer}")
    print(f"weight_ih_l{layer}", tuple(weight.shape))
# --8<-- [end:num-layers]

# --8<-- [start:num-layers-table-en]
from torch import nn

from rnn_guide.shapes import format_parameter_table, parameter_table

two_layers = nn.GRU(input_size=10, hidden_size=20, num_layers=2)
print(format_parameter_table(parameter_table(two_layers), language="en"))
# --8<-- [end:num-layers-table-en]

# --8<-- [start:num-layers-table-zh]
from torch import nn

from rnn_guide.shapes import format_parameter_table, parameter_table

two_layers = nn.GRU(input_size=10, hidden_size=20, num_layers=2)
print(format_parameter_table(parameter_table(two_layers), language="zh"))
# --8<-- [end:num-layers-table-zh]

# --8<-- [start:num-layers-errors]
from torch import nn

for num_layers in (0, 2.0):
    try:
        nn.GRU(input_size=10, hidden_size=20, num_layers=num_layers)
    except (TypeError, ValueError) as error:
        print(f"num_layers={num_layers!r}: {type(error).__name__}: {error}")
# --8<-- [end:num-layers-errors]

# --8<-- [start:nonlinearity]
import torch
from torch import nn

torch.manual_seed(0)
x = 3 * torch.randn(20, 4, 8)  # large inputs show the ranges clearly
for nonlinearity in ("tanh", "relu"):
    rnn = nn.RNN(input_size=8, hidden_size=16, nonlinearity=nonlinearity)
    output, h_n = rnn(x)
    low, high = output.min().item(), output.max().item()
    print(f"{nonlinearity}: h_t in [{low:.3f}, {high:.3f}]")
# --8<-- [end:nonlinearity]

# --8<-- [start:nonlinearity-errors]
from torch import nn

attempts = {
    "nn.RNN, 'sigmoid'": lambda: nn.RNN(8, 16, nonlinearity="sigmoid"),
    "nn.RNN, 'ReLU'": lambda: nn.RNN(8, 16, nonlinearity="ReLU"),
    "nn.LSTM, 'relu'": lambda: nn.LSTM(8, 16, nonlinearity="relu"),
}
for what, attempt in attempts.items():
    try:
        attempt()
    except (TypeError, ValueError) as error:
        print(f"{what}: {type(error).__name__}: {error}")
# --8<-- [end:nonlinearity-errors]
