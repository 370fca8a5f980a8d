"""Gate activations of an LSTM or GRU over time: one panel per gate, mean and range over units.

The gate values are computed by the caller (for example with the equations of
:mod:`rnn_guide.reference`) and passed in as tensors of shape ``(L, H)``: one sequence,
every time step, every hidden unit. Sigmoid gates (``i``, ``f``, ``o``, ``r``, ``z``)
lie in ``[0, 1]``; the tanh candidates (``g`` of the LSTM, ``n`` of the GRU) in
``[-1, 1]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rnn_guide._validation import check_choice, check_tensor
from rnn_guide.plotting.style import add_labels, check_language, label, use_style

if TYPE_CHECKING:  # pragma: no cover
    import torch
    from matplotlib.figure import Figure

__all__ = ["GATE_NAMES", "plot_gates"]

#: The gate names :func:`plot_gates` knows: LSTM ``i, f, g, o`` and GRU ``r, z, n``.
GATE_NAMES: tuple[str, ...] = ("i", "f", "g", "o", "r", "z", "n")
_TANH_GATES = ("g", "n")
_KINDS = ("LSTM", "GRU", None)
_MAX_INPUT_FEATURES = 4

add_labels(
    {
        "gate_i": {"en": "input gate $i_t$", "zh": "输入门 $i_t$", None: "$i_t$"},
        "gate_f": {"en": "forget gate $f_t$", "zh": "遗忘门 $f_t$", None: "$f_t$"},
        "gate_g": {"en": "candidate $g_t$", "zh": "候选状态 $g_t$", None: "$g_t$"},
        "gate_o": {"en": "output gate $o_t$", "zh": "输出门 $o_t$", None: "$o_t$"},
        "gate_r": {"en": "reset gate $r_t$", "zh": "重置门 $r_t$", None: "$r_t$"},
        "gate_z": {"en": "update gate $z_t$", "zh": "更新门 $z_t$", None: "$z_t$"},
        "gate_n": {"en": "candidate $n_t$", "zh": "候选状态 $n_t$", None: "$n_t$"},
        "gate_mean": {"en": "mean over units", "zh": "各单元的平均值", None: "mean"},
        "gate_range": {"en": "range over units", "zh": "各单元的取值范围", None: "min–max"},
        "gate_input": {"en": "input $x_t$", "zh": "输入 $x_t$", None: "$x_t$"},
        "gates_title": {
            "en": "Gates of an nn.{kind} over time",
            "zh": "nn.{kind} 各个门随时间的取值",
            None: "",
        },
        "gates_title_generic": {
            "en": "Gates over time",
            "zh": "各个门随时间的取值",
            None: "",
        },
    }
)


def _check_gates(gates: Mapping[str, torch.Tensor]) -> tuple[int, int]:
    """Validate the gate mapping; return its common shape ``(L, H)``."""
    if not isinstance(gates, Mapping) or not gates:
        raise TypeError(
            f"gates must be a non-empty mapping from gate name to tensor, got {type(gates).__name__}"
            + (" (empty)" if isinstance(gates, Mapping) else "")
        )
    shape: tuple[int, ...] | None = None
    for name, values in gates.items():
        check_choice("gate name", name, GATE_NAMES)
        check_tensor(f"gates[{name!r}]", values, ndim=2)
        if shape is None:
            shape = tuple(values.shape)
        elif tuple(values.shape) != shape:
            raise ValueError(
                f"every gate must have the same shape (L, H), got {shape} and {tuple(values.shape)} for gate {name!r}"
            )
        if values.numel() == 0:
            raise ValueError(f"gates[{name!r}] must hold at least one step and one unit, got shape {shape}")
        if not bool(values.isfinite().all()):
            raise ValueError(f"gates[{name!r}] must hold finite values, got NaN or infinity")
        low, high = (-1.0, 1.0) if name in _TANH_GATES else (0.0, 1.0)
        lowest, highest = float(values.min()), float(values.max())
        if lowest < low or highest > high:
            activation = "tanh" if name in _TANH_GATES else "sigmoid"
            raise ValueError(
                f"gates[{name!r}] must hold {activation} activations in [{low:g}, {high:g}], got values in "
                f"[{lowest:.3g}, {highest:.3g}]; pass the activated gate, not its pre-activation"
            )
    assert shape is not None
    return shape[0], shape[1]


def plot_gates(
    gates: Mapping[str, torch.Tensor],
    *,
    inputs: torch.Tensor | None = None,
    kind: str | None = None,
    language: str | None = "en",
) -> Figure:
    """One panel per gate: the mean over hidden units as a line, the range over units shaded.

    Args:
        gates: gate activations of one sequence, keyed by gate name (``"i"``, ``"f"``, ``"g"``,
            ``"o"`` for an LSTM; ``"r"``, ``"z"``, ``"n"`` for a GRU), each of shape ``(L, H)``:
            L time steps, H hidden units. Panels follow the mapping's order.
        inputs: optional input sequence of shape ``(L,)`` or ``(L, H_in)``, drawn in a panel
            above the gates (at most the first four features).
        kind: ``"LSTM"``, ``"GRU"`` or None; named in the title.
        language: ``"en"`` or ``"zh"``, the language of the labels, or None for labels made
            of symbols only (and no title).

    Returns:
        The matplotlib figure; time steps are numbered ``t = 0 … L-1`` on the x axis, as in
        PyTorch's equations (``output[t]`` is ``h_t``).

    Raises:
        TypeError: if ``gates`` is not a non-empty mapping of tensors, or ``inputs`` is not a tensor.
        ValueError: for an unknown gate name, language or kind; gates of different shapes;
            activations outside their range (``[0, 1]`` for sigmoid gates, ``[-1, 1]`` for
            ``g`` and ``n``); or ``inputs`` whose length is not L.
    """
    import matplotlib.pyplot as plt

    check_language(language)
    check_choice("kind", kind, _KINDS)
    seq_len, _ = _check_gates(gates)
    x = None
    if inputs is not None:
        check_tensor("inputs", inputs, ndim=(1, 2))
        if inputs.shape[0] != seq_len:
            raise ValueError(f"inputs must have L = {seq_len} steps like the gates, got shape {tuple(inputs.shape)}")
        x = inputs.detach().cpu().double().reshape(seq_len, -1).numpy()[:, :_MAX_INPUT_FEATURES]

    use_style()
    rows = len(gates) + (1 if x is not None else 0)
    fig, axes = plt.subplots(rows, 1, figsize=(7.5, 0.9 + 1.45 * rows), sharex=True, squeeze=False)
    steps = range(seq_len)
    panels = list(axes[:, 0])
    if x is not None:
        ax = panels.pop(0)
        for column in range(x.shape[1]):
            ax.plot(steps, x[:, column], color="0.35", marker=".", linewidth=1.2)
        ax.set_ylabel(label("gate_input", language), rotation=0, ha="right", va="center")
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for index, (ax, (name, values)) in enumerate(zip(panels, gates.items(), strict=True)):
        data = values.detach().cpu().double().numpy()
        color = colors[GATE_NAMES.index(name) % len(colors)]
        ax.fill_between(
            steps, data.min(axis=1), data.max(axis=1), color=color, alpha=0.2, linewidth=0,
            label=label("gate_range", language),
        )  # fmt: skip
        ax.plot(steps, data.mean(axis=1), color=color, marker=".", linewidth=1.6, label=label("gate_mean", language))
        ax.set_ylim(*((-1.05, 1.05) if name in _TANH_GATES else (-0.03, 1.03)))
        ax.set_ylabel(label(f"gate_{name}", language), rotation=0, ha="right", va="center")
        if index == 0:
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize="small")
    axes[-1, 0].set_xlabel(label("time_step", language))
    if language is not None:
        title = label("gates_title", language, kind=kind) if kind else label("gates_title_generic", language)
        fig.suptitle(title)
    fig.tight_layout()
    return fig
