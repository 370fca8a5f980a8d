"""Notebook outputs in the reader's language, from code cells that are the same in every language.

A tutorial page exists in English and Chinese with identical code cells, so a cell cannot know which page
it runs for. :func:`in_page_language` therefore renders a figure or a table once per language and returns an
object that Jupyter and the site display as HTML: one block per language, marked with ``lang``, and a small
style rule that shows only the block whose language matches the page (``<html lang="zh">`` on the Chinese
site; any other page, a Jupyter notebook included, shows English)::

    in_page_language(lambda language: plot_confusion_matrix(y, y_hat, classes=[0, 1], language=language))

Figures become PNG images (the matplotlib figures are closed, so Jupyter does not show them a second time);
a :class:`Table` becomes an HTML table.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rnn_guide._validation import describe
from rnn_guide.plotting.style import LANGUAGES, add_labels, label

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["InPageLanguage", "Table", "in_page_language"]

add_labels(
    {
        "page_language_figure_alt": {
            "en": "Figure drawn by the code cell above",
            "zh": "上面的代码单元格画出的图",
            None: "figure",
        },
    }
)

_CLASS = "rnn-guide-in-language"
# Compact, wrapping cells with a thin rule under each row: the output column of a notebook page is narrow.
_TABLE = "border-collapse:collapse;max-width:100%;font-size:.7rem;line-height:1.4"
_CELL = "padding:.3em .7em;border-bottom:1px solid rgba(128,128,128,.35);white-space:normal;vertical-align:top;"
# English is the default: it shows everywhere except on a page marked as Chinese.
_STYLE = (
    f'<style>html:not([lang|="zh"]) .{_CLASS}:not([lang="en"]),'
    f'html[lang|="zh"] .{_CLASS}:not([lang="zh"]){{display:none}}</style>'
)


@dataclass(frozen=True)
class Table:
    """A small table for :func:`in_page_language`: a header row and rows of cells (any values, shown with ``str``).

    Attributes:
        header: the column names.
        rows: the rows, each with one cell per column.
        align: ``"l"`` or ``"r"`` per column (default: numbers right, everything else left).
    """

    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    align: str | None = None

    def __post_init__(self) -> None:
        width = len(self.header)
        if width == 0:
            raise ValueError("header must name at least one column, got an empty header")
        for number, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"rows[{number}] must have {width} cells like the header, got {len(row)}")
        if self.align is not None and (len(self.align) != width or set(self.align) - {"l", "r"}):
            raise ValueError(f"align must be {width} letters 'l' or 'r', one per column, got {self.align!r}")

    def _alignment(self) -> str:
        if self.align is not None:
            return self.align
        numeric = [
            all(isinstance(row[c], (int, float)) for row in self.rows) and bool(self.rows)
            for c in range(len(self.header))
        ]
        return "".join("r" if n else "l" for n in numeric)

    def to_html(self) -> str:
        """The table as HTML (cells escaped); its class opts out of the site's wide table style."""
        align = ["left" if a == "l" else "right" for a in self._alignment()]

        def cell(tag: str, value: Any, side: str) -> str:
            return f'<{tag} style="{_CELL}text-align:{side}">{html.escape(str(value))}</{tag}>'

        head = "".join(cell("th", h, a) for h, a in zip(self.header, align, strict=True))
        body = "".join(
            "<tr>" + "".join(cell("td", c, a) for c, a in zip(row, align, strict=True)) + "</tr>" for row in self.rows
        )
        table = f'<table class="{_CLASS}-table" style="{_TABLE}">'
        return f"{table}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def to_text(self) -> str:
        """The table as aligned plain text."""
        cells = [[str(h) for h in self.header], *[[str(c) for c in row] for row in self.rows]]
        widths = [max(len(r[c]) for r in cells) for c in range(len(self.header))]
        align = self._alignment()
        lines = [
            "  ".join(
                cell.rjust(w) if a == "r" else cell.ljust(w) for cell, w, a in zip(r, widths, align, strict=True)
            ).rstrip()
            for r in cells
        ]
        return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


def _figure_html(figure: Figure, language: str) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    alt = html.escape(label("page_language_figure_alt", language), quote=True)
    return f'<img src="data:image/png;base64,{data}" alt="{alt}">'


class InPageLanguage:
    """One rendering per language, displayed as HTML that shows the page's language only.

    Made by :func:`in_page_language`. ``_repr_html_`` gives the HTML for notebooks and the site; the plain
    text form (``repr``) is the English rendering (a table's text, or a note for a figure).

    Attributes:
        parts: language -> HTML of that language's rendering.
    """

    def __init__(self, parts: dict[str, str], text: str) -> None:
        self.parts = dict(parts)
        self._text = text

    def _repr_html_(self) -> str:
        blocks = "".join(f'<div class="{_CLASS}" lang="{lang}">{part}</div>' for lang, part in self.parts.items())
        return _STYLE + blocks

    def __repr__(self) -> str:
        return self._text


def in_page_language(make: Callable[[str], Figure | Table], languages: Sequence[str] = LANGUAGES) -> InPageLanguage:
    """Render ``make(language)`` for every language, for display in the page's language.

    Args:
        make: called once per language (``"en"``, ``"zh"``); returns a matplotlib figure (closed here after
            it is rendered to PNG) or a :class:`Table`.
        languages: the languages to render, default both of the guide's.

    Returns:
        An :class:`InPageLanguage`; make it the last expression of a cell to display it.

    Raises:
        TypeError: if ``make`` is not callable or returns something else than a figure or a :class:`Table`.
        ValueError: for an unknown or empty list of languages.
    """
    from matplotlib.figure import Figure

    if not callable(make):
        raise TypeError(f"make must be a function of the language, got {describe(make)}")
    languages = list(languages)
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if not languages or unknown:
        raise ValueError(f"languages must be some of {LANGUAGES}, got {languages!r}")
    parts, text = {}, ""
    for language in languages:
        made = make(language)
        if isinstance(made, Figure):
            parts[language] = _figure_html(made, language)
            text = text or f"<figure in {len(languages)} languages>"
        elif isinstance(made, Table):
            parts[language] = made.to_html()
            text = text or made.to_text()
        else:
            raise TypeError(f"make({language!r}) must return a matplotlib Figure or a Table, got {describe(made)}")
    return InPageLanguage(parts, text)
