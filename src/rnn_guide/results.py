"""Benchmark result files: one JSON record per run, written by ``benchmarks/*.py`` and read by the pages.

A number shown on a page is never typed by hand: a benchmark script measures it, calls
:func:`write_result`, and the committed file under ``benchmarks/results/`` carries the number together
with the command that produced it, the date, the hardware and the library versions. Pages then read it
back with :func:`latest_result`.

A record looks like this::

    {
      "name": "training_overhead",
      "metrics": {"fit_seconds_per_epoch": 0.41, "overhead_percent": 1.9},
      "config": {"hidden_size": 64, "repeats": 5},
      "command": "python benchmarks/training_overhead.py --repeats 5",
      "date": "2025-01-31T12:00:00+00:00",
      "hardware": {...},
      "duration_seconds": 93.2,
      "rnn_guide_version": "0.1.0",
      "torch_version": "2.13.0+cpu"
    }
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import math
import numbers
import os
import re
import shlex
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch

import rnn_guide
from rnn_guide._validation import check_number, describe
from rnn_guide.devices import describe_hardware

__all__ = ["DEFAULT_DIRECTORY", "REQUIRED_KEYS", "latest_result", "load_results", "write_result"]

DEFAULT_DIRECTORY = "benchmarks/results"
"""Where result files live, relative to the current working directory (the repository root)."""

REQUIRED_KEYS: tuple[str, ...] = (
    "name",
    "metrics",
    "config",
    "command",
    "date",
    "hardware",
    "duration_seconds",
    "rnn_guide_version",
    "torch_version",
)
"""The keys that every result file holds."""

_NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_METRIC_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
_COUNTER_PATTERN = re.compile(r"-\d{8}-\d{6}-(\d+)$")  # the "-2" of "<name>-<date>-<time>-2.json"


def _check_name(name: Any) -> str:
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {describe(name)}")
    if not _NAME_PATTERN.fullmatch(name):
        raise ValueError(
            "name must be a non-empty string of letters, digits, '_', '-' and '.' that starts with a "
            f"letter or digit (it becomes part of a file name), got {name!r}"
        )
    return name


def _check_metrics(metrics: Any) -> dict[str, int | float]:
    if not isinstance(metrics, Mapping):
        raise TypeError(f"metrics must be a dict of metric name -> number, got {describe(metrics)}")
    if not metrics:
        raise ValueError("metrics must hold at least one metric, got an empty dict")
    checked: dict[str, int | float] = {}
    for key, value in metrics.items():
        if not isinstance(key, str) or not _METRIC_PATTERN.fullmatch(key):
            raise ValueError(
                "metrics keys must be spelled-out snake_case names such as 'test_accuracy' or "
                f"'samples_per_second', got {key!r}"
            )
        if isinstance(value, torch.Tensor) and value.numel() == 1:
            value = value.item()
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"metrics[{key!r}] must be a real number, got {describe(value)}")
        if isinstance(value, numbers.Integral):
            checked[key] = int(value)
            continue
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"metrics[{key!r}] must be a finite number, got {number}")
        checked[key] = number
    return checked


def _check_config(config: Any) -> dict[str, Any]:
    if not isinstance(config, Mapping):
        raise TypeError(f"config must be a dict, got {describe(config)}")
    for key in config:
        if not isinstance(key, str):
            raise TypeError(f"config keys must be strings, got {describe(key)}")
    try:
        # Round-trip through JSON: rejects NaN/inf and objects JSON cannot hold, and turns tuples into lists.
        return json.loads(json.dumps(dict(config), allow_nan=False))
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"config must hold only JSON values (strings, finite numbers, booleans, None, lists, dicts); {error}"
        ) from error


def _default_command() -> str:
    """``python <script relative to the working directory> <arguments>`` from ``sys.argv``."""
    argv = list(sys.argv) or [""]
    script = argv[0]
    if script and os.path.isabs(script):
        with contextlib.suppress(ValueError):
            relative = os.path.relpath(script)
            if not relative.startswith(".."):
                script = relative
    script = script.replace(os.sep, "/")
    return shlex.join(["python", script, *argv[1:]]) if script else "python"


def _write_text_atomically(path: Path, text: str) -> None:
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise


def write_result(
    name: str,
    *,
    metrics: Mapping[str, float],
    config: Mapping[str, Any],
    duration_s: float,
    command: str | None = None,
    directory: str | os.PathLike[str] = DEFAULT_DIRECTORY,
) -> Path:
    """Write one benchmark run to ``<directory>/<name>-<YYYYmmdd-HHMMSS>.json``.

    Args:
        name: The benchmark's name, usually the script's stem (``"training_overhead"``). Letters,
            digits, ``_``, ``-`` and ``.``; it becomes part of the file name.
        metrics: Metric name -> finite number. Names are spelled-out snake_case
            (``test_accuracy``, ``rmse``, ``samples_per_second``), never abbreviations like ``acc``.
        config: The settings of the run (JSON values only), enough to repeat it.
        duration_s: Wall-clock seconds the whole run took, ``>= 0``.
        command: The command line that produced the result. Default: rebuilt from ``sys.argv`` as
            ``python benchmarks/x.py --args``.
        directory: Where to write; created if missing. Relative paths are relative to the current
            working directory. Default: ``benchmarks/results``.

    Returns:
        The path of the written file. If a file of the same name exists (two runs in the same second),
        a counter is appended (``-2``, ``-3``, ...); an existing file is never overwritten.

    Raises:
        TypeError: If an argument has the wrong type.
        ValueError: If ``name`` is empty or not file-name safe, a metric is not finite or badly named,
            ``config`` is not JSON-serialisable, or ``duration_s`` is negative or not finite.
    """
    name = _check_name(name)
    checked_metrics = _check_metrics(metrics)
    checked_config = _check_config(config)
    duration = check_number("duration_s", duration_s, low=0.0)
    if command is None:
        command = _default_command()
    elif not isinstance(command, str) or not command.strip():
        raise ValueError(f"command must be a non-empty string or None, got {command!r}")
    if not isinstance(directory, (str, os.PathLike)):
        raise TypeError(f"directory must be a path, got {describe(directory)}")

    now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
    record = {
        "name": name,
        "metrics": checked_metrics,
        "config": checked_config,
        "command": command,
        "date": now.isoformat(),
        "hardware": describe_hardware(),
        "duration_seconds": duration,
        "rnn_guide_version": rnn_guide.__version__,
        "torch_version": torch.__version__,
    }
    text = json.dumps(record, indent=2, ensure_ascii=False, allow_nan=False, default=str) + "\n"

    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{name}-{now.strftime('%Y%m%d-%H%M%S')}"
    path = folder / f"{stem}.json"
    counter = 2
    while path.exists():
        path = folder / f"{stem}-{counter}.json"
        counter += 1
    _write_text_atomically(path, text)
    return path


def _read_record(path: Path) -> dict[str, Any]:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"result file {path} is not valid JSON: {error}") from error
    if not isinstance(record, dict):
        raise ValueError(f"result file {path} must hold a JSON object, got {type(record).__name__}")
    missing = [key for key in REQUIRED_KEYS if key not in record]
    if missing:
        raise ValueError(f"result file {path} lacks the keys {missing}")
    if not isinstance(record["metrics"], dict):
        raise ValueError(f"result file {path}: 'metrics' must be an object, got {record['metrics']!r}")
    return record


def load_results(
    name: str | None = None, *, directory: str | os.PathLike[str] = DEFAULT_DIRECTORY
) -> list[dict[str, Any]]:
    """Read every result file in ``directory``, oldest first.

    Args:
        name: Keep only the records whose ``"name"`` equals this; ``None`` keeps all.
        directory: The folder written by :func:`write_result`. Default: ``benchmarks/results``.

    Returns:
        The records as dicts (keys :data:`REQUIRED_KEYS`), oldest first: sorted by ``date``, then by the
        counter that :func:`write_result` appends for runs in the same second, then by file name.

    Raises:
        FileNotFoundError: If ``directory`` does not exist.
        ValueError: If ``name`` is malformed, or a ``.json`` file in ``directory`` is not a result record.
    """
    if name is not None:
        name = _check_name(name)
    folder = Path(directory)
    if not folder.is_dir():
        raise FileNotFoundError(f"directory {str(folder)!r} with benchmark results does not exist")
    records = []
    for path in sorted(folder.glob("*.json")):
        record = _read_record(path)
        if name is None or record["name"] == name:
            counter = _COUNTER_PATTERN.search(path.stem)
            records.append(((record["date"], int(counter.group(1)) if counter else 1, path.name), record))
    records.sort(key=lambda item: item[0])
    return [record for _, record in records]


def latest_result(name: str, *, directory: str | os.PathLike[str] = DEFAULT_DIRECTORY) -> dict[str, Any]:
    """The newest record called ``name`` (see :func:`load_results`).

    Raises:
        FileNotFoundError: If ``directory`` does not exist or holds no record called ``name``.
        ValueError: If ``name`` is malformed or a result file is broken.
    """
    records = load_results(_check_name(name), directory=directory)
    if not records:
        raise FileNotFoundError(
            f"no benchmark result named {name!r} in {str(directory)!r}; run the benchmark that writes it"
        )
    return records[-1]
