"""Vanishing and exploding gradients: ||dL/dh_t|| over t, and a loss that blows up."""

import os
from pathlib import Path

FIGURES = Path(os.environ.get("RNN_GUIDE_FIGURE_DIR", "docs/assets/figures"))

# --8<-- [start:through-time]
import torch
from torch import nn

from rnn_guide.clipping import gradient_norms_through_time

torch.manual_seed(0)
L, H = 50, 32
layers = {
    "nn.RNN": nn.RNN(input_size=8, hidden_size=H),
    "nn.LSTM": nn.LSTM(input_size=8, hidden_size=H),
    "nn.GRU": nn.GRU(input_size=8, hidden_size=H),
}
# ||dL/dh_t|| for t = 0 .. L-1, where L is a loss on the last step's h
norms = {name: gradient_norms_through_time(m, L) for name, m in layers.items()}

print("layer     t = L-1    t = L-11   t = 0      ratio t=0 / t=L-1")
for name, n in norms.items():
    print(f"{name:9} {n[-1]:.2e}   {n[-11]:.2e}   {n[0]:.2e}   {n[0] / n[-1]:.1e}")
# --8<-- [end:through-time]

assert all(n[0] / n[-1] < 1e-6 for n in norms.values())  # all three vanish

# --8<-- [start:forget-bias]
import torch
from torch import nn

from rnn_guide.clipping import gradient_norms_through_time

torch.manual_seed(0)  # set-up: the sizes and the three layers' norms from above
L, H = 50, 32
layers = {
    "nn.RNN": nn.RNN(input_size=8, hidden_size=H),
    "nn.LSTM": nn.LSTM(input_size=8, hidden_size=H),
    "nn.GRU": nn.GRU(input_size=8, hidden_size=H),
}
norms = {name: gradient_norms_through_time(m, L) for name, m in layers.items()}

for bias in (1.0, 3.0):
    torch.manual_seed(0)
    lstm = nn.LSTM(input_size=8, hidden_size=H)
    with torch.no_grad():  # gate order i, f, g, o: rows H..2H are f
        lstm.bias_ih_l0[H : 2 * H].fill_(bias)
        lstm.bias_hh_l0[H : 2 * H].fill_(0.0)
    n = gradient_norms_through_time(lstm, L)
    norms[f"nn.LSTM, b_f = {bias:g}"] = n
    print(f"forget bias {bias:g}: ratio t=0 / t=L-1 = {n[0] / n[-1]:.1e}")
# --8<-- [end:forget-bias]

assert norms["nn.LSTM, b_f = 3"][0] > 1e4 * norms["nn.LSTM"][0]

# --8<-- [start:plot-en]
import torch
from torch import nn

from rnn_guide.clipping import gradient_norms_through_time
from rnn_guide.plotting.gradients import plot_gradient_norms

torch.manual_seed(0)  # set-up: the norms of the two blocks above
L, H = 50, 32
layers = {
    "nn.RNN": nn.RNN(input_size=8, hidden_size=H),
    "nn.LSTM": nn.LSTM(input_size=8, hidden_size=H),
    "nn.GRU": nn.GRU(input_size=8, hidden_size=H),
}
norms = {name: gradient_norms_through_time(m, L) for name, m in layers.items()}
for bias in (1.0, 3.0):
    torch.manual_seed(0)
    lstm = nn.LSTM(input_size=8, hidden_size=H)
    with torch.no_grad():
        lstm.bias_ih_l0[H : 2 * H].fill_(bias)
        lstm.bias_hh_l0[H : 2 * H].fill_(0.0)
    norms[f"nn.LSTM, b_f = {bias:g}"] = gradient_norms_through_time(lstm, L)

fig = plot_gradient_norms(norms, language="en")
# --8<-- [end:plot-en]

from rnn_guide.plotting import save_figure

save_figure(fig, FIGURES / "training-gradients-through-time-en.svg")

# --8<-- [start:plot-zh]
import torch
from torch import nn

from rnn_guide.clipping import gradient_norms_through_time
from rnn_guide.plotting.gradients import plot_gradient_norms

torch.manual_seed(0)  # set-up: the norms of the two blocks above
L, H = 50, 32
layers = {
    "nn.RNN": nn.RNN(input_size=8, hidden_size=H),
    "nn.LSTM": nn.LSTM(input_size=8, hidden_size=H),
    "nn.GRU": nn.GRU(input_size=8, hidden_size=H),
}
norms = {name: gradient_norms_through_time(m, L) for name, m in layers.items()}
for bias in (1.0, 3.0):
    torch.manual_seed(0)
    lstm = nn.LSTM(input_size=8, hidden_size=H)
    with torch.no_grad():
        lstm.bias_ih_l0[H : 2 * H].fill_(bias)
        lstm.bias_hh_l0[H : 2 * H].fill_(0.0)
    norms[f"nn.LSTM, b_f = {bias:g}"] = gradient_norms_through_time(lstm, L)

fig = plot_gradient_norms(norms, language="zh")
# --8<-- [end:plot-zh]

save_figure(fig, FIGURES / "training-gradients-through-time-zh.svg")

# --8<-- [start:exploding]
import torch
from torch import nn

from rnn_guide.tasks import AddingRNN, adding_problem

torch.set_num_threads(1)
torch.manual_seed(0)
# a ReLU nn.RNN over (N, L, 2) and a linear head on the last step, with
# recurrent weights whose singular values are all 1.4
model = AddingRNN(hidden_size=32, recurrent_gain=1.4)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
batches = torch.Generator().manual_seed(1)

losses, grad_norms = [], []
for _ in range(40):
    x, y = adding_problem(32, 40, generator=batches)  # (32, 40, 2), (32,)
    loss = nn.functional.mse_loss(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    grad_norms.append(nn.utils.get_total_norm(p.grad for p in model.parameters()))
    optimizer.step()
    losses.append(loss.item())

for step in range(14):
    print(
        f"step {step:2}  loss {losses[step]:10.4g}  grad norm {grad_norms[step]:10.4g}"
    )
print("non-finite losses:", sum(not torch.isfinite(torch.tensor(v)) for v in losses))
# --8<-- [end:exploding]

assert any(v != v for v in losses)  # the loss became nan

# --8<-- [start:curve-en]
import torch

from rnn_guide.plotting.training_curves import plot_loss_curves
from rnn_guide.tasks import AddingRNN, train_on_adding_problem

torch.set_num_threads(1)  # set-up: the 40 steps above (the same loop, in the package)
torch.manual_seed(0)
losses = train_on_adding_problem(
    AddingRNN(hidden_size=32, recurrent_gain=1.4), steps=40
)

fig = plot_loss_curves(
    {"ReLU nn.RNN, SGD": losses}, title="curves_title_exploding", language="en"
)
# --8<-- [end:curve-en]

save_figure(fig, FIGURES / "training-gradients-exploding-en.svg")

# --8<-- [start:curve-zh]
import torch

from rnn_guide.plotting.training_curves import plot_loss_curves
from rnn_guide.tasks import AddingRNN, train_on_adding_problem

torch.set_num_threads(1)  # set-up: the 40 steps above (the same loop, in the package)
torch.manual_seed(0)
losses = train_on_adding_problem(
    AddingRNN(hidden_size=32, recurrent_gain=1.4), steps=40
)

fig = plot_loss_curves(
    {"ReLU nn.RNN, SGD": losses}, title="curves_title_exploding", language="zh"
)
# --8<-- [end:curve-zh]

save_figure(fig, FIGURES / "training-gradients-exploding-zh.svg")
