"""Device choice, seeding, determinism and a description of the hardware.

* :func:`pick_device` chooses CUDA, then Apple's MPS, then the CPU, unless told otherwise by its argument or
  by the environment variable ``RNN_GUIDE_DEVICE``. A device that is asked for but unavailable is an error,
  never a silent fallback.
* :func:`seed_everything` seeds Python's ``random``, NumPy and PyTorch (CPU and every CUDA device), and can
  turn on PyTorch's deterministic algorithms.
* :func:`deterministic_mode` does the same switch for a ``with`` block and restores the previous settings.
* :func:`describe_hardware` returns what a benchmark result file records about the machine.
"""

from __future__ import annotations

import os
import platform
import random
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import torch

from rnn_guide._validation import check_int, describe

__all__ = [
    "CUBLAS_WORKSPACE_CONFIG",
    "DEVICE_ENV_VAR",
    "describe_hardware",
    "deterministic_mode",
    "pick_device",
    "seed_everything",
]

DEVICE_ENV_VAR = "RNN_GUIDE_DEVICE"
"""Name of the environment variable that overrides the automatic device choice of :func:`pick_device`."""

CUBLAS_WORKSPACE_CONFIG = ":4096:8"
"""``CUBLAS_WORKSPACE_CONFIG`` value that makes cuBLAS deterministic (PyTorch's reproducibility notes)."""

_SUPPORTED_TYPES = ("cpu", "cuda", "mps")


def _mps_available() -> bool:
    mps = getattr(torch.backends, "mps", None)
    return bool(mps is not None and mps.is_available())


def _parse_device(name: str, value: Any) -> torch.device:
    """Turn ``value`` (a string or ``torch.device``) into a supported ``torch.device``."""
    if isinstance(value, torch.device):
        device = value
    elif isinstance(value, str):
        try:
            device = torch.device(value.strip())
        except RuntimeError as exc:
            raise ValueError(
                f"{name} must be a device such as 'cpu', 'cuda', 'cuda:1' or 'mps', got {value!r}"
            ) from exc
    else:
        raise TypeError(f"{name} must be a str or torch.device, got {describe(value)}")
    if device.type not in _SUPPORTED_TYPES:
        raise ValueError(f"{name} must be a cpu, cuda or mps device, got {value!r}")
    return device


def _check_available(name: str, device: torch.device) -> None:
    """Raise ``RuntimeError`` unless ``device`` can be used on this machine."""
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError(
                f"{name} asks for {str(device)!r}, but CUDA is not available on this machine "
                f"(torch {torch.__version__}, built with CUDA {torch.version.cuda}); "
                "ask for 'cpu' or leave the device unset to choose automatically"
            )
        count = torch.cuda.device_count()
        if device.index is not None and device.index >= count:
            raise RuntimeError(
                f"{name} asks for {str(device)!r}, but this machine has {count} CUDA device(s) "
                f"(indices 0 to {count - 1})"
            )
    elif device.type == "mps" and not _mps_available():
        raise RuntimeError(
            f"{name} asks for 'mps', but Apple's MPS backend is not available on this machine; "
            "ask for 'cpu' or leave the device unset to choose automatically"
        )


def pick_device(preferred: str | torch.device | None = None) -> torch.device:
    """Choose the device to compute on.

    In order of precedence: ``preferred`` if given; else the environment variable ``RNN_GUIDE_DEVICE`` if set
    and not empty (``"auto"`` means choose automatically); else the first available of CUDA, MPS and CPU.

    Args:
        preferred: a device such as ``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"mps"`` or a ``torch.device``, or
            ``"auto"``/``None`` to choose automatically.

    Returns:
        The chosen ``torch.device``.

    Raises:
        RuntimeError: if the requested device (by argument or environment variable) is not available here.
            An explicit request never falls back to another device silently.
        ValueError: if the request is not a cpu, cuda or mps device.
        TypeError: if ``preferred`` is neither a string, a ``torch.device`` nor ``None``.

    Example::

        >>> pick_device("cpu")
        device(type='cpu')
    """
    source, request = "preferred", preferred
    if request is None:
        env = os.environ.get(DEVICE_ENV_VAR, "").strip()
        if env:
            source, request = f"the environment variable {DEVICE_ENV_VAR}", env
    if request is None or (isinstance(request, str) and request.strip().lower() == "auto"):
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    device = _parse_device(source, request)
    _check_available(source, device)
    return device


def seed_everything(seed: int, deterministic: bool = False) -> None:
    """Seed Python's ``random``, NumPy's global generator and PyTorch (CPU and all CUDA devices).

    Args:
        seed: an integer in ``[0, 2**32 - 1]`` (NumPy's limit).
        deterministic: also make PyTorch choose deterministic algorithms, for good:
            ``torch.backends.cudnn.deterministic = True``, ``torch.backends.cudnn.benchmark = False``,
            ``torch.use_deterministic_algorithms(True)`` and ``CUBLAS_WORKSPACE_CONFIG=:4096:8`` (only if that
            variable is unset; cuBLAS reads it when it first starts). An operation without a deterministic
            implementation then raises ``RuntimeError``. ``False`` leaves these settings as they are; use
            :func:`deterministic_mode` to switch them on for a ``with`` block only.

    Raises:
        TypeError: if ``seed`` is not an integer or ``deterministic`` not a bool.
        ValueError: if ``seed`` is outside ``[0, 2**32 - 1]``.

    ``PYTHONHASHSEED`` cannot be changed for a running interpreter, so ``hash()`` of strings stays random.
    """
    seed = check_int("seed", seed, minimum=0)
    if seed > 2**32 - 1:
        raise ValueError(f"seed must be at most 2**32 - 1 = {2**32 - 1}, got {seed}")
    if not isinstance(deterministic, bool):
        raise TypeError(f"deterministic must be a bool, got {describe(deterministic)}")
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.cuda.manual_seed_all(seed)  # lazy: a no-op until CUDA is initialised, safe without CUDA
    if deterministic:
        _enable_deterministic(warn_only=False)


def _enable_deterministic(*, warn_only: bool) -> None:
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", CUBLAS_WORKSPACE_CONFIG)
    torch.backends.cudnn.deterministic = True
    torch.backends.cudnn.benchmark = False
    torch.use_deterministic_algorithms(True, warn_only=warn_only)


@contextmanager
def deterministic_mode(warn_only: bool = False) -> Iterator[None]:
    """Use PyTorch's deterministic algorithms inside a ``with`` block; restore every setting afterwards.

    Sets the same flags as ``seed_everything(seed, deterministic=True)`` and restores
    ``cudnn.deterministic``, ``cudnn.benchmark``, the deterministic-algorithms mode (and its ``warn_only``)
    and ``CUBLAS_WORKSPACE_CONFIG`` on exit, also when the block raises.

    Args:
        warn_only: warn instead of raising when an operation has no deterministic implementation.

    Example::

        >>> with deterministic_mode():
        ...     torch.are_deterministic_algorithms_enabled()
        True
    """
    if not isinstance(warn_only, bool):
        raise TypeError(f"warn_only must be a bool, got {describe(warn_only)}")
    saved = (
        torch.backends.cudnn.deterministic,
        torch.backends.cudnn.benchmark,
        torch.are_deterministic_algorithms_enabled(),
        torch.is_deterministic_algorithms_warn_only_enabled(),
        os.environ.get("CUBLAS_WORKSPACE_CONFIG"),
    )
    _enable_deterministic(warn_only=warn_only)
    try:
        yield
    finally:
        cudnn_deterministic, cudnn_benchmark, algorithms, algorithms_warn_only, cublas = saved
        torch.backends.cudnn.deterministic = cudnn_deterministic
        torch.backends.cudnn.benchmark = cudnn_benchmark
        torch.use_deterministic_algorithms(algorithms, warn_only=algorithms_warn_only)
        if cublas is None:
            os.environ.pop("CUBLAS_WORKSPACE_CONFIG", None)
        else:
            os.environ["CUBLAS_WORKSPACE_CONFIG"] = cublas


def _cpu_model() -> str:
    """The CPU's marketing name, from /proc/cpuinfo on Linux, sysctl on macOS, else ``platform``."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            for line in cpuinfo:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Hardware", "Model") and value.strip():
                    return value.strip()
    except OSError:
        pass
    if platform.system() == "Darwin":
        try:
            result = subprocess.run(
                ["sysctl", "-n", "machdep.cpu.brand_string"],
                capture_output=True,
                text=True,
                timeout=5,
                check=True,
            )
            if result.stdout.strip():
                return result.stdout.strip()
        except (OSError, subprocess.SubprocessError):
            pass
    return platform.processor() or platform.machine() or "unknown"


def describe_hardware() -> dict[str, Any]:
    """Describe the machine and software for benchmark result files.

    Returns:
        A JSON-serialisable dict with the keys ``cpu`` (model name), ``cpu_count`` (logical cores),
        ``cpu_count_usable`` (cores this process may run on), ``torch_threads``, ``machine`` (e.g.
        ``x86_64``), ``os`` (``platform.platform()``), ``python``, ``torch``, ``numpy``, ``cuda`` (the CUDA
        version torch was built with, or ``None``), ``cuda_available``, ``gpu_count``, ``gpus`` (names of
        the CUDA devices), ``gpu`` (name of the first, or ``None``) and ``mps_available``.
    """
    cuda_available = torch.cuda.is_available()
    gpus = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())] if cuda_available else []
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count()
    return {
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "cpu_count_usable": usable,
        "torch_threads": torch.get_num_threads(),
        "machine": platform.machine(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "numpy": np.__version__,
        "cuda": torch.version.cuda,
        "cuda_available": cuda_available,
        "gpu_count": len(gpus),
        "gpus": gpus,
        "gpu": gpus[0] if gpus else None,
        "mps_available": _mps_available(),
    }
