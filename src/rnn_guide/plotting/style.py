"""The guide's figure style, figure labels in two languages, and reproducible files.

Every figure on the site is drawn by a function of :mod:`rnn_guide.plotting` (called
from a snippet or a notebook) and written by :func:`save_figure`, which produces
byte-identical SVG files for identical inputs, so the test suite can tell a stale
figure from a fresh one.

Chinese labels need a CJK font. The package depends on ``mplfonts``, which ships Noto
Sans CJK SC; :func:`use_style` registers it with matplotlib directly (nothing is copied
into matplotlib's installation).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import matplotlib

from rnn_guide._validation import check_choice

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

LANGUAGES = ("en", "zh")
#: ``language=None`` gives labels made only of symbols, readable in any language; the
#: notebooks use it because their code cells are identical in every language.
SYMBOLS = None

#: The words that appear in figures, in both languages (and as symbols, key None).
#: Figure modules add their own entries with :func:`add_labels`.
LABELS: dict[str, dict[str | None, str]] = {
    "time_step": {"en": "time step t", "zh": "时间步 t", None: "$t$"},
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


def add_labels(labels: dict[str, dict[str | None, str]]) -> None:
    """Register figure labels: ``{key: {"en": ..., "zh": ..., None: symbols}}``.

    Raises:
        ValueError: if a key is already registered with other texts, or lacks a language.
    """
    for key, texts in labels.items():
        missing = [lang for lang in (*LANGUAGES, SYMBOLS) if lang not in texts]
        if missing:
            raise ValueError(f"label {key!r} must have texts for 'en', 'zh' and None, missing: {missing}")
        if key in LABELS and LABELS[key] != texts:
            raise ValueError(f"label {key!r} is already registered with other texts: {LABELS[key]}")
        LABELS[key] = dict(texts)


def check_language(language: str | None) -> None:
    """Raise ``ValueError`` unless ``language`` is "en", "zh" or None (symbols only)."""
    check_choice("language", language, (*LANGUAGES, SYMBOLS))


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
