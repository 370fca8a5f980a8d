"""MkDocs hook: tutorial pages show the committed outputs of their last full run; the build never executes them.

A tutorial page is a jupytext Markdown notebook (``docs/tutorials/NAME.LANG.md``); its code cells are the same in
every language. The test suite executes each tutorial once, from scratch, compares what it printed and drew with
``docs/tutorials/outputs/NAME.ipynb`` and fails on any difference (``python3 dev.py regenerate`` rewrites that
file, the way golden outputs of snippets are rewritten). The site shows those committed outputs, so building or
serving the site takes seconds instead of minutes, and a page edit is served at once.

mkdocs-jupyter renders the pages with ``execute: false``; this hook hands it each page's notebook with the outputs
attached, cell by cell. A code cell whose text differs from the run that produced the outputs (the page was
edited since) is shown without output and reported as a warning, which fails a strict build: regenerate.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import jupytext
import mkdocs_jupyter.nbconvert2 as _nbconvert2
import nbformat

log = logging.getLogger("mkdocs.hooks.notebook_outputs")

TUTORIALS = Path(__file__).resolve().parent.parent / "docs" / "tutorials"
OUTPUTS = TUTORIALS / "outputs"


def outputs_path(page: Path) -> Path:
    """The committed outputs of tutorial ``page`` (``sentiment.en.md`` -> ``outputs/sentiment.ipynb``)."""
    return OUTPUTS / f"{page.name.split('.')[0]}.ipynb"


def code_sources(notebook: Any) -> list[str]:
    """The text of every code cell, in order."""
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def attach_outputs(notebook: Any, page: Path) -> Any:
    """Copy the committed outputs into ``notebook`` (read from ``page``), matching code cells in order."""
    stored_path = outputs_path(page)
    if not stored_path.is_file():
        log.warning("%s has no committed outputs (%s): run python3 dev.py regenerate", page.name, stored_path.name)
        return notebook
    stored = nbformat.read(stored_path, as_version=4)
    stored_cells = [cell for cell in stored.cells if cell.cell_type == "code"]
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    stale = []
    for index, cell in enumerate(cells):
        if index < len(stored_cells) and stored_cells[index].source == cell.source:
            cell.outputs = stored_cells[index].outputs
            cell.execution_count = stored_cells[index].execution_count
        else:
            stale.append(index + 1)
    if stale or len(stored_cells) != len(cells):
        log.warning(
            "%s: code cells %s differ from the run whose outputs are committed in %s; they are shown without "
            "output. Run python3 dev.py regenerate",
            page.name,
            stale or "(count)",
            stored_path.relative_to(TUTORIALS.parent.parent),
        )
    return notebook


class _ReaderWithCommittedOutputs:
    """jupytext, except that reading a tutorial page attaches its committed outputs."""

    def __getattr__(self, name: str) -> Any:
        return getattr(jupytext, name)

    def read(self, path: Any, *args: Any, **kwargs: Any) -> Any:
        notebook = jupytext.read(path, *args, **kwargs)
        page = Path(path).resolve()
        if page.parent == TUTORIALS and page.suffix == ".md":
            notebook = attach_outputs(notebook, page)
        return notebook


# mkdocs-jupyter reads notebooks through the name `jupytext` in this module only.
_nbconvert2.jupytext = _ReaderWithCommittedOutputs()
