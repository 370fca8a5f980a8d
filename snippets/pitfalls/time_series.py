"""Pitfall: a step-by-step LSTM forecaster that crashes and ignores `future`."""

# --8<-- [start:crash]
import torch
from torch import nn

torch.manual_seed(0)


class LoopedForecaster(nn.Module):
    def __init__(self, input_size, hidden_size, output_size=1, num_layers=2):
        super().__init__()
        self.hidden_size, self.num_layers = hidden_size, num_layers
        self.lstm = nn.LSTM(input_size, hidden_size, num_layers)
        self.linear = nn.Linear(hidden_size, output_size)

    def forward(self, input_seq, future=0):  # `future` is never used
        outputs = []
        h_t = torch.zeros(self.num_layers, input_seq.size(1), self.hidden_size)
        c_t = torch.zeros(self.num_layers, input_seq.size(1), self.hidden_size)
        for t in range(input_seq.size(0)):  # one LSTM call per time step
            y_t, (h_t, c_t) = self.lstm(input_seq[t].unsqueeze(0), (h_t, c_t))
            outputs.append(self.linear(y_t))
        return torch.stack(outputs).squeeze()


series = torch.randn(10, 5)  # meant as (seq_len, batch_size)
model = LoopedForecaster(input_size=5, hidden_size=20, num_layers=1)
try:
    model(series)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
# --8<-- [end:crash]

from rnn_guide.errors import raised

assert "For unbatched 2-D input, hx and cx should also be 2-D" in str(
    raised(lambda: model(series))
)

# --8<-- [start:quirks]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the series from above
series = torch.randn(10, 5)  # (seq_len, batch_size)


class LoopedForecaster(nn.Module):  # set-up: the model from above
    def __init__(self, input_size, hidden_size, output_size=1, num_layers=2):
        super().__init__()
        self.hidden_size, self.num_layers = hidden_size, num_layers
        self.lstm = nn.LSTM(input_size, hidden_size, num_layers)
        self.linear = nn.Linear(hidden_size, output_size)

    def forward(self, input_seq, future=0):  # `future` is never used
        outputs = []
        h_t = torch.zeros(self.num_layers, input_seq.size(1), self.hidden_size)
        c_t = torch.zeros(self.num_layers, input_seq.size(1), self.hidden_size)
        for t in range(input_seq.size(0)):  # one LSTM call per time step
            y_t, (h_t, c_t) = self.lstm(input_seq[t].unsqueeze(0), (h_t, c_t))
            outputs.append(self.linear(y_t))
        return torch.stack(outputs).squeeze()


x = series.unsqueeze(-1)  # (L=10, N=5, 1 feature): the layout the loop needs
model = LoopedForecaster(input_size=1, hidden_size=20, num_layers=1)
with torch.no_grad():
    print("model(x)          ", tuple(model(x).shape))
    print("model(x, future=3)", tuple(model(x, future=3).shape), "no forecast")
    print("one series        ", tuple(model(x[:, :1]).shape), "no batch dim")
    whole, _ = model.lstm(x)  # the loop computes what one call computes
    same = torch.allclose(model.linear(whole).squeeze(), model(x), atol=1e-6)
print("loop == one call over the whole sequence:", same)
# --8<-- [end:quirks]

assert same and model(x, future=3).shape == (10, 5)


# --8<-- [start:right]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the series from above
series = torch.randn(10, 5)  # (seq_len, batch_size)


class Forecaster(nn.Module):
    """One LSTM call over the history, then `future` steps fed back."""

    def __init__(self, hidden_size=20, num_layers=1):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden_size, num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x, future=0):  # x: (N, L, 1)
        output, state = self.lstm(x)  # h_0, c_0 default to zeros
        y = self.head(output)  # (N, L, 1): next-value prediction at every t
        steps, last = [y], y[:, -1:]  # last: (N, 1, 1)
        for _ in range(future):  # autoregressive roll-out
            output, state = self.lstm(last, state)  # feed the prediction back
            last = self.head(output)
            steps.append(last)
        return torch.cat(steps, dim=1)  # (N, L + future, 1)


model = Forecaster()
x = series.T.unsqueeze(-1)  # (N=5, L=10, 1)
with torch.no_grad():
    print("model(x)          ", tuple(model(x).shape))
    print("model(x, future=3)", tuple(model(x, future=3).shape))
    print("one series        ", tuple(model(x[:1], future=3).shape))
# --8<-- [end:right]

# --8<-- [start:check]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the series and the model from above
series = torch.randn(10, 5)  # (seq_len, batch_size)


class Forecaster(nn.Module):
    """One LSTM call over the history, then `future` steps fed back."""

    def __init__(self, hidden_size=20, num_layers=1):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden_size, num_layers, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x, future=0):  # x: (N, L, 1)
        output, state = self.lstm(x)  # h_0, c_0 default to zeros
        y = self.head(output)  # (N, L, 1): next-value prediction at every t
        steps, last = [y], y[:, -1:]  # last: (N, 1, 1)
        for _ in range(future):  # autoregressive roll-out
            output, state = self.lstm(last, state)  # feed the prediction back
            last = self.head(output)
            steps.append(last)
        return torch.cat(steps, dim=1)  # (N, L + future, 1)


model = Forecaster()
x = series.T.unsqueeze(-1)  # (N=5, L=10, 1)

with torch.no_grad():
    forecast = model(x, future=3)  # (5, 13, 1); steps 10..12 are the forecast
    # feed the history plus the first forecasts as if they were observed
    fed = torch.cat([x, forecast[:, 9:12]], dim=1)  # (5, 13, 1)
    again = model(fed)[:, 10:13]
print(
    "roll-out == prediction on the extended series:",
    torch.allclose(again, forecast[:, 10:13], atol=1e-6),
)
# --8<-- [end:check]

assert torch.allclose(again, forecast[:, 10:13], atol=1e-6)
