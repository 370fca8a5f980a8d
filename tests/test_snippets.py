"""Every snippet runs, section by section, and prints exactly its committed golden output.

Each file runs twice: in sequence in one namespace (the figures come from this run),
and with every section that a page includes alone, as a reader who copies one block
into a fresh interpreter in an empty folder runs it (``run_sections_alone``). Both
runs must print the golden outputs.

Regenerate all golden outputs and figures with::

    python -m pytest tests/test_snippets.py --update-golden
"""

from __future__ import annotations

import ast
import filecmp
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from support import chinese
from support.environment import reference_environment
from support.numerics import same_numerics
from support.paths import FIGURES, ROOT
from support.snippets import (
    WHOLE_FILE,
    AloneResult,
    SnippetRun,
    alone_problem,
    golden_files,
    golden_path,
    outputs_match,
    page_sections,
    parse_chunks,
    run_sections_alone,
    run_snippet,
    sections,
    snippet_files,
)

CJK_RE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
REGENERATE = "python -m pytest tests/test_snippets.py --update-golden"


@pytest.fixture(scope="session")
def snippet_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, SnippetRun | Exception]:
    """Runs of snippet files, made on first use and shared by the tests of this module."""
    cache: dict[Path, SnippetRun | Exception] = {}
    figure_dir = tmp_path_factory.mktemp("figures")

    class Runs(dict):
        def __missing__(self, path: Path) -> SnippetRun | Exception:
            try:
                result: SnippetRun | Exception = run_snippet(path, figure_dir / path.stem)
            except Exception as error:  # reported by the test of that file
                result = error
            self[path] = result
            return result

    return Runs(cache)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _marked(paths: list[Path]) -> list:
    """Snippet files as parameters, those that train a model marked ``training`` (all run code: ``slow``)."""
    training = ROOT / "snippets" / "training"
    return [pytest.param(p, marks=[pytest.mark.training] if training in p.parents else [], id=_rel(p)) for p in paths]


def _compare_outputs() -> bool:
    """Skip the comparison with the committed outputs outside the environment they were produced in; return
    whether their numbers are compared too (only where the kernels round as they did there, see
    ``support.numerics``)."""
    reference, why_not = reference_environment()
    if not reference:
        pytest.skip(f"the snippet ran; its outputs are compared only in the pinned environment ({why_not})")
    return same_numerics()[0]


@pytest.mark.slow
@pytest.mark.parametrize("path", _marked(snippet_files()))
def test_snippet_runs_and_prints_its_golden_output(
    path: Path, snippet_runs: dict, update_golden: bool, cuda_mode: bool
) -> None:
    run = snippet_runs[path]
    if isinstance(run, Exception):
        pytest.fail(str(run), pytrace=False)
    numbers = update_golden or _compare_outputs()
    problems = []
    for section, printed in run.outputs.items():
        golden = golden_path(path, section)
        if update_golden:
            golden.parent.mkdir(exist_ok=True)
            golden.write_text(printed, encoding="utf-8")
            continue
        if not golden.exists():
            problems.append(f"section {section!r} printed output but {_rel(golden)} does not exist")
        elif not outputs_match(golden.read_text(encoding="utf-8"), printed, tolerant=cuda_mode, numbers=numbers):
            problems.append(
                f"section {section!r} printed something else than {_rel(golden)}:\n"
                f"--- committed\n{golden.read_text(encoding='utf-8')}--- this run\n{printed}"
            )
    silent = {g for g in golden_files() if g.name.startswith(f"{path.stem}.") and g.parent == path.parent / "_outputs"}
    silent -= {golden_path(path, s) for s in run.outputs}
    for golden in sorted(silent):
        if update_golden:
            golden.unlink()
        else:
            problems.append(f"{_rel(golden)} is committed but its section printed nothing (or no longer exists)")
    if problems:
        pytest.fail("\n".join(problems) + f"\nIf the change is intended, regenerate with: {REGENERATE}", pytrace=False)


@pytest.mark.slow
@pytest.mark.parametrize("path", _marked(snippet_files()))
def test_snippet_figures_are_committed_and_fresh(
    path: Path, snippet_runs: dict, update_golden: bool, cuda_mode: bool
) -> None:
    run = snippet_runs[path]
    if isinstance(run, Exception):
        pytest.fail(f"the snippet failed, see its run test: {str(run).splitlines()[0]}", pytrace=False)
    numbers = update_golden or _compare_outputs()
    problems = []
    for produced in run.figures:
        committed = FIGURES / produced.name
        if update_golden:
            FIGURES.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(produced, committed)
        elif not committed.exists():
            problems.append(f"{_rel(path)} drew {produced.name}, which is not committed in {_rel(FIGURES)}")
        elif not cuda_mode and numbers and not filecmp.cmp(produced, committed, shallow=False):
            # CUDA runs, and CPUs whose kernels round differently, differ in the last digits and so do the drawn
            # lines: compare where the numbers are compared.
            problems.append(f"{_rel(committed)} is stale: {_rel(path)} now draws something else")
    if problems:
        pytest.fail("\n".join(problems) + f"\nRegenerate with: {REGENERATE}", pytrace=False)


@pytest.mark.slow
def test_every_committed_figure_is_drawn_by_a_snippet(snippet_runs: dict) -> None:
    drawn = set()
    for path in snippet_files():
        run = snippet_runs[path]
        if isinstance(run, SnippetRun):
            drawn |= {p.name for p in run.figures}
        else:  # a failing snippet may be the one that draws a figure: its own test reports it
            pytest.skip(f"{_rel(path)} failed; see its own test")
    orphans = sorted(p.name for p in FIGURES.glob("*") if p.is_file() and p.name not in drawn)
    assert not orphans, (
        f"figures in {_rel(FIGURES)} that no snippet draws (delete them, or add the code that draws them): {orphans}"
    )


PAGE_SECTIONS = page_sections()


@pytest.mark.slow
@pytest.mark.parametrize("path", _marked(sorted(PAGE_SECTIONS)))
def test_each_section_runs_alone(
    path: Path, alone_runs: dict, snippet_runs: dict, update_golden: bool, cuda_mode: bool
) -> None:
    """A section that a page includes runs when copied alone into a fresh interpreter
    in an empty folder, and prints its golden output (the text the page shows)."""
    numbers = update_golden or _compare_outputs()
    results = alone_runs[path].result()[path]
    problems = []
    for section in PAGE_SECTIONS[path]:
        expected = None
        if update_golden:  # the golden files are being rewritten from the sequential run
            run = snippet_runs[path]
            if not isinstance(run, SnippetRun):
                expected = None
            elif section == WHOLE_FILE:
                expected = "".join(run.outputs.get(name, "") for name in sections(path))
            else:
                expected = run.outputs.get(section, "")
        problem = alone_problem(path, section, results[section], tolerant=cuda_mode, numbers=numbers, expected=expected)
        if problem is not None:
            problems.append(problem)
    if problems:
        pytest.fail(
            "\n".join(problems) + "\nA block on a page must run when copied alone: it repeats the imports and "
            "set-up it needs and seeds the random numbers it uses.",
            pytrace=False,
        )


PLANTED = {
    # the second section uses a name and the random state that the first one left behind
    "planted": "# --8<-- [start:first]\n"
    "import torch\n\ntorch.manual_seed(0)\nsize = 3\nprint(torch.rand(1).item())\n"
    "# --8<-- [end:first]\n\n"
    "# --8<-- [start:second]\nprint(size)\n# --8<-- [end:second]\n\n"
    "# --8<-- [start:third]\nimport torch\n\nprint(torch.rand(1).item())\n# --8<-- [end:third]\n",
    # a script whose sections depend on each other
    "script": "import sys\n\n# --8<-- [start:first]\nsize = 3\nprint(size)\n# --8<-- [end:first]\n\n"
    "# --8<-- [start:second]\nprint(size + 1, len(sys.argv))\n# --8<-- [end:second]\n",
    # two unseeded sections
    "rng": "".join(
        f"# --8<-- [start:{name}]\nimport torch\n\nprint(torch.initial_seed(), torch.rand(2).tolist())\n"
        f"# --8<-- [end:{name}]\n"
        for name in ("one", "two")
    ),
}


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, dict[str, AloneResult]]]:
    """The planted snippet files, their golden outputs written from a run in sequence, and their sections
    run alone (one fresh interpreter for all three files): ``name -> (path, results)``."""
    root = tmp_path_factory.mktemp("planted")
    paths = {}
    for name, text in PLANTED.items():
        (root / name / "_outputs").mkdir(parents=True)
        path = paths[name] = root / name / f"{name}.py"
        path.write_text(text, encoding="utf-8")
        if name != "rng":
            for section, printed in run_snippet(path, root / "figures").outputs.items():
                golden_path(path, section).write_text(printed, encoding="utf-8")
    alone = run_sections_alone({paths["planted"]: None, paths["script"]: ["second", WHOLE_FILE], paths["rng"]: None})
    return {name: (path, alone[path]) for name, path in paths.items()}


def test_a_section_that_needs_an_earlier_one_is_caught(planted: dict) -> None:
    """A planted dependency: the second section uses a name and the random state that
    the first one left behind. In sequence both print their golden output; alone, the
    isolated run reports the missing name, and the unseeded section prints other numbers."""
    snippet, alone = planted["planted"]
    assert alone_problem(snippet, "first", alone["first"]) is None
    second = alone_problem(snippet, "second", alone["second"])
    assert second is not None and "NameError: name 'size' is not defined" in second
    third = alone_problem(snippet, "third", alone["third"])
    assert third is not None and "prints something else alone" in third


def test_a_whole_file_runs_as_a_script_and_prints_what_its_sections_print(planted: dict) -> None:
    """A page that shows a whole script: its sections depend on each other, the file as a whole must run
    (with no command-line arguments) and print the sections' golden outputs in order."""
    snippet, alone = planted["script"]
    assert alone_problem(snippet, WHOLE_FILE, alone[WHOLE_FILE]) is None
    assert alone[WHOLE_FILE].printed == "3\n4 1\n"
    assert "NameError" in (alone_problem(snippet, "second", alone["second"]) or "")
    assert "prints something else" in (alone_problem(snippet, WHOLE_FILE, alone[WHOLE_FILE], expected="5 1\n") or "")


def test_sections_alone_start_from_the_random_state_of_a_fresh_interpreter(planted: dict) -> None:
    """Two unseeded sections print the same numbers alone: each starts from the state
    the interpreter had when it started (torch picks a new seed in every interpreter,
    so a section that does not seed itself prints other numbers on every run)."""
    _, alone = planted["rng"]
    assert alone["one"].error is None and alone["one"].printed == alone["two"].printed


def test_an_excerpt_is_excused_only_where_the_page_shows_the_whole_file(tmp_path: Path) -> None:
    """A block without a copy button may be a part of a script, if the same page includes that script whole;
    on a page without the whole script the same block must run alone like any other."""
    excerpt = '``` { .python .no-copy }\n--8<-- "training/ddp_classifier.py:model"\n```\n\n'
    whole = '```python\n--8<-- "training/ddp_classifier.py"\n```\n'
    with_script = tmp_path / "with.en.md"
    with_script.write_text(excerpt + whole, encoding="utf-8")
    without_script = tmp_path / "without.en.md"
    without_script.write_text(excerpt, encoding="utf-8")
    copyable = tmp_path / "copyable.en.md"
    copyable.write_text(excerpt.replace("{ .python .no-copy }", "python"), encoding="utf-8")
    script = ROOT / "snippets" / "training" / "ddp_classifier.py"

    assert page_sections([with_script]) == {script: [WHOLE_FILE]}
    assert page_sections([without_script]) == {script: ["model"]}
    assert page_sections([copyable]) == {script: ["model"]}


def _language_pairs() -> list[tuple[Path, str]]:
    pairs = []
    for path in snippet_files():
        names = set(sections(path))
        pairs += [
            (path, name[: -len("-en")]) for name in sorted(names) if name.endswith("-en") and f"{name[:-3]}-zh" in names
        ]
    return pairs


def _code_shape(source: str) -> str:
    """The syntax tree of a section with every string replaced: its code without its text."""
    tree = ast.parse(textwrap.dedent(source))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = "…"
    return ast.dump(tree)


@pytest.mark.parametrize(("path", "stem"), _language_pairs(), ids=lambda v: _rel(v) if isinstance(v, Path) else v)
def test_language_pair_differs_only_in_language_and_text(path: Path, stem: str) -> None:
    """A section pair ``x-en`` / ``x-zh`` (the English page shows one, the Chinese page
    the other) is one piece of code written twice: the pair must differ only in the
    language passed (``"en"`` / ``"zh"``) and, where a section types a table header,
    in that text — never in what the code does."""
    code = {c.section: "".join(c.lines) for c in parse_chunks(path) if c.section}
    en, zh = code[f"{stem}-en"], code[f"{stem}-zh"]
    if not CJK_RE.search(zh):  # no text of its own: the pair must be the same but for the language
        assert re.sub(r"""(["'])en\1""", r"\1zh\1", en) == zh, f"{stem}-en and {stem}-zh differ beyond the language"
    assert _code_shape(en) == _code_shape(zh), f"{stem}-en and {stem}-zh differ in code, not only in text"


def _chinese_figure_texts(path: Path, snippet_runs: dict) -> dict[str, list[str]]:
    run = snippet_runs[path]
    if isinstance(run, Exception):
        pytest.fail(f"the snippet failed, see its run test: {str(run).splitlines()[0]}", pytrace=False)
    return {name: texts for name, texts in run.figure_texts.items() if Path(name).stem.endswith("-zh")}


@pytest.mark.slow
@pytest.mark.parametrize("path", _marked(snippet_files()))
def test_chinese_figures_carry_no_english_words(path: Path, snippet_runs: dict) -> None:
    """A ``-zh`` figure has no English word that is not code, a symbol, a unit or a proper name."""
    problems = [
        f"{name}: {text!r} has the English word(s) {words}"
        for name, texts in _chinese_figure_texts(path, snippet_runs).items()
        for text in texts
        if (words := chinese.english_words(text))
    ]
    assert not problems, "untranslated words in Chinese figures (add a Chinese label):\n" + "\n".join(problems)


@pytest.mark.slow
@pytest.mark.parametrize("path", _marked(snippet_files()))
def test_chinese_figure_labels_come_from_the_label_table(path: Path, snippet_runs: dict) -> None:
    """Every word of a ``-zh`` figure is the Chinese text of a label of ``rnn_guide.plotting.style.LABELS``."""
    problems = [
        f"{name}: {text!r}"
        for name, texts in _chinese_figure_texts(path, snippet_runs).items()
        for text in texts
        if chinese.needs_a_label(text) and not chinese.from_label_table(text)
    ]
    assert not problems, (
        "texts of Chinese figures that are not in rnn_guide.plotting.style.LABELS (register them with "
        "add_labels and draw them with label(key, language)):\n" + "\n".join(problems)
    )
