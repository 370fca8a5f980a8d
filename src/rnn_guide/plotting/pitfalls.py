"""Figures for the pitfalls page: clipping by norm versus clipping by value."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rnn_guide._validation import check_number, check_tensor
from rnn_guide.plotting.style import add_labels, check_language, label, use_style

if TYPE_CHECKING:  # pragma: no cover
    import torch
    from matplotlib.figure import Figure

add_labels(
    {
        "clip_gradient": {"en": "gradient $g$", "zh": "梯度 $g$", None: "$g$"},
        "clip_by_norm": {
            "en": "clip_grad_norm_: same direction, norm = max_norm",
            "zh": "clip_grad_norm_：方向不变，范数 = max_norm",
            None: "$g \\cdot \\min(1, c / \\|g\\|)$",
        },
        "clip_by_value": {
            "en": "clip_grad_value_: each element cut to ±clip_value",
            "zh": "clip_grad_value_：每个分量截断到 ±clip_value",
            None: "$\\mathrm{clamp}(g_i, -c, c)$",
        },
        "clip_norm_ball": {"en": "$\\|g\\|$ = max_norm", "zh": "$\\|g\\|$ = max_norm", None: "$\\|g\\| = c$"},
        "clip_value_box": {"en": "$|g_i|$ = clip_value", "zh": "$|g_i|$ = clip_value", None: "$|g_i| = c$"},
        "clip_title": {
            "en": "Two ways to clip a two-element gradient",
            "zh": "两种方式裁剪一个二维梯度",
            None: "",
        },
    }
)

_GRAY, _NORM, _VALUE = "0.45", "#5e35b1", "#ff8f00"


def plot_gradient_clipping(
    gradient: torch.Tensor,
    by_norm: torch.Tensor,
    by_value: torch.Tensor,
    *,
    max_norm: float,
    clip_value: float,
    language: str | None = "en",
) -> Figure:
    """Arrows of a two-element gradient before and after the two kinds of clipping.

    ``clip_grad_norm_`` scales the whole vector onto the circle of radius ``max_norm``
    (its direction is kept); ``clip_grad_value_`` cuts each element into
    ``[-clip_value, clip_value]`` (the square), which turns the vector.

    Args:
        gradient: the gradient before clipping, shape ``(2,)``.
        by_norm: the same gradient after ``clip_grad_norm_(..., max_norm)``, shape ``(2,)``.
        by_value: the same gradient after ``clip_grad_value_(..., clip_value)``, shape ``(2,)``.
        max_norm: the radius of the circle drawn (> 0).
        clip_value: the half-width of the square drawn (> 0).
        language: "en" or "zh", the language of the labels, or None for symbols only
            (and no title).

    Returns:
        The matplotlib figure.
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.patches import Circle, Rectangle

    check_language(language)
    for name, vector in (("gradient", gradient), ("by_norm", by_norm), ("by_value", by_value)):
        check_tensor(name, vector, ndim=1)
        if vector.numel() != 2:
            raise ValueError(f"{name} must have shape (2,), got {tuple(vector.shape)}")
    check_number("max_norm", max_norm, low=0, low_inclusive=False)
    check_number("clip_value", clip_value, low=0, low_inclusive=False)
    use_style()
    vectors = [v.detach().cpu().double().numpy() for v in (gradient, by_norm, by_value)]

    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    ax.add_patch(
        Circle(
            (0, 0),
            max_norm,
            fill=False,
            linestyle="--",
            color=_NORM,
            alpha=0.6,
            label=label("clip_norm_ball", language),
        )
    )
    ax.add_patch(
        Rectangle(
            (-clip_value, -clip_value),
            2 * clip_value,
            2 * clip_value,
            fill=False,
            linestyle=":",
            linewidth=1.6,
            color=_VALUE,
            label=label("clip_value_box", language),
        )
    )
    styles = [(_GRAY, "clip_gradient"), (_NORM, "clip_by_norm"), (_VALUE, "clip_by_value")]
    for vector, (color, key) in zip(vectors, styles, strict=True):
        ax.annotate(
            "",
            xy=(vector[0], vector[1]),
            xytext=(0, 0),
            arrowprops={"arrowstyle": "-|>", "color": color, "linewidth": 2.2, "shrinkA": 0, "shrinkB": 0},
        )
        ax.plot([], [], color=color, linewidth=2.2, label=label(key, language))
    reach = np.abs(np.stack(vectors)).max(axis=0)
    ax.set_xlim(-0.25, max(reach[0], max_norm, clip_value) + 0.25)
    ax.set_ylim(-0.25, max(reach[1], max_norm, clip_value) + 0.25)
    ax.set_aspect("equal")
    ax.set_xlabel("$g_1$")
    ax.set_ylabel("$g_2$")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), frameon=False, ncol=1)
    if language is not None:
        ax.set_title(label("clip_title", language))
    fig.tight_layout()
    return fig
