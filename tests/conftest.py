"""Shared options and fixtures.

Options:
    --update-golden   rewrite the committed outputs of snippets (text and figures) from a
                      fresh run instead of comparing with them.
    --device cuda     run snippets, notebooks and tests on CUDA (same as the environment
                      variable RNN_GUIDE_DEVICE=cuda). Printed numbers are then compared
                      with tolerances instead of as text. Asking for CUDA on a machine
                      without it is an error, never a skip.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support.numerics import GOLDEN_THREADS
from support.site import Build, BuildError, build_site, serve
from support.snippets import AloneResult, page_sections, run_sections_alone


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden outputs and figures")
    parser.addoption(
        "--device",
        default=os.environ.get("RNN_GUIDE_DEVICE", "cpu"),
        help="device for snippets, notebooks and tests: cpu (default) or cuda[:index]",
    )


#: Numerical libraries pick kernels by the processor's instruction set (AVX-512 vs AVX2), and a training run
#: amplifies the last-bit differences into other printed numbers. Capping every library at AVX2 makes the
#: golden outputs the same on any x86-64 machine with AVX2 (set before torch is first imported; the snippet,
#: notebook and build subprocesses inherit it). A variable already set by the caller wins.
#: The thread count is pinned as well (a reduction split over more threads sums in another order): the snippet runs
#: reset it before each file, and the fresh interpreters (sections alone, notebook kernels) read it from
#: ``OMP_NUM_THREADS``. What remains machine-dependent is measured, not assumed: see ``support/numerics.py``.
REPRODUCIBLE_CPU_KERNELS = {
    "ATEN_CPU_CAPABILITY": "avx2",
    "ONEDNN_MAX_CPU_ISA": "AVX2",
    "MKL_CBWR": "AVX2",
    "OMP_NUM_THREADS": str(GOLDEN_THREADS),
}


def pytest_configure(config: pytest.Config) -> None:
    if "torch" not in sys.modules:
        for name, value in REPRODUCIBLE_CPU_KERNELS.items():
            os.environ.setdefault(name, value)
    device = config.getoption("--device")
    os.environ["RNN_GUIDE_DEVICE"] = device
    os.environ.setdefault("MPLBACKEND", "Agg")
    if device.startswith("cuda"):
        import torch

        if not torch.cuda.is_available():
            raise pytest.UsageError(
                f"CUDA mode was requested (--device {device} / RNN_GUIDE_DEVICE={device}) but "
                "torch.cuda.is_available() is False on this machine; refusing to run the suite on the CPU instead"
            )


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Say which machine this is and whether its kernels round as those that produced the committed outputs."""
    from support.environment import reference_environment
    from support.numerics import machine, same_numerics

    reference, why_not = reference_environment()
    lines = [f"rnn-guide: {machine()}; {GOLDEN_THREADS} threads for snippets and notebooks"]
    if not reference:
        lines.append(f"rnn-guide: committed outputs not compared ({why_not})")
    elif config.getoption("--update-golden"):
        lines.append("rnn-guide: rewriting the committed outputs on this machine")
    else:
        try:
            same, why = same_numerics()
        except RuntimeError as error:  # the tests that compare outputs report it again, as their failure
            return [*lines, f"rnn-guide: {error}"]
        lines.append(
            "rnn-guide: committed outputs compared byte for byte (this machine's kernels round as theirs did)"
            if same
            else f"rnn-guide: committed outputs compared without their numbers, figures not compared: {why}"
        )
    return lines


#: The tests that write the committed outputs; a session that rewrote all of them records the numerics fingerprint.
_REWRITERS = (
    "test_snippet_runs_and_prints_its_golden_output",
    "test_notebook_executes_and_matches_its_committed_outputs",
)

_REWRITES_ALL = pytest.StashKey[bool]()


def pytest_collection_finish(session: pytest.Session) -> None:
    if session.config.getoption("--update-golden"):
        names = {item.originalname for item in session.items}
        every = not session.config.getoption("keyword") and not session.config.getoption("markexpr")
        session.config.stash[_REWRITES_ALL] = every and all(name in names for name in _REWRITERS)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if not config.getoption("--update-golden") or config.getoption("--device").startswith("cuda"):
        return
    from support.numerics import record, same_numerics

    if config.stash.get(_REWRITES_ALL, False):
        if exitstatus == 0:
            record()
    elif not same_numerics()[0]:
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                "rnn-guide: some committed outputs were rewritten on a machine whose kernels round differently from "
                "the one that produced the others; run python3 dev.py regenerate to rewrite them all here",
                red=True,
            )


#: Fresh interpreters that run the page sections alone, sharing the files between them.
ALONE_INTERPRETERS = 2
ALONE_TEST = "test_each_section_runs_alone"


@pytest.fixture(scope="session")
def alone_runs(request: pytest.FixtureRequest) -> dict[Path, Future[dict[Path, dict[str, AloneResult]]]]:
    """Runs of the page sections, each alone, in the background (started with the session, see below).

    Only the files whose test this session runs are started; they are shared among a
    few fresh interpreters, so that one interpreter start serves many files.
    """
    wanted_sections = page_sections()
    wanted = [
        path
        for item in request.session.items
        if item.originalname == ALONE_TEST and (path := item.callspec.params.get("path")) in wanted_sections
    ]
    pool = ThreadPoolExecutor(max_workers=ALONE_INTERPRETERS)
    request.addfinalizer(pool.shutdown)
    futures = {}
    for index in range(ALONE_INTERPRETERS):
        group = {path: wanted_sections[path] for path in wanted[index::ALONE_INTERPRETERS]}
        if group:
            future = pool.submit(run_sections_alone, group)
            futures.update(dict.fromkeys(group, future))
    return futures


@pytest.fixture(scope="session", autouse=True)
def _start_sections_alone_early(request: pytest.FixtureRequest) -> None:
    """The sections-alone runs are the longest work of the suite, in interpreters of their own: started with the
    first test, they run beside the rest of the suite instead of after it (6 min 08 s instead of 7 min 25 s for
    the whole suite on 2 cores). The site build is left where it is: beside them too, it slowed the notebook
    kernels more than it saved."""
    if any(item.originalname == ALONE_TEST for item in request.session.items):
        request.getfixturevalue("alone_runs")


@pytest.fixture(scope="session")
def device_name(pytestconfig: pytest.Config) -> str:
    return pytestconfig.getoption("--device")


@pytest.fixture(scope="session")
def cuda_mode(device_name: str) -> bool:
    return device_name.startswith("cuda")


@pytest.fixture(scope="session")
def update_golden(pytestconfig: pytest.Config) -> bool:
    return bool(pytestconfig.getoption("--update-golden"))


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The bilingual site, built once per session with ``mkdocs build --strict`` (timed)."""
    try:
        return build_site(tmp_path_factory.mktemp("site"))
    except BuildError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def site_url(build: Build) -> Iterator[str]:
    """The built site served on 127.0.0.1 and a free port; the base URL ends in ``/``."""
    with serve(build.site) as url:
        yield url


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    """Close every matplotlib figure a test leaves open, so figures do not pile up across the suite."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
