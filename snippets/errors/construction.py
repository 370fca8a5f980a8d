"""Messages printed when a layer is built with arguments that do not fit together."""

# --8<-- [start:dropout]
from torch import nn

from rnn_guide.errors import show_warnings

lstm = show_warnings(lambda: nn.LSTM(input_size=4, hidden_size=8, dropout=0.5))
# --8<-- [end:dropout]

# --8<-- [start:dropout-fix]
import torch
from torch import nn

torch.manual_seed(0)
stacked = nn.LSTM(
    input_size=4, hidden_size=8, num_layers=2, dropout=0.5
)  # between layers 1 and 2
single = nn.LSTM(input_size=4, hidden_size=8)  # one layer: dropout goes around it
drop = nn.Dropout(0.5)
x = torch.randn(5, 3, 4)
output, _ = single(drop(x))
output = drop(output)
print("stacked dropout", stacked.dropout, " single-layer output", tuple(output.shape))
# --8<-- [end:dropout-fix]

# --8<-- [start:proj-size]
from torch import nn

from rnn_guide.errors import show_error

show_error(lambda: nn.GRU(input_size=4, hidden_size=8, proj_size=2))
# --8<-- [end:proj-size]

from rnn_guide.errors import raised

assert "only supported for LSTM" in str(raised(lambda: nn.GRU(4, 8, proj_size=2)))

# --8<-- [start:proj-size-fix]
import torch
from torch import nn

torch.manual_seed(0)
gru = nn.GRU(input_size=4, hidden_size=8)
project = nn.Linear(8, 2)  # a projection after the layer, for GRU and RNN
output, h_n = gru(torch.randn(5, 3, 4))
print("projected output", tuple(project(output).shape))
# --8<-- [end:proj-size-fix]

# --8<-- [start:nonlinearity]
from torch import nn

from rnn_guide.errors import show_error

show_error(lambda: nn.RNN(input_size=4, hidden_size=8, nonlinearity="sigmoid"))
# --8<-- [end:nonlinearity]

assert "Unknown nonlinearity" in str(
    raised(lambda: nn.RNN(4, 8, nonlinearity="sigmoid"))
)

# --8<-- [start:nonlinearity-fix]
from torch import nn

for nonlinearity in (
    "tanh",
    "relu",
):  # the only two; gates with sigmoids: nn.GRU, nn.LSTM
    rnn = nn.RNN(input_size=4, hidden_size=8, nonlinearity=nonlinearity)
    print(rnn)
# --8<-- [end:nonlinearity-fix]
