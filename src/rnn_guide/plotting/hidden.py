"""Hidden-state trajectories: every unit of h_t over time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rnn_guide._validation import check_tensor
from rnn_guide.plotting.style import add_labels, check_language, label, use_style

if TYPE_CHECKING:  # pragma: no cover
    import torch
    from matplotlib.figure import Figure

add_labels(
    {
        "hidden_unit": {"en": "hidden unit {i}", "zh": "隐藏单元 {i}", None: "$h_t[{i}]$"},
        "hidden_state_value": {"en": "value of $h_t$", "zh": "$h_t$ 的取值", None: "$h_t$"},
        "input_value": {"en": "input $x_t$", "zh": "输入 $x_t$", None: "$x_t$"},
        "hidden_trajectory_title": {
            "en": "Hidden state of an nn.RNN over time",
            "zh": "nn.RNN 的隐状态随时间的变化",
            None: "",
        },
    }
)


def plot_hidden_trajectory(
    hidden: torch.Tensor,
    *,
    inputs: torch.Tensor | None = None,
    units: Sequence[int] | None = None,
    language: str | None = "en",
) -> Figure:
    """Line plot of hidden units over time.

    Args:
        hidden: hidden states of one sequence, shape ``(L, H_out)`` (for example
            ``output[:, 0]`` of a layer called with ``batch_first=False``).
        inputs: optional input sequence of shape ``(L,)`` or ``(L, 1)``, drawn above.
        units: indices of the hidden units to draw (default: all, at most 8).
        language: "en" or "zh", the language of the labels, or None for labels made
            of symbols only (and no title).

    Returns:
        The matplotlib figure.
    """
    import matplotlib.pyplot as plt

    check_language(language)
    check_tensor("hidden", hidden, ndim=2)
    use_style()
    values = hidden.detach().cpu().double().numpy()
    seq_len, hidden_size = values.shape
    if units is None:
        units = range(min(hidden_size, 8))
    for unit in units:
        if not 0 <= unit < hidden_size:
            raise ValueError(f"units must index hidden units 0..{hidden_size - 1}, got {unit}")
    rows = 2 if inputs is not None else 1
    fig, axes = plt.subplots(
        rows,
        1,
        figsize=(7.5, 2.2 + 1.6 * rows),
        sharex=True,
        squeeze=False,
        gridspec_kw={"height_ratios": [1, 2.2] if rows == 2 else [1]},
    )
    steps = range(seq_len)
    if inputs is not None:
        check_tensor("inputs", inputs, ndim=(1, 2))
        x = inputs.detach().cpu().double().reshape(seq_len, -1).numpy()[:, 0]
        axes[0, 0].plot(steps, x, color="0.35", marker=".", linewidth=1.2)
        axes[0, 0].set_ylabel(label("input_value", language))
    ax = axes[-1, 0]
    for unit in units:
        ax.plot(steps, values[:, unit], marker=".", linewidth=1.4, label=label("hidden_unit", language, i=unit))
    ax.set_xlabel(label("time_step", language))
    ax.set_ylabel(label("hidden_state_value", language))
    ax.set_ylim(-1.05, 1.05)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize="small")
    if language is not None:
        fig.suptitle(label("hidden_trajectory_title", language))
    fig.tight_layout()
    return fig
