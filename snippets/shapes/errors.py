"""h_0 and h_n are never batch-first; what PyTorch's shape errors say."""

# --8<-- [start:never-batch-first]
import torch
from torch import nn

torch.manual_seed(0)
gru = nn.GRU(input_size=4, hidden_size=6, num_layers=2, batch_first=True)
x = torch.randn(3, 5, 4)  # (N, L, H_in): batch first, as asked
h_0 = torch.zeros(2, 3, 6)  # (num_layers * D, N, H_out): NOT batch first
output, h_n = gru(x, h_0)
print("output", tuple(output.shape), " h_n", tuple(h_n.shape))

try:
    gru(x, torch.zeros(3, 2, 6))  # h_0 in batch-first order (N, num_layers, H)
except RuntimeError as error:
    print("RuntimeError:", error)

batch_major = h_n.transpose(0, 1)  # if the next module wants the batch first
print("h_n.transpose(0, 1)", tuple(batch_major.shape))
# --8<-- [end:never-batch-first]

# --8<-- [start:silent]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the batch-first layer from above
gru = nn.GRU(input_size=4, hidden_size=6, num_layers=2, batch_first=True)
x2 = torch.randn(2, 5, 4)  # N = 2 = num_layers * D: both layouts (2, 2, 6)
h_0 = torch.randn(2, 2, 6)  # a real initial state, in the right layout
right, _ = gru(x2, h_0)
wrong, _ = gru(x2, h_0.transpose(0, 1))  # the same state, batch first: no error
print("same output:", torch.equal(right, wrong))
# --8<-- [end:silent]

assert not torch.equal(right, wrong)

# --8<-- [start:messages]
import torch
from torch import nn

lstm = nn.LSTM(input_size=20, hidden_size=16, num_layers=2)
x = torch.randn(7, 3, 20)  # (L, N, H_in)
h_0 = c_0 = torch.zeros(2, 3, 16)  # (num_layers * D, N, H_out)
mistakes = [
    lambda: lstm(torch.randn(7, 3, 30)),  # 1. 30 features, input_size=20
    lambda: lstm(x.unsqueeze(0)),  # 2. a 4-D input
    lambda: lstm(x, (h_0.transpose(0, 1), c_0)),  # 3. h_0 batch first
    lambda: lstm(x, h_0),  # 4. h_0 without c_0
    lambda: nn.LSTM(20, 16)(x, h_0[:1]),  # 5. the same with one layer
    lambda: lstm(x[:, 0], (h_0, c_0)),  # 6. unbatched input, batched state
    lambda: nn.LSTMCell(20, 16)(x),  # 7. a whole sequence into a cell
]
for number, mistake in enumerate(mistakes, start=1):
    try:
        mistake()
    except (RuntimeError, ValueError, IndexError) as error:
        print(f"{number}. {type(error).__name__}\n   {error}")
    else:
        raise AssertionError(f"mistake {number} raised no error")
# --8<-- [end:messages]

# --8<-- [start:expected]
from torch import nn

from rnn_guide.shapes import expected_shapes

lstm = nn.LSTM(input_size=20, hidden_size=16, num_layers=2)  # set-up: from above

for name, shape in expected_shapes(lstm, seq_len=7, batch_size=3).items():
    if not name.startswith(("weight", "bias")):  # skip the parameters
        print(f"{name:7}{shape}")
# --8<-- [end:expected]

# --8<-- [start:empty]
import torch
from torch import nn

from rnn_guide.shapes import expected_shapes_for

gru = nn.GRU(input_size=4, hidden_size=6, batch_first=True)
output, h_n = gru(torch.zeros(0, 5, 4))  # N = 0: an empty batch is legal
print("N = 0: output", tuple(output.shape), "h_n", tuple(h_n.shape))
print(
    "expected_shapes_for:",
    expected_shapes_for(
        "GRU", input_size=4, hidden_size=6, batch_first=True, seq_len=5, batch_size=0
    )["output"],
)
try:
    gru(torch.zeros(2, 0, 4))  # L = 0
except RuntimeError as error:
    print("L = 0, PyTorch:     ", error)
try:
    expected_shapes_for("GRU", input_size=4, hidden_size=6, seq_len=0, batch_size=2)
except ValueError as error:
    print("L = 0, rnn_guide:   ", error)
# --8<-- [end:empty]
