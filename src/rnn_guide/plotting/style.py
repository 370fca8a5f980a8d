"""The guide's figure style, figure labels in two languages, and reproducible files.

Every figure on the site is drawn by a function of :mod:`rnn_guide.plotting` (called
from a snippet or a notebook) and written by :func:`save_figure`, which produces
byte-identical SVG files for identical inputs, so the test suite can tell a stale
figure from a fresh one.

Chinese labels need a CJK font. The package depends on ``mplfonts``, which ships Noto
Sans CJK SC; :func:`use_style` registers it with matplotlib directly (nothing is copied
into matplotlib's installation). Figures are drawn with that file and with the fonts
bundled with matplotlib (DejaVu Sans, DejaVu Sans Mono), never with system fonts of the
same family names: see :func:`_pin_fonts`.
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


def _shipped_cjk_font_files() -> list[str]:
    try:
        from mplfonts.conf import FONT_DIR
    except ImportError as error:  # pragma: no cover - mplfonts is a dependency
        raise ImportError("Chinese figure labels need the 'mplfonts' package (pip install mplfonts)") from error
    return [os.path.realpath(os.path.join(FONT_DIR, name)) for name in _CJK_FONT_FILES]


def _pin_fonts() -> None:
    """Make matplotlib draw the style's font families from the files shipped with the package.

    matplotlib picks a font by family name, and it also knows every font installed on
    the system. A system copy of a family the style uses (Debian's ``fonts-noto-cjk``
    has a "Noto Sans CJK SC", ``fonts-dejavu-core`` a "DejaVu Sans") is another file,
    often another version with other outlines and with faces the shipped set lacks (a
    bold CJK face), and matplotlib may choose it. SVG figures store text as paths, so
    the committed figures would then no longer match a fresh drawing byte for byte, and
    figures would depend on the machine that drew them.

    So the mplfonts file is registered with matplotlib, and every other font entry whose
    family name is one of the shipped families is removed from matplotlib's font list:
    the families of the mplfonts file and of all the fonts matplotlib bundles (DejaVu
    Sans and Sans Mono, which the style names, and Computer Modern and STIX, which
    mathtext falls back to). Then the lookup caches are cleared, so that fonts found
    before this call are looked up again. Other system fonts stay available.
    """
    from matplotlib import font_manager, mathtext

    manager = font_manager.fontManager
    cjk_files = _shipped_cjk_font_files()
    known_files = {os.path.realpath(entry.fname) for entry in manager.ttflist}
    for path in cjk_files:
        if path not in known_files:
            manager.addfont(path)
    bundled_dir = os.path.realpath(os.path.join(matplotlib.get_data_path(), "fonts", "ttf"))

    def shipped(entry: font_manager.FontEntry) -> bool:
        path = os.path.realpath(entry.fname)
        return path in cjk_files or os.path.dirname(path) == bundled_dir

    families = {entry.name for entry in manager.ttflist if shipped(entry)}
    manager.ttflist[:] = [entry for entry in manager.ttflist if entry.name not in families or shipped(entry)]
    manager._findfont_cached.cache_clear()
    font_manager._get_font.cache_clear()
    mathtext.MathTextParser._parse_cached.cache_clear()


def use_style() -> None:
    """Apply the guide's matplotlib style (idempotent).

    A white background, so figures read the same in the light and dark themes; the
    Noto Sans CJK SC font for text and math, so Chinese characters render instead of
    empty boxes, taken from the files the package ships rather than from the system
    (:func:`_pin_fonts`); reproducible SVG output.
    """
    global _style_applied
    if _style_applied == "applied":
        return
    _pin_fonts()
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
