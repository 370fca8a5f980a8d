"""The figure style draws with the font files the package ships, whatever the system has installed.

Committed figures are SVG files with text stored as paths, compared byte for byte with
fresh drawings; a system font of the same family name (Debian's ``fonts-noto-cjk`` or
``fonts-dejavu-core``) must not change them.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager, ft2font
from matplotlib.font_manager import FontProperties

import rnn_guide
from rnn_guide.plotting import style

matplotlib.use("Agg")

CJK_FAMILY = "Noto Sans CJK SC"
BUNDLED = Path(matplotlib.get_data_path(), "fonts", "ttf")


def _cjk_file() -> str:
    from mplfonts.conf import FONT_DIR

    return os.path.realpath(os.path.join(FONT_DIR, "NotoSansCJKsc-Regular.otf"))


SHIPPED = {
    CJK_FAMILY: _cjk_file(),
    "DejaVu Sans": os.path.realpath(BUNDLED / "DejaVuSans.ttf"),
    "DejaVu Sans Mono": os.path.realpath(BUNDLED / "DejaVuSansMono.ttf"),
}


def _clear_lookup_caches() -> None:
    font_manager.fontManager._findfont_cached.cache_clear()
    font_manager._get_font.cache_clear()


@pytest.fixture
def font_list(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[font_manager.FontEntry]]:
    """matplotlib's font list, restored after the test; the style is applied anew by the test."""
    manager = font_manager.fontManager
    saved = list(manager.ttflist)
    monkeypatch.setattr(style, "_style_applied", None)
    try:
        yield manager.ttflist
    finally:
        manager.ttflist[:] = saved
        _clear_lookup_caches()


def _system_copies(tmp_path: Path) -> list[font_manager.FontEntry]:
    """Entries like a system installation would add: the same family names, other files, a bold face too."""
    entries = []
    for family, shipped in SHIPPED.items():
        copy = tmp_path / f"system-{Path(shipped).name}"
        shutil.copyfile(shipped, copy)
        regular = font_manager.ttfFontProperty(ft2font.FT2Font(str(copy)))
        assert regular.name == family
        bold = dataclasses.replace(regular, weight=700)
        entries += [regular, bold]
    return entries


def _found(family: str, **properties: object) -> str:
    return os.path.realpath(font_manager.findfont(FontProperties(family=family, **properties)))


def test_shipped_fonts_win_over_system_fonts_of_the_same_name(
    font_list: list[font_manager.FontEntry], tmp_path: Path
) -> None:
    # As in a fresh process on a machine with system copies: the mplfonts file is not
    # registered yet, and the system entries come first in matplotlib's list.
    font_list[:] = [entry for entry in font_list if os.path.realpath(entry.fname) != SHIPPED[CJK_FAMILY]]
    (tmp_path / "other").mkdir()
    other_file = shutil.copyfile(SHIPPED["DejaVu Sans"], tmp_path / "other" / "Unrelated.ttf")
    other = font_manager.FontEntry(fname=str(other_file), name="Rnn Guide Unrelated Sans")
    font_list[:0] = [*_system_copies(tmp_path), other]
    _clear_lookup_caches()
    assert _found(CJK_FAMILY).startswith(str(tmp_path))  # the planted copies do shadow the shipped files

    style.use_style()

    for family, shipped in SHIPPED.items():
        assert _found(family) == shipped, family
        # No system bold face either: bold text uses the shipped file, as on a machine without one.
        assert _found(family, weight="bold") in {shipped, shipped.replace(".ttf", "-Bold.ttf")}, family
    assert not [entry.fname for entry in font_list if Path(entry.fname).name.startswith("system-")]
    assert other in font_list  # fonts of other families stay available


def test_use_style_is_idempotent_and_keeps_one_entry_per_shipped_face(font_list: list[font_manager.FontEntry]) -> None:
    style.use_style()
    first = list(font_list)
    style.use_style()
    style._pin_fonts()
    assert font_list == first
    assert sum(os.path.realpath(entry.fname) == SHIPPED[CJK_FAMILY] for entry in font_list) == sum(
        os.path.realpath(entry.fname) == SHIPPED[CJK_FAMILY] for entry in first
    )


DRAW = """
import os, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import font_manager, ft2font
from rnn_guide.plotting.style import label, save_figure, use_style

use_style()
fig, ax = plt.subplots(figsize=(3, 2))
ax.plot([0, 1, 2], [0.5, 0.2, 0.8])
ax.set_title("隐藏状态 $h_t$ and $\\\\mathtt{x}$", fontweight="bold")
ax.set_xlabel(label("time_step", "zh"))
ax.set_ylabel("DejaVu Sans", fontfamily="DejaVu Sans")
save_figure(fig, sys.argv[1])
for family in ("Noto Sans CJK SC", "DejaVu Sans", "DejaVu Sans Mono"):
    print(os.path.realpath(font_manager.findfont(font_manager.FontProperties(family=family))))
"""


@pytest.mark.slow
def test_a_fresh_font_cache_draws_the_same_bytes(tmp_path: Path) -> None:
    fresh_cache = tmp_path / "mplconfig"
    fresh_cache.mkdir()
    env = {
        **os.environ,
        "MPLCONFIGDIR": str(fresh_cache),
        "MPLBACKEND": "Agg",
        "PYTHONPATH": os.pathsep.join([str(Path(rnn_guide.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]),
    }
    fresh = tmp_path / "fresh.svg"
    done = subprocess.run(
        [sys.executable, "-c", DRAW, str(fresh)], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == list(SHIPPED.values())

    here = tmp_path / "here.svg"
    argv = sys.argv
    sys.argv = ["draw", str(here)]
    try:
        exec(compile(DRAW, "draw", "exec"), {"__name__": "__draw__"})
    finally:
        sys.argv = argv
    assert "<text" not in here.read_text(encoding="utf-8")  # text is stored as paths
    assert fresh.read_bytes() == here.read_bytes()
