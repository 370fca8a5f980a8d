"""Figures for the guide: one style, labels in English or Chinese, reproducible files.

Every figure on the site is drawn by a function of this module (called from a snippet
or a notebook) and written by :func:`save_figure`, which produces byte-identical SVG
files for identical inputs, so the test suite can tell a stale figure from a fresh one.

Chinese labels need a CJK font. The package depends on ``mplfonts``, which ships Noto
Sans CJK SC; :func:`use_style` registers it with matplotlib directly (nothing is copied
into matplotlib's installation).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

from rnn_guide._validation import check_choice, check_tensor

if TYPE_CHECKING:  # pragma: no cover
    import torch
    from matplotlib.figure import Figure

LANGUAGES = ("en", "zh")
#: ``language=None`` gives labels made only of symbols, readable in any language; the
#: notebooks use it because their code cells are identical in every language.
SYMBOLS = None

#: The words that appear in figures, in both languages. Keys are stable identifiers.
LABELS: dict[str, dict[str | None, str]] = {
    "time_step": {"en": "time step t", "zh": "时间步 t", None: "$t$"},
    "hidden_unit": {"en": "hidden unit {i}", "zh": "隐藏单元 {i}", None: "$h_t[{i}]$"},
    "hidden_state_value": {"en": "value of $h_t$", "zh": "$h_t$ 的取值", None: "$h_t$"},
    "input_value": {"en": "input $x_t$", "zh": "输入 $x_t$", None: "$x_t$"},
    "hidden_trajectory_title": {
        "en": "Hidden state of an nn.RNN over time",
        "zh": "nn.RNN 的隐状态随时间的变化",
        None: "",
    },
}

_CJK_FONT_FILES = ("NotoSansCJKsc-Regular.otf",)
_CJK_FONT_NAME = "Noto Sans CJK SC"
_style_applied: str | None = None


def label(key: str, language: str | None = "en", **fields: Any) -> str:
    """The text of figure label ``key`` in ``language`` ("en", "zh" or None for symbols only)."""
    check_choice("language", language, (*LANGUAGES, SYMBOLS))
    if key not in LABELS:
        raise KeyError(f"no figure label named {key!r}; known labels: {', '.join(sorted(LABELS))}")
    return LABELS[key][language].format(**fields)


def _register_cjk_font() -> None:
    from matplotlib import font_manager

    try:
        from mplfonts.conf import FONT_DIR
    except ImportError as error:  # pragma: no cover - mplfonts is a dependency
        raise ImportError("Chinese figure labels need the 'mplfonts' package (pip install mplfonts)") from error
    known = {f.name for f in font_manager.fontManager.ttflist}
    if _CJK_FONT_NAME in known:
        return
    for name in _CJK_FONT_FILES:
        font_manager.fontManager.addfont(os.path.join(FONT_DIR, name))


def use_style() -> None:
    """Apply the guide's matplotlib style (idempotent).

    A white background, so figures read the same in the light and dark themes; the
    Noto Sans CJK SC font for text and math, so Chinese characters render instead of
    empty boxes; reproducible SVG output.
    """
    global _style_applied
    if _style_applied == "applied":
        return
    _register_cjk_font()
    # The CJK font has no bold face; matplotlib would log "Failed to find font weight
    # bold" (into notebook pages, too) each time mathtext loads its fonts.
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    matplotlib.rcParams.update(
        {
            "font.family": "sans-serif",
            # Noto Sans CJK SC has Latin glyphs too; matplotlib does not fall back from
            # DejaVu Sans to it glyph by glyph, so it comes first.
            "font.sans-serif": [_CJK_FONT_NAME, "DejaVu Sans"],
            "mathtext.fontset": "custom",
            "mathtext.rm": _CJK_FONT_NAME,
            "mathtext.it": f"{_CJK_FONT_NAME}:italic",
            "mathtext.bf": _CJK_FONT_NAME,
            "mathtext.cal": _CJK_FONT_NAME,
            "mathtext.tt": "DejaVu Sans Mono",
            "mathtext.sf": _CJK_FONT_NAME,
            "axes.unicode_minus": False,
            "figure.facecolor": "white",
            "axes.facecolor": "white",
            "savefig.facecolor": "white",
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "figure.dpi": 100,
            "svg.fonttype": "path",
            "svg.hashsalt": "rnn-guide",
            "path.simplify": True,
        }
    )
    _style_applied = "applied"


def save_figure(fig: Figure, path: str | os.PathLike[str]) -> Path:
    """Write ``fig`` to ``path`` (``.svg`` or ``.png``) reproducibly and close it.

    No dates, no software version and a fixed hash salt, so the same figure gives the
    same bytes. Parent directories are created. Returns the path written.
    """
    import matplotlib.pyplot as plt

    path = Path(path)
    suffix = path.suffix.lower()
    check_choice("path suffix", suffix, (".svg", ".png"))
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata: dict[str, Any] = {"Date": None, "Creator": None} if suffix == ".svg" else {"Software": None}
    fig.savefig(path, format=suffix[1:], metadata=metadata, bbox_inches="tight")
    plt.close(fig)
    return path


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

    check_choice("language", language, (*LANGUAGES, SYMBOLS))
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
