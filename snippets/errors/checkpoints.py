"""Error messages from saving and loading recurrent models."""

# --8<-- [start:missing-keys]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=4, hidden_size=8)
        self.head = nn.Linear(8, 2)


state = Classifier().state_dict()  # keys "lstm.weight_ih_l0", ..., "head.weight", ...
lstm = nn.LSTM(
    input_size=4, hidden_size=8
)  # the bare layer has keys "weight_ih_l0", ...
show_error(lambda: lstm.load_state_dict(state))
# --8<-- [end:missing-keys]

from rnn_guide.errors import raised

assert "Missing key(s) in state_dict" in str(
    raised(lambda: lstm.load_state_dict(state))
)

# --8<-- [start:missing-keys-fix]
import torch
from torch import nn

torch.manual_seed(0)


class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=4, hidden_size=8)
        self.head = nn.Linear(8, 2)


state = Classifier().state_dict()
lstm = nn.LSTM(input_size=4, hidden_size=8)
prefix = "lstm."
lstm_state = {k[len(prefix) :]: v for k, v in state.items() if k.startswith(prefix)}
print(lstm.load_state_dict(lstm_state))
# --8<-- [end:missing-keys-fix]

# --8<-- [start:size-mismatch]
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
state = nn.GRU(input_size=4, hidden_size=8).state_dict()  # trained with hidden_size=8
gru = nn.GRU(input_size=4, hidden_size=16)  # rebuilt with another hidden_size
show_error(lambda: gru.load_state_dict(state))
# --8<-- [end:size-mismatch]

assert "size mismatch for weight_ih_l0" in str(
    raised(lambda: gru.load_state_dict(state))
)

# --8<-- [start:size-mismatch-fix]
import io

import torch
from torch import nn

torch.manual_seed(0)
trained = nn.GRU(input_size=4, hidden_size=8)
config = {"input_size": trained.input_size, "hidden_size": trained.hidden_size}
buffer = io.BytesIO()  # stands in for a file
torch.save(
    {"config": config, "state": trained.state_dict()}, buffer
)  # settings with the weights

buffer.seek(0)
checkpoint = torch.load(buffer, weights_only=True)
gru = nn.GRU(**checkpoint["config"])  # rebuilt from the saved settings
print(gru.load_state_dict(checkpoint["state"]), gru)
# --8<-- [end:size-mismatch-fix]

# --8<-- [start:weights-only]
import io

import numpy as np
import torch
from torch import nn

from rnn_guide.errors import show_error

torch.manual_seed(0)
lstm = nn.LSTM(input_size=4, hidden_size=8)
val_loss = np.mean([0.31, 0.27])  # a NumPy float64, not a Python float
buffer = io.BytesIO()  # stands in for a file
torch.save({"state": lstm.state_dict(), "val_loss": val_loss}, buffer)
buffer.seek(0)
show_error(lambda: torch.load(buffer))  # weights_only=True is the default
# --8<-- [end:weights-only]

buffer.seek(0)
assert "Weights only load failed" in str(raised(lambda: torch.load(buffer)))

# --8<-- [start:weights-only-fix]
import io

import numpy as np
import torch
from torch import nn

torch.manual_seed(0)
lstm = nn.LSTM(input_size=4, hidden_size=8)
val_loss = np.mean([0.31, 0.27])
buffer = io.BytesIO()
torch.save(
    {"state": lstm.state_dict(), "val_loss": float(val_loss)}, buffer
)  # plain Python types
buffer.seek(0)
checkpoint = torch.load(buffer, weights_only=True)
print("val_loss", round(checkpoint["val_loss"], 4), " keys", sorted(checkpoint))
# --8<-- [end:weights-only-fix]
