"""Pitfalls about gradient clipping: what clip_grad_norm_ does, and where it goes."""

import os
from pathlib import Path

FIGURES = Path(os.environ.get("RNN_GUIDE_FIGURE_DIR", "docs/assets/figures"))

# --8<-- [start:setup]
import torch
from torch import nn
from torch.nn.utils import parameters_to_vector

torch.manual_seed(0)
lstm = nn.LSTM(input_size=1, hidden_size=8)
head = nn.Linear(8, 1)
params = [*lstm.parameters(), *head.parameters()]
x = torch.randn(20, 4, 1)  # (L, N, H_in)
target = 50 * torch.randn(4, 1)  # large targets give a large gradient


def compute_loss():
    output, _ = lstm(x)
    return ((head(output[-1]) - target) ** 2).mean()


def flat_grad():  # every gradient element in one vector
    return torch.cat([p.grad.flatten() for p in params])


# --8<-- [end:setup]

# --8<-- [start:norm]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the model, the data and the two helpers from above
lstm = nn.LSTM(input_size=1, hidden_size=8)
head = nn.Linear(8, 1)
params = [*lstm.parameters(), *head.parameters()]
x = torch.randn(20, 4, 1)  # (L, N, H_in)
target = 50 * torch.randn(4, 1)  # large targets give a large gradient


def compute_loss():
    output, _ = lstm(x)
    return ((head(output[-1]) - target) ** 2).mean()


def flat_grad():  # every gradient element in one vector
    return torch.cat([p.grad.flatten() for p in params])


for p in params:
    p.grad = None
compute_loss().backward()
before = flat_grad()
total = nn.utils.clip_grad_norm_(params, max_norm=1.0)  # the norm before
after = flat_grad()

largest = before.abs().max(), after.abs().max()
print(f"total norm:     before {total:8.4f}  after {after.norm():.4f}")
print(f"largest |g_i|:  before {largest[0]:8.4f}  after {largest[1]:.4f}")
ratio = after[before != 0] / before[before != 0]
print(f"every g_i scaled by {ratio.min():.6f} .. {ratio.max():.6f}")
print(f"max_norm / norm   = {1.0 / total:.6f}")
# --8<-- [end:norm]

assert abs(after.norm() - 1.0) < 1e-4 and after.abs().max() < 1.0
assert torch.allclose(ratio, ratio[0].expand_as(ratio), rtol=1e-5)

# --8<-- [start:value]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the model, the data and the two helpers from above
lstm = nn.LSTM(input_size=1, hidden_size=8)
head = nn.Linear(8, 1)
params = [*lstm.parameters(), *head.parameters()]
x = torch.randn(20, 4, 1)  # (L, N, H_in)
target = 50 * torch.randn(4, 1)  # large targets give a large gradient


def compute_loss():
    output, _ = lstm(x)
    return ((head(output[-1]) - target) ** 2).mean()


def flat_grad():  # every gradient element in one vector
    return torch.cat([p.grad.flatten() for p in params])


compute_loss().backward()  # set-up: the unclipped gradient from above
before = flat_grad()

for p in params:
    p.grad = None
compute_loss().backward()
nn.utils.clip_grad_value_(params, clip_value=1.0)
by_value = flat_grad()

cosine = torch.nn.functional.cosine_similarity(before, by_value, dim=0)
print(f"largest |g_i| {by_value.abs().max():.4f}  norm {by_value.norm():.4f}")
cut = int((by_value.abs() == 1.0).sum())
print(f"elements cut to ±1: {cut} of {by_value.numel()}")
print(f"cosine(before, after) = {cosine:.4f}  # < 1: the direction changed")
# --8<-- [end:value]

assert by_value.abs().max() == 1.0 and cosine < 0.999

# --8<-- [start:two-d]
import torch
from torch import nn

g = torch.tensor([2.4, 1.2])
w = torch.zeros(2, requires_grad=True)  # a two-element "model"
w.grad = g.clone()
nn.utils.clip_grad_norm_([w], max_norm=1.0)
by_norm = w.grad.clone()
w.grad = g.clone()
nn.utils.clip_grad_value_([w], clip_value=1.0)
by_value_2d = w.grad.clone()
torch.set_printoptions(precision=4)
print("gradient        ", g)
print("clip_grad_norm_ ", by_norm)
print("clip_grad_value_", by_value_2d)
# --8<-- [end:two-d]

# --8<-- [start:plot-en]
import torch
from torch import nn

g = torch.tensor([2.4, 1.2])  # set-up: the gradient and its clipped versions
w = torch.zeros(2, requires_grad=True)
w.grad = g.clone()
nn.utils.clip_grad_norm_([w], max_norm=1.0)
by_norm = w.grad.clone()
w.grad = g.clone()
nn.utils.clip_grad_value_([w], clip_value=1.0)
by_value_2d = w.grad.clone()

from rnn_guide.plotting.pitfalls import plot_gradient_clipping

fig = plot_gradient_clipping(
    g, by_norm, by_value_2d, max_norm=1.0, clip_value=1.0, language="en"
)
# --8<-- [end:plot-en]

save_en = fig

# --8<-- [start:plot-zh]
import torch
from torch import nn

g = torch.tensor([2.4, 1.2])  # set-up: the gradient and its clipped versions
w = torch.zeros(2, requires_grad=True)
w.grad = g.clone()
nn.utils.clip_grad_norm_([w], max_norm=1.0)
by_norm = w.grad.clone()
w.grad = g.clone()
nn.utils.clip_grad_value_([w], clip_value=1.0)
by_value_2d = w.grad.clone()

from rnn_guide.plotting.pitfalls import plot_gradient_clipping

fig = plot_gradient_clipping(
    g, by_norm, by_value_2d, max_norm=1.0, clip_value=1.0, language="zh"
)
# --8<-- [end:plot-zh]

from rnn_guide.plotting import save_figure

save_figure(save_en, FIGURES / "pitfalls-clipping-en.svg")
save_figure(fig, FIGURES / "pitfalls-clipping-zh.svg")

# --8<-- [start:before-backward-wrong]
import torch
from torch import nn
from torch.nn.utils import parameters_to_vector

torch.manual_seed(0)  # set-up: the model, the data and the two helpers from above
lstm = nn.LSTM(input_size=1, hidden_size=8)
head = nn.Linear(8, 1)
params = [*lstm.parameters(), *head.parameters()]
x = torch.randn(20, 4, 1)  # (L, N, H_in)
target = 50 * torch.randn(4, 1)  # large targets give a large gradient


def compute_loss():
    output, _ = lstm(x)
    return ((head(output[-1]) - target) ** 2).mean()


def flat_grad():  # every gradient element in one vector
    return torch.cat([p.grad.flatten() for p in params])


optimizer = torch.optim.SGD(params, lr=0.01)
start = parameters_to_vector(params).detach()

optimizer.zero_grad()  # gradients are now None
seen = nn.utils.clip_grad_norm_(params, max_norm=1.0)  # nothing to clip yet
compute_loss().backward()
used = flat_grad().norm()
optimizer.step()

update = parameters_to_vector(params).detach() - start
print(f"norm seen by clip_grad_norm_:     {seen:.4f}")
print(f"norm of the gradient step() used: {used:.4f}")
print(f"norm of the update / lr:          {update.norm() / 0.01:.4f}")
# --8<-- [end:before-backward-wrong]

assert seen == 0 and used > 1.0
assert abs(update.norm() / 0.01 - used) < 1e-3 * used

# --8<-- [start:before-backward-right]
import torch
from torch import nn
from torch.nn.utils import parameters_to_vector

torch.manual_seed(0)  # set-up: the model, the data and the two helpers from above
lstm = nn.LSTM(input_size=1, hidden_size=8)
head = nn.Linear(8, 1)
params = [*lstm.parameters(), *head.parameters()]
x = torch.randn(20, 4, 1)  # (L, N, H_in)
target = 50 * torch.randn(4, 1)  # large targets give a large gradient


def compute_loss():
    output, _ = lstm(x)
    return ((head(output[-1]) - target) ** 2).mean()


def flat_grad():  # every gradient element in one vector
    return torch.cat([p.grad.flatten() for p in params])


optimizer = torch.optim.SGD(params, lr=0.01)  # set-up: and the unclipped step above
optimizer.zero_grad()
compute_loss().backward()
optimizer.step()

start = parameters_to_vector(params).detach()

optimizer.zero_grad()
compute_loss().backward()  # 1. gradients
total = nn.utils.clip_grad_norm_(params, max_norm=1.0)  # 2. clip them
optimizer.step()  # 3. update with the clipped gradients

update = parameters_to_vector(params).detach() - start
print(f"norm before clipping:    {total:.4f}")
print(f"norm of the update / lr: {update.norm() / 0.01:.4f}")
# --8<-- [end:before-backward-right]

assert abs(update.norm() / 0.01 - 1.0) < 1e-3
