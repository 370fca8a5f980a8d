"""A recurrent layer unrolled over time: one box per time step, sharing the same weights.

The diagram is drawn from its arguments alone (no tensors): ``steps`` boxes in a row,
the input ``x_t`` entering each from below, the state passed from box to box, and the
output ``h_t`` leaving each box upwards. Time steps are numbered ``t = 0 … L-1`` as in
PyTorch's equations, so ``output[t]`` is ``h_t``, the state before the first step is
``h_{-1}`` (the layer's ``h_0`` argument, zeros by default) and the state after the last
step, ``h_{L-1}``, is what PyTorch returns as ``h_n``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rnn_guide._validation import check_choice, check_int
from rnn_guide.plotting.style import add_labels, check_language, label, use_style

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["UNROLLED_KINDS", "plot_unrolled"]

#: The layers :func:`plot_unrolled` can draw.
UNROLLED_KINDS: tuple[str, ...] = ("RNN", "LSTM", "GRU")
_MAX_STEPS = 8
_BOX_FACE, _BOX_EDGE, _ARROW = "#ede7f6", "#5e35b1", "0.25"

add_labels(
    {
        "unrolled_title": {
            "en": "nn.{kind} unrolled over L = {steps} time steps",
            "zh": "nn.{kind} 沿 L = {steps} 个时间步展开",
            None: "",
        },
        "unrolled_shared": {
            "en": "the same weights at every time step",
            "zh": "每个时间步共用同一组权重",
            None: "$W_{{ih}},\\ W_{{hh}},\\ b_{{ih}},\\ b_{{hh}}$",
        },
        "unrolled_output": {"en": "output", "zh": "输出", None: "$h_t$"},
        "unrolled_input": {"en": "input", "zh": "输入", None: "$x_t$"},
        "unrolled_initial": {"en": "argument h_0\n(zeros by default)", "zh": "参数 h_0\n（默认全零）", None: ""},
        "unrolled_final": {"en": "final state", "zh": "最终状态", None: ""},
    }
)


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.annotate(
        "", xy=end, xytext=start,
        arrowprops={"arrowstyle": "-|>", "color": _ARROW, "linewidth": 1.3, "shrinkA": 0, "shrinkB": 0},
    )  # fmt: skip


def _state(kind: str, index: str) -> str:
    """The state passed between steps as mathtext: ``h_t``, or ``h_t, c_t`` for an LSTM."""
    return f"$h_{{{index}}},\\ c_{{{index}}}$" if kind == "LSTM" else f"$h_{{{index}}}$"


def plot_unrolled(steps: int = 4, *, kind: str = "RNN", language: str | None = "en") -> Figure:
    """Diagram of a one-layer recurrent layer unrolled over ``steps`` time steps.

    Each box applies the same cell with the same weights (``W_ih``, ``W_hh`` and the
    biases). Box ``t`` reads ``x_t`` (shape ``(N, H_in)``) and the previous state and
    writes ``h_t`` (shape ``(N, H_out)``); the column of all ``h_t`` is the layer's
    ``output`` of shape ``(L, N, H_out)``, and the state after the last box is ``h_n``
    (with ``c_n`` for an LSTM, whose state is the pair ``(h_t, c_t)``).

    Args:
        steps: the number of time steps L to draw, 1 to 8.
        kind: ``"RNN"``, ``"LSTM"`` or ``"GRU"``: names the layer and, for ``"LSTM"``,
            draws the state as ``(h_t, c_t)``.
        language: ``"en"`` or ``"zh"``, the language of the labels, or None for labels made
            of symbols only (and no title).

    Returns:
        The matplotlib figure.

    Raises:
        TypeError: if ``steps`` is not an integer.
        ValueError: if ``steps`` is outside 1..8, or ``kind`` or ``language`` is unknown.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    steps = check_int("steps", steps, minimum=1)
    if steps > _MAX_STEPS:
        raise ValueError(f"steps must be at most {_MAX_STEPS} to stay readable, got {steps}")
    check_choice("kind", kind, UNROLLED_KINDS)
    check_language(language)
    use_style()

    gap, width, height = 2.4, 1.3, 0.8
    centers = [gap * t for t in range(1, steps + 1)]
    left, right = centers[0] - gap + 0.2, centers[-1] + gap - 0.2
    fig, ax = plt.subplots(figsize=(1.5 + 1.45 * (steps + 1), 3.6))
    ax.set_xlim(left - 0.9, right + 0.9)
    ax.set_ylim(-2.35, 2.0)
    ax.set_axis_off()

    for t, x in enumerate(centers):
        box = FancyBboxPatch(
            (x - width / 2, -height / 2), width, height, boxstyle="round,pad=0.05",
            facecolor=_BOX_FACE, edgecolor=_BOX_EDGE, linewidth=1.4,
        )  # fmt: skip
        ax.add_patch(box)
        ax.text(x, 0, "$W_{ih},\\ W_{hh}$", ha="center", va="center", fontsize=10)
        _arrow(ax, (x, -1.25), (x, -height / 2 - 0.06))
        ax.text(x, -1.45, f"$x_{{{t}}}$", ha="center", va="top", fontsize=12)
        _arrow(ax, (x, height / 2 + 0.06), (x, 1.2))
        ax.text(x, 1.3, f"$h_{{{t}}}$", ha="center", va="bottom", fontsize=12)
        if t < steps - 1:
            _arrow(ax, (x + width / 2 + 0.06, 0), (x + gap - width / 2 - 0.06, 0))
            ax.text(x + gap / 2, 0.12, _state(kind, str(t)), ha="center", va="bottom", fontsize=10)

    _arrow(ax, (left + 0.35, 0), (centers[0] - width / 2 - 0.06, 0))
    ax.text(left + 0.3, 0, _state(kind, "-1"), ha="right", va="center", fontsize=12)
    _arrow(ax, (centers[-1] + width / 2 + 0.06, 0), (right - 0.35, 0))
    final = "$h_n,\\ c_n$" if kind == "LSTM" else "$h_n$"
    ax.text(right - 0.3, 0, final, ha="left", va="center", fontsize=12)

    if language is not None:
        ax.text(
            left + 0.1, -0.32, label("unrolled_initial", language), ha="right", va="top", fontsize=9,
            color="0.35", multialignment="center",
        )  # fmt: skip
        ax.text(right - 0.3, -0.32, label("unrolled_final", language), ha="left", va="top", fontsize=9, color="0.35")
    ax.text(left - 0.9, 1.45, label("unrolled_output", language), ha="left", va="bottom", fontsize=10, color="0.35")
    ax.text(left - 0.9, -1.5, label("unrolled_input", language), ha="left", va="top", fontsize=10, color="0.35")
    ax.text(
        (centers[0] + centers[-1]) / 2, -2.2, label("unrolled_shared", language),
        ha="center", va="center", fontsize=10, color=_BOX_EDGE,
    )  # fmt: skip
    if language is not None:
        fig.suptitle(label("unrolled_title", language, kind=kind, steps=steps))
    fig.tight_layout()
    return fig
