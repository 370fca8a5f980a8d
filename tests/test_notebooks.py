"""Notebook pages (jupytext Markdown) execute from top to bottom without errors.

The site build executes them too (mkdocs-jupyter with allow_errors: false); running them
here gives a clear error message and runs them in CUDA mode when that is asked for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import pages
from support.paths import ROOT

NOTEBOOKS = [p for p in pages.pages() if pages.is_notebook(p)]


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_there_are_notebook_pages() -> None:
    assert NOTEBOOKS, "the guide's tutorials are notebook pages; none were found"


@pytest.mark.parametrize("page", NOTEBOOKS, ids=_rel)
def test_notebook_shows_only_code_that_runs(page: Path) -> None:
    """Code appears only in code cells, and every code cell runs as written."""
    import re

    import jupytext

    problems = []
    for index, cell in enumerate(jupytext.read(page).cells):
        if cell.cell_type == "raw":
            problems.append(f"cell {index} is a raw cell, shown as text and never run")
        elif cell.cell_type == "markdown" and re.search(
            r"(^|\n)[ \t>]*(```|~~~)|<pre\b|(^|\n\n)(    |\t)\S", cell.source
        ):
            problems.append(f"cell {index} is a Markdown cell that shows code; make it a code cell")
        elif cell.cell_type == "code":
            if re.match(r"\s*%%", cell.source):
                problems.append(f"cell {index} starts with a cell magic, which can keep its code from running")
            tags = cell.metadata.get("tags", [])
            if {"raises-exception", "skip-execution"} & set(tags):
                problems.append(f"cell {index} carries the tags {tags}, which hide failures")
    assert not problems, f"{_rel(page)}: " + "; ".join(problems)


@pytest.mark.parametrize("page", NOTEBOOKS, ids=_rel)
def test_notebook_executes(page: Path) -> None:
    import jupytext
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = jupytext.read(page)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        allow_errors=False,
        resources={"metadata": {"path": str(page.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{_rel(page)}: a cell raised:\n{error}", pytrace=False)
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    assert outputs, f"{_rel(page)} ran but produced no output at all"
    stderr = [o.get("text", "") for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    # Warnings end up on the page under the cell: a "Glyph missing" means the CJK font
    # was not used, and any other warning is something a reader should not see either.
    assert not stderr, f"{_rel(page)}: cells wrote warnings that the page would show: {stderr}"
