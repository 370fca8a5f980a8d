"""Where things live in the repository."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
FIGURES = DOCS / "assets" / "figures"
LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"
