"""Whether this is the reference environment that the committed outputs and figures were produced in.

Golden text, figures and notebook outputs are compared byte for byte only there: Python 3.11 with the exact
versions of ``requirements/constraints-py311.txt`` (which ``dev.py`` installs) and PyTorch 2.13.0. Anywhere else
(the Python 3.10 and 3.12 legs of CI, a hand-made environment) everything still runs, and the comparisons are
skipped with the reason, so that no run passes or fails on a version that floats.
"""

from __future__ import annotations

import functools
import sys
from importlib import metadata

from .paths import ROOT

CONSTRAINTS = ROOT / "requirements" / "constraints-py311.txt"
#: The packages whose versions change what is printed or drawn.
OUTPUT_PACKAGES = (
    "matplotlib",
    "numpy",
    "mplfonts",
    "jieba",
    "pillow",
    "fonttools",
    "kiwisolver",
    "onnx",
    "onnxruntime",
    "onnxscript",
)
TORCH_VERSION = "2.13.0"


@functools.cache
def reference_environment() -> tuple[bool, str]:
    """``(True, "")`` in the reference environment, else ``(False, why not)``."""
    if sys.version_info[:2] != (3, 11):
        return False, f"Python {sys.version_info[0]}.{sys.version_info[1]}, not 3.11"
    import torch

    if torch.__version__.split("+")[0] != TORCH_VERSION:
        return False, f"torch {torch.__version__}, not {TORCH_VERSION}"
    pinned = {}
    for line in CONSTRAINTS.read_text(encoding="utf-8").splitlines():
        name, _, version = line.partition("==")
        if version and not line.startswith("#"):
            pinned[name.strip().lower()] = version.strip()
    for package in OUTPUT_PACKAGES:
        try:
            installed = metadata.version(package)
        except metadata.PackageNotFoundError:
            return False, f"{package} is not installed"
        if pinned.get(package) != installed:
            return False, f"{package} {installed}, pinned {pinned.get(package)}"
    return True, ""
