"""Snippet files: named sections, section-by-section execution, golden outputs.

A snippet is a Python file under ``snippets/`` split into sections::

    # --8<-- [start:build]
    ...code shown on a page...
    # --8<-- [end:build]

Code outside sections (setup, figure saving) runs too but is never shown. The runner
executes the whole file in order in one namespace and records what each section
prints. That text must equal the committed golden file
``snippets/<topic>/_outputs/<name>.<section>.txt``, which the pages include under the
code. A section that prints nothing has no golden file; code outside sections must not
print (a reader would see output without the code that printed it).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .numerics import GOLDEN_THREADS
from .paths import ROOT, SNIPPETS

SECTION_RE = re.compile(r"^\s*#\s*--8<--\s*\[(start|end):([A-Za-z0-9_.-]+)\]\s*$")
#: Anything that pymdownx.snippets would take for a section marker (it drops such lines).
LOOSE_MARKER_RE = re.compile(r"-{1,}8<-{1,}\s*\[\s*(start|end)\s*:")
OUTPUT_DIR_NAME = "_outputs"


class SnippetError(Exception):
    """A snippet file is malformed or failed to run."""


@dataclass
class Chunk:
    section: str | None  # None: code outside any section
    first_line: int  # 1-based line number of the chunk's first line
    lines: list[str]


@dataclass
class SnippetRun:
    path: Path
    outputs: dict[str, str] = field(default_factory=dict)  # section -> printed text
    figures: list[Path] = field(default_factory=list)  # files written into the figure dir
    #: file name -> every visible text of the figure written there (titles, labels, ticks, legends)
    figure_texts: dict[str, list[str]] = field(default_factory=dict)


def _shown(path: Path) -> str:
    """A path as messages show it: relative to the repository root when it is inside."""
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def snippet_files() -> list[Path]:
    """Every snippet file (``.py``) under ``snippets/``, sorted."""
    return sorted(p for p in SNIPPETS.rglob("*.py") if OUTPUT_DIR_NAME not in p.parts)


def all_snippet_sources() -> list[Path]:
    """Every file under ``snippets/`` whose sections pages may include (``.py`` and ``.sh``)."""
    return sorted(p for p in SNIPPETS.rglob("*") if p.suffix in {".py", ".sh"} and OUTPUT_DIR_NAME not in p.parts)


def parse_chunks(path: Path) -> list[Chunk]:
    """Split a snippet file into chunks at its section markers, checking that they nest properly."""
    text = path.read_text(encoding="utf-8")
    chunks: list[Chunk] = []
    current = Chunk(None, 1, [])
    open_section: str | None = None
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        match = SECTION_RE.match(line)
        if not match:
            if LOOSE_MARKER_RE.search(line):
                raise SnippetError(
                    f"{_shown(path)}:{number}: a section marker must be a comment line of its own; "
                    "pages would silently drop this line of code"
                )
            current.lines.append(line)
            continue
        kind, name = match.groups()
        where = f"{_shown(path)}:{number}"
        if kind == "start":
            if open_section is not None:
                raise SnippetError(f"{where}: section {name!r} starts inside section {open_section!r}")
            if name in seen:
                raise SnippetError(f"{where}: section {name!r} is defined twice")
            seen.add(name)
            open_section = name
        else:
            if open_section != name:
                raise SnippetError(f"{where}: [end:{name}] does not close the open section {open_section!r}")
            open_section = None
        chunks.append(current)
        current = Chunk(open_section, number + 1, [])
    if open_section is not None:
        raise SnippetError(f"{_shown(path)}: section {open_section!r} is never closed")
    chunks.append(current)
    return [c for c in chunks if c.lines or c.section is not None]


def sections(path: Path) -> list[str]:
    """Names of the sections of a snippet file, in order."""
    return [c.section for c in parse_chunks(path) if c.section is not None]


def golden_path(path: Path, section: str) -> Path:
    """The committed output file of one section of a snippet."""
    return path.parent / OUTPUT_DIR_NAME / f"{path.stem}.{section}.txt"


def golden_files() -> list[Path]:
    """Every committed golden output file."""
    return sorted(SNIPPETS.rglob(f"{OUTPUT_DIR_NAME}/*.txt"))


@contextlib.contextmanager
def _fresh_global_state():
    """Run a snippet as in a fresh interpreter, and undo what it changed globally.

    A reader runs a snippet on its own; here snippets share one process with each other
    and with the unit tests, so print options, gradient mode, default dtype, determinism,
    thread count, warning filters and open figures are reset before and restored after.
    """
    import warnings

    import torch

    saved = (
        torch.is_grad_enabled(),
        torch.get_default_dtype(),
        torch.are_deterministic_algorithms_enabled(),
        torch.is_deterministic_algorithms_warn_only_enabled(),
        torch.get_num_threads(),
    )
    torch.set_printoptions(profile="default")
    torch.set_num_threads(GOLDEN_THREADS)  # not what an earlier test or snippet left behind
    with contextlib.suppress(ImportError):
        import matplotlib.pyplot as plt

        plt.close("all")
    try:
        with warnings.catch_warnings():
            yield
    finally:
        grad, dtype, deterministic, warn_only, threads = saved
        torch.set_grad_enabled(grad)
        torch.set_default_dtype(dtype)
        torch.use_deterministic_algorithms(deterministic, warn_only=warn_only)
        torch.set_num_threads(threads)
        torch.set_printoptions(profile="default")


@contextlib.contextmanager
def _recording_figure_texts(run: SnippetRun):
    """Record the visible texts of every figure the snippet saves, by file name.

    SVG figures store their text as paths, so the words of a figure can only be read from
    the figure object itself, at the moment it is written.
    """
    from matplotlib.figure import Figure

    original = Figure.savefig

    def savefig(fig, fname, *args, **kwargs):
        result = original(fig, fname, *args, **kwargs)
        if isinstance(fname, (str, os.PathLike)):
            run.figure_texts[Path(fname).name] = visible_texts(fig)
        return result

    Figure.savefig = savefig
    try:
        yield
    finally:
        Figure.savefig = original


def visible_texts(fig) -> list[str]:
    """Every visible, non-empty text of a drawn figure (titles, axis labels, tick labels, legends, notes)."""
    import matplotlib.text

    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_visible() and t.get_text().strip()]


def run_snippet(path: Path, figure_dir: Path) -> SnippetRun:
    """Execute one snippet file chunk by chunk and collect each section's printed output.

    The file runs with the repository root as working directory and with the
    environment variable ``RNN_GUIDE_FIGURE_DIR`` pointing at ``figure_dir``, where
    the snippet writes its figures.
    """
    run = SnippetRun(path)
    namespace: dict[str, object] = {"__name__": "__main__", "__file__": str(path)}
    figure_dir.mkdir(parents=True, exist_ok=True)
    before = {p.name for p in figure_dir.iterdir()}
    old_cwd, old_env = os.getcwd(), os.environ.get("RNN_GUIDE_FIGURE_DIR")
    old_argv = sys.argv
    os.chdir(ROOT)
    os.environ["RNN_GUIDE_FIGURE_DIR"] = str(figure_dir)
    sys.argv = [str(path)]
    try:
        with _fresh_global_state(), _recording_figure_texts(run):
            for chunk in parse_chunks(path):
                # Pad with blank lines so that tracebacks show the real line numbers.
                source = "\n" * (chunk.first_line - 1) + "".join(chunk.lines)
                code = compile(source, str(path), "exec")
                buffer = io.StringIO()
                try:
                    with contextlib.redirect_stdout(buffer):
                        exec(code, namespace)
                except BaseException as error:
                    where = f"section {chunk.section!r}" if chunk.section else "code outside sections"
                    tb = "".join(traceback.format_exception(type(error), error, error.__traceback__))
                    raise SnippetError(f"{_shown(path)} failed in {where}:\n{tb}") from None
                printed = buffer.getvalue()
                if chunk.section is None:
                    if printed:
                        raise SnippetError(
                            f"{_shown(path)}:{chunk.first_line}: code outside any section printed "
                            f"{printed[:200]!r}; readers would see output without the code that made it"
                        )
                elif printed:
                    run.outputs[chunk.section] = printed
    finally:
        os.chdir(old_cwd)
        sys.argv = old_argv
        if old_env is None:
            os.environ.pop("RNN_GUIDE_FIGURE_DIR", None)
        else:
            os.environ["RNN_GUIDE_FIGURE_DIR"] = old_env
    run.figures = sorted(p for p in figure_dir.iterdir() if p.name not in before)
    return run


@dataclass
class AloneResult:
    """What one section did when it ran alone, as if copied into a fresh interpreter."""

    section: str
    printed: str
    error: str | None  # the traceback, or None when it ran


RUN_ALONE = Path(__file__).with_name("run_alone.py")


def run_sections_alone(
    files: dict[Path, list[str] | None], *, timeout: float = 1800
) -> dict[Path, dict[str, AloneResult]]:
    """Run sections of snippet files each alone: nothing carried over from any other.

    One fresh interpreter runs them all (``run_alone.py``), each section in an empty
    namespace with the random states and global settings of a fresh interpreter, in
    an empty working directory that holds only a link to the committed
    ``benchmarks/`` (sections that draw committed results read ``benchmarks/results``).
    ``files`` maps each file to the sections to run (None: all of them). Code outside
    sections does not run.
    """

    payload = []
    for path, names in files.items():
        wanted = set(sections(path) if names is None else names)
        payload += [
            {"path": str(path), "section": c.section, "first_line": c.first_line, "source": "".join(c.lines)}
            for c in parse_chunks(path)
            if c.section in wanted
        ]
        if WHOLE_FILE in wanted:  # the file as a reader downloads it, run as a script with no arguments
            source = "".join(line for c in parse_chunks(path) for line in c.lines)
            payload.append(
                {"path": str(path), "section": WHOLE_FILE, "first_line": 1, "source": source, "argv": [path.name]}
            )
    runs: dict[Path, dict[str, AloneResult]] = {path: {} for path in files}
    for r in run_sources_alone(payload, timeout=timeout):
        runs[Path(r["path"])][r["section"]] = AloneResult(r["section"], r["printed"], r["error"])
    return runs


def run_sources_alone(items: list[dict[str, Any]], *, timeout: float = 1800) -> list[dict[str, Any]]:
    """Run pieces of code each alone, in one fresh interpreter (``run_alone.py``), in an empty working folder.

    ``items`` are ``{"path", "section", "first_line", "source"}`` (and optionally ``"argv"``); the result is one
    ``{"path", "section", "printed", "error"}`` per item, in order (``error``: the traceback, or None).
    """
    import rnn_guide

    env = dict(os.environ)
    package_root = str(Path(rnn_guide.__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
    with tempfile.TemporaryDirectory(prefix="rnn-guide-alone-") as folder:
        work = Path(folder) / "work"
        work.mkdir()
        (work / "benchmarks").symlink_to(ROOT / "benchmarks", target_is_directory=True)
        env["RNN_GUIDE_FIGURE_DIR"] = str(Path(folder) / "figures")
        result_file = Path(folder) / "results.json"
        completed = subprocess.run(
            [sys.executable, str(RUN_ALONE), str(result_file)],
            input=json.dumps(items),
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if completed.returncode != 0 or not result_file.exists():
            raise SnippetError(
                f"the interpreter that runs sections alone failed ({completed.returncode}):\n{completed.stderr[-4000:]}"
            )
        return json.loads(result_file.read_text(encoding="utf-8"))


def alone_problem(
    path: Path,
    section: str,
    result: AloneResult,
    *,
    tolerant: bool = False,
    numbers: bool = True,
    expected: str | None = None,
) -> str | None:
    """Why a section that ran alone fails, or None when it ran and printed what it should.

    It should print ``expected``, by default its committed golden output (nothing when
    it has no golden file).
    """
    if result.error is not None:
        return f"section {section!r} fails when it runs alone:\n{result.error}"
    if section == WHOLE_FILE:  # the whole file prints what its sections print, in order
        golden = path.parent / OUTPUT_DIR_NAME / f"{path.stem}.*.txt"
        if expected is None:
            expected = "".join(
                g.read_text(encoding="utf-8") for name in sections(path) if (g := golden_path(path, name)).exists()
            )
    else:
        golden = golden_path(path, section)
        if expected is None:
            expected = golden.read_text(encoding="utf-8") if golden.exists() else ""
    if not outputs_match(expected, result.printed, tolerant=tolerant, numbers=numbers):
        return (
            f"section {section!r} prints something else alone than {_shown(golden)}:\n"
            f"--- committed\n{expected}--- alone\n{result.printed}"
        )
    return None


#: The name under which a whole snippet file, included by a page as one block, runs alone.
WHOLE_FILE = "(whole file)"


def page_sections(page_paths: list[Path] | None = None) -> dict[Path, list[str]]:
    """What a reader can copy from the pages, by snippet file: the sections that pages include, in file order,
    and :data:`WHOLE_FILE` (last) for a file that a page includes whole.

    A section in a block without a copy button (``.no-copy``) is an excerpt of a script and is left out, but
    only on a page that also includes that whole file: the whole file is what must run.
    """
    from . import pages

    wanted: dict[Path, set[str]] = {}
    for page in pages.pages() if page_paths is None else page_paths:
        targets = pages.includes(page)
        whole = {pages.resolve_include(t)[0] for t in targets if pages.resolve_include(t)[1] is None}
        excerpts = pages.excerpt_includes(page)
        for target in targets:
            path, section = pages.resolve_include(target)
            if path.suffix != ".py" or OUTPUT_DIR_NAME in path.parts:
                continue
            if section is None:
                wanted.setdefault(path, set()).add(WHOLE_FILE)
            elif not (target in excerpts and path in whole):
                wanted.setdefault(path, set()).add(section)
    return {
        path: [s for s in sections(path) if s in names] + ([WHOLE_FILE] if WHOLE_FILE in names else [])
        for path, names in sorted(wanted.items())
    }


NUMBER_RE = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
NON_FINITE_RE = re.compile(r"[-+]?\b(?:nan|inf)\b")
BLANKS_RE = re.compile(r"[ \t]+")


def masked_numbers(text: str) -> str:
    """``text`` with every number (and ``nan``/``inf``) replaced by ``#`` and each run of blanks by one space (a
    number of another width pads its column differently): what is left is its lines and words."""
    return BLANKS_RE.sub(" ", NUMBER_RE.sub("#", NON_FINITE_RE.sub("#", text)))


def outputs_match(
    expected: str, actual: str, *, tolerant: bool, numbers: bool = True, rtol: float = 1e-3, atol: float = 1e-4
) -> bool:
    """Compare two printed outputs: exactly, with numbers compared within tolerances, or without the numbers.

    The tolerant mode is for CUDA runs, whose floating-point results differ from CPU in
    the last digits. ``numbers=False`` is for a CPU whose kernels round differently from
    those of the machine that produced the committed outputs (see ``support.numerics``):
    a training run turns that into other numbers, so only the layout and the words are
    compared. Everything that is not a number must still match exactly.
    """
    if not numbers:
        return masked_numbers(expected) == masked_numbers(actual)
    if not tolerant:
        return expected == actual
    if NUMBER_RE.sub("#", expected) != NUMBER_RE.sub("#", actual):
        return False
    for a, b in zip(NUMBER_RE.findall(expected), NUMBER_RE.findall(actual), strict=True):
        x, y = float(a), float(b)
        if abs(x - y) > atol + rtol * abs(x):
            return False
    return True
