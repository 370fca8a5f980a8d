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
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from support.site import Build, BuildError, build_site, serve


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
REPRODUCIBLE_CPU_KERNELS = {"ATEN_CPU_CAPABILITY": "avx2", "ONEDNN_MAX_CPU_ISA": "AVX2", "MKL_CBWR": "AVX2"}


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
