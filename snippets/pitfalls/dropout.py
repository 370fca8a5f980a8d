"""Pitfalls about dropout: one layer (no effect, a warning) and eval()."""

# --8<-- [start:one-layer-wrong]
import warnings

import torch
from torch import nn

torch.manual_seed(0)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    lstm = nn.LSTM(input_size=10, hidden_size=20, num_layers=1, dropout=0.5)
for w in caught:
    print(f"{w.category.__name__}: {w.message}")

plain = nn.LSTM(input_size=10, hidden_size=20)  # same weights, no dropout
plain.load_state_dict(lstm.state_dict())
x = torch.randn(6, 4, 10)
lstm.train()  # training mode: dropout would be active, if there were any
print("same output as without dropout:", torch.equal(lstm(x)[0], plain(x)[0]))
# --8<-- [end:one-layer-wrong]

assert len(caught) == 1 and "num_layers greater than 1" in str(caught[0].message)
assert torch.equal(lstm(x)[0], plain(x)[0])


# --8<-- [start:one-layer-right]
import warnings

import torch
from torch import nn

x = torch.randn(6, 4, 10)  # set-up: (L, N, H_in) as above


class Encoder(nn.Module):
    """One recurrent layer, dropout on its output."""

    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=10, hidden_size=20)
        self.dropout = nn.Dropout(0.5)

    def forward(self, x):
        output, _ = self.lstm(x)
        return self.dropout(output)


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    encoder = Encoder()
    stacked = nn.LSTM(10, 20, num_layers=2, dropout=0.5)  # between the layers
print("warnings:", len(caught))
print("two training-mode runs differ:", not torch.equal(encoder(x), encoder(x)))
# --8<-- [end:one-layer-right]

assert not caught

# --8<-- [start:eval-wrong]
import torch
from torch import nn

x = torch.randn(6, 4, 10)  # set-up: (L, N, H_in) as above

torch.manual_seed(0)
lstm = nn.LSTM(input_size=10, hidden_size=20, num_layers=2, dropout=0.5)
print("a new module is in training mode:", lstm.training)
with torch.no_grad():  # no_grad() does not switch dropout off
    first, second = lstm(x)[0], lstm(x)[0]
print("two predictions of one input are equal:", torch.equal(first, second))
# --8<-- [end:eval-wrong]

assert not torch.equal(first, second)

# --8<-- [start:eval-right]
import torch
from torch import nn

x = torch.randn(6, 4, 10)  # set-up: the batch and the layer from above
torch.manual_seed(0)
lstm = nn.LSTM(input_size=10, hidden_size=20, num_layers=2, dropout=0.5)

lstm.eval()  # switches off the dropout between layers
with torch.no_grad():
    first, second = lstm(x)[0], lstm(x)[0]
print("two predictions of one input are equal:", torch.equal(first, second))

no_dropout = nn.LSTM(input_size=10, hidden_size=20, num_layers=2)
no_dropout.load_state_dict(lstm.state_dict())
with torch.no_grad():
    print(
        "equal to the same weights with dropout=0:",
        torch.equal(first, no_dropout(x)[0]),
    )
lstm.train()  # back to training mode before the next training step
# --8<-- [end:eval-right]

with torch.no_grad():
    assert torch.equal(first, second) and torch.equal(first, no_dropout(x)[0])
