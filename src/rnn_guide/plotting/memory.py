"""Figures for the truncated-BPTT page: memory saved for backward against sequence length."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rnn_guide._validation import check_int, describe
from rnn_guide.plotting.style import add_labels, check_language, label, use_style

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

add_labels(
    {
        "memory_sequence_length": {"en": "sequence length L", "zh": "序列长度 L", None: "$L$"},
        "memory_saved_mib": {
            "en": "saved for backward (MiB)",
            "zh": "为反向传播保存的张量（MiB）",
            None: "MiB",
        },
        "memory_full_bptt": {"en": "full BPTT", "zh": "完整的通过时间反向传播", None: "BPTT"},
        "memory_truncated": {
            "en": "truncated BPTT, k = {window}",
            "zh": "截断的通过时间反向传播，k = {window}",
            None: "TBPTT, $k = {window}$",
        },
        "memory_title": {
            "en": "Autograd memory grows with the length of the graph",
            "zh": "自动求导保存的内存随计算图长度增长",
            None: "",
        },
    }
)

_FULL, _TRUNCATED = "#5e35b1", "#ff8f00"


def _check_sizes(name: str, values: Sequence[int | float], length: int) -> list[float]:
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(f"{name} must be a sequence of numbers, got {describe(values)}")
    if len(values) != length:
        raise ValueError(f"{name} must have one value per sequence length ({length}), got {len(values)}")
    checked = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ValueError(f"{name} must hold numbers >= 0, got {value!r}")
        checked.append(float(value))
    return checked


def plot_bptt_memory(
    lengths: Sequence[int],
    full_bytes: Sequence[int | float],
    truncated_bytes: Sequence[int | float],
    *,
    window: int,
    language: str | None = "en",
) -> Figure:
    """Bytes that autograd keeps for ``backward()`` against sequence length, full vs truncated BPTT.

    Args:
        lengths: the sequence lengths ``L`` measured, shape ``(M,)``, positive and increasing.
        full_bytes: bytes saved when one graph covers all ``L`` steps, shape ``(M,)``.
        truncated_bytes: bytes saved when the graph covers one window of ``window`` steps, shape ``(M,)``.
        window: the truncation length ``k`` (> 0), shown in the legend.
        language: "en" or "zh", the language of the labels, or None for symbols only (and no title).

    Returns:
        The matplotlib figure (both axes linear, memory in MiB).
    """
    import matplotlib.pyplot as plt

    check_language(language)
    window = check_int("window", window, minimum=1)
    if isinstance(lengths, (str, bytes)) or not isinstance(lengths, Sequence) or len(lengths) < 2:
        raise ValueError(f"lengths must be a sequence of at least two lengths, got {describe(lengths)}")
    for n in lengths:
        check_int("each length", n, minimum=1)
    if list(lengths) != sorted(set(lengths)):
        raise ValueError(f"lengths must be strictly increasing, got {list(lengths)}")
    full = _check_sizes("full_bytes", full_bytes, len(lengths))
    truncated = _check_sizes("truncated_bytes", truncated_bytes, len(lengths))
    use_style()

    mib = 2.0**20
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    ax.plot(lengths, [b / mib for b in full], "o-", color=_FULL, linewidth=2, label=label("memory_full_bptt", language))
    ax.plot(
        lengths,
        [b / mib for b in truncated],
        "s--",
        color=_TRUNCATED,
        linewidth=2,
        label=label("memory_truncated", language, window=window),
    )
    ax.set_xlabel(label("memory_sequence_length", language))
    ax.set_ylabel(label("memory_saved_mib", language))
    ax.set_xlim(0, lengths[-1] * 1.05)
    ax.set_ylim(0, max(full + truncated) / mib * 1.1)
    ax.legend(loc="upper left", frameon=False)
    if language is not None:
        ax.set_title(label("memory_title", language))
    fig.tight_layout()
    return fig
