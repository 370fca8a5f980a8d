"""Error messages from torch.compile, ONNX export and dynamic quantization."""

import warnings

# torch.ao.quantization announces its move to torchao on every call.
warnings.filterwarnings("ignore", category=DeprecationWarning)

# --8<-- [start:compile-rnn]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)


class Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=4, hidden_size=8, batch_first=True)
        self.head = nn.Linear(8, 1)

    def forward(self, x):
        output, _ = self.lstm(x)
        return self.head(output[:, -1])


# backend="eager": the error comes from tracing, before any code is generated
compiled = torch.compile(Forecaster(), fullgraph=True, backend="eager")
show_error(lambda: compiled(torch.randn(3, 5, 4)))
# --8<-- [end:compile-rnn]

from rnn_guide.errors import raised

assert "Attempted to wrap RNN, GRU, or LSTM" in str(
    raised(lambda: compiled(torch.randn(3, 5, 4)))
)

# --8<-- [start:compile-rnn-fix]
import torch
from torch import nn

torch.manual_seed(0)


class Forecaster(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=4, hidden_size=8, batch_first=True)
        self.head = nn.Linear(8, 1)

    def forward(self, x):
        output, _ = self.lstm(x)
        return self.head(output[:, -1])


model, x = Forecaster(), torch.randn(3, 5, 4)
with torch._dynamo.config.patch(allow_rnn=True):  # experimental: trace the LSTM too
    compiled = torch.compile(model, fullgraph=True, backend="eager")
    print("one graph, same result as eager:", torch.allclose(compiled(x), model(x)))
# --8<-- [end:compile-rnn-fix]

# --8<-- [start:compile-packed]
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from rnn_guide.errors import show_error

torch.manual_seed(0)


class PackedEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=4, hidden_size=8, batch_first=True)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(
            x, lengths, batch_first=True, enforce_sorted=False
        )
        _, (h_n, _) = self.lstm(packed)
        return h_n[-1]


x, lengths = torch.randn(3, 5, 4), torch.tensor([5, 3, 4])
with torch._dynamo.config.patch(allow_rnn=True):
    compiled = torch.compile(PackedEncoder(), fullgraph=True, backend="eager")
    show_error(lambda: compiled(x, lengths))
# --8<-- [end:compile-packed]

with torch._dynamo.config.patch(allow_rnn=True):
    assert "pack_padded_sequence" in str(raised(lambda: compiled(x, lengths)))

# --8<-- [start:compile-packed-fix]
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

torch.manual_seed(0)


class PaddedEncoder(nn.Module):
    """The LSTM over the padded batch; each sequence's output at its last valid step."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=4, hidden_size=8, batch_first=True)

    def forward(self, x, lengths):
        output, _ = self.lstm(
            x
        )  # padding comes after the valid steps: it cannot change them
        return output[torch.arange(x.shape[0]), lengths - 1]


model = PaddedEncoder()
x, lengths = torch.randn(3, 5, 4), torch.tensor([5, 3, 4])
with torch._dynamo.config.patch(allow_rnn=True):
    compiled = torch.compile(model, fullgraph=True, backend="eager")
    last = compiled(x, lengths)
packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
_, (h_n, _) = model.lstm(packed)  # the packed run, for comparison
print("compiled padded == packed h_n:", torch.allclose(last, h_n[-1], atol=1e-6))
# --8<-- [end:compile-packed-fix]

# --8<-- [start:onnx-packed]
import io
import warnings

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

from rnn_guide.errors import show_error

torch.manual_seed(0)
warnings.filterwarnings("ignore")  # the exporter's advice is not the point here


class PackedEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=4, hidden_size=8, batch_first=True)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(
            x, lengths, batch_first=True, enforce_sorted=False
        )
        _, (h_n, _) = self.lstm(packed)
        return h_n[-1]


x, lengths = torch.randn(3, 5, 4), torch.tensor([5, 3, 4])
show_error(
    lambda: torch.onnx.export(
        PackedEncoder().eval(), (x, lengths), io.BytesIO(), verbose=False
    )
)
# --8<-- [end:onnx-packed]

# --8<-- [start:onnx-packed-fix]
import io
import warnings

import numpy as np
import onnxruntime
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

torch.manual_seed(0)
warnings.filterwarnings("ignore")


class PaddedEncoder(nn.Module):
    """The LSTM over the padded batch; each sequence's output at its last valid step."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=4, hidden_size=8, batch_first=True)

    def forward(self, x, lengths):
        output, _ = self.lstm(
            x
        )  # padding comes after the valid steps: it cannot change them
        return output[torch.arange(x.shape[0]), lengths - 1]


model = PaddedEncoder().eval()
x, lengths = torch.randn(3, 5, 4), torch.tensor([5, 3, 4])
program = torch.onnx.export(
    model, (x, lengths), input_names=["x", "lengths"], verbose=False
)
session = onnxruntime.InferenceSession(program.model_proto.SerializeToString())
(onnx_last,) = session.run(None, {"x": x.numpy(), "lengths": lengths.numpy()})
with torch.no_grad():
    _, (h_n, _) = model.lstm(
        pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    )
print("onnxruntime == packed h_n:", np.allclose(onnx_last, h_n[-1].numpy(), atol=1e-5))
# --8<-- [end:onnx-packed-fix]

# --8<-- [start:quantize-proj]
import torch
from torch import nn
from torch.ao.quantization import quantize_dynamic

from rnn_guide.errors import show_error

torch.manual_seed(0)
model = nn.Sequential(nn.LSTM(input_size=4, hidden_size=8, proj_size=2))
quantized = quantize_dynamic(model, {nn.LSTM}, dtype=torch.qint8)
show_error(
    lambda: quantized(torch.randn(5, 3, 4))
)  # fails when it runs, not when it converts
# --8<-- [end:quantize-proj]

# --8<-- [start:quantize-proj-fix]
import torch
from torch import nn
from torch.ao.quantization import quantize_dynamic

torch.manual_seed(0)
lstm = nn.LSTM(input_size=4, hidden_size=8)  # no proj_size ...
model = nn.Sequential()
model.lstm, model.project = (
    lstm,
    nn.Linear(8, 2),
)  # ... the projection as a Linear after it
quantized = quantize_dynamic(model, {nn.LSTM, nn.Linear}, dtype=torch.qint8)
output, _ = quantized.lstm(torch.randn(5, 3, 4))
print(type(quantized.lstm).__module__, "->", tuple(quantized.project(output).shape))
# --8<-- [end:quantize-proj-fix]

# --8<-- [start:quantize-dtype]
import torch
from torch import nn
from torch.ao.quantization import quantize_dynamic

from rnn_guide.errors import show_error

model = nn.Sequential(nn.GRU(input_size=4, hidden_size=8))
show_error(lambda: quantize_dynamic(model, {nn.GRU}, dtype=torch.quint8))
# --8<-- [end:quantize-dtype]

# --8<-- [start:quantize-dtype-fix]
import torch
from torch import nn
from torch.ao.quantization import quantize_dynamic

torch.manual_seed(0)
model = nn.Sequential(nn.GRU(input_size=4, hidden_size=8))
for dtype in (
    torch.qint8,
    torch.float16,
):  # the two that dynamic RNN quantization takes
    quantized = quantize_dynamic(model, {nn.GRU}, dtype=dtype)
    output, h_n = quantized[0](torch.randn(5, 3, 4))
    print(dtype, "->", tuple(output.shape))
# --8<-- [end:quantize-dtype-fix]
