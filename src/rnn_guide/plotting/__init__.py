"""Figures for the guide, with labels in English, Chinese or symbols only.

:mod:`rnn_guide.plotting.style` holds the shared style, the label registry and
:func:`save_figure`; each other module draws one kind of figure.
"""

from __future__ import annotations

from rnn_guide.plotting.confusion import confusion_matrix, plot_confusion_matrix
from rnn_guide.plotting.forecast import plot_forecast
from rnn_guide.plotting.gates import plot_gates
from rnn_guide.plotting.gradients import plot_grad_norm_histogram, plot_gradient_norms
from rnn_guide.plotting.hidden import plot_hidden_trajectory
from rnn_guide.plotting.layout import final_state_positions, plot_state_layout, plot_unrolled_loop
from rnn_guide.plotting.memory import plot_bptt_memory
from rnn_guide.plotting.packing import packed_layout, plot_packing
from rnn_guide.plotting.page_language import InPageLanguage, Table, in_page_language
from rnn_guide.plotting.pitfalls import plot_gradient_clipping
from rnn_guide.plotting.speed import plot_speed
from rnn_guide.plotting.style import LANGUAGES, SYMBOLS, add_labels, label, save_figure, use_style
from rnn_guide.plotting.training_curves import plot_loss_curves
from rnn_guide.plotting.unrolled import plot_unrolled

__all__ = [
    "LANGUAGES",
    "SYMBOLS",
    "InPageLanguage",
    "Table",
    "add_labels",
    "confusion_matrix",
    "final_state_positions",
    "in_page_language",
    "label",
    "packed_layout",
    "plot_bptt_memory",
    "plot_confusion_matrix",
    "plot_forecast",
    "plot_gates",
    "plot_grad_norm_histogram",
    "plot_gradient_clipping",
    "plot_gradient_norms",
    "plot_hidden_trajectory",
    "plot_loss_curves",
    "plot_packing",
    "plot_speed",
    "plot_state_layout",
    "plot_unrolled",
    "plot_unrolled_loop",
    "save_figure",
    "use_style",
]
