"""The code is ruff-clean (the rules are in pyproject.toml), its functions are short and its modules use only
each other's public names."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

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


def _python_files() -> list[Path]:
    return sorted((ROOT / "src").rglob("*.py"))


def _code_lines(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines from ``def`` to the end of the body, without the docstring (documentation is not length)."""
    lines = function.end_lineno - function.lineno + 1
    first = function.body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
        lines -= first.end_lineno - first.lineno + 1
    return lines


def test_no_function_in_src_is_over_100_lines() -> None:
    """Short functions: none of the library's functions has more than 100 lines of code."""
    long = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _code_lines(node) > 100:
                long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({_code_lines(node)} lines)")
    assert not long, "functions over 100 lines of code:\n" + "\n".join(long)


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT / "src").with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_module_in_src_uses_a_private_name_of_another_module() -> None:
    """Modules talk through public names: no ``from rnn_guide.x import _name`` and no ``x._name`` on an
    imported rnn_guide module, whatever the alias."""
    found = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        here = _module_name(path)
        modules: set[str] = set()  # local names bound to rnn_guide modules
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("rnn_guide"):
                for alias in node.names:
                    if node.module != here and _is_private(alias.name):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {node.module}.{alias.name}")
                    modules.add(alias.asname or alias.name)  # may be a submodule; attribute use is checked below
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("rnn_guide"):
                        modules.add(alias.asname or alias.name.split(".")[0])
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and _is_private(node.attr)
                and isinstance(node.value, (ast.Name, ast.Attribute))
                and ast.unparse(node.value).split(".")[0] in modules
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} uses {ast.unparse(node)}")
    assert not found, "private names used across modules:\n" + "\n".join(found)
