"""Helpers for tests of the package's figures."""

from __future__ import annotations

import re

import matplotlib
import matplotlib.text
from matplotlib.figure import Figure

matplotlib.use("Agg")

#: A Chinese character: labels of a ``language="zh"`` figure contain some, English ones none.
CJK = re.compile("[\u4e00-\u9fff]")


def figure_text(fig: Figure) -> str:
    """Every non-empty text of ``fig`` (titles, labels, ticks, legends, annotations), joined by spaces."""
    return " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text())
