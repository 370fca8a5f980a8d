"""Pitfalls about sizes: input_size, hidden_size, the amount of data, class vs layer."""

# --8<-- [start:independent]
import torch
from torch import nn

torch.manual_seed(0)

# Any input_size works with any hidden_size: two independent choices.
for input_size, hidden_size in [(100, 256), (300, 128), (5, 512)]:
    rnn = nn.RNN(input_size, hidden_size)
    output, h_n = rnn(torch.randn(7, 2, input_size))  # (L, N, H_in)
    count = sum(p.numel() for p in rnn.parameters())
    print(
        f"input_size={input_size:<3} hidden_size={hidden_size:<3} "
        f"output {tuple(output.shape)}  parameters {count}"
    )
    assert output.shape == (7, 2, hidden_size)
    assert count == hidden_size * (input_size + hidden_size + 2)
# --8<-- [end:independent]

# --8<-- [start:first-layer-only]
from torch import nn

rnn = nn.RNN(input_size=20, hidden_size=50, num_layers=2)
for name, parameter in rnn.named_parameters():
    print(f"{name:13} {tuple(parameter.shape)}")
# --8<-- [end:first-layer-only]

assert rnn.weight_ih_l1.shape == (50, 50)

# --8<-- [start:data-size-wrong]
import torch
from torch import nn

reviews = torch.randn(1000, 40, 100)  # 1000 reviews, 40 words, 100-d vectors
# input_size taken as "the size of the data": 1000 reviews
rnn = nn.RNN(input_size=1000, hidden_size=64, batch_first=True)
try:
    rnn(reviews)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
# --8<-- [end:data-size-wrong]

from rnn_guide.errors import raised

assert "Expected 1000, got 100" in str(raised(lambda: rnn(reviews)))

assert rnn.weight_ih_l0.shape == (64, 1000)

# --8<-- [start:data-size-right]
import torch
from torch import nn

reviews = torch.randn(1000, 40, 100)  # set-up: 1000 reviews, 40 words, 100-d vectors

# input_size = features of ONE time step (here: the word-vector size)
rnn = nn.RNN(input_size=100, hidden_size=64, batch_first=True)
for batch in (reviews[:8], reviews[:3, :25], reviews[:1, :5]):
    output, h_n = rnn(batch)  # any number of reviews, any length
    print(f"input {tuple(batch.shape)} -> output {tuple(output.shape)}")
print("parameters:", sum(p.numel() for p in rnn.parameters()))
# --8<-- [end:data-size-right]

# --8<-- [start:features-wrong]
import torch
from torch import nn

rnn = nn.RNN(input_size=20, hidden_size=50, num_layers=2)
x = torch.randn(100, 32, 30)  # (L=100, N=32, 30 features per step)
try:
    output, h_n = rnn(x)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
# --8<-- [end:features-wrong]

assert "Expected 20, got 30" in str(raised(lambda: rnn(x)))

# --8<-- [start:features-right]
import torch
from torch import nn

rnn = nn.RNN(input_size=20, hidden_size=50, num_layers=2)  # set-up: from above

x = torch.randn(100, 32, 20)  # (L, N, H_in): the LAST dimension is input_size
h_0 = torch.zeros(2, 32, 50)  # (num_layers * D, N, H_out)
output, h_n = rnn(x, h_0)
print("output", tuple(output.shape))  # (L, N, H_out)
print("h_n   ", tuple(h_n.shape))  # (num_layers * D, N, H_out)
# --8<-- [end:features-right]

# --8<-- [start:class-wrong]
import torch
from torch import nn

x = torch.randn(100, 32, 20)  # set-up: (L, N, H_in) as above
h_0 = torch.zeros(2, 32, 50)  # set-up: (num_layers * D, N, H_out) as above

try:
    output, h_n = nn.RNN(x, h_0)  # the class, not the layer `rnn` built above
except TypeError as e:
    print(f"{type(e).__name__}: {e}")
# --8<-- [end:class-wrong]

assert isinstance(raised(lambda: nn.RNN(x, h_0)), TypeError)

# --8<-- [start:class-right]
import torch
from torch import nn

x = torch.randn(100, 32, 20)  # set-up: (L, N, H_in) as above
h_0 = torch.zeros(2, 32, 50)  # set-up: (num_layers * D, N, H_out) as above

rnn = nn.RNN(input_size=20, hidden_size=50, num_layers=2)  # build once...
output, h_n = rnn(x, h_0)  # ...then call the instance
print(type(rnn).__name__, tuple(output.shape), tuple(h_n.shape))
# --8<-- [end:class-right]
