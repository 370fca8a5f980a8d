"""Every snippet runs, section by section, and prints exactly its committed golden output.

Regenerate all golden outputs and figures with::

    python -m pytest tests/test_snippets.py --update-golden
"""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest
from support import chinese
from support.paths import FIGURES, ROOT
from support.snippets import (
    SnippetRun,
    golden_files,
    golden_path,
    outputs_match,
    run_snippet,
    snippet_files,
)

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


@pytest.mark.parametrize("path", snippet_files(), ids=_rel)
def test_snippet_runs_and_prints_its_golden_output(
    path: Path, snippet_runs: dict, update_golden: bool, cuda_mode: bool
) -> None:
    run = snippet_runs[path]
    if isinstance(run, Exception):
        pytest.fail(str(run), pytrace=False)
    problems = []
    for section, printed in run.outputs.items():
        golden = golden_path(path, section)
        if update_golden:
            golden.parent.mkdir(exist_ok=True)
            golden.write_text(printed, encoding="utf-8")
            continue
        if not golden.exists():
            problems.append(f"section {section!r} printed output but {_rel(golden)} does not exist")
        elif not outputs_match(golden.read_text(encoding="utf-8"), printed, tolerant=cuda_mode):
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


@pytest.mark.parametrize("path", snippet_files(), ids=_rel)
def test_snippet_figures_are_committed_and_fresh(
    path: Path, snippet_runs: dict, update_golden: bool, cuda_mode: bool
) -> None:
    run = snippet_runs[path]
    if isinstance(run, Exception):
        pytest.fail(f"the snippet failed, see its run test: {str(run).splitlines()[0]}", pytrace=False)
    problems = []
    for produced in run.figures:
        committed = FIGURES / produced.name
        if update_golden:
            FIGURES.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(produced, committed)
        elif not committed.exists():
            problems.append(f"{_rel(path)} drew {produced.name}, which is not committed in {_rel(FIGURES)}")
        elif not cuda_mode and not filecmp.cmp(produced, committed, shallow=False):
            # CUDA runs differ in the last digits, and so do the drawn lines: compare on CPU only.
            problems.append(f"{_rel(committed)} is stale: {_rel(path)} now draws something else")
    if problems:
        pytest.fail("\n".join(problems) + f"\nRegenerate with: {REGENERATE}", pytrace=False)


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


def _chinese_figure_texts(path: Path, snippet_runs: dict) -> dict[str, list[str]]:
    run = snippet_runs[path]
    if isinstance(run, Exception):
        pytest.fail(f"the snippet failed, see its run test: {str(run).splitlines()[0]}", pytrace=False)
    return {name: texts for name, texts in run.figure_texts.items() if Path(name).stem.endswith("-zh")}


@pytest.mark.parametrize("path", snippet_files(), ids=_rel)
def test_chinese_figures_carry_no_english_words(path: Path, snippet_runs: dict) -> None:
    """A ``-zh`` figure has no English word that is not code, a symbol, a unit or a proper name."""
    problems = [
        f"{name}: {text!r} has the English word(s) {words}"
        for name, texts in _chinese_figure_texts(path, snippet_runs).items()
        for text in texts
        if (words := chinese.english_words(text))
    ]
    assert not problems, "untranslated words in Chinese figures (add a Chinese label):\n" + "\n".join(problems)


@pytest.mark.parametrize("path", snippet_files(), ids=_rel)
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
