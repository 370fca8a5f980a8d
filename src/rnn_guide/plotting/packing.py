"""Padded batch versus PackedSequence: where every time step of every sequence is stored.

:func:`packed_layout` packs a batch of the given lengths with PyTorch's own
``pack_padded_sequence`` and reports, for every element of ``PackedSequence.data``, which
sequence and time step it holds; :func:`plot_packing` draws that layout next to the padded
batch it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch

from rnn_guide._validation import describe
from rnn_guide.plotting.style import add_labels, check_language, label, use_style

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["PackedLayout", "packed_layout", "plot_packing"]

#: Largest batch the figure draws legibly: sequences, time steps, packed elements.
MAX_SEQUENCES = 8
MAX_LENGTH = 12
MAX_ELEMENTS = 32

add_labels(
    {
        "packing_sequence": {"en": "sequence {i}", "zh": "序列 {i}", None: "$i={i}$"},
        "packing_padding": {"en": "padding", "zh": "填充", None: "0"},
        "packing_padded_title": {
            "en": "Padded batch (batch_first=True), shape (N, L) = ({n}, {l})",
            "zh": "填充后的批量（batch_first=True），形状 (N, L) = ({n}, {l})",
            None: "$(N, L) = ({n}, {l})$",
        },
        "packing_packed_title": {
            "en": "PackedSequence.data, shape ({total},): step by step, longest sequence first",
            "zh": "PackedSequence.data，形状 ({total},)：按时间步存放，长序列在前",
            None: "$({total},)$",
        },
        "packing_batch_sizes": {"en": "batch_sizes", "zh": "batch_sizes", None: "batch_sizes"},
    }
)


@dataclass(frozen=True)
class PackedLayout:
    """Where the steps of a padded batch end up in a ``PackedSequence``.

    Attributes:
        lengths: The length of each sequence, in batch order, shape ``(N,)``.
        batch_sizes: ``PackedSequence.batch_sizes`` as a tuple, shape ``(max(lengths),)``:
            how many sequences are still running at each time step.
        sorted_indices: ``PackedSequence.sorted_indices``, shape ``(N,)``: the batch positions
            from longest to shortest sequence.
        elements: One ``(sequence, step)`` pair per element of ``PackedSequence.data``, in
            memory order, shape ``(sum(lengths),)``.
    """

    lengths: tuple[int, ...]
    batch_sizes: tuple[int, ...]
    sorted_indices: tuple[int, ...]
    elements: tuple[tuple[int, int], ...]


def _check_lengths(lengths: Sequence[int] | torch.Tensor) -> tuple[int, ...]:
    if isinstance(lengths, torch.Tensor):
        if lengths.dim() != 1 or lengths.dtype.is_floating_point or lengths.dtype == torch.bool:
            raise ValueError(f"lengths must be a 1-D integer tensor, got {describe(lengths)}")
        values = tuple(int(v) for v in lengths.tolist())
    elif isinstance(lengths, (list, tuple)):
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in lengths):
            raise TypeError(f"lengths must hold integers, got {lengths!r}")
        values = tuple(lengths)
    else:
        raise TypeError(f"lengths must be a list, tuple or 1-D tensor of integers, got {describe(lengths)}")
    if not values:
        raise ValueError("lengths must hold at least one sequence length, got an empty sequence")
    if min(values) < 1:
        raise ValueError(f"every length must be at least 1, got {list(values)}")
    return values


def packed_layout(lengths: Sequence[int] | torch.Tensor) -> PackedLayout:
    """Pack a batch of sequences of the given lengths and locate every packed element.

    The batch is packed by ``torch.nn.utils.rnn.pack_padded_sequence(...,
    enforce_sorted=False)``, so the layout is PyTorch's, not a re-implementation.

    Args:
        lengths: The length of each of the ``N`` sequences, shape ``(N,)``, each at least 1,
            in any order.

    Returns:
        The :class:`PackedLayout`; e.g. for lengths ``[2, 3]``: ``batch_sizes = (2, 2, 1)``,
        ``sorted_indices = (1, 0)`` and elements ``((1, 0), (0, 0), (1, 1), (0, 1), (1, 2))``.

    Raises:
        TypeError: If ``lengths`` is not a list, tuple or tensor of integers.
        ValueError: If it is empty, not 1-D, or holds a length below 1.
    """
    from torch.nn.utils.rnn import pack_padded_sequence

    values = _check_lengths(lengths)
    n, longest = len(values), max(values)
    # Element (i, t) of the padded batch holds the code i * longest + t.
    codes = torch.arange(n * longest, dtype=torch.float64).reshape(n, longest)
    packed = pack_padded_sequence(
        codes, torch.tensor(values, dtype=torch.int64), batch_first=True, enforce_sorted=False
    )
    elements = tuple((int(c) // longest, int(c) % longest) for c in packed.data.tolist())
    return PackedLayout(
        lengths=values,
        batch_sizes=tuple(int(b) for b in packed.batch_sizes.tolist()),
        sorted_indices=tuple(int(i) for i in packed.sorted_indices.tolist()),
        elements=elements,
    )


def plot_packing(lengths: Sequence[int] | torch.Tensor, *, language: str | None = "en") -> Figure:
    """Draw a padded batch and the ``PackedSequence.data`` that packing it produces.

    Top: the padded batch in ``batch_first`` layout, shape ``(N, L)`` with ``L = max(lengths)``;
    cell ``(i, t)`` reads ``x^{(i)}_t`` (coloured by sequence) or is padding (grey). Bottom:
    ``PackedSequence.data``, shape ``(sum(lengths),)``, in memory order, grouped by time step,
    with ``batch_sizes[t]`` above each group: step ``t`` of every sequence that is still
    running, longest sequence first.

    Args:
        lengths: The length of each of the ``N`` sequences, shape ``(N,)``; at most 8
            sequences, each at most 12 steps long, 32 steps in all, so the cells stay legible.
        language: ``"en"`` or ``"zh"``, the language of the labels, or ``None`` for labels
            made of symbols only.

    Returns:
        The matplotlib figure.

    Raises:
        TypeError, ValueError: As in :func:`packed_layout`, and ``ValueError`` for a batch
            larger than the limits above or an unknown ``language``.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    check_language(language)
    layout = packed_layout(lengths)
    n, longest, total = len(layout.lengths), max(layout.lengths), len(layout.elements)
    if n > MAX_SEQUENCES or longest > MAX_LENGTH or total > MAX_ELEMENTS:
        raise ValueError(
            f"plot_packing draws at most {MAX_SEQUENCES} sequences, {MAX_LENGTH} steps each and "
            f"{MAX_ELEMENTS} steps in all, got {n} sequences, longest {longest}, {total} in all"
        )
    use_style()
    colours = plt.get_cmap("tab10").colors
    padding_colour = "0.88"

    def cell(ax: Axes, x: float, y: float, face: str | tuple[float, float, float], text: str) -> None:
        ax.add_patch(Rectangle((x, y), 1, 1, facecolor=face, edgecolor="white", linewidth=2))
        ax.text(x + 0.5, y + 0.5, text, ha="center", va="center", fontsize=10)

    def tinted(i: int) -> tuple[float, float, float]:
        r, g, b = colours[i % len(colours)][:3]
        return (0.55 * r + 0.45, 0.55 * g + 0.45, 0.55 * b + 0.45)

    width = max(longest + 3.0, total + 1.0)
    fig, (top, bottom) = plt.subplots(
        2,
        1,
        figsize=(0.42 * width + 1.2, 0.42 * (n + 3) + 1.9),
        gridspec_kw={"height_ratios": [n + 1.2, 2.6]},
    )
    for ax in (top, bottom):
        ax.set_aspect("equal")
        ax.axis("off")

    pad_text = label("packing_padding", language)
    for i, length in enumerate(layout.lengths):
        y = n - 1 - i
        top.text(-0.25, y + 0.5, label("packing_sequence", language, i=i), ha="right", va="center", fontsize=10)
        for t in range(longest):
            if t < length:
                cell(top, t, y, tinted(i), f"$x^{{({i})}}_{{{t}}}$")
            else:
                cell(top, t, y, padding_colour, "")
    for t in range(longest):
        top.text(t + 0.5, n + 0.25, f"$t={t}$", ha="center", va="bottom", fontsize=9)
    top.add_patch(Rectangle((longest + 0.4, -0.1), 0.6, 0.6, facecolor=padding_colour, edgecolor="none"))
    top.text(longest + 1.15, 0.2, pad_text, ha="left", va="center", fontsize=9)
    top.set_xlim(-3.2, width)
    top.set_ylim(-0.3, n + 1.0)
    top.set_title(label("packing_padded_title", language, n=n, l=longest), fontsize=11, loc="left")

    position = 0
    for t, size in enumerate(layout.batch_sizes):
        start = position
        for sequence, step in layout.elements[start : start + size]:
            cell(bottom, position, 0, tinted(sequence), f"$x^{{({sequence})}}_{{{step}}}$")
            position += 1
        bottom.plot([start + 0.08, position - 0.08], [-0.2, -0.2], color="0.3", linewidth=1.2)
        bottom.text((start + position) / 2, -0.35, f"$t={t}$", ha="center", va="top", fontsize=9)
        bottom.text((start + position) / 2, 1.15, str(size), ha="center", va="bottom", fontsize=10)
    bottom.text(-0.25, 1.3, label("packing_batch_sizes", language), ha="right", va="center", fontsize=9)
    bottom.set_xlim(-3.2, width)
    bottom.set_ylim(-1.1, 2.2)
    bottom.set_title(label("packing_packed_title", language, total=total), fontsize=11, loc="left")
    fig.tight_layout()
    return fig
