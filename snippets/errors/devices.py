"""Error messages about dtypes and devices of the input and the state."""

# --8<-- [start:input-dtype]
import numpy as np
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
lstm = nn.LSTM(input_size=4, hidden_size=8)
series = np.random.default_rng(0).normal(size=(5, 3, 4))  # NumPy: float64
x = torch.from_numpy(series)  # keeps float64
show_error(lambda: lstm(x))
# --8<-- [end:input-dtype]

from rnn_guide.errors import raised

assert "does not match weight dtype" in str(raised(lambda: lstm(x)))

# --8<-- [start:input-dtype-fix]
import numpy as np
import torch
from torch import nn

torch.manual_seed(0)
lstm = nn.LSTM(input_size=4, hidden_size=8)
series = np.random.default_rng(0).normal(size=(5, 3, 4))
x = torch.from_numpy(series).float()  # float32, like the weights
output, _ = lstm(x)
print(x.dtype, "->", output.dtype, tuple(output.shape))
# --8<-- [end:input-dtype-fix]

# --8<-- [start:hidden-dtype]
import numpy as np
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
x = torch.randn(5, 3, 4)  # float32
h_0 = torch.from_numpy(np.zeros((1, 3, 8)))  # float64
show_error(lambda: nn.LSTM(4, 8)(x, (h_0, h_0)))
show_error(lambda: nn.GRU(4, 8)(x, h_0))
# --8<-- [end:hidden-dtype]

assert "unsupported data type" in str(raised(lambda: nn.LSTM(4, 8)(x, (h_0, h_0))))

# --8<-- [start:hidden-dtype-fix]
import torch
from torch import nn

torch.manual_seed(0)
lstm = nn.LSTM(4, 8)
x = torch.randn(5, 3, 4)
h_0 = torch.zeros(1, 3, 8, dtype=x.dtype, device=x.device)  # same dtype and device as x
output, (h_n, c_n) = lstm(x, (h_0, torch.zeros_like(h_0)))
print("h_n", h_n.dtype, tuple(h_n.shape))
# --8<-- [end:hidden-dtype-fix]

# --8<-- [start:input-device]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
lstm = nn.LSTM(4, 8).to("meta")  # stands in for .to("cuda") on a machine without a GPU
x = torch.randn(5, 3, 4)  # the batch stayed on the CPU
show_error(lambda: lstm(x))
# --8<-- [end:input-device]

assert "not at the same device" in str(raised(lambda: lstm(x)))

# --8<-- [start:input-device-fix]
import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
lstm = nn.LSTM(4, 8).to(device)
x = torch.randn(5, 3, 4).to(device)  # every batch goes where the model is
output, _ = lstm(x)
print(
    "same device:", output.device == next(lstm.parameters()).device, tuple(output.shape)
)
# --8<-- [end:input-device-fix]

# --8<-- [start:hidden-device]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
device = torch.device("meta")  # stands in for "cuda" on a machine without a GPU
lstm = nn.LSTM(4, 8).to(device)
x = torch.randn(5, 3, 4, device=device)
h_0 = torch.zeros(1, 3, 8)  # created on the CPU, the default device
show_error(lambda: lstm(x, (h_0, h_0)))
# --8<-- [end:hidden-device]

assert "Input and hidden tensors are not at the same device" in str(
    raised(lambda: lstm(x, (h_0, h_0)))
)

# --8<-- [start:hidden-device-fix]
import torch
from torch import nn

torch.manual_seed(0)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
lstm = nn.LSTM(4, 8).to(device)
x = torch.randn(5, 3, 4, device=device)
h_0 = x.new_zeros(1, x.shape[1], 8)  # new_zeros: the device and dtype of x
output, (h_n, c_n) = lstm(x, (h_0, torch.zeros_like(h_0)))
print("h_0 on the input's device:", h_0.device == x.device, tuple(h_n.shape))
# --8<-- [end:hidden-device-fix]
