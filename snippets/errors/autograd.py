"""Error messages from backward passes through recurrent layers, and from clipping."""

# --8<-- [start:backward-twice]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
lstm = nn.LSTM(input_size=4, hidden_size=8)
windows = torch.randn(2, 5, 3, 4)  # two consecutive windows of (L=5, N=3, H_in=4)


def train_stateful():
    state = None
    for window in windows:
        output, state = lstm(
            window, state
        )  # the state carries the graph of the last window
        output.pow(2).mean().backward()


show_error(train_stateful)
# --8<-- [end:backward-twice]

from rnn_guide.errors import raised

assert "backward through the graph a second time" in str(raised(train_stateful))

# --8<-- [start:backward-twice-fix]
import torch
from torch import nn

torch.manual_seed(0)
lstm = nn.LSTM(input_size=4, hidden_size=8)
windows = torch.randn(2, 5, 3, 4)  # two consecutive windows of (L=5, N=3, H_in=4)
state = None
for step, window in enumerate(windows):
    output, state = lstm(window, state)
    loss = output.pow(2).mean()
    loss.backward()
    state = tuple(s.detach() for s in state)  # keep the values, cut the graph
    print(f"window {step}: loss {loss.item():.4f}")
# --8<-- [end:backward-twice-fix]

# --8<-- [start:inplace]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
lstm = nn.LSTM(input_size=4, hidden_size=8)
x = torch.randn(5, 3, 4)  # (L=5, N=3, H_in=4); sequence 1 has 3 valid steps
valid = torch.ones(5, 3, dtype=torch.bool)
valid[3:, 1] = False


def masked_loss():
    output, _ = lstm(x)
    output[~valid] = 0.0  # zero the padded steps in place
    output.sum().backward()


show_error(masked_loss)
# --8<-- [end:inplace]

assert "modified by an inplace operation" in str(raised(masked_loss))

# --8<-- [start:inplace-fix]
import torch
from torch import nn

torch.manual_seed(0)
lstm = nn.LSTM(input_size=4, hidden_size=8)
x = torch.randn(5, 3, 4)  # (L=5, N=3, H_in=4)
valid = torch.ones(5, 3, dtype=torch.bool)
valid[3:, 1] = False
output, _ = lstm(x)
masked = output.masked_fill(
    ~valid.unsqueeze(-1), 0.0
)  # a new tensor; output is untouched
masked.sum().backward()
print("gradient of weight_ih_l0:", tuple(lstm.weight_ih_l0.grad.shape))
# --8<-- [end:inplace-fix]

# --8<-- [start:nonfinite]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
lstm = nn.LSTM(input_size=4, hidden_size=8)
output, _ = lstm(torch.randn(5, 3, 4))
loss = output.sum() * float("inf")  # a loss that overflowed
loss.backward()
show_error(
    lambda: nn.utils.clip_grad_norm_(
        lstm.parameters(), max_norm=1.0, error_if_nonfinite=True
    )
)
# --8<-- [end:nonfinite]

assert "is non-finite, so it cannot be clipped" in str(
    raised(
        lambda: nn.utils.clip_grad_norm_(
            lstm.parameters(), max_norm=1.0, error_if_nonfinite=True
        )
    )
)

# --8<-- [start:nonfinite-fix]
import torch
from torch import nn

torch.manual_seed(0)
lstm = nn.LSTM(input_size=4, hidden_size=8)
optimizer = torch.optim.SGD(lstm.parameters(), lr=0.1)
before = lstm.weight_hh_l0.detach().clone()
output, _ = lstm(torch.randn(5, 3, 4))
(output.sum() * float("inf")).backward()
norm = nn.utils.clip_grad_norm_(lstm.parameters(), max_norm=1.0)
if torch.isfinite(norm):
    optimizer.step()
else:  # skip this batch instead of writing NaN into the weights
    print(f"gradient norm {norm.item()}: step skipped")
optimizer.zero_grad()
print("weights unchanged and finite:", torch.equal(before, lstm.weight_hh_l0))
# --8<-- [end:nonfinite-fix]

# --8<-- [start:cudnn-eval-fix]
import torch
from torch import nn

torch.manual_seed(0)
model = (
    nn.Sequential()
)  # a stand-in for a model with batch norm or dropout around the LSTM
model.lstm = nn.LSTM(input_size=4, hidden_size=8)  # dropout=0 (the default)
x = torch.randn(5, 3, 4, requires_grad=True)

model.eval()  # the rest of the model stays in evaluation mode
with torch.no_grad():
    reference, _ = model.lstm(x)
model.lstm.train()  # the LSTM alone in training mode; without dropout: the same
output, _ = model.lstm(x)
output.sum().backward()  # e.g. gradients with respect to the input
print("same output as in eval mode:", torch.allclose(output, reference, atol=1e-6))
print("input gradient", tuple(x.grad.shape))
# --8<-- [end:cudnn-eval-fix]

# --8<-- [start:flatten-fix]
import torch
from torch import nn

torch.manual_seed(0)


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=4, hidden_size=8)

    def forward(self, x):
        self.lstm.flatten_parameters()  # on a GPU: one contiguous weight buffer again
        output, _ = self.lstm(x)
        return output


encoder = Encoder()
print("output", tuple(encoder(torch.randn(5, 3, 4)).shape))  # on the CPU: a no-op
# --8<-- [end:flatten-fix]
