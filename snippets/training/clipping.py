"""Gradient clipping: norm or value, placement, max_norm, AutoClip and AGC."""

import os
from pathlib import Path

FIGURES = Path(os.environ.get("RNN_GUIDE_FIGURE_DIR", "docs/assets/figures"))

# --8<-- [start:norm-vs-value]
import torch
from torch import nn

torch.set_printoptions(precision=4, sci_mode=False)
# Two parameters whose gradients differ in scale
a = torch.zeros(3, requires_grad=True)
b = torch.zeros(2, requires_grad=True)
grads = (torch.tensor([0.3, -0.4, 12.0]), torch.tensor([0.05, -0.2]))


def set_grads():
    a.grad, b.grad = grads[0].clone(), grads[1].clone()


set_grads()
total = nn.utils.clip_grad_norm_([a, b], max_norm=1.0)
print(f"norm before: {total:.4f}")
print("by norm  (max_norm=1):  ", a.grad, b.grad)
set_grads()
nn.utils.clip_grad_value_([a, b], clip_value=1.0)
print("by value (clip_value=1):", a.grad, b.grad)
# --8<-- [end:norm-vs-value]

assert torch.allclose(a.grad, torch.tensor([0.3, -0.4, 1.0]))

# --8<-- [start:nonfinite]
import torch
from torch import nn

torch.set_printoptions(
    precision=4, sci_mode=False
)  # set-up: the two parameters from above
a = torch.zeros(3, requires_grad=True)
b = torch.zeros(2, requires_grad=True)
grads = (torch.tensor([0.3, -0.4, 12.0]), torch.tensor([0.05, -0.2]))


def set_grads():
    a.grad, b.grad = grads[0].clone(), grads[1].clone()


for bad in (float("inf"), float("nan")):
    set_grads()
    a.grad[2] = bad  # one non-finite element among five
    total = nn.utils.clip_grad_norm_([a, b], max_norm=1.0)  # error_if_nonfinite=False
    print(f"one {bad}: total norm {total}, after clipping:", a.grad, b.grad)
set_grads()
a.grad[2] = float("inf")
try:
    nn.utils.clip_grad_norm_([a, b], max_norm=1.0, error_if_nonfinite=True)
except RuntimeError as error:
    print("error_if_nonfinite=True:", str(error).split(". ")[0] + ".")
# --8<-- [end:nonfinite]

assert torch.isnan(b.grad).all() or torch.isinf(a.grad).any()

# --8<-- [start:variants]
import torch
from torch import nn

torch.set_printoptions(
    precision=4, sci_mode=False
)  # set-up: the two parameters from above
a = torch.zeros(3, requires_grad=True)
b = torch.zeros(2, requires_grad=True)
grads = (torch.tensor([0.3, -0.4, 12.0]), torch.tensor([0.05, -0.2]))


def set_grads():
    a.grad, b.grad = grads[0].clone(), grads[1].clone()


set_grads()
norm_inf = nn.utils.clip_grad_norm_([a, b], max_norm=1.0, norm_type=float("inf"))
print(f"norm_type=inf: total norm {norm_inf:.4f} (the largest |element|)")
print("after clipping:", a.grad, b.grad)

set_grads()
total = nn.utils.get_total_norm([a.grad, b.grad])  # 1. measure ...
print(f"get_total_norm: {total:.4f}")
# ... look at it, log it, reduce it across ranks, decide to skip the step ...
nn.utils.clip_grads_with_norm_([a, b], 1.0, total_norm=total)  # 2. ... then scale
print("clip_grads_with_norm_:", a.grad, b.grad)

results = []
for foreach in (True, False):  # None (the default) picks True for CPU and CUDA tensors
    set_grads()
    nn.utils.clip_grad_norm_([a, b], max_norm=1.0, foreach=foreach)
    results.append(torch.cat([a.grad, b.grad]))
print("foreach=True and foreach=False agree:", torch.equal(*results))
# --8<-- [end:variants]

assert torch.isclose(norm_inf, torch.tensor(12.0))

# --8<-- [start:task]
import torch

from rnn_guide.tasks import AddingRNN, adding_problem

torch.set_num_threads(1)  # one thread: bit-identical losses on every run


def make_model(seed=0):
    """A ReLU nn.RNN over (N, L, 2) and a linear head on the last step."""
    torch.manual_seed(seed)
    # every singular value of the recurrent weights is 1.4: gradients explode
    return AddingRNN(hidden_size=32, recurrent_gain=1.4)


x, y = adding_problem(32, 40, seed=0)  # x: (32, 40, 2) values and markers, y: (32,)
model = make_model()
print("x", tuple(x.shape), "y", tuple(y.shape), "prediction", tuple(model(x).shape))
# --8<-- [end:task]


# --8<-- [start:loop]
import torch
from torch import nn

from rnn_guide.tasks import adding_problem


def train(model, clip=None, steps=100, lr=0.01):
    """Plain SGD on the adding problem; clip(parameters) between backward and step."""
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    batches = torch.Generator().manual_seed(1)  # the same batches every run
    losses = []
    for _ in range(steps):
        x, y = adding_problem(32, 40, generator=batches)
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()  # 1. gradients
        if clip is not None:
            clip(model.parameters())  # 2. clip them, in place
        optimizer.step()  # 3. update with the clipped gradients
        losses.append(loss.item())
    return losses


# --8<-- [end:loop]

from rnn_guide.tasks import train_on_adding_problem

# The package's loop, which the blocks below call, is this page's loop.
assert train(make_model(), steps=5) == train_on_adding_problem(make_model(), steps=5)

# --8<-- [start:amp]
import torch
from torch import nn
from torch.amp import GradScaler, autocast

from rnn_guide.tasks import AddingRNN, adding_problem

torch.set_num_threads(1)  # set-up: the model of this page (make_model() above)
torch.manual_seed(0)
model = AddingRNN(hidden_size=32, recurrent_gain=1.4)

optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
scaler = GradScaler("cpu")  # "cuda" on a GPU
x, y = adding_problem(32, 40, seed=0)

with autocast("cpu", dtype=torch.float16):  # loss scaling is for float16
    loss = nn.functional.mse_loss(model(x).float(), y)
optimizer.zero_grad()
scaler.scale(loss).backward()  # gradients are multiplied by the scale
scaler.unscale_(optimizer)  # divide them back, in place
norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
scaler.step(optimizer)  # skips the step if a gradient is inf/nan
scaler.update()
skipped = scaler.get_scale() < 65536  # update() halves the scale after a skipped step
print(f"norm before clipping {norm:.4f}, scale now {scaler.get_scale():g}")
print("step skipped:", skipped)
# --8<-- [end:amp]

# --8<-- [start:tracker]
import torch
from torch import nn

from rnn_guide.clipping import GradNormTracker
from rnn_guide.tasks import AddingRNN, adding_problem

torch.set_num_threads(1)
torch.manual_seed(0)
probe = AddingRNN(hidden_size=32)  # default initialisation: trains without clipping
tracker = GradNormTracker()
optimizer = torch.optim.SGD(probe.parameters(), lr=0.01)
batches = torch.Generator().manual_seed(2)
for _ in range(100):
    x, y = adding_problem(32, 40, generator=batches)
    loss = nn.functional.mse_loss(probe(x), y)
    optimizer.zero_grad()
    loss.backward()
    tracker.record(probe)  # the raw norm, before any clipping
    optimizer.step()

summary = tracker.summary()
print({k: round(v, 3) for k, v in summary.items()})
print(f"suggested max_norm (p90): {tracker.suggest_max_norm(90):.3f}")
# --8<-- [end:tracker]

# --8<-- [start:histogram-en]
import torch

from rnn_guide.clipping import GradNormTracker
from rnn_guide.plotting.gradients import plot_grad_norm_histogram
from rnn_guide.tasks import AddingRNN, train_on_adding_problem

torch.set_num_threads(1)  # set-up: the tracked run above, as one call
torch.manual_seed(0)
tracker = GradNormTracker()
train_on_adding_problem(AddingRNN(hidden_size=32), clip=tracker.record, seed=2)
summary = tracker.summary()

lines = {"median": summary["median"], "p90": summary["p90"]}
fig = plot_grad_norm_histogram(tracker.history, thresholds=lines, language="en")
# --8<-- [end:histogram-en]

from rnn_guide.plotting import save_figure

save_figure(fig, FIGURES / "training-clipping-histogram-en.svg")

# --8<-- [start:histogram-zh]
import torch

from rnn_guide.clipping import GradNormTracker
from rnn_guide.plotting.gradients import plot_grad_norm_histogram
from rnn_guide.tasks import AddingRNN, train_on_adding_problem

torch.set_num_threads(1)  # set-up: the tracked run above, as one call
torch.manual_seed(0)
tracker = GradNormTracker()
train_on_adding_problem(AddingRNN(hidden_size=32), clip=tracker.record, seed=2)
summary = tracker.summary()

lines = {"median": summary["median"], "p90": summary["p90"]}
fig = plot_grad_norm_histogram(tracker.history, thresholds=lines, language="zh")
# --8<-- [end:histogram-zh]

save_figure(fig, FIGURES / "training-clipping-histogram-zh.svg")

# --8<-- [start:compare]
from functools import partial

import torch
from torch import nn

from rnn_guide.clipping import AutoClip, adaptive_clip_grad
from rnn_guide.tasks import AddingRNN, train_on_adding_problem

torch.set_num_threads(1)


def make_model(seed=0):  # set-up: as above
    torch.manual_seed(seed)
    return AddingRNN(hidden_size=32, recurrent_gain=1.4)


runs = {
    "no clipping": None,
    "clip_grad_norm_(1.0)": partial(nn.utils.clip_grad_norm_, max_norm=1.0),
    "AutoClip(10)": AutoClip(percentile=10.0),
    "AGC(0.1)": partial(adaptive_clip_grad, clipping=0.1),
}
# train_on_adding_problem is the loop above: SGD, lr=0.01, 100 steps, the same batches
curves = {
    name: train_on_adding_problem(make_model(), clip) for name, clip in runs.items()
}
for name, losses in curves.items():
    last = torch.tensor(losses[-20:])
    first_nan = next((i for i, v in enumerate(losses) if v != v), None)
    print(
        f"{name:21} mean loss of last 20 steps {last.mean():.4f}  first nan {first_nan}"
    )
# --8<-- [end:compare]

assert curves["no clipping"][-1] != curves["no clipping"][-1]  # nan
assert all(
    torch.isfinite(torch.tensor(c)).all() for k, c in curves.items() if k[0] != "n"
)

# --8<-- [start:curves-en]
from functools import partial

import torch
from torch import nn

from rnn_guide.clipping import AutoClip, adaptive_clip_grad
from rnn_guide.plotting.training_curves import plot_loss_curves
from rnn_guide.tasks import AddingRNN, train_on_adding_problem

torch.set_num_threads(1)  # set-up: the four runs above
runs = {
    "no clipping": None,
    "clip_grad_norm_(1.0)": partial(nn.utils.clip_grad_norm_, max_norm=1.0),
    "AutoClip(10)": AutoClip(percentile=10.0),
    "AGC(0.1)": partial(adaptive_clip_grad, clipping=0.1),
}
curves = {}
for name, clip in runs.items():
    torch.manual_seed(0)
    model = AddingRNN(hidden_size=32, recurrent_gain=1.4)
    curves[name] = train_on_adding_problem(model, clip)

fig = plot_loss_curves(curves, title="curves_title_clipping", language="en")
# --8<-- [end:curves-en]

save_figure(fig, FIGURES / "training-clipping-curves-en.svg")

# --8<-- [start:curves-zh]
from functools import partial

import torch
from torch import nn

from rnn_guide.clipping import AutoClip, adaptive_clip_grad
from rnn_guide.plotting.training_curves import plot_loss_curves
from rnn_guide.tasks import AddingRNN, train_on_adding_problem

torch.set_num_threads(1)  # set-up: the four runs above
runs = {
    "no clipping": None,
    "clip_grad_norm_(1.0)": partial(nn.utils.clip_grad_norm_, max_norm=1.0),
    "AutoClip(10)": AutoClip(percentile=10.0),
    "AGC(0.1)": partial(adaptive_clip_grad, clipping=0.1),
}
curves = {}
for name, clip in runs.items():
    torch.manual_seed(0)
    model = AddingRNN(hidden_size=32, recurrent_gain=1.4)
    curves[name] = train_on_adding_problem(model, clip)

fig = plot_loss_curves(curves, title="curves_title_clipping", language="zh")
# --8<-- [end:curves-zh]

save_figure(fig, FIGURES / "training-clipping-curves-zh.svg")
