"""Notebook pages (jupytext Markdown) execute from top to bottom without errors.

The site build executes them too (mkdocs-jupyter with allow_errors: false); running them
here gives a clear error message and runs them in CUDA mode when that is asked for.
"""

from __future__ import annotations

import ast
import re
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


def _outputs_hook():
    """hooks/notebook_outputs.py, the MkDocs hook that shows the committed outputs on the pages."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("notebook_outputs", ROOT / "hooks" / "notebook_outputs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TUTORIALS = sorted({page.name.split(".")[0]: page for page in NOTEBOOKS if pages.language_of(page) == "en"}.items())
#: A duration printed by a cell ("2.3 s") differs from run to run; it is masked before comparing.
_SECONDS = re.compile(r"\b\d+(?:\.\d+)? s\b")
_IMAGE_DATA = re.compile(r"(data:image/[a-z+]+;base64,)[A-Za-z0-9+/=\s]+")


def _coalesced(outputs: list) -> list:
    """Consecutive stream outputs of one stream joined into one (how a run chunks them depends on timing)."""
    joined: list = []
    for output in outputs:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and output["output_type"] == previous["output_type"] == "stream"
            and output["name"] == previous["name"]
        ):
            previous["text"] += output["text"]
        else:
            joined.append(output)
    return joined


def _normalised(outputs: list, *, images: bool, numbers: bool = True) -> list[dict]:
    """Outputs as plain dicts without what varies between runs (counts, metadata, and images and numbers if asked)."""
    from support.snippets import masked_numbers

    def text(value: str) -> str:
        value = _SECONDS.sub("<duration> s", value)
        return value if numbers else masked_numbers(value)

    result = []
    for output in _coalesced([dict(o) for o in outputs]):
        item = {"output_type": output["output_type"]}
        if "text" in output:
            item["text"] = text(output["text"])
        for key, value in sorted(output.get("data", {}).items()):
            value = "".join(value) if isinstance(value, list) else value
            if not images and key.startswith("image/"):
                value = "<image>"
            elif not images and key == "text/html":
                value = _IMAGE_DATA.sub(r"\1<image>", value)
            if key.startswith("text/"):
                value = text(value)
            item[key] = value
        result.append(item)
    return result


def test_every_tutorial_page_has_committed_outputs_for_its_current_code() -> None:
    """The fast check: each page's code cells are exactly those of the run whose outputs the site shows."""
    import jupytext
    import nbformat

    hook = _outputs_hook()
    assert TUTORIALS, "no English tutorial pages were found"
    for page in NOTEBOOKS:
        stored = hook.outputs_path(page)
        assert stored.is_file(), f"{_rel(page)} has no committed outputs {_rel(stored)}: run python3 dev.py regenerate"
        current = hook.code_sources(jupytext.read(page))
        committed = hook.code_sources(nbformat.read(stored, as_version=4))
        assert current == committed, (
            f"the code cells of {_rel(page)} differ from the run committed in {_rel(stored)}: "
            "run python3 dev.py regenerate"
        )


@pytest.mark.slow
@pytest.mark.notebooks
@pytest.mark.parametrize(("name", "page"), TUTORIALS, ids=[name for name, _ in TUTORIALS])
def test_notebook_executes_and_matches_its_committed_outputs(
    name: str, page: Path, update_golden: bool, cuda_mode: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run the tutorial from scratch (once: its code cells are the same in every language) and compare."""
    import jupytext
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from support.environment import reference_environment
    from support.numerics import same_numerics

    # The kernel shows figures inline, as Jupyter does, not with the suite's non-interactive backend.
    monkeypatch.delenv("MPLBACKEND", raising=False)
    notebook = jupytext.read(page)
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": str(page.parent)}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{_rel(page)}: a cell raised:\n{error}", pytrace=False)
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    outputs = [o for cell in cells for o in cell.get("outputs", [])]
    assert outputs, f"{_rel(page)} ran but produced no output at all"
    stderr = [o.get("text", "") for o in outputs if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    # Warnings end up on the page under the cell: a "Glyph missing" means the CJK font
    # was not used, and any other warning is something a reader should not see either.
    assert not stderr, f"{_rel(page)}: cells wrote warnings that the page would show: {stderr}"
    stored_path = _outputs_hook().outputs_path(page)
    if update_golden:
        notebook.metadata = {"kernelspec": notebook.metadata.get("kernelspec", {}), "language_info": {"name": "python"}}
        for index, cell in enumerate(notebook.cells):
            cell.id = f"cell-{index}"
            cell.metadata = {}
            if cell.cell_type == "code":
                cell.outputs = _coalesced(cell.outputs)
        stored_path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, stored_path)
        return
    if cuda_mode:
        pytest.skip("CUDA mode: the notebook ran; its numbers are not compared with the CPU run's as text")
    reference, why_not = reference_environment()
    numbers, why_not_numbers = same_numerics() if reference else (True, "")
    images = reference and numbers
    stored = [c for c in nbformat.read(stored_path, as_version=4).cells if c.cell_type == "code"]
    assert [c.source for c in stored] == [c.source for c in cells], f"{_rel(stored_path)} is stale: regenerate"
    for index, (fresh, committed) in enumerate(zip(cells, stored, strict=True)):
        assert _normalised(fresh.outputs, images=images, numbers=numbers) == _normalised(
            committed.outputs, images=images, numbers=numbers
        ), (
            f"{_rel(page)}: code cell {index + 1} printed or drew something other than the committed "
            f"{_rel(stored_path)} (run python3 dev.py regenerate if the change is intended)"
            + ("" if reference else f"; images not compared: {why_not}")
            + ("" if numbers else f"; images and numbers not compared: {why_not_numbers}")
        )


def _code_cells(text: str) -> list[ast.Module]:
    """The parsed code cells of a jupytext Markdown notebook (IPython magics and shell lines left out)."""
    import jupytext

    notebook = jupytext.reads(text, fmt="md")
    sources = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    return [
        ast.parse("\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))))
        for source in sources
    ]


def _imports_after_the_first_cell(text: str, name: str = "page") -> list[str]:
    """Import statements in any code cell but the first one of a jupytext Markdown notebook."""
    found = []
    for number, tree in enumerate(_code_cells(text)[1:], start=2):
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.append(f"{name}, code cell {number}: {ast.unparse(node)}")
    return found


@pytest.mark.parametrize("page", NOTEBOOKS, ids=_rel)
def test_the_first_code_cell_holds_every_import(page: Path) -> None:
    """A notebook is read top to bottom, but a reader who restarts it halfway needs only the first cell."""
    assert not _imports_after_the_first_cell(pages.read(page), _rel(page))


#: The front matter of a planted jupytext Markdown notebook.
PLANTED_HEADER = (
    "---\njupyter:\n  jupytext:\n    text_representation:\n      format_name: markdown\n"
    "  kernelspec:\n    display_name: Python 3\n    language: python\n    name: python3\n---\n\n"
)


def test_an_import_in_a_later_cell_is_found() -> None:
    planted = PLANTED_HEADER + "```python\nimport torch\n```\n\ntext\n\n```python\nx = 1\nfrom torch import nn\n```\n"
    assert _imports_after_the_first_cell(planted) == ["page, code cell 2: from torch import nn"]


def _undisplayed_results(text: str, name: str = "page") -> list[str]:
    """Calls to ``in_page_language`` whose result is thrown away: a bare statement that is not the last of its
    cell (Jupyter displays only a cell's last expression; elsewhere it needs ``display(...)``)."""
    found = []
    for number, tree in enumerate(_code_cells(text), start=1):
        for node in tree.body[:-1]:
            call = node.value if isinstance(node, ast.Expr) else None
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "in_page_language":
                found.append(f"{name}, code cell {number}: {ast.unparse(node)}")
    return found


@pytest.mark.parametrize("page", NOTEBOOKS, ids=_rel)
def test_every_table_and_figure_made_in_a_cell_is_displayed(page: Path) -> None:
    """A table made in the middle of a cell and not passed to display() never reaches the page."""
    assert not _undisplayed_results(pages.read(page), _rel(page))


def test_an_undisplayed_table_is_found() -> None:
    planted = (
        PLANTED_HEADER + "```python\nin_page_language(first)\nx = 1\n```\n\n"
        "```python\ndisplay(in_page_language(second))\nin_page_language(third)\n```\n"
    )
    assert _undisplayed_results(planted) == ["page, code cell 1: in_page_language(first)"]
