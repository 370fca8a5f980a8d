"""input_size and hidden_size: what they fix, and illegal values."""

# --8<-- [start:input-size]
import torch
from torch import nn

torch.manual_seed(0)
lstm = nn.LSTM(input_size=20, hidden_size=8)
print("weight_ih_l0", tuple(lstm.weight_ih_l0.shape))  # (4 * H, H_in)

# input_size fixes only the last dimension: any L and any N work
for steps, batch in [(5, 3), (50, 64)]:
    output, (h_n, c_n) = lstm(torch.randn(steps, batch, 20))
    print(f"input ({steps}, {batch}, 20) -> output {tuple(output.shape)}")

try:
    lstm(torch.randn(5, 3, 30))  # 30 features, but the layer was built for 20
except RuntimeError as error:
    print("RuntimeError:", error)
# --8<-- [end:input-size]

# --8<-- [start:hidden-size]
import torch
from torch import nn

from rnn_guide.shapes import parameter_count

# hidden_size is chosen freely: it need not match input_size
for hidden_size in (8, 256):
    gru = nn.GRU(input_size=20, hidden_size=hidden_size)
    output, h_n = gru(torch.randn(5, 3, 20))
    print(
        f"hidden_size={hidden_size:3}: output {tuple(output.shape)},",
        f"h_n {tuple(h_n.shape)}, parameters {parameter_count(gru):,}",
    )

# Same sizes, three layer types: 1, 3 and 4 gates per step
for cls in (nn.RNN, nn.GRU, nn.LSTM):
    layer = cls(input_size=20, hidden_size=64)
    assert parameter_count(layer) == sum(p.numel() for p in layer.parameters())
    print(f"{cls.__name__:4} parameters: {parameter_count(layer):,}")
# --8<-- [end:hidden-size]

# --8<-- [start:size-errors]
import numpy as np
from torch import nn

for sizes in [
    {"input_size": 20, "hidden_size": 0},
    {"input_size": 0, "hidden_size": 8},
    {"input_size": 20, "hidden_size": 8.0},
    {"input_size": 20, "hidden_size": np.int64(8)},  # e.g. read from an array
]:
    try:
        nn.LSTM(**sizes)
    except (TypeError, ValueError) as error:
        print(f"{type(error).__name__}: {error}")

print(nn.LSTM(input_size=20, hidden_size=int(np.int64(8))))  # plain int: fine
# --8<-- [end:size-errors]
