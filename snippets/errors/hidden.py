"""Error messages about h_0 and c_0: layout, type, device."""

# --8<-- [start:hidden-lstm]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
lstm = nn.LSTM(input_size=4, hidden_size=8, batch_first=True)
x = torch.randn(3, 5, 4)  # (N=3, L=5, H_in=4), batch first
h_0 = torch.zeros(3, 1, 8)  # batch first too: wrong, h_0 never is
c_0 = torch.zeros(3, 1, 8)
show_error(lambda: lstm(x, (h_0, c_0)))
# --8<-- [end:hidden-lstm]

from rnn_guide.errors import raised

assert "Expected hidden[0] size (1, 3, 8)" in str(raised(lambda: lstm(x, (h_0, c_0))))

# --8<-- [start:hidden-lstm-fix]
import torch
from torch import nn

torch.manual_seed(0)
lstm = nn.LSTM(input_size=4, hidden_size=8, batch_first=True)
x = torch.randn(3, 5, 4)  # (N=3, L=5, H_in=4)
h_0 = torch.zeros(1, 3, 8)  # (num_layers * D, N, H_out), whatever batch_first says
c_0 = torch.zeros(1, 3, 8)
output, (h_n, c_n) = lstm(x, (h_0, c_0))
print("output", tuple(output.shape), " h_n", tuple(h_n.shape))
# --8<-- [end:hidden-lstm-fix]

# --8<-- [start:hidden-bidirectional]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
lstm = nn.LSTM(input_size=4, hidden_size=8, num_layers=2, bidirectional=True)
x = torch.randn(5, 3, 4)  # (L=5, N=3, H_in=4)
h_0 = torch.zeros(2, 3, 8)  # one per layer, forgetting the second direction
show_error(lambda: lstm(x, (h_0, h_0)))
# --8<-- [end:hidden-bidirectional]

assert "Expected hidden[0] size (4, 3, 8)" in str(raised(lambda: lstm(x, (h_0, h_0))))

# --8<-- [start:hidden-bidirectional-fix]
import torch
from torch import nn

torch.manual_seed(0)
lstm = nn.LSTM(input_size=4, hidden_size=8, num_layers=2, bidirectional=True)
x = torch.randn(5, 3, 4)  # (L=5, N=3, H_in=4)
D = 2 if lstm.bidirectional else 1
h_0 = torch.zeros(lstm.num_layers * D, x.shape[1], lstm.hidden_size)
output, (h_n, c_n) = lstm(x, (h_0, torch.zeros_like(h_0)))
print("h_0", tuple(h_0.shape), " output", tuple(output.shape))
# --8<-- [end:hidden-bidirectional-fix]

# --8<-- [start:hidden-gru]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
gru = nn.GRU(input_size=4, hidden_size=8, batch_first=True)
x = torch.randn(3, 5, 4)  # (N=3, L=5, H_in=4)
h_0 = torch.zeros(3, 1, 8)  # batch first: wrong
show_error(lambda: gru(x, h_0))
show_error(lambda: nn.RNN(4, 8, batch_first=True)(x, h_0))  # nn.RNN: same text
# --8<-- [end:hidden-gru]

assert "Expected hidden size (1, 3, 8), got [3, 1, 8]" in str(
    raised(lambda: gru(x, h_0))
)

# --8<-- [start:hidden-gru-fix]
import torch
from torch import nn

torch.manual_seed(0)
gru = nn.GRU(input_size=4, hidden_size=8, batch_first=True)
x = torch.randn(3, 5, 4)  # (N=3, L=5, H_in=4)
h_0 = torch.zeros(1, 3, 8)  # (num_layers * D, N, H_out)
output, h_n = gru(x, h_0)
print("output", tuple(output.shape), " h_n", tuple(h_n.shape))
# --8<-- [end:hidden-gru-fix]

# --8<-- [start:gru-tuple]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
gru = nn.GRU(input_size=4, hidden_size=8)
x = torch.randn(5, 3, 4)  # (L=5, N=3, H_in=4)
h_0, c_0 = torch.zeros(1, 3, 8), torch.zeros(1, 3, 8)  # code written for an LSTM
show_error(lambda: gru(x, (h_0, c_0)))
# --8<-- [end:gru-tuple]

assert "'tuple' object has no attribute 'dim'" in str(
    raised(lambda: gru(x, (h_0, c_0)))
)

# --8<-- [start:gru-tuple-fix]
import torch
from torch import nn

torch.manual_seed(0)
gru = nn.GRU(input_size=4, hidden_size=8)
x = torch.randn(5, 3, 4)  # (L=5, N=3, H_in=4)
output, h_n = gru(x, torch.zeros(1, 3, 8))  # GRU and RNN: one state tensor
print("h_n", tuple(h_n.shape))
# --8<-- [end:gru-tuple-fix]

# --8<-- [start:lstm-tensor]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
lstm = nn.LSTM(input_size=4, hidden_size=8)
x = torch.randn(5, 3, 4)  # (L=5, N=3, H_in=4)
h_0 = torch.zeros(1, 3, 8)  # code written for a GRU: no c_0
show_error(lambda: lstm(x, h_0))
# --8<-- [end:lstm-tensor]

assert "index 1 is out of bounds" in str(raised(lambda: lstm(x, h_0)))

# --8<-- [start:lstm-tensor-fix]
import torch
from torch import nn

torch.manual_seed(0)
lstm = nn.LSTM(input_size=4, hidden_size=8)
x = torch.randn(5, 3, 4)  # (L=5, N=3, H_in=4)
h_0 = torch.zeros(1, 3, 8)
output, (h_n, c_n) = lstm(x, (h_0, torch.zeros_like(h_0)))  # a tuple (h_0, c_0)
print("h_n", tuple(h_n.shape), " c_n", tuple(c_n.shape))
# --8<-- [end:lstm-tensor-fix]

# --8<-- [start:hidden-dims]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
rnn = nn.RNN(input_size=4, hidden_size=8)
x = torch.randn(5, 3, 4)  # a batch (L=5, N=3, H_in=4)
h_0 = torch.zeros(3, 8)  # (N, H_out), as a cell takes it
show_error(lambda: rnn(x, h_0))
# --8<-- [end:hidden-dims]

assert "hx should also be 3-D" in str(raised(lambda: rnn(x, h_0)))

# --8<-- [start:hidden-dims-fix]
import torch
from torch import nn

torch.manual_seed(0)
rnn = nn.RNN(input_size=4, hidden_size=8)
x = torch.randn(5, 3, 4)  # (L=5, N=3, H_in=4)
h_0 = torch.zeros(3, 8).unsqueeze(0)  # add the layer dimension: (1, N, H_out)
output, h_n = rnn(x, h_0)
print("h_0", tuple(h_0.shape), " h_n", tuple(h_n.shape))
# --8<-- [end:hidden-dims-fix]
