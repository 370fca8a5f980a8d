"""Initialising an LSTM: PyTorch's default, orthogonal blocks, forget-gate bias 1."""

import os
from pathlib import Path

FIGURES = Path(os.environ.get("RNN_GUIDE_FIGURE_DIR", "docs/assets/figures"))

# --8<-- [start:default]
import math

import torch
from torch import nn

torch.manual_seed(0)
H = 16
lstm = nn.LSTM(input_size=4, hidden_size=H)
bound = 1 / math.sqrt(H)
print(f"1/sqrt(H) = {bound:.4f}")
for name, p in lstm.named_parameters():
    print(f"{name:13} {tuple(p.shape)!s:9} min {p.min():+.4f}  max {p.max():+.4f}")
# --8<-- [end:default]

assert all(p.abs().max() <= bound for p in lstm.parameters())

# --8<-- [start:orthogonal]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the layer from above
H = 16
lstm = nn.LSTM(input_size=4, hidden_size=H)

eye = torch.eye(H)


def block_error(weight_hh):
    """max |W_k W_k^T - I| over the four (H, H) gate blocks i, f, g, o."""
    blocks = weight_hh.split(H)  # 4 blocks of shape (H, H)
    return max((w @ w.T - eye).abs().max().item() for w in blocks)


with torch.no_grad():
    nn.init.orthogonal_(lstm.weight_hh_l0)  # the whole (4H, H) matrix at once
    print(f"whole matrix:   {block_error(lstm.weight_hh_l0):.4f}")
    for block in lstm.weight_hh_l0.split(H):  # views: writes reach the weight
        nn.init.orthogonal_(block)
    print(f"block by block: below 1e-6: {block_error(lstm.weight_hh_l0) < 1e-6}")
# --8<-- [end:orthogonal]

assert block_error(lstm.weight_hh_l0) < 1e-5

# --8<-- [start:forget-bias]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the layer from above
H = 16
lstm = nn.LSTM(input_size=4, hidden_size=H)

torch.set_printoptions(precision=4, sci_mode=False)
f = slice(H, 2 * H)  # gate order i, f, g, o: the forget gate is rows H..2H
with torch.no_grad():
    print(f"b_ih + b_hh (forget) before: {(lstm.bias_ih_l0 + lstm.bias_hh_l0)[f][:4]}")
    lstm.bias_ih_l0[f] = 1.0
    print(f"only b_ih set to 1:          {(lstm.bias_ih_l0 + lstm.bias_hh_l0)[f][:4]}")
    lstm.bias_hh_l0[f] = 0.0
    print(f"b_ih = 1 and b_hh = 0:       {(lstm.bias_ih_l0 + lstm.bias_hh_l0)[f][:4]}")
print(f"sigmoid(1) = {torch.sigmoid(torch.tensor(1.0)):.4f}")
# --8<-- [end:forget-bias]

assert torch.equal((lstm.bias_ih_l0 + lstm.bias_hh_l0)[f], torch.ones(H))


# --8<-- [start:init-function]
import torch
from torch import nn

H = 16  # set-up: hidden_size as above


def init_lstm(lstm, forget_bias=1.0):
    """Orthogonal recurrent blocks, forget-gate bias: every layer and direction."""
    h = lstm.hidden_size
    with torch.no_grad():
        for name, p in lstm.named_parameters():
            if name.startswith("weight_hh"):
                for block in p.split(h):  # (h, h) or (h, proj_size) each
                    nn.init.orthogonal_(block)
            elif name.startswith("bias_ih"):
                p[h : 2 * h] = forget_bias
            elif name.startswith("bias_hh"):
                p[h : 2 * h] = 0.0


deep = nn.LSTM(input_size=4, hidden_size=H, num_layers=2, bidirectional=True)
init_lstm(deep)
forget_sums = [
    (getattr(deep, f"bias_ih_{s}") + getattr(deep, f"bias_hh_{s}"))[H : 2 * H]
    for s in ("l0", "l0_reverse", "l1", "l1_reverse")
]
print(
    "forget bias of all 4 layer-directions is 1:",
    all((b == 1).all() for b in forget_sums),
)
# --8<-- [end:init-function]

# --8<-- [start:results-en]
from rnn_guide.results import latest_result

result = latest_result("initialisation_adding")
m, c = result["metrics"], result["config"]
print("| initialisation | runs solved | mean steps to MSE < 0.01 | final MSE (mean) |")
print("|---|---:|---:|---:|")
for init in c["initialisations"]:
    solved, steps = m[f"{init}_runs_solved"], m[f"{init}_steps_to_solve_mean"]
    final = m[f"{init}_final_valid_mse_mean"]
    print(f"| `{init}` | {solved} of {len(c['seeds'])} | {steps:.0f} | {final:.4f} |")
# --8<-- [end:results-en]

# --8<-- [start:results-zh]
from rnn_guide.results import latest_result

result = latest_result("initialisation_adding")
m, c = result["metrics"], result["config"]
print("| 初始化 | 解决的次数 | MSE < 0.01 所需的平均步数 | 最终 MSE（平均） |")
print("|---|---:|---:|---:|")
for init in c["initialisations"]:
    solved, steps = m[f"{init}_runs_solved"], m[f"{init}_steps_to_solve_mean"]
    final = m[f"{init}_final_valid_mse_mean"]
    print(f"| `{init}` | {solved} / {len(c['seeds'])} | {steps:.0f} | {final:.4f} |")
# --8<-- [end:results-zh]

# --8<-- [start:curves-en]
import torch

from rnn_guide.results import latest_result

result = latest_result("initialisation_adding")  # set-up: as above
m, c = result["metrics"], result["config"]

from rnn_guide.plotting.training_curves import plot_loss_curves

every, steps = c["eval_every"], c["steps"]
points = list(range(every, steps + 1, every))
curves, spread = {}, {}
for init in c["initialisations"]:
    runs = torch.tensor(
        [
            [m[f"{init}_seed_{s}_valid_mse_step_{k:05d}"] for k in points]
            for s in c["seeds"]
        ]
    )  # (seeds, evaluations)
    curves[init] = runs.mean(dim=0).tolist()
    spread[init] = (runs.min(dim=0).values.tolist(), runs.max(dim=0).values.tolist())
fig = plot_loss_curves(
    curves,
    steps=points,
    spread=spread,
    baseline=m["baseline_mse"],
    y_label="curves_valid_loss",
    title="curves_title_initialisation",
    language="en",
)
# --8<-- [end:curves-en]

from rnn_guide.plotting import save_figure

save_figure(fig, FIGURES / "training-initialisation-adding-en.svg")

# --8<-- [start:curves-zh]
import torch

from rnn_guide.results import latest_result

result = latest_result("initialisation_adding")  # set-up: as above
m, c = result["metrics"], result["config"]

from rnn_guide.plotting.training_curves import plot_loss_curves

every, steps = c["eval_every"], c["steps"]
points = list(range(every, steps + 1, every))
curves, spread = {}, {}
for init in c["initialisations"]:
    runs = torch.tensor(
        [
            [m[f"{init}_seed_{s}_valid_mse_step_{k:05d}"] for k in points]
            for s in c["seeds"]
        ]
    )  # (seeds, evaluations)
    curves[init] = runs.mean(dim=0).tolist()
    spread[init] = (runs.min(dim=0).values.tolist(), runs.max(dim=0).values.tolist())
fig = plot_loss_curves(
    curves,
    steps=points,
    spread=spread,
    baseline=m["baseline_mse"],
    y_label="curves_valid_loss",
    title="curves_title_initialisation",
    language="zh",
)
# --8<-- [end:curves-zh]

save_figure(fig, FIGURES / "training-initialisation-adding-zh.svg")
