"""Every code block on every page is executed by this suite, and every include resolves.

Rules for a page's fenced blocks (notebook pages excepted, see test_notebooks.py):

* a block that holds only ``--8<--`` include lines shows a snippet section (run by
  test_snippets.py), a golden output, or a command file;
* a ```` ```python ```` block without attributes is run here through pytest-codeblocks;
* anything else (```` ```py ````, ```` ```pycon ````, a titled block, a ``skip`` marker,
  a block in any other language with code typed into the page) is rejected: move the
  code into ``snippets/`` and include it.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
from support import pages
from support.paths import DOCS, ROOT, SNIPPETS
from support.snippets import all_snippet_sources, golden_files, sections

ALL_PAGES = pages.pages()
MARKER_RE = re.compile(r"<!--[-\s]*(pytest-codeblocks:|pytest\.mark\.)(?P<what>[^>]*)-->")
ALLOWED_MARKERS = {"cont", "expected-output", "expected-output-ignore-whitespace"}


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("page", ALL_PAGES, ids=_rel)
def test_every_include_resolves(page: Path) -> None:
    problems = []
    for target in pages.includes(page):
        path, section = pages.resolve_include(target)
        if not path.is_file():
            problems.append(f"{_rel(page)} includes {target!r}, but {_rel(path)} does not exist")
        elif section is not None and section not in sections(path):
            problems.append(
                f"{_rel(page)} includes section {section!r} of {_rel(path)}, which has no such section "
                f"(it has: {', '.join(sections(path)) or 'none'})"
            )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", ALL_PAGES, ids=_rel)
def test_no_code_block_escapes_execution(page: Path) -> None:
    problems = []
    for marker in MARKER_RE.finditer(pages.read(page)):
        if marker.group("what").strip("- ") not in ALLOWED_MARKERS:
            problems.append(f"{_rel(page)}: marker {marker.group(0)!r} would keep a code block from running")
    notebook = pages.is_notebook(page)
    for fence in pages.fences(page):
        if fence.includes and not fence.is_include_only:
            problems.append(f"{fence.where}: a block mixes include lines with typed code")
        elif notebook:
            if fence.includes:
                problems.append(f"{fence.where}: notebook cells cannot include snippets")
            elif fence.language != "python" or fence.attributes:
                problems.append(
                    f"{fence.where}: a ```{fence.language} {fence.attributes}``` block in a notebook page is not "
                    "a code cell and is never executed"
                )
        elif fence.is_include_only:
            continue
        elif fence.language == "python" and not fence.attributes:
            continue  # run by test_inline_python_blocks_run
        else:
            kind = f"```{fence.language}{' ' + fence.attributes if fence.attributes else ''}"
            problems.append(
                f"{fence.where}: a {kind} block with code typed into the page; the suite does not execute it. "
                "Move the code into snippets/ and include it with --8<--."
            )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", [p for p in ALL_PAGES if not pages.is_notebook(p)], ids=_rel)
def test_inline_python_blocks_run(page: Path) -> None:
    import pytest_codeblocks

    mine = [f for f in pages.fences(page) if f.language == "python" and not f.attributes and not f.includes]
    theirs = [b for b in pytest_codeblocks.extract_from_file(page) if b.syntax == "python"]
    theirs = [b for b in theirs if not b.code.lstrip().startswith("--8<--")]
    assert len(mine) == len(theirs), (
        f"{_rel(page)} has {len(mine)} inline python blocks but pytest-codeblocks extracts {len(theirs)}: "
        "some block would not be executed"
    )
    namespace: dict[str, object] = {"__name__": "__main__"}
    for block in theirs:
        out = io.StringIO()
        try:
            with contextlib.redirect_stdout(out):
                exec(compile(block.code, f"{_rel(page)}:{block.lineno}", "exec"), namespace)
        except Exception as error:
            pytest.fail(f"{_rel(page)}:{block.lineno}: inline python block raised {error!r}", pytrace=False)
        if block.expected_output is not None:
            assert out.getvalue() == block.expected_output, f"{_rel(page)}:{block.lineno}: output differs"


def test_every_snippet_section_and_output_is_used() -> None:
    included: set[str] = set()
    for page in ALL_PAGES:
        for target in pages.includes(page):
            path, section = pages.resolve_include(target)
            included.add(f"{path.resolve()}:{section}" if section else str(path.resolve()))
    problems = []
    for path in all_snippet_sources():
        for section in sections(path):
            if f"{path.resolve()}:{section}" not in included:
                problems.append(f"section {section!r} of {_rel(path)} is not included by any page")
    for golden in golden_files():
        if str(golden.resolve()) not in included:
            problems.append(f"output {_rel(golden)} is not included by any page")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", ALL_PAGES, ids=_rel)
def test_no_third_party_requests_in_sources(page: Path) -> None:
    found = pages.external_resources(pages.read(page))
    assert not found, f"{_rel(page)} makes the browser fetch from another host: {found}"


@pytest.mark.parametrize("page", ALL_PAGES, ids=_rel)
def test_images_exist(page: Path) -> None:
    missing = []
    for match in pages.MARKDOWN_IMAGE_RE.finditer(pages.read(page)):
        url = match.group("url")
        if re.match(r"^[a-z]+:", url):
            continue
        if not (page.parent / url).resolve().is_file():
            missing.append(url)
    assert not missing, f"{_rel(page)} shows images that do not exist: {missing}"


def test_readme_and_ci_use_the_commands_the_pages_show() -> None:
    commands = SNIPPETS / "shell" / "setup.sh"
    text = commands.read_text(encoding="utf-8")
    serve = _section_text(text, "serve")
    test = _section_text(text, "test")
    for readme in ("README.md", "README.zh.md"):
        body = (ROOT / readme).read_text(encoding="utf-8")
        assert serve in body and test in body, f"{readme} must give the commands of {_rel(commands)}"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test in ci, f".ci/run must call the README's test command {test!r}"


def _section_text(text: str, name: str) -> str:
    match = re.search(rf"\[start:{name}\]\n(.*?)\n# --8<-- \[end:{name}\]", text, re.S)
    assert match, f"no section {name!r}"
    return match.group(1).strip()


def test_docs_hold_no_loose_python_files() -> None:
    loose = sorted(_rel(p) for p in DOCS.rglob("*.py")) + sorted(_rel(p) for p in DOCS.rglob("*.ipynb"))
    assert not loose, f"code belongs in snippets/ or the package, and notebooks are jupytext Markdown: {loose}"
