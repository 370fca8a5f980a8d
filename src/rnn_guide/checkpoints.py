"""Checkpoints that resume bit-identically: atomic writes, ``weights_only`` loading, every RNG state.

:func:`save_checkpoint` writes a checkpoint atomically (a temporary file in the same folder, ``fsync``,
``os.replace``), so a crash while writing leaves the previous file intact; :func:`load_checkpoint` reads it
with ``torch.load(..., weights_only=True)`` and returns a :class:`Checkpoint`. A checkpoint holds the weights,
the optimizer and scheduler, the :class:`~rnn_guide.history.History`, the model's configuration
(:func:`model_config`), anything else the caller stores, and the state of every random number generator a
training loop touches (PyTorch CPU and CUDA, NumPy, Python's ``random``, and the ``torch.Generator`` of a
``DataLoader``; :func:`capture_rng_state`, :func:`restore_rng_state`). That is what lets
``fit(..., checkpoint_path=path, resume=True)`` (:func:`rnn_guide.training.fit`) end an interrupted run with
the same weights, bit for bit on the CPU, as a run that was never interrupted; the loop's own bookkeeping
(best epoch, early stopping, AutoClip) travels in a :class:`TrainingState`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import pickle
import random
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from rnn_guide._validation import check_int, check_path, describe
from rnn_guide.history import History

__all__ = [
    "Checkpoint",
    "TrainingState",
    "capture_rng_state",
    "checkpoint_config",
    "load_checkpoint",
    "model_config",
    "restore_rng_state",
    "save_checkpoint",
]

CHECKPOINT_FORMAT = "rnn_guide.checkpoint"
CHECKPOINT_VERSION = 1


# ----------------------------------------------------------------------------------------------------
# Random number generators
# ----------------------------------------------------------------------------------------------------


def _loader_generators(loaders: Sequence[Any]) -> list[torch.Generator]:
    """The distinct ``torch.Generator`` objects a ``DataLoader`` draws its shuffling and worker seeds from."""
    found: list[torch.Generator] = []
    for loader in loaders:
        if loader is None:
            continue
        sampler = getattr(loader, "sampler", None)
        batch_sampler = getattr(loader, "batch_sampler", None)
        candidates = (
            getattr(loader, "generator", None),
            getattr(sampler, "generator", None),
            getattr(getattr(batch_sampler, "sampler", None), "generator", None),
        )
        for generator in candidates:
            if isinstance(generator, torch.Generator) and all(generator is not g for g in found):
                found.append(generator)
    return found


def capture_rng_state(*loaders: Any) -> dict[str, Any]:
    """The state of every random number generator a training loop uses, in ``weights_only``-safe form.

    Args:
        *loaders: ``DataLoader`` objects (or any data) whose own ``torch.Generator`` (``generator=`` of the
            loader or of its sampler) should be captured too. Loaders without one shuffle with PyTorch's
            global generator, which is always captured.

    Returns:
        ``{"torch": ByteTensor, "cuda": [ByteTensor, ...], "numpy": {...}, "python": {...},
        "generators": [ByteTensor, ...]}``; NumPy's and Python's states are stored as tensors and numbers so
        that ``torch.load(..., weights_only=True)`` reads them.
    """
    algorithm, keys, position, has_gauss, cached_gaussian = np.random.get_state(legacy=True)
    version, internal, gauss_next = random.getstate()
    cuda_ready = torch.cuda.is_available() and torch.cuda.is_initialized()
    return {
        "torch": torch.get_rng_state(),
        "cuda": list(torch.cuda.get_rng_state_all()) if cuda_ready else [],
        "numpy": {
            "algorithm": str(algorithm),
            "keys": torch.from_numpy(np.asarray(keys, dtype=np.int64)),
            "position": int(position),
            "has_gauss": int(has_gauss),
            "cached_gaussian": float(cached_gaussian),
        },
        "python": {
            "version": int(version),
            "internal": torch.tensor(internal, dtype=torch.int64),
            "gauss_next": gauss_next,
        },
        "generators": [g.get_state() for g in _loader_generators(loaders)],
    }


def restore_rng_state(state: Mapping[str, Any], *loaders: Any) -> None:
    """Restore the generators captured by :func:`capture_rng_state`.

    Args:
        state: :func:`capture_rng_state`'s result (also as read back from a checkpoint).
        *loaders: loaders built like those passed to :func:`capture_rng_state`, in the same order; their
            own ``torch.Generator`` objects get the captured states. CUDA states are restored only when as
            many CUDA devices are available as were captured.

    Raises:
        ValueError: if ``state`` is malformed, or the loaders hold a different number of generators than
            were captured.
    """
    if not isinstance(state, Mapping) or not {"torch", "numpy", "python"} <= set(state):
        raise ValueError(f"state must be a dict made by capture_rng_state(), got {describe(state)}")
    generators = _loader_generators(loaders)
    saved = list(state.get("generators", []))
    if len(saved) != len(generators):
        raise ValueError(
            f"the data loaders hold {len(generators)} torch.Generator(s) but the saved state has "
            f"{len(saved)}; build the loaders the same way as in the interrupted run"
        )
    torch.set_rng_state(state["torch"])
    cuda = list(state.get("cuda", []))
    if cuda and torch.cuda.is_available() and torch.cuda.device_count() == len(cuda):
        torch.cuda.set_rng_state_all(cuda)
    np_state = state["numpy"]
    np.random.set_state(
        (
            np_state["algorithm"],
            np_state["keys"].numpy().astype(np.uint32),
            np_state["position"],
            np_state["has_gauss"],
            np_state["cached_gaussian"],
        )
    )
    py_state = state["python"]
    random.setstate((py_state["version"], tuple(py_state["internal"].tolist()), py_state["gauss_next"]))
    for generator, generator_state in zip(generators, saved, strict=True):
        generator.set_state(generator_state)


# ----------------------------------------------------------------------------------------------------
# Checkpoints
# ----------------------------------------------------------------------------------------------------


@dataclass
class TrainingState:
    """The training loop's own state between epochs, stored in checkpoints so that a run can resume.

    :func:`~rnn_guide.training.fit` keeps one while it trains and passes it to :func:`save_checkpoint`
    after every epoch; :func:`load_checkpoint` gives it back as :attr:`Checkpoint.training_state`.

    Attributes:
        monitor: the monitored quantity (``"valid_loss"``, ``"train_loss"`` or a metric name).
        mode: ``"min"`` or ``"max"``: whether a smaller or a larger monitored value is better.
        best_value: the best monitored value so far, or ``None`` before the first.
        best_epoch: the epoch (1-based) of ``best_value``, or ``None``.
        bad_epochs: epochs since the last improvement (what early stopping counts).
        best_weights: the model's ``state_dict()`` at ``best_epoch`` when the best weights are kept, else ``None``.
        autoclip_history: the gradient norms an :class:`~rnn_guide.clipping.AutoClip` has seen, or ``None``
            without AutoClip.
    """

    monitor: str
    mode: str
    best_value: float | None = None
    best_epoch: int | None = None
    bad_epochs: int = 0
    best_weights: dict[str, torch.Tensor] | None = None
    autoclip_history: list[float] | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain values and tensors, as :func:`save_checkpoint` stores them."""
        best = {"value": self.best_value, "epoch": self.best_epoch, "bad_epochs": self.bad_epochs}
        return {
            "monitor": self.monitor,
            "mode": self.mode,
            "best": best | {"weights": self.best_weights},
            "autoclip_history": None if self.autoclip_history is None else list(self.autoclip_history),
        }

    @classmethod
    def from_dict(cls, state: Mapping[str, Any]) -> TrainingState:
        """The inverse of :meth:`to_dict`.

        Raises:
            ValueError: if ``state`` lacks a key that :meth:`to_dict` writes.
        """
        try:
            best = state["best"]
            history = state["autoclip_history"]
            return cls(
                monitor=state["monitor"],
                mode=state["mode"],
                best_value=best["value"],
                best_epoch=best["epoch"],
                bad_epochs=best["bad_epochs"],
                best_weights=best["weights"],
                autoclip_history=None if history is None else list(history),
            )
        except (KeyError, TypeError) as error:
            raise ValueError(f"state must be a dict made by TrainingState.to_dict(), missing {error}") from None


@dataclass
class Checkpoint:
    """The contents of a checkpoint file (see :func:`save_checkpoint`).

    Attributes:
        epoch: number of completed epochs when it was written.
        config: the model's configuration, with at least ``"class_name"``.
        model_state: the model's ``state_dict()``.
        optimizer_state: the optimizer's ``state_dict()``, or ``None``.
        scheduler_state: the learning-rate scheduler's ``state_dict()``, or ``None``.
        history: the :class:`History` up to ``epoch``, or ``None``.
        rng_state: :func:`capture_rng_state`'s result at the time of writing.
        extra: anything else the caller stored (plain values and tensors).
        training_state: the :class:`TrainingState` of :func:`~rnn_guide.training.fit` (early stopping, best
            weights, AutoClip), or ``None``.
    """

    epoch: int
    config: dict[str, Any]
    model_state: dict[str, torch.Tensor]
    optimizer_state: dict[str, Any] | None = None
    scheduler_state: dict[str, Any] | None = None
    history: History | None = None
    rng_state: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    training_state: TrainingState | None = None


def model_config(model: nn.Module) -> dict[str, Any]:
    """The configuration stored with a model's checkpoint: ``{"class_name": ..., **model.config}``.

    A model may describe itself with a ``config`` attribute (a dict, a dataclass, or a method returning
    either) holding its constructor arguments; :func:`load_checkpoint` compares ``"class_name"``.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be an nn.Module, got {describe(model)}")
    config = getattr(model, "config", None)
    if callable(config):
        config = config()
    if dataclasses.is_dataclass(config) and not isinstance(config, type):
        config = dataclasses.asdict(config)
    extra = dict(config) if isinstance(config, Mapping) else {}
    return {"class_name": type(model).__name__, **extra}


def _check_plain(value: Any, where: str) -> None:
    """Raise unless ``value`` holds only what ``torch.load(weights_only=True)`` can read back."""
    if value is None or isinstance(value, (bool, int, float, str, torch.Tensor)):
        return
    if isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            _check_plain(item, f"{where}[{i}]")
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, (str, int)):
                raise TypeError(f"{where} keys must be strings or integers, got {describe(key)}")
            _check_plain(item, f"{where}[{key!r}]")
        return
    raise TypeError(
        f"{where} must hold only tensors, numbers, strings, booleans, None, lists and dicts "
        f"(what torch.load(weights_only=True) reads), got {describe(value)}"
    )


def _save_atomically(payload: Mapping[str, Any], path: Path) -> None:
    """``torch.save`` to a temporary file in the same folder, fsync, then ``os.replace`` over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            torch.save(dict(payload), handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def checkpoint_config(model: nn.Module, config: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The configuration a checkpoint of ``model`` stores: ``config`` with ``"class_name"`` added from
    ``type(model).__name__`` unless present, or :func:`model_config` when ``config`` is ``None``.

    Raises:
        TypeError: if ``config`` is not a dict or holds values that ``weights_only`` loading cannot read.
    """
    if config is None:
        full = model_config(model)
    elif isinstance(config, Mapping):
        full = dict(config)
        full.setdefault("class_name", type(model).__name__)
    else:
        raise TypeError(f"config must be a dict or None, got {describe(config)}")
    _check_plain(full, "config")
    return full


def save_checkpoint(
    path: str | os.PathLike[str],
    *,
    model: nn.Module,
    optimizer: torch.optim.Optimizer | None = None,
    scheduler: Any = None,
    epoch: int,
    config: Mapping[str, Any] | None = None,
    history: History | None = None,
    extra: Mapping[str, Any] | None = None,
    loaders: Sequence[Any] = (),
    training_state: TrainingState | None = None,
) -> Path:
    """Write a checkpoint atomically: a crash while writing leaves the previous file at ``path`` intact.

    The file is written to a temporary file in the same folder, flushed to disk (``fsync``) and renamed over
    ``path`` with ``os.replace``. It holds only tensors, numbers, strings, lists and dicts, so
    :func:`load_checkpoint` reads it with ``torch.load(..., weights_only=True)``.

    Args:
        path: the file to write; its folder is created if missing.
        model: the model whose ``state_dict()`` to store.
        optimizer: its ``state_dict()`` is stored too (needed to resume).
        scheduler: a learning-rate scheduler whose ``state_dict()`` is stored.
        epoch: number of completed epochs, ``>= 0``.
        config: the model's configuration (constructor arguments, plain values). ``"class_name"`` is added
            from ``type(model).__name__`` unless present. Default: :func:`model_config`.
        history: the :class:`History` so far.
        extra: more plain values or tensors to store, returned as :attr:`Checkpoint.extra`.
        loaders: ``DataLoader`` objects whose own ``torch.Generator`` states to store with the global random
            number generator states (captured now, see :func:`capture_rng_state`).
        training_state: the training loop's :class:`TrainingState`, needed to resume
            :func:`~rnn_guide.training.fit`.

    Returns:
        ``path`` as a ``Path``.

    Raises:
        TypeError: if an argument has the wrong type, or ``config``/``extra`` hold values that
            ``weights_only`` loading cannot read (e.g. arbitrary objects).
        ValueError: if ``epoch`` is negative.
    """
    target = check_path("path", path)
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be an nn.Module, got {describe(model)}")
    if optimizer is not None and not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(f"optimizer must be a torch.optim.Optimizer or None, got {describe(optimizer)}")
    if scheduler is not None and not hasattr(scheduler, "state_dict"):
        raise TypeError(f"scheduler must have a state_dict() method, got {describe(scheduler)}")
    epoch = check_int("epoch", epoch, minimum=0)
    if history is not None and not isinstance(history, History):
        raise TypeError(f"history must be a History or None, got {describe(history)}")
    extra_dict = {} if extra is None else extra
    if not isinstance(extra_dict, Mapping):
        raise TypeError(f"extra must be a dict or None, got {describe(extra)}")
    _check_plain(extra_dict, "extra")
    if training_state is not None and not isinstance(training_state, TrainingState):
        raise TypeError(f"training_state must be a TrainingState or None, got {describe(training_state)}")
    payload = {
        "format": CHECKPOINT_FORMAT,
        "format_version": CHECKPOINT_VERSION,
        "epoch": epoch,
        "config": checkpoint_config(model, config),
        "model_state": model.state_dict(),
        "optimizer_state": optimizer.state_dict() if optimizer is not None else None,
        "scheduler_state": scheduler.state_dict() if scheduler is not None else None,
        "history": history.to_dict() if history is not None else None,
        "rng_state": capture_rng_state(*loaders),
        "extra": dict(extra_dict),
        "training_state": training_state.to_dict() if training_state is not None else None,
    }
    _save_atomically(payload, target)
    return target


def _check_state_dict(model: nn.Module, state: Mapping[str, torch.Tensor], source: str) -> None:
    """Raise ``ValueError`` listing missing, unexpected and mis-shaped entries of ``state`` for ``model``."""
    own = model.state_dict()
    missing = [k for k in own if k not in state]
    unexpected = [k for k in state if k not in own]
    mismatched = [
        f"{k}: checkpoint {tuple(state[k].shape)} vs model {tuple(own[k].shape)}"
        for k in own
        if k in state and isinstance(state[k], torch.Tensor) and state[k].shape != own[k].shape
    ]
    if missing or unexpected or mismatched:
        parts = []
        if missing:
            parts.append(f"missing keys {missing[:5]}{' ...' if len(missing) > 5 else ''}")
        if unexpected:
            parts.append(f"unexpected keys {unexpected[:5]}{' ...' if len(unexpected) > 5 else ''}")
        if mismatched:
            parts.append(f"shape mismatches {mismatched[:5]}{' ...' if len(mismatched) > 5 else ''}")
        raise ValueError(f"{source} does not fit model {type(model).__name__}: " + "; ".join(parts))


def load_checkpoint(
    path: str | os.PathLike[str],
    *,
    model: nn.Module | None = None,
    optimizer: torch.optim.Optimizer | None = None,
    scheduler: Any = None,
    map_location: str | torch.device = "cpu",
) -> Checkpoint:
    """Read a checkpoint with ``torch.load(..., weights_only=True)`` and optionally load it into objects.

    Args:
        path: a file written by :func:`save_checkpoint` (or by :func:`~rnn_guide.training.fit`).
        model: if given, its weights are replaced by the checkpoint's, after checking that the checkpoint's
            ``config["class_name"]`` is ``type(model).__name__`` and that every key and shape matches.
        optimizer: if given, its state is replaced by the checkpoint's.
        scheduler: if given, its state is replaced by the checkpoint's.
        map_location: where to put the loaded tensors (default ``"cpu"``).

    Returns:
        A :class:`Checkpoint`.

    Raises:
        FileNotFoundError: if ``path`` does not exist.
        ValueError: if the file is not an rnn_guide checkpoint (or not loadable with ``weights_only=True``),
            belongs to another model class, or its weights do not fit ``model``; or the optimizer/scheduler
            state is missing or does not fit.
    """
    source = check_path("path", path)
    for name, value, kind in (("model", model, nn.Module), ("optimizer", optimizer, torch.optim.Optimizer)):
        if value is not None and not isinstance(value, kind):
            raise TypeError(f"{name} must be a {kind.__name__} or None, got {describe(value)}")
    if not source.is_file():
        raise FileNotFoundError(f"checkpoint file {str(source)!r} does not exist")
    try:
        payload = torch.load(source, map_location=map_location, weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, EOFError, UnicodeDecodeError) as error:
        raise ValueError(  # torch's own message stays in the chained error (a traceback shows it)
            f"{str(source)!r} is not an rnn-guide model or checkpoint: it is not a checkpoint that "
            "torch.load(weights_only=True) can read"
        ) from error
    if not isinstance(payload, dict) or payload.get("format") != CHECKPOINT_FORMAT:
        raise ValueError(
            f"{str(source)!r} is not an rnn-guide model or checkpoint: a PyTorch file, but not an rnn_guide "
            "checkpoint (no format marker)"
        )
    if payload.get("format_version") != CHECKPOINT_VERSION:
        raise ValueError(
            f"{str(source)!r} has checkpoint format version {payload.get('format_version')!r}, "
            f"this version of rnn_guide reads version {CHECKPOINT_VERSION}"
        )
    config = payload["config"]
    if model is not None:
        saved_class = config.get("class_name")
        if saved_class is not None and saved_class != type(model).__name__:
            raise ValueError(f"{str(source)!r} holds a {saved_class}, got model of class {type(model).__name__}")
        _check_state_dict(model, payload["model_state"], f"checkpoint {str(source)!r}")
        model.load_state_dict(payload["model_state"])
    for name, target, key in (
        ("optimizer", optimizer, "optimizer_state"),
        ("scheduler", scheduler, "scheduler_state"),
    ):
        if target is None:
            continue
        if payload[key] is None:
            raise ValueError(f"{str(source)!r} holds no {name} state, got {name}={describe(target)}")
        try:
            target.load_state_dict(payload[key])
        except (ValueError, KeyError, RuntimeError) as error:
            raise ValueError(f"the {name} state in {str(source)!r} does not fit {name}: {error}") from error
    history, training_state = payload["history"], payload["training_state"]
    return Checkpoint(
        epoch=payload["epoch"],
        config=config,
        model_state=payload["model_state"],
        optimizer_state=payload["optimizer_state"],
        scheduler_state=payload["scheduler_state"],
        history=History.from_dict(history) if history is not None else None,
        rng_state=payload["rng_state"],
        extra=payload["extra"],
        training_state=TrainingState.from_dict(training_state) if training_state is not None else None,
    )
