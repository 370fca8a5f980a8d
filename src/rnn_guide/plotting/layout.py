"""Diagrams of how recurrent modules lay out their work: the unrolled cell loop, and where the final
states of a stacked, bidirectional layer sit in ``output`` and ``h_n``.

:func:`final_state_positions` finds, from real tensors, which step and direction of ``output`` each
row of ``h_n`` equals; :func:`plot_state_layout` draws both tensors of one sequence cell by cell and
frames those matches, so the figure is a picture of the equality checks, not a drawing of a claim.
:func:`plot_unrolled_loop` draws the hand-written time loop around an ``nn.LSTMCell`` (or another cell).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

import torch

from rnn_guide._validation import check_choice, check_int, check_tensor
from rnn_guide.plotting.style import add_labels, check_language, label, use_style

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["FinalStatePosition", "final_state_positions", "plot_state_layout", "plot_unrolled_loop"]

add_labels(
    {
        "layout_forward": {"en": "forward", "zh": "正向", None: "$d=0$"},
        "layout_backward": {"en": "backward", "zh": "反向", None: "$d=1$"},
        "layout_output_title": {
            "en": "output[:, n]: top layer, every step",
            "zh": "output[:, n]：最上层，每个时间步",
            None: "output[:, n]",
        },
        "layout_h_n_title": {
            "en": "h_n[:, n]: last step of each layer and direction",
            "zh": "h_n[:, n]：每层、每个方向的最后一步",
            None: "h_n[:, n]",
        },
        "layout_h_n_row": {
            "en": "layer {layer}, {direction}",
            "zh": "第 {layer} 层，{direction}",
            None: "$l={layer}$, {direction}",
        },
        "layout_reads": {
            "en": "{direction}: t = {start} → {stop}",
            "zh": "{direction}：t = {start} → {stop}",
            None: "{direction}: {start} → {stop}",
        },
        "layout_not_in_output": {
            "en": "{row} (not in output)",
            "zh": "{row}（不在 output 中）",
            None: "{row}: —",
        },
        "layout_state_title": {
            "en": "Where h_n sits in output (one sequence of the batch)",
            "zh": "h_n 在 output 中的位置（批量中的一条序列）",
            None: "",
        },
        "layout_loop_title": {
            "en": "A hand-written loop: one cell, called once per time step",
            "zh": "手写循环：同一个单元，每个时间步调用一次",
            None: "",
        },
        "layout_same_weights": {
            "en": "the same cell (same weights) at every step",
            "zh": "每一步都是同一个单元（同一组权重）",
            None: "",
        },
        "layout_zeros": {"en": "zeros", "zh": "全零", None: "0"},
        "layout_initial_zeros": {"en": "{state}\nzeros", "zh": "{state}\n全零", None: "{state}\n0"},
    }
)


@dataclass(frozen=True)
class FinalStatePosition:
    """Where one row of ``h_n`` appears in ``output``.

    Attributes:
        index: the row ``k`` of ``h_n``, ``k = layer * D + direction``.
        layer: the layer of that row, ``k // D``.
        direction: 0 for forward, 1 for backward, ``k % D``.
        step: the time step ``t`` of ``output`` that holds it, or ``None`` when no step does
            (the rows of layers below the top one are not part of ``output``).
    """

    index: int
    layer: int
    direction: int
    step: int | None


def _check_pair(output: torch.Tensor, h_n: torch.Tensor, num_layers: int) -> tuple[int, int]:
    """Check one sequence's ``output`` (L, D*H_out) against its ``h_n`` (num_layers*D, H_out); return D, H_out."""
    check_tensor("output", output, ndim=2)
    check_tensor("h_n", h_n, ndim=2)
    num_layers = check_int("num_layers", num_layers, minimum=1)
    rows, hidden = h_n.shape
    if rows % num_layers or rows // num_layers not in (1, 2):
        raise ValueError(
            f"h_n must have num_layers * D rows with D in (1, 2), got {rows} rows for num_layers={num_layers}"
        )
    directions = rows // num_layers
    if output.shape[1] != directions * hidden:
        raise ValueError(
            f"output must have D * H_out = {directions * hidden} features to match h_n of shape "
            f"{tuple(h_n.shape)}, got output of shape {tuple(output.shape)}"
        )
    if output.shape[0] == 0:
        raise ValueError(f"output must hold at least one time step, got shape {tuple(output.shape)}")
    return directions, hidden


def final_state_positions(output: torch.Tensor, h_n: torch.Tensor, num_layers: int) -> list[FinalStatePosition]:
    """For every row of ``h_n``, the time step of ``output`` whose half for that direction equals it.

    Works on one sequence of a batch: pass ``output[:, n]`` and ``h_n[:, n]`` (or ``output[n]`` for a
    batch-first layer). Equality is exact (``torch.equal``): PyTorch copies the final states, so they
    match bit for bit. For an unpadded sequence of length ``L`` the forward direction of the top layer
    is found at ``t = L - 1`` and its backward direction at ``t = 0``.

    Args:
        output: the layer's output for one sequence, shape ``(L, D * H_out)``.
        h_n: the final hidden states for the same sequence, shape ``(num_layers * D, H_out)``.
        num_layers: the layer's ``num_layers``.

    Returns:
        One :class:`FinalStatePosition` per row of ``h_n``, in row order; ``step`` is the last
        matching step in reading order (``None`` where none matches).

    Raises:
        ValueError: if the shapes do not fit together.
        TypeError: if ``output`` or ``h_n`` is not a tensor, or ``num_layers`` is not an integer.
    """
    directions, hidden = _check_pair(output, h_n, num_layers)
    positions = []
    for index in range(h_n.shape[0]):
        layer, direction = divmod(index, directions)
        half = output[:, direction * hidden : (direction + 1) * hidden]
        steps = [t for t in range(output.shape[0]) if torch.equal(half[t], h_n[index])]
        # Going backward the last step read is the smallest t.
        step = (min(steps) if direction else max(steps)) if steps else None
        positions.append(FinalStatePosition(index, layer, direction, step))
    return positions


def _cells(ax: Axes, values: torch.Tensor, x0: float, y0: float, cmap: str, scale: float) -> None:
    """Draw ``values`` (rows, cols) as unit squares, row 0 at the top, with its top-left corner at (x0, y0);
    ``-scale`` and ``scale`` get the two ends of the colour map."""
    from matplotlib import colormaps
    from matplotlib.patches import Rectangle

    colours = colormaps[cmap]
    rows, cols = values.shape
    for r in range(rows):
        for c in range(cols):
            value = float(values[r, c])
            colour = colours(0.5 + 0.5 * max(-1.0, min(1.0, value / scale)))
            ax.add_patch(Rectangle((x0 + c, y0 - r - 1), 1, 1, facecolor=colour, edgecolor="white", linewidth=0.8))


def _frame(ax: Axes, x: float, y: float, width: float, height: float, colour: str) -> None:
    from matplotlib.patches import Rectangle

    ax.add_patch(Rectangle((x, y), width, height, fill=False, edgecolor=colour, linewidth=2.4, zorder=5))


def _text_width(text: str, fontsize: float) -> float:
    """Rough width of ``text`` in inches: CJK characters are one em wide, others about half an em."""
    ems = sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text)
    return ems * fontsize / 72


def plot_state_layout(
    output: torch.Tensor, h_n: torch.Tensor, num_layers: int, *, language: str | None = "en"
) -> Figure:
    """Draw one sequence's ``output`` above its ``h_n`` and frame where each final state sits.

    Every number is a coloured square (blue negative, red positive); identical colour patterns are
    identical values. The rows of ``h_n`` that :func:`final_state_positions` finds in ``output`` are
    framed in the same colour in both tensors and joined by an arrow; the other rows are labelled as not
    being in ``output``.

    Args:
        output: the layer's output for one sequence, shape ``(L, D * H_out)``, e.g. ``output[:, 0]``.
        h_n: the final hidden states of that sequence, shape ``(num_layers * D, H_out)``, e.g.
            ``h_n[:, 0]``.
        num_layers: the layer's ``num_layers``.
        language: "en" or "zh", the language of the labels, or None for symbols only (and no title).

    Returns:
        The matplotlib figure.

    Raises:
        ValueError: if the shapes do not fit together or ``language`` is unknown.
    """
    import matplotlib.pyplot as plt

    check_language(language)
    directions, hidden = _check_pair(output, h_n, num_layers)
    positions = final_state_positions(output, h_n, num_layers)
    use_style()
    out = output.detach().cpu().double()
    fin = h_n.detach().cpu().double()
    steps, width, rows = out.shape[0], directions * hidden, fin.shape[0]
    names = [label("layout_forward", language), label("layout_backward", language)]
    colours = ["#2ca02c", "#9467bd"]  # forward, backward
    unit, size = 0.32, 12  # inches per square, font size

    # Geometry in data units (one square = 1), y pointing up, output's top edge at y = 0.
    x_hn = width - hidden  # h_n is right-aligned with output
    y_hn = -steps - 2.4  # top edge of h_n
    found = [p for p in positions if p.step is not None]
    lanes = [width + 0.7 + 0.7 * i for i in range(len(found))]

    row_texts = []
    for position in positions:
        row = label("layout_h_n_row", language, layer=position.layer, direction=names[position.direction])
        if position.step is None:
            row = label("layout_not_in_output", language, row=row)
        row_texts.append(f"{row}  [{position.index}]")
    left = min(-1.6, x_hn - 0.3 - max(_text_width(t, size) for t in row_texts) / unit) - 0.3
    right = (lanes[-1] if lanes else width) + 0.6
    top, bottom = 2.3, y_hn - rows - 0.4
    fig, ax = plt.subplots(figsize=((right - left) * unit, (top - bottom) * unit))
    ax.grid(False)
    ax.set_axis_off()
    ax.set_aspect("equal")
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)

    scale = max(float(out.abs().max()), float(fin.abs().max()), 1e-12) * 1.15
    _cells(ax, out, 0.0, 0.0, "RdBu_r", scale)
    _cells(ax, fin, x_hn, y_hn, "RdBu_r", scale)
    for t in range(steps):
        ax.text(-0.3, -t - 0.5, f"t = {t}", ha="right", va="center", fontsize=size)
    for d in range(directions):
        start, stop = (0, steps - 1) if d == 0 else (steps - 1, 0)
        text = label("layout_reads", language, direction=names[d], start=start, stop=stop)
        ax.text(d * hidden + hidden / 2, 0.3, text, ha="center", va="bottom", fontsize=size, color=colours[d])
        if d:
            ax.plot([hidden, hidden], [0, -steps], color="black", linewidth=1.5)
    ax.text(width / 2, 1.3, label("layout_output_title", language), ha="center", va="bottom", fontsize=size + 1)
    ax.text(left + 0.2, y_hn + 0.4, label("layout_h_n_title", language), ha="left", va="bottom", fontsize=size + 1)
    for position, text in zip(positions, row_texts, strict=True):
        colour = "0.45" if position.step is None else colours[position.direction]
        y = y_hn - position.index - 0.5
        ax.text(x_hn - 0.3, y, text, ha="right", va="center", fontsize=size, color=colour)

    line = {"linewidth": 1.6, "solid_capstyle": "butt"}
    for i, position in enumerate(found):
        assert position.step is not None  # for the type checker
        d, k, t = position.direction, position.index, position.step
        colour, lane, y_row = colours[d], lanes[i], y_hn - k - 0.5
        _frame(ax, d * hidden, -t - 1, hidden, 1, colour)
        _frame(ax, x_hn, y_hn - k - 1, hidden, 1, colour)
        if d == directions - 1:  # the right-hand half: leave to the right
            path = [(width + 0.05, -t - 0.5), (lane, -t - 0.5)]
        else:  # the left-hand half: leave downwards, below the output
            x0, y_mid = d * hidden + hidden / 2, -steps - 0.6 - 0.35 * i
            path = [(x0, -t - 1.05), (x0, y_mid), (lane, y_mid)]
        path += [(lane, y_row)]
        ax.plot([p[0] for p in path], [p[1] for p in path], color=colour, **line)
        ax.annotate(
            "",
            xy=(x_hn + hidden + 0.05, y_row),
            xytext=(lane + 0.02, y_row),
            arrowprops={"arrowstyle": "->", "color": colour, "linewidth": 1.6, "shrinkA": 0, "shrinkB": 0},
        )

    if language is not None:
        fig.suptitle(label("layout_state_title", language), fontsize=size + 2)
    fig.tight_layout()
    return fig


def plot_unrolled_loop(steps: int = 4, *, cell: str = "LSTMCell", language: str | None = "en") -> Figure:
    """The time loop around a cell, unrolled: one box per step, the state passed from box to box.

    Each box is the same cell module (the same weights) applied to ``x_t`` and the previous state;
    it returns ``h_t`` (and ``c_t`` for ``nn.LSTMCell``), which the next call receives. Steps are numbered
    ``t = 0 .. steps - 1`` as in PyTorch's equations, so the state before the first step is ``h_{-1}``
    (the ``h_0`` argument of a layer; zeros when not given) and the state after the last one is ``h_n``.

    Args:
        steps: number of time steps to draw, 2 to 8.
        cell: ``"RNNCell"``, ``"LSTMCell"`` or ``"GRUCell"``; decides whether a cell state ``c`` is drawn.
        language: "en" or "zh", the language of the labels, or None for symbols only (and no title).

    Returns:
        The matplotlib figure.

    Raises:
        ValueError: if ``steps`` is outside 2..8, or ``cell`` or ``language`` is unknown.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    check_language(language)
    check_choice("cell", cell, ("RNNCell", "LSTMCell", "GRUCell"))
    steps = check_int("steps", steps, minimum=2)
    if steps > 8:
        raise ValueError(f"steps must be at most 8 to stay readable, got {steps}")
    use_style()
    lstm = cell == "LSTMCell"
    state = "h, c" if lstm else "h"
    box_colour, arrow = "#ede7f6", {"arrowstyle": "->", "color": "0.2", "linewidth": 1.3}
    fig, ax = plt.subplots(figsize=(1.5 * steps + 2.2, 3.3))
    ax.grid(False)
    ax.set_axis_off()
    spacing, width, height = 2.4, 1.5, 1.0
    for t in range(steps):
        x = t * spacing
        box = FancyBboxPatch((x, 0), width, height, boxstyle="round,pad=0.05", linewidth=1.5)
        box.set(facecolor=box_colour, edgecolor="#5e35b1")
        ax.add_patch(box)
        ax.text(x + width / 2, height / 2, cell, ha="center", va="center", fontsize=10)
        ax.annotate("", xy=(x + width / 2, -0.05), xytext=(x + width / 2, -0.75), arrowprops=arrow)
        ax.text(x + width / 2, -0.95, f"$x_{{{t}}}$", ha="center", va="top", fontsize=13)
        ax.annotate("", xy=(x + width / 2, 1.8), xytext=(x + width / 2, height + 0.05), arrowprops=arrow)
        ax.text(x + width / 2, 1.85, f"$h_{{{t}}}$", ha="center", va="bottom", fontsize=13)
        if t + 1 < steps:
            ax.annotate(
                "", xy=(x + spacing - 0.05, height / 2), xytext=(x + width + 0.05, height / 2), arrowprops=arrow
            )
            symbols = ", ".join(f"{s}_{{{t}}}" for s in state.split(", "))
            ax.text(x + width + (spacing - width) / 2, height / 2 + 0.12, f"${symbols}$", ha="center", va="bottom",
                    fontsize=10)  # fmt: skip
    initial = ", ".join(f"{s}_{{-1}}" for s in state.split(", "))
    ax.annotate("", xy=(-0.05, height / 2), xytext=(-0.9, height / 2), arrowprops=arrow)
    ax.text(-0.95, height / 2, label("layout_initial_zeros", language, state=f"${initial}$"), ha="right", va="center",
            fontsize=10)  # fmt: skip
    last = (steps - 1) * spacing + width
    final = ", ".join(f"{s}_n" for s in state.split(", "))
    ax.annotate("", xy=(last + 0.9, height / 2), xytext=(last + 0.05, height / 2), arrowprops=arrow)
    ax.text(last + 0.95, height / 2, final, ha="left", va="center", fontsize=10)
    note = label("layout_same_weights", language)
    if note:
        ax.text(last / 2, -1.75, note, ha="center", va="top", fontsize=11, color="#5e35b1")
    ax.set_xlim(-2.2, last + 2.0)
    ax.set_ylim(-2.2, 2.6)
    ax.set_aspect("equal")
    if language is not None:
        fig.suptitle(label("layout_loop_title", language))
    fig.tight_layout()
    return fig
