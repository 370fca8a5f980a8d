"""Loss curves: one line per training run, with an optional spread band and a reference level.

A run whose loss became ``nan`` or ``inf`` is drawn up to its last finite value and ends in a cross at the
top of the axes, labelled as diverged, so the reader sees where it broke instead of a line that just stops.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rnn_guide._validation import check_choice, describe
from rnn_guide.plotting.style import add_labels, check_language, label, use_style

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["plot_loss_curves"]

add_labels(
    {
        "curves_step": {"en": "training step", "zh": "训练步", None: "step"},
        "curves_loss": {"en": "loss", "zh": "损失", None: "$L$"},
        "curves_train_loss": {"en": "training loss (MSE)", "zh": "训练损失（MSE）", None: "MSE"},
        "curves_valid_loss": {"en": "validation loss (MSE)", "zh": "验证集损失（MSE）", None: "MSE"},
        "curves_diverged": {"en": "{name}: nan from step {step}", "zh": "{name}：第 {step} 步起为 nan", None: "nan"},
        "curves_baseline": {"en": "predict the mean", "zh": "总是预测均值", None: "baseline"},
        "curves_title_clipping": {
            "en": "Training loss with and without clipping",
            "zh": "裁剪与不裁剪时的训练损失",
            None: "",
        },
        "curves_title_exploding": {
            "en": "What exploding gradients look like",
            "zh": "梯度爆炸在损失曲线上的样子",
            None: "",
        },
        "curves_title_initialisation": {
            "en": "Adding problem: validation loss by initialisation",
            "zh": "加法问题：不同初始化的验证集损失",
            None: "",
        },
    }
)

#: Runs that the guide's figures compare, by the name the snippets and benchmarks give them. A curve
#: named so is drawn with its label in the figure's language (``"no clipping"`` -> 不裁剪); any other
#: name is drawn as it is.
RUN_LABELS = {
    "no clipping": "run_no_clipping",
    "default": "run_default",
    "orthogonal": "run_orthogonal",
    "forget_bias": "run_forget_bias",
    "orthogonal_forget_bias": "run_orthogonal_forget_bias",
}
add_labels(
    {
        "run_no_clipping": {"en": "no clipping", "zh": "不裁剪", None: "no clipping"},
        "run_default": {"en": "default", "zh": "默认初始化", None: "default"},
        "run_orthogonal": {"en": "orthogonal", "zh": "正交初始化", None: "orthogonal"},
        "run_forget_bias": {"en": "forget_bias", "zh": "遗忘门偏置为 1", None: "forget_bias"},
        "run_orthogonal_forget_bias": {
            "en": "orthogonal_forget_bias",
            "zh": "正交初始化 + 遗忘门偏置为 1",
            None: "orthogonal_forget_bias",
        },
    }
)

_Y_LABELS = ("curves_loss", "curves_train_loss", "curves_valid_loss")
_TITLES = ("curves_title_clipping", "curves_title_exploding", "curves_title_initialisation", None)


def _as_floats(name: str, values: object) -> list[float]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(f"{name} must be a sequence of numbers, got {describe(values)}")
    try:
        return [float(v) for v in values]
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must hold numbers: {error}") from error


def plot_loss_curves(
    curves: Mapping[str, Sequence[float]],
    *,
    steps: Sequence[float] | None = None,
    spread: Mapping[str, tuple[Sequence[float], Sequence[float]]] | None = None,
    baseline: float | None = None,
    log_y: bool = True,
    y_label: str = "curves_loss",
    title: str | None = None,
    language: str | None = "en",
) -> Figure:
    """Loss against training step, one line per run.

    Args:
        curves: legend label -> loss values of shape ``(S,)`` (one per recorded step; all the same length
            S). A label that is a key of :data:`RUN_LABELS` is drawn in ``language``. Non-finite values end
            the line: the first one is marked with a cross at the top of the axes and the run is named in a
            note as having become ``nan``.
        steps: the step number of each value, shape ``(S,)``. Default ``0 … S-1``, like Python indices.
        spread: optional legend label -> ``(low, high)``, each of shape ``(S,)``, drawn as a band around the
            curve of that label (e.g. the minimum and maximum over seeds).
        baseline: a reference loss drawn as a dotted horizontal line (e.g. the loss of predicting the mean).
        log_y: logarithmic y axis.
        y_label: the label key of the y axis: ``"curves_loss"``, ``"curves_train_loss"`` or
            ``"curves_valid_loss"``.
        title: the label key of the title (``"curves_title_clipping"``, ``"curves_title_exploding"``,
            ``"curves_title_initialisation"``) or None.
        language: ``"en"`` or ``"zh"``, or None for symbols only (and no title).

    Returns:
        The matplotlib figure.

    Raises:
        TypeError: if ``curves`` is not a non-empty mapping of number sequences.
        ValueError: for curves of different lengths, a ``steps`` or ``spread`` of the wrong length, a
            spread for an unknown label, a curve without any finite value, or an unknown key or language.
    """
    import matplotlib.pyplot as plt

    check_language(language)
    check_choice("y_label", y_label, _Y_LABELS)
    check_choice("title", title, _TITLES)
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError(f"curves must be a non-empty mapping from label to losses, got {describe(curves)}")
    data = {name: _as_floats(f"curves[{name!r}]", values) for name, values in curves.items()}
    lengths = {len(v) for v in data.values()}
    if len(lengths) != 1 or 0 in lengths:
        raise ValueError(f"every curve must have the same, non-zero length S, got lengths {sorted(lengths)}")
    (length,) = lengths
    x = _as_floats("steps", steps) if steps is not None else [float(i) for i in range(length)]
    if len(x) != length:
        raise ValueError(f"steps must have S = {length} values like the curves, got {len(x)}")
    bands = {}
    for name, pair in (spread or {}).items():
        if name not in data:
            raise ValueError(f"spread has a band for {name!r}, which is not a curve; curves: {list(data)}")
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TypeError(f"spread[{name!r}] must be a pair (low, high), got {describe(pair)}")
        low, high = (_as_floats(f"spread[{name!r}]", side) for side in pair)
        if len(low) != length or len(high) != length:
            raise ValueError(f"spread[{name!r}] must hold two sequences of S = {length} values")
        bands[name] = (low, high)
    for name, values in data.items():
        if not any(math.isfinite(v) for v in values):
            raise ValueError(f"curves[{name!r}] holds no finite value to draw")

    use_style()
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    notes = []
    for index, (name, values) in enumerate(data.items()):
        color = colors[index % len(colors)]
        broken = next((i for i, v in enumerate(values) if not math.isfinite(v)), None)
        end = length if broken is None else broken
        if name in bands:
            low, high = bands[name]
            ax.fill_between(x[:end], low[:end], high[:end], color=color, alpha=0.18, linewidth=0)
        shown = label(RUN_LABELS[name], language) if name in RUN_LABELS else name
        ax.plot(x[:end], values[:end], color=color, linewidth=1.5, label=shown)
        if broken is not None:
            notes.append((x[broken], color, label("curves_diverged", language, name=shown, step=int(x[broken]))))
    if baseline is not None:
        ax.axhline(baseline, color="0.4", linestyle=":", linewidth=1.5, label=label("curves_baseline", language))
    if log_y:
        ax.set_yscale("log")
    for step, color, text in notes:
        ax.plot([step], [1.0], marker="x", markersize=10, markeredgewidth=2.5, color=color,
                transform=ax.get_xaxis_transform(), clip_on=False)  # fmt: skip
        ax.plot([], [], marker="x", linestyle="none", markersize=8, markeredgewidth=2.5, color=color, label=text)
    ax.set_xlabel(label("curves_step", language))
    ax.set_ylabel(label(y_label, language))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize="small")
    if language is not None and title is not None:
        ax.set_title(label(title, language))
    fig.tight_layout()
    return fig
