#!/usr/bin/env python3
"""Set up the project and run it: one entry point for newcomers and CI.

    python3 dev.py serve       set everything up, then serve the site: http://127.0.0.1:8000/ (English)
                               and http://127.0.0.1:8000/zh/ (Chinese), rebuilt within seconds of an edit
    python3 dev.py test        set everything up, then run the whole test suite
    python3 dev.py quick       set everything up, then run the quick subset (no site build, browser,
                               notebooks or training snippets; under a minute)
    python3 dev.py build       set everything up, then build the site into site/
    python3 dev.py regenerate  rewrite the golden outputs, figures and notebook outputs from fresh runs
    python3 dev.py setup       only set up

Setting up means: a virtual environment in .venv, PyTorch in the build that fits the
machine, then this package with its docs and test tools. Needs only Python 3.10+ and pip.

PyTorch: a machine without an NVIDIA driver (no nvidia-smi) gets the CPU build, a few
hundred MB instead of several GB of CUDA libraries; a machine with one gets the CUDA
build. Override with RNN_GUIDE_TORCH=cpu or RNN_GUIDE_TORCH=cuda, and point
RNN_GUIDE_TORCH_INDEX at a mirror of PyTorch's CPU wheel index where the original
cannot be reached. Extra arguments after
`test` go to pytest (for example `python3 dev.py test -k shapes` or `--device cuda`).
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
TORCH_VERSION = os.environ.get("RNN_GUIDE_TORCH_VERSION", "2.13.0")
CPU_INDEX = os.environ.get("RNN_GUIDE_TORCH_INDEX", "https://download.pytorch.org/whl/cpu")
CONSTRAINTS = ROOT / "requirements" / "constraints-py311.txt"
STAMP = VENV / ".rnn-guide-setup"
SERVE_URL = "http://127.0.0.1:8000/"
#: The quick subset: everything but the site build, the browser, the notebooks and model training.
QUICK_MARKERS = "not slow and not site and not notebooks and not training"


def say(message: str) -> None:
    print(f"[dev.py] {message}", flush=True)


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    command = [str(a) for a in args]
    result = subprocess.run(command, cwd=ROOT, env=env)
    if result.returncode != 0:
        sys.exit(f"[dev.py] failed ({result.returncode}): {' '.join(command)}")


def torch_flavour() -> str:
    wanted = os.environ.get("RNN_GUIDE_TORCH", "").strip().lower()
    if wanted in {"cpu", "cuda"}:
        return wanted
    if wanted:
        sys.exit(f"[dev.py] RNN_GUIDE_TORCH must be 'cpu' or 'cuda', got {wanted!r}")
    return "cuda" if shutil.which("nvidia-smi") else "cpu"


def reachable(url: str, timeout: float = 5.0) -> bool:
    """Whether a TCP connection to the host of ``url`` opens within ``timeout`` seconds."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "", parts.port or 443), timeout=timeout):
            return True
    except OSError:
        return False


def setup() -> Path:
    """Create .venv and install what is missing; quick when nothing changed."""
    if sys.version_info < (3, 10):  # noqa: UP036 - this script must explain, not crash, on older Pythons
        sys.exit(f"[dev.py] Python 3.10 or newer is needed, this is {platform.python_version()}")
    flavour = torch_flavour()
    use_constraints = sys.version_info[:2] == (3, 11)
    fingerprint = hashlib.sha256()
    for path in (ROOT / "pyproject.toml", CONSTRAINTS):
        fingerprint.update(path.read_bytes())
    fingerprint.update(f"{flavour} {TORCH_VERSION} {use_constraints} {sys.version}".encode())
    stamp = fingerprint.hexdigest()
    python = venv_python()
    if python.exists() and STAMP.exists() and STAMP.read_text() == stamp:
        return python
    if not python.exists():
        say(f"creating a virtual environment in {VENV.name}/")
        venv.EnvBuilder(with_pip=True).create(VENV)
    pip = [python, "-m", "pip", "install", "--disable-pip-version-check"]
    say(f"installing PyTorch {TORCH_VERSION} ({flavour} build)")
    if flavour == "cpu" and platform.system() != "Darwin" and reachable(CPU_INDEX):
        # The CPU wheels live on PyTorch's own index; PyPI's Linux wheels carry CUDA.
        run(*pip, f"torch=={TORCH_VERSION}", "--extra-index-url", CPU_INDEX)
    elif flavour == "cpu" and platform.system() != "Darwin":
        say(f"{CPU_INDEX} cannot be reached; trying the configured indexes (RNN_GUIDE_TORCH_INDEX sets a mirror)")
        run(*pip, f"torch=={TORCH_VERSION}")
    else:
        run(*pip, f"torch=={TORCH_VERSION}")
    if flavour == "cpu":
        check = subprocess.run(
            [python, "-c", "import torch; print(torch.version.cuda or '')"], capture_output=True, text=True
        )
        if check.stdout.strip():
            say(
                f"warning: asked for the CPU build but got the CUDA {check.stdout.strip()} build; set "
                "RNN_GUIDE_TORCH_INDEX to a reachable mirror of PyTorch's CPU index (see README)"
            )
    say("installing rnn-guide with its docs and test tools")
    extra = ["-c", CONSTRAINTS] if use_constraints else []
    run(*pip, "-e", ".[dev]", *extra)
    STAMP.write_text(stamp)
    return python


def main(argv: list[str]) -> None:
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    command, rest = argv[0], argv[1:]
    if command not in {"setup", "serve", "test", "quick", "build", "regenerate"}:
        sys.exit(f"[dev.py] unknown command {command!r}; try: python3 dev.py --help")
    python = setup()
    if command == "setup":
        say(f"ready: {python}")
        return
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if command == "serve":
        say(f"serving the site on {SERVE_URL} (English) and {SERVE_URL}zh/ (中文); Ctrl+C stops it")
        address = SERVE_URL.split("//")[1].rstrip("/")
        run(python, "-m", "mkdocs", "serve", "-f", "mkdocs.serve.yml", "--dirty", "--dev-addr", address, *rest, env=env)
    elif command == "build":
        run(python, "-m", "mkdocs", "build", "--strict", *rest, env=env)
    elif command == "regenerate":
        tests = ["tests/test_snippets.py", "tests/test_notebooks.py"]
        run(python, "-m", "pytest", *tests, "--update-golden", "-q", *rest, env=env)
    else:
        quick = ["-m", QUICK_MARKERS] if command == "quick" else []
        result = subprocess.run([python, "-m", "pytest", *quick, *rest], cwd=ROOT, env=env)
        sys.exit(result.returncode)


if __name__ == "__main__":
    main(sys.argv[1:])
