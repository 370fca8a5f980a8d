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
from support.paths import DOCS, FIGURES, ROOT, SNIPPETS
from support.snippets import OUTPUT_DIR_NAME, all_snippet_sources, golden_files, sections

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
        if not _is_allowed_include(path, section):
            problems.append(
                f"{_rel(page)} includes {target!r}: a page may include only a section of a snippet "
                "(topic/name.py:section or topic/name.sh:section) or the committed output of one "
                "(topic/_outputs/name.section.txt)"
            )
        elif not path.is_file():
            problems.append(f"{_rel(page)} includes {target!r}, but {_rel(path)} does not exist")
        elif section is not None and section not in sections(path):
            problems.append(
                f"{_rel(page)} includes section {section!r} of {_rel(path)}, which has no such section "
                f"(it has: {', '.join(sections(path)) or 'none'})"
            )
    assert not problems, "\n".join(problems)


def _is_allowed_include(path: Path, section: str | None) -> bool:
    if section is not None:
        return path.suffix in {".py", ".sh"} and OUTPUT_DIR_NAME not in path.parts
    if path.suffix == ".py" and OUTPUT_DIR_NAME not in path.parts and path.is_file():
        # A whole script, shown as a reader downloads it (the suite runs it alone): it must hold nothing
        # but the script, no checks of the suite and no settings of the suite's figure folder.
        source = path.read_text(encoding="utf-8")
        return re.search(r"^\s*assert\b", source, re.MULTILINE) is None and "RNN_GUIDE_FIGURE_DIR" not in source
    return path in golden_files() or (path.parent.name == OUTPUT_DIR_NAME and path.suffix == ".txt")


@pytest.mark.parametrize("page", ALL_PAGES, ids=_rel)
def test_every_output_follows_its_code(page: Path) -> None:
    """An output sits next to the code that printed it, never next to other code.

    A page may show an output without its code (a generated table, say). When the code is
    on the page too, it must be among the code blocks right above the output, or right
    below it (a table first, then the code that made it).
    """
    targets = [pages.resolve_include(t) for t in pages.includes(page)]
    keys = [
        ("code", (p.parent.as_posix(), f"{p.stem}.{s}"))
        if s
        else ("output", (p.parent.parent.as_posix(), p.stem))
        if p.parent.name == OUTPUT_DIR_NAME
        else ("other", None)
        for p, s in targets
    ]
    shown = {key for kind, key in keys if kind == "code"}
    problems = []
    for index, (kind, key) in enumerate(keys):
        if kind != "output" or key not in shown:
            continue
        if key not in _adjacent_code(keys[:index][::-1]) | _adjacent_code(keys[index + 1 :]):
            name, _, part = key[1].partition(".")
            problems.append(f"{_rel(page)} shows {key[1]}.txt next to other code: it belongs with {name}.py:{part}")
    assert not problems, "\n".join(problems)


def _adjacent_code(keys: list) -> set:
    """The run of code includes at the start of ``keys``, up to the first non-code include."""
    run = set()
    for kind, key in keys:
        if kind != "code":
            break
        run.add(key)
    return run


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
    # Each block found by our parser (the one that decides what is allowed) goes through
    # pytest-codeblocks on its own, so the two parsers cannot disagree about what runs.
    theirs = []
    for fence in mine:
        extracted = pytest_codeblocks.extract_from_buffer(
            io.StringIO("```python\n" + "\n".join(fence.body) + "\n```\n")
        )
        assert len(extracted) == 1, f"{fence.where}: pytest-codeblocks could not read this block"
        extracted[0].lineno = fence.line
        theirs.append(extracted[0])
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
            # A section is used when a page shows its code or its output (the code that produces an output
            # may be the suite's plumbing, such as starting torchrun from Python).
            shown = {f"{path.resolve()}:{section}", str(path.resolve())}
            output = path.parent / OUTPUT_DIR_NAME / f"{path.stem}.{section}.txt"
            if not shown & included and str(output.resolve()) not in included:
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
        target = (page.parent / url).resolve()
        if not target.is_file():
            missing.append(url)
        elif target.parent != FIGURES.resolve():
            missing.append(f"{url} (not a generated figure: figures live in {_rel(FIGURES)}, drawn by snippets)")
    assert not missing, f"{_rel(page)} shows images that do not exist or are not generated: {missing}"


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


def test_docs_hold_no_loose_python_files_or_other_page_formats() -> None:
    other = {".py", ".ipynb"} | (pages.PAGE_EXTENSIONS - {".md"})
    # The one exception: the committed outputs of the tutorials' last run (shown by hooks/notebook_outputs.py).
    outputs = DOCS / "tutorials" / "outputs"
    loose = sorted(_rel(p) for p in DOCS.rglob("*") if p.suffix.lower() in other and p.parent != outputs)
    assert not loose, (
        f"code belongs in snippets/ or the package, notebooks are jupytext Markdown, pages end in .md: {loose}"
    )


@pytest.mark.parametrize("page", ALL_PAGES, ids=_rel)
def test_no_setext_headings_or_raw_code_html(page: Path) -> None:
    setext = pages.setext_headings(page)
    assert not setext, f"{_rel(page)}: use '## Title {{ #anchor }}' headings, not underlined ones: {setext}"
    raw = re.findall(r"<(pre|code)\b", pages.read(page), re.I)
    assert not raw, f"{_rel(page)}: raw <pre>/<code> HTML shows code that the suite never runs"


#: The files of snippets/ that are not snippets: ruff's settings and the Chinese text of code comments.
NOT_SNIPPETS = {"ruff.toml", "comments.zh.toml"}


def test_snippet_folders_hold_only_snippets_and_outputs() -> None:
    strays = []
    for path in SNIPPETS.rglob("*"):
        if path.is_dir() or path.name in NOT_SNIPPETS or any(p.startswith((".", "__")) for p in path.parts):
            continue
        in_outputs = path.parent.name == OUTPUT_DIR_NAME
        if (in_outputs and path.suffix != ".txt") or (not in_outputs and path.suffix not in {".py", ".sh"}):
            strays.append(_rel(path))
    assert not strays, f"snippets/ holds snippets (.py, .sh), outputs (_outputs/*.txt) and {NOT_SNIPPETS}: {strays}"
