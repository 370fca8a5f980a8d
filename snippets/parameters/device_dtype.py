"""device and dtype: where the weights live and which float type they use."""

# --8<-- [start:defaults]
import torch
from torch import nn

lstm = nn.LSTM(input_size=10, hidden_size=20)  # device=None, dtype=None
print("device:", lstm.weight_ih_l0.device, " dtype:", lstm.weight_ih_l0.dtype)
print("torch.get_default_dtype():", torch.get_default_dtype())
# --8<-- [end:defaults]

# --8<-- [start:dtype-mismatch]
import torch
from torch import nn

double = nn.LSTM(input_size=10, hidden_size=20, dtype=torch.float64)
x = torch.randn(5, 3, 10)  # float32, the default
try:
    double(x)
except ValueError as error:
    print("ValueError:", error)
print("x.double() works:", double(x.double())[0].dtype)
# --8<-- [end:dtype-mismatch]

# --8<-- [start:meta-device]
import torch
from torch import nn

from rnn_guide.shapes import parameter_count

# "meta" tensors have a shape and no storage: count a large model for free
big = nn.LSTM(input_size=1024, hidden_size=4096, num_layers=4, device="meta")
print(f"parameters: {parameter_count(big):,} on", big.weight_ih_l0.device)
print(f"float32 would need {parameter_count(big) * 4 / 2**30:.2f} GiB")
try:
    big(torch.randn(5, 3, 1024))  # input on the CPU, weights on "meta"
except RuntimeError as error:
    print("RuntimeError:", error)
# --8<-- [end:meta-device]

# --8<-- [start:dtype-errors]
import torch
from torch import nn

try:
    nn.LSTM(input_size=10, hidden_size=20, dtype=torch.int64)
except RuntimeError as error:
    print("RuntimeError:", error)
# --8<-- [end:dtype-errors]

# --8<-- [start:device-init]
import inspect

import torch
from torch import nn

# The constructor ends with reset_parameters(), which fills each weight in place,
# on the device the weight already lives on, from that device's random generator:
print(inspect.getsource(nn.GRU.reset_parameters))
torch.manual_seed(0)
on_cpu = nn.GRU(3, 4)
later = nn.GRU(3, 4, device="meta").to_empty(device="cpu")  # no numbers drawn yet
torch.manual_seed(0)
later.reset_parameters()  # now drawn, from the CPU generator
print(
    "same seed, same generator, same weights:",
    torch.equal(on_cpu.weight_hh_l0, later.weight_hh_l0),
)
# --8<-- [end:device-init]
