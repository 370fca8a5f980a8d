"""Error messages about the shape of the input: their reproduction and their fix."""

# --8<-- [start:input-size]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
lstm = nn.LSTM(input_size=4, hidden_size=8)
x = torch.randn(5, 3, 6)  # (L=5, N=3, 6 features per step)
show_error(lambda: lstm(x))
# --8<-- [end:input-size]

from rnn_guide.errors import raised

assert "Expected 4, got 6" in str(raised(lambda: lstm(x)))

# --8<-- [start:input-size-fix]
import torch
from torch import nn

torch.manual_seed(0)
x = torch.randn(5, 3, 6)  # (L=5, N=3, 6 features per step)
lstm = nn.LSTM(input_size=x.shape[-1], hidden_size=8)  # input_size from the data
output, (h_n, c_n) = lstm(x)
print("output", tuple(output.shape))
# --8<-- [end:input-size-fix]

# --8<-- [start:input-dim]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
lstm = nn.LSTM(input_size=16, hidden_size=8, batch_first=True)
images = torch.randn(2, 1, 28, 16)  # (N, channels, rows, columns): read row by row
show_error(lambda: lstm(images))
# --8<-- [end:input-dim]

assert "got 4D" in str(raised(lambda: lstm(images)))

# --8<-- [start:input-dim-fix]
import torch
from torch import nn

torch.manual_seed(0)
lstm = nn.LSTM(input_size=16, hidden_size=8, batch_first=True)
images = torch.randn(2, 1, 28, 16)  # (N, channels, rows, columns)
x = images.squeeze(1)  # (N, L=28 rows, H_in=16 columns); or images.flatten(1, 2)
output, _ = lstm(x)
print("input", tuple(x.shape), "-> output", tuple(output.shape))
# --8<-- [end:input-dim-fix]

# --8<-- [start:cell-input]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
cell = nn.LSTMCell(input_size=4, hidden_size=8)
x = torch.randn(5, 3, 4)  # a whole sequence (L=5, N=3, H_in=4)
show_error(lambda: cell(x))
# --8<-- [end:cell-input]

assert "Expected input to be 1D or 2D, got 3D" in str(raised(lambda: cell(x)))

# --8<-- [start:cell-input-fix]
import torch
from torch import nn

torch.manual_seed(0)
cell = nn.LSTMCell(input_size=4, hidden_size=8)
x = torch.randn(5, 3, 4)  # (L=5, N=3, H_in=4)
h, c = torch.zeros(3, 8), torch.zeros(3, 8)  # (N, H_out): no layer dimension
for x_t in x:  # one step at a time: x_t is (N, H_in)
    h, c = cell(x_t, (h, c))
print("h", tuple(h.shape), " c", tuple(c.shape))
# --8<-- [end:cell-input-fix]

# --8<-- [start:cell-state]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
cell = nn.LSTMCell(input_size=4, hidden_size=8)
x_t = torch.randn(3, 4)  # one step (N=3, H_in=4)
h = torch.zeros(3, 8)
show_error(lambda: cell(x_t, h))  # an LSTM cell needs (h, c)
# --8<-- [end:cell-state]

assert "must be tuple of Tensors" in str(raised(lambda: cell(x_t, h)))

# --8<-- [start:cell-state-fix]
import torch
from torch import nn

torch.manual_seed(0)
cell = nn.LSTMCell(input_size=4, hidden_size=8)
x_t = torch.randn(3, 4)  # one step (N=3, H_in=4)
h, c = cell(x_t, (torch.zeros(3, 8), torch.zeros(3, 8)))
print("h", tuple(h.shape), " c", tuple(c.shape))
# --8<-- [end:cell-state-fix]

# --8<-- [start:cell-batch]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
cell = nn.GRUCell(input_size=4, hidden_size=8)
h = torch.zeros(2, 8)  # state of the previous batch of 2
x_t = torch.randn(3, 4)  # the next batch has 3 sequences
show_error(lambda: cell(x_t, h))
# --8<-- [end:cell-batch]

assert "doesn't match hidden0 batch size" in str(raised(lambda: cell(x_t, h)))

# --8<-- [start:cell-batch-fix]
import torch
from torch import nn

torch.manual_seed(0)
cell = nn.GRUCell(input_size=4, hidden_size=8)
x_t = torch.randn(3, 4)  # (N=3, H_in=4)
h = torch.zeros(x_t.shape[0], 8)  # a fresh state for each new batch, sized from it
h = cell(x_t, h)
print("h", tuple(h.shape))
# --8<-- [end:cell-batch-fix]
