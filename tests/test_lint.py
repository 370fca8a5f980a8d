"""The code is ruff-clean (the rules are in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys

from support.paths import ROOT


def test_ruff_check() -> None:
    ruff = shutil.which("ruff") or str(__import__("pathlib").Path(sys.executable).with_name("ruff"))
    result = subprocess.run([ruff, "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"ruff check found problems:\n{result.stdout}{result.stderr}"


def test_ruff_format() -> None:
    """The code is formatted as `ruff format` would format it (the CI lint job checks the same)."""
    ruff = shutil.which("ruff") or str(__import__("pathlib").Path(sys.executable).with_name("ruff"))
    paths = ["src", "tests", "snippets", "hooks", "benchmarks", "dev.py"]  # not docs/: its code comes from snippets/
    result = subprocess.run([ruff, "format", "--check", "--no-cache", *paths], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"files `ruff format` would change:\n{result.stdout}{result.stderr}"
