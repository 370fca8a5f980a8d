r"""Gradient figures: :math:`\lVert \partial \ell / \partial h_t \rVert` through time, and histograms of the
gradient norms recorded while training.

The numbers come from :func:`rnn_guide.clipping.gradient_norms_through_time` (one tensor of shape ``(L,)``
per model) and from :class:`rnn_guide.clipping.GradNormTracker` (its ``history``, one total norm per step).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import torch

from rnn_guide._validation import check_int, check_number, check_tensor, describe
from rnn_guide.plotting.style import add_labels, check_language, label, use_style

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["plot_grad_norm_histogram", "plot_gradient_norms"]

add_labels(
    {
        "grad_through_time_y": {
            "en": "gradient norm $\\|\\partial \\ell / \\partial h_t\\|$",
            "zh": "梯度范数 $\\|\\partial \\ell / \\partial h_t\\|$",
            None: "$\\|\\partial \\ell / \\partial h_t\\|$",
        },
        "grad_through_time_title": {
            "en": "How far back the gradient of the last step reaches",
            "zh": "最后一步的梯度能沿时间往回传多远",
            None: "",
        },
        "grad_histogram_x": {
            "en": "total gradient norm per step (log scale)",
            "zh": "每一步的总梯度范数（对数刻度）",
            None: "$\\|g\\|$",
        },
        "grad_histogram_y": {"en": "number of steps", "zh": "步数", None: "$n$"},
        "grad_histogram_title": {
            "en": "Gradient norms of {steps} training steps, before clipping",
            "zh": "{steps} 个训练步在裁剪前的梯度范数",
            None: "",
        },
    }
)

_MAX_BINS = 200


def plot_gradient_norms(norms: Mapping[str, torch.Tensor], *, language: str | None = "en") -> Figure:
    r"""Line plot, log scale, of :math:`\lVert \partial \ell / \partial h_t \rVert` against :math:`t`.

    Args:
        norms: legend label -> tensor of shape ``(L,)``, as returned by
            :func:`~rnn_guide.clipping.gradient_norms_through_time`; every tensor may have its own length.
            Entries must be positive and finite (a zero cannot be drawn on a log scale). Labels are shown as
            given, so use names readable in every language (``"nn.LSTM"``).
        language: ``"en"`` or ``"zh"``, the language of the axis labels, or None for symbols only (and no
            title).

    Returns:
        The matplotlib figure; time steps are numbered ``t = 0 … L-1`` on the x axis.

    Raises:
        TypeError: if ``norms`` is not a non-empty mapping of tensors.
        ValueError: for a tensor that is not 1-D, is empty, or holds a value that is not positive and finite;
            or an unknown language.
    """
    import matplotlib.pyplot as plt

    check_language(language)
    if not isinstance(norms, Mapping) or not norms:
        raise TypeError(f"norms must be a non-empty mapping from label to tensor of shape (L,), got {describe(norms)}")
    for name, values in norms.items():
        check_tensor(f"norms[{name!r}]", values, ndim=1)
        if values.numel() == 0:
            raise ValueError(f"norms[{name!r}] must hold at least one time step, got shape {tuple(values.shape)}")
        if not bool(((values > 0) & values.isfinite()).all()):
            raise ValueError(f"norms[{name!r}] must hold positive finite values to be drawn on a log scale")
    use_style()
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    for name, values in norms.items():
        data = values.detach().cpu().double().numpy()
        ax.plot(range(len(data)), data, marker=".", markersize=3, linewidth=1.5, label=name)
    ax.set_yscale("log")
    ax.set_xlabel(label("time_step", language))
    ax.set_ylabel(label("grad_through_time_y", language))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize="small")
    if language is not None:
        ax.set_title(label("grad_through_time_title", language))
    fig.tight_layout()
    return fig


#: Threshold names that the histogram draws in the figure's language.
THRESHOLD_LABELS = {"median": "threshold_median", "p90": "threshold_p90"}
add_labels(
    {
        "threshold_median": {"en": "median = {value}", "zh": "中位数 = {value}", None: "median = {value}"},
        "threshold_p90": {"en": "p90 = {value}", "zh": "第 90 百分位数 = {value}", None: "p90 = {value}"},
    }
)


def plot_grad_norm_histogram(
    norms: Sequence[float],
    *,
    thresholds: Mapping[str, float] | None = None,
    bins: int = 30,
    language: str | None = "en",
) -> Figure:
    """Histogram of per-step total gradient norms on a log x axis, with candidate thresholds as lines.

    Args:
        norms: the total gradient norm of every step, e.g. ``GradNormTracker.history`` (length S);
            ``nan``/``inf`` entries are left out. At least one must be positive and finite.
        thresholds: legend label -> value, drawn as vertical lines (e.g. ``{"p90": 3.2}``); a label that
            is a key of :data:`THRESHOLD_LABELS` (``"median"``, ``"p90"``) is drawn in ``language``.
        bins: number of logarithmically spaced bins, ``1 … 200``.
        language: ``"en"`` or ``"zh"``, or None for symbols only (and no title).

    Returns:
        The matplotlib figure.

    Raises:
        TypeError: if ``norms`` is not a sequence of numbers or ``thresholds`` not a mapping.
        ValueError: if no norm is positive and finite, a threshold is not positive, ``bins`` is out of
            range, or the language is unknown.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    check_language(language)
    bins = check_int("bins", bins, minimum=1)
    if bins > _MAX_BINS:
        raise ValueError(f"bins must be at most {_MAX_BINS}, got {bins}")
    if isinstance(norms, (str, bytes)) or not isinstance(norms, Sequence):
        raise TypeError(f"norms must be a sequence of numbers, got {describe(norms)}")
    values = np.asarray([float(v) for v in norms], dtype=np.float64)
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        raise ValueError("norms must hold at least one positive finite gradient norm")
    lines = dict(thresholds or {})
    if thresholds is not None and not isinstance(thresholds, Mapping):
        raise TypeError(f"thresholds must be a mapping from label to number, got {describe(thresholds)}")
    for name, value in lines.items():
        check_number(f"thresholds[{name!r}]", value, low=0.0, low_inclusive=False)
    use_style()
    low, high = float(values.min()), float(values.max())
    if high <= low:
        low, high = low / 1.5, high * 1.5
    edges = np.logspace(math.log10(low), math.log10(high), bins + 1)
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    ax.hist(values, bins=edges, color="#5e35b1", alpha=0.75)
    colors = ["#ff8f00", "#00897b", "#d81b60", "#3949ab"]
    for index, (name, value) in enumerate(lines.items()):
        value_text = f"{value:.3g}"
        if name in THRESHOLD_LABELS:
            shown = label(THRESHOLD_LABELS[name], language, value=value_text)
        else:
            shown = f"{name} = {value_text}"
        ax.axvline(value, color=colors[index % len(colors)], linestyle="--", linewidth=1.8, label=shown)
    ax.set_xscale("log")
    ax.set_xlabel(label("grad_histogram_x", language))
    ax.set_ylabel(label("grad_histogram_y", language))
    if lines:
        ax.legend(loc="upper right", frameon=False, fontsize="small")
    if language is not None:
        ax.set_title(label("grad_histogram_title", language, steps=len(norms)))
    fig.tight_layout()
    return fig
