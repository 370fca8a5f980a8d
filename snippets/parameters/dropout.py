"""dropout: where it acts, when it acts, the warning and the errors."""

# --8<-- [start:dropout-warning]
import warnings

import torch
from torch import nn

for num_layers in (1, 2):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nn.LSTM(10, 20, num_layers=num_layers, dropout=0.3)
    print(f"num_layers={num_layers}: {len(caught)} warning(s)")
    for warning in caught:
        print(f"  {warning.category.__name__}: {warning.message}")

# The warning is right: with one layer, dropout never acts
torch.manual_seed(0)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    one_layer = nn.LSTM(input_size=10, hidden_size=20, dropout=0.3)
one_layer.train()
x = torch.randn(5, 3, 10)
print(
    "one layer, train(): two calls agree:",
    torch.equal(one_layer(x)[0], one_layer(x)[0]),
)
# --8<-- [end:dropout-warning]

# --8<-- [start:dropout-errors]
from torch import nn

for dropout in (1.5, -0.1, "0.1", True):
    try:
        nn.LSTM(input_size=10, hidden_size=20, num_layers=2, dropout=dropout)
    except ValueError as error:
        print(f"dropout={dropout!r}: ValueError: {error}")
# --8<-- [end:dropout-errors]

# --8<-- [start:dropout-train-eval]
import torch
from torch import nn

x = torch.randn(5, 3, 10)  # set-up: (L, N, H_in) as above

torch.manual_seed(0)
lstm = nn.LSTM(input_size=10, hidden_size=20, num_layers=2, dropout=0.5)
no_dropout = nn.LSTM(input_size=10, hidden_size=20, num_layers=2)
no_dropout.load_state_dict(lstm.state_dict())  # same weights, dropout=0

lstm.train()  # a fresh module is in training mode: masks are random
first, second = lstm(x)[0], lstm(x)[0]
print("train(): two calls agree:", torch.equal(first, second))
assert not torch.equal(first, second)

lstm.eval()  # no dropout at all in evaluation mode
print("eval():  two calls agree:", torch.equal(lstm(x)[0], lstm(x)[0]))
same = torch.allclose(lstm(x)[0], no_dropout(x)[0])
print("eval():  same as dropout=0:", same)
# --8<-- [end:dropout-train-eval]
