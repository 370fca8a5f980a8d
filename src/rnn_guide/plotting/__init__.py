"""Figures for the guide, with labels in English, Chinese or symbols only.

:mod:`rnn_guide.plotting.style` holds the shared style, the label registry and
:func:`save_figure`; each other module draws one kind of figure.
"""

from __future__ import annotations

from rnn_guide.plotting.hidden import plot_hidden_trajectory
from rnn_guide.plotting.style import LANGUAGES, SYMBOLS, add_labels, label, save_figure, use_style

__all__ = [
    "LANGUAGES",
    "SYMBOLS",
    "add_labels",
    "label",
    "plot_hidden_trajectory",
    "save_figure",
    "use_style",
]
