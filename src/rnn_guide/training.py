"""One training loop for every model in the guide, with checkpoints that resume bit-identically.

:func:`fit` trains any ``nn.Module`` on any re-iterable source of batches (a ``DataLoader``, a list of
batches) and returns a :class:`History`. The sentiment classifier and the time-series forecaster both use it.

How a batch reaches the model is split into two small, replaceable steps:

1. ``batch_to_device(batch, device) -> batch`` moves the batch. The default, :func:`move_to_device`, moves
   every tensor inside tuples, lists and dicts. Keep some entries on the CPU with
   ``functools.partial(move_to_device, keep_on_cpu=(1,))`` -- e.g. the ``lengths`` of a
   ``(tokens, lengths, labels)`` batch, which ``pack_padded_sequence`` wants on the CPU.
2. ``forward_fn(model, batch) -> (outputs, targets)`` runs the model. The default, :func:`default_forward`,
   reads a tuple batch as ``(*inputs, target)`` and calls ``model(*inputs)``; a dict batch must hold a
   ``"target"`` key and the other keys become keyword arguments.

``loss_fn(outputs, targets)`` then gives the loss, and ``metrics`` (name -> ``callable(outputs, targets)``)
are computed once per epoch on the whole validation set (outputs and targets of all batches concatenated
along the first dimension, on the CPU), so metrics such as RMSE are exact, not averages of batch values.

Every step records the total gradient norm before clipping in a
:class:`~rnn_guide.clipping.GradNormTracker`. The norm is computed once per step (by the clipping when it
clips, else by the tracker), and reading it on the host, which decides whether a step with a ``nan``/``inf``
gradient is skipped, is the loop's one synchronisation per step.

After every epoch :func:`fit` can write a checkpoint (``checkpoint_path=``), atomically, holding the
weights, the optimizer and scheduler, the history, the early-stopping state and every random number
generator the loop touches, so an interrupted run resumed with ``fit(..., checkpoint_path=path, resume=True)``
ends with the same weights, bit for bit on the CPU, as a run that was never interrupted. The checkpoint
format lives in :mod:`rnn_guide.checkpoints` and :class:`History` in :mod:`rnn_guide.history`; this module
re-exports their public names (:func:`save_checkpoint`, :func:`load_checkpoint`, :class:`Checkpoint`,
:func:`model_config`, :func:`capture_rng_state`, :func:`restore_rng_state`, :class:`History`), so
``from rnn_guide.training import save_checkpoint`` works as before.
"""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeAlias

import torch
from torch import nn
from tqdm import tqdm

from rnn_guide._validation import check_choice, check_int, check_number, describe
from rnn_guide.checkpoints import (
    Checkpoint,
    _check_path,
    _full_config,
    _write_checkpoint,
    capture_rng_state,
    load_checkpoint,
    model_config,
    restore_rng_state,
    save_checkpoint,
)
from rnn_guide.clipping import AutoClip, GradNormTracker, NonFiniteGradientError, clip_grad_norm
from rnn_guide.devices import pick_device, seed_everything
from rnn_guide.history import History

__all__ = [
    "Checkpoint",
    "History",
    "capture_rng_state",
    "default_forward",
    "evaluate",
    "fit",
    "load_checkpoint",
    "model_config",
    "move_to_device",
    "predict",
    "restore_rng_state",
    "save_checkpoint",
]

BatchToDevice: TypeAlias = Callable[[Any, torch.device], Any]
ForwardFn: TypeAlias = Callable[[nn.Module, Any], tuple[Any, Any]]
LossFn: TypeAlias = Callable[[Any, Any], torch.Tensor]
Metric: TypeAlias = Callable[[Any, Any], float]
ClipSpec: TypeAlias = "float | str | AutoClip | Callable[[list[torch.Tensor]], Any] | None"

_RESERVED_METRIC_NAMES = ("loss", "train_loss", "valid_loss")


# ----------------------------------------------------------------------------------------------------
# Batches
# ----------------------------------------------------------------------------------------------------


def move_to_device(batch: Any, device: torch.device | str, *, keep_on_cpu: Sequence[Any] = ()) -> Any:
    """Move every tensor in ``batch`` (nested tuples, lists and dicts) to ``device``.

    Args:
        batch: a tensor, or a tuple/list/dict (possibly nested) holding tensors and other values, which are
            returned unchanged. Named tuples keep their type.
        device: the target device.
        keep_on_cpu: positions (for a tuple/list batch) or keys (for a dict batch) of top-level entries to
            leave where they are, e.g. ``(1,)`` for the ``lengths`` in ``(tokens, lengths, labels)``.

    Returns:
        A batch of the same structure with its tensors on ``device``.
    """
    if isinstance(batch, torch.Tensor):
        return batch.to(device, non_blocking=True)
    if isinstance(batch, Mapping):
        return {k: v if k in keep_on_cpu else move_to_device(v, device) for k, v in batch.items()}
    if isinstance(batch, (tuple, list)):
        moved = [v if i in keep_on_cpu else move_to_device(v, device) for i, v in enumerate(batch)]
        if isinstance(batch, tuple) and hasattr(batch, "_fields"):
            return type(batch)(*moved)
        return type(batch)(moved)
    return batch


def default_forward(model: nn.Module, batch: Any) -> tuple[Any, Any]:
    """Split ``batch`` into inputs and target and run ``model``.

    A tuple/list batch is read as ``(*inputs, target)``, e.g. ``(x, y)`` -> ``model(x), y`` with ``x`` of
    shape ``(N, L, H_in)``, or ``(tokens, lengths, labels)`` -> ``model(tokens, lengths), labels``.
    A dict batch must hold a ``"target"`` key; the other keys are passed as keyword arguments.

    Returns:
        ``(outputs, target)``.

    Raises:
        TypeError: if ``batch`` is neither a tuple/list of at least two entries nor a dict.
        ValueError: if a dict batch has no ``"target"`` key.
    """
    if isinstance(batch, Mapping):
        if "target" not in batch:
            raise ValueError(
                "a dict batch must hold a 'target' key (the other keys become keyword arguments of the "
                f"model), got keys {sorted(map(str, batch))}; pass forward_fn= to split it differently"
            )
        inputs = {k: v for k, v in batch.items() if k != "target"}
        return model(**inputs), batch["target"]
    if isinstance(batch, (tuple, list)) and len(batch) >= 2:
        return model(*batch[:-1]), batch[-1]
    raise TypeError(
        "batch must be a tuple/list (*inputs, target) or a dict with a 'target' key, "
        f"got {describe(batch)}; pass forward_fn= to split it differently"
    )


def _batch_size(targets: Any) -> int:
    if isinstance(targets, torch.Tensor):
        return int(targets.shape[0]) if targets.dim() > 0 else 1
    if isinstance(targets, Mapping) and targets:
        return _batch_size(next(iter(targets.values())))
    if isinstance(targets, (tuple, list)):
        return len(targets)
    return 1


def _to_cpu(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return value.detach().cpu()
    if isinstance(value, Mapping):
        return {k: _to_cpu(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        moved = [_to_cpu(v) for v in value]
        return type(value)(*moved) if hasattr(value, "_fields") else type(value)(moved)
    return value


def _concatenate(items: list[Any]) -> Any:
    """Concatenate per-batch outputs (or targets) along the first dimension, keeping their structure."""
    first = items[0]
    if isinstance(first, torch.Tensor):
        try:
            return torch.cat([t.reshape(1) if t.dim() == 0 else t for t in items])
        except RuntimeError as error:
            raise ValueError(
                f"cannot concatenate the batches' outputs or targets along the first dimension for the metrics: {error}"
            ) from error
    if isinstance(first, Mapping):
        return {k: _concatenate([item[k] for item in items]) for k in first}
    if isinstance(first, tuple):
        return tuple(_concatenate([item[i] for item in items]) for i in range(len(first)))
    if isinstance(first, list):
        return [x for item in items for x in item]
    return list(items)


def _check_reiterable(name: str, data: Any) -> None:
    if not isinstance(data, Iterable):
        raise TypeError(f"{name} must be an iterable of batches (e.g. a DataLoader), got {describe(data)}")
    if isinstance(data, Iterator):  # never call iter(): it would start a DataLoader and draw a random seed
        raise TypeError(
            f"{name} must be re-iterable (a DataLoader, a list of batches), got a one-shot iterator "
            f"{type(data).__name__}"
        )


def _check_metrics(metrics: Any) -> dict[str, Metric]:
    if metrics is None:
        return {}
    if not isinstance(metrics, Mapping):
        raise TypeError(f"metrics must be a dict of name -> callable(outputs, targets), got {describe(metrics)}")
    for name, metric in metrics.items():
        if not isinstance(name, str) or not name or name in _RESERVED_METRIC_NAMES:
            raise ValueError(
                f"metrics keys must be non-empty strings other than {_RESERVED_METRIC_NAMES}, got {name!r}"
            )
        if not callable(metric):
            raise TypeError(f"metrics[{name!r}] must be callable(outputs, targets), got {describe(metric)}")
    return dict(metrics)


def _model_device(model: nn.Module) -> torch.device:
    for tensor in model.parameters():
        return tensor.device
    for tensor in model.buffers():
        return tensor.device
    return torch.device("cpu")


def _run_eval(
    model: nn.Module,
    data: Iterable[Any],
    *,
    loss_fn: LossFn | None,
    metrics: Mapping[str, Metric],
    device: torch.device,
    to_device: BatchToDevice,
    forward: ForwardFn,
    keep_outputs: bool,
) -> tuple[float | None, dict[str, float], Any]:
    """Loss, metrics and (optionally) concatenated outputs of ``model`` on ``data``, in eval mode."""
    was_training = model.training
    model.eval()
    losses: list[torch.Tensor] = []
    count = 0
    outputs_all: list[Any] = []
    targets_all: list[Any] = []
    try:
        with torch.no_grad():
            for batch in data:
                outputs, targets = forward(model, to_device(batch, device))
                n = _batch_size(targets)
                count += n
                if loss_fn is not None:
                    losses.append(loss_fn(outputs, targets).detach().float() * n)
                if metrics or keep_outputs:
                    outputs_all.append(_to_cpu(outputs))
                if metrics:
                    targets_all.append(_to_cpu(targets))
    finally:
        model.train(was_training)
    if count == 0:
        raise ValueError("the evaluation data yielded no batches")
    loss = float(torch.stack(losses).sum()) / count if loss_fn is not None else None
    values: dict[str, float] = {}
    if metrics:
        outputs_cat, targets_cat = _concatenate(outputs_all), _concatenate(targets_all)
        for name, metric in metrics.items():
            value = metric(outputs_cat, targets_cat)
            values[name] = float(value.item() if isinstance(value, torch.Tensor) else value)
    return loss, values, (_concatenate(outputs_all) if keep_outputs else None)


def evaluate(
    model: nn.Module,
    data: Iterable[Any],
    *,
    loss_fn: LossFn | None = None,
    metrics: Mapping[str, Metric] | None = None,
    device: torch.device | str | None = None,
    batch_to_device: BatchToDevice | None = None,
    forward_fn: ForwardFn | None = None,
) -> dict[str, float]:
    """Loss and metrics of ``model`` on ``data``, in eval mode and without gradients.

    Args:
        model: the model; its train/eval mode is restored afterwards.
        data: a re-iterable source of batches (see :func:`fit`).
        loss_fn: ``loss_fn(outputs, targets)``, a mean over the batch; averaged over batches weighted by
            batch size.
        metrics: name -> ``callable(outputs, targets) -> float``, computed once on the outputs and targets of
            all batches concatenated along the first dimension (on the CPU).
        device: where to compute; the model is moved there. Default: the device of the model's parameters.
        batch_to_device: see :func:`fit`. Default :func:`move_to_device`.
        forward_fn: see :func:`fit`. Default :func:`default_forward`.

    Returns:
        ``{"loss": ..., <metric name>: ...}`` (``"loss"`` only if ``loss_fn`` is given).

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if neither ``loss_fn`` nor ``metrics`` is given, or ``data`` yields no batches.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be an nn.Module, got {describe(model)}")
    _check_reiterable("data", data)
    checked = _check_metrics(metrics)
    if loss_fn is None and not checked:
        raise ValueError("evaluate needs loss_fn or metrics (or both), got neither")
    if device is None:
        target_device = _model_device(model)
    else:
        target_device = pick_device(device)
        model.to(target_device)
    loss, values, _ = _run_eval(
        model,
        data,
        loss_fn=loss_fn,
        metrics=checked,
        device=target_device,
        to_device=batch_to_device or move_to_device,
        forward=forward_fn or default_forward,
        keep_outputs=False,
    )
    return ({"loss": loss} if loss is not None else {}) | values


def predict(
    model: nn.Module,
    data: Iterable[Any],
    *,
    device: torch.device | str | None = None,
    batch_to_device: BatchToDevice | None = None,
    forward_fn: ForwardFn | None = None,
) -> Any:
    """The model's outputs on every batch of ``data``, concatenated along the first dimension, on the CPU.

    Args:
        model: the model, run in eval mode without gradients (its mode is restored afterwards).
        data: a re-iterable source of batches, split as in :func:`fit` (the targets are ignored).
        device: where to compute; the model is moved there. Default: the device of the model's parameters.
        batch_to_device: see :func:`fit`. Default :func:`move_to_device`.
        forward_fn: see :func:`fit`. Default :func:`default_forward`.

    Returns:
        The outputs of all batches concatenated along the first dimension, on the CPU, with the structure
        of one batch's outputs: e.g. logits of shape ``(N, C)`` per batch give ``(N_total, C)``.

    Raises:
        TypeError: if ``model`` is not an ``nn.Module`` or ``data`` is not re-iterable.
        ValueError: if ``data`` yields no batches.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be an nn.Module, got {describe(model)}")
    _check_reiterable("data", data)
    if device is None:
        target_device = _model_device(model)
    else:
        target_device = pick_device(device)
        model.to(target_device)
    _, _, outputs = _run_eval(
        model,
        data,
        loss_fn=None,
        metrics={},
        device=target_device,
        to_device=batch_to_device or move_to_device,
        forward=forward_fn or default_forward,
        keep_outputs=True,
    )
    return outputs


# ----------------------------------------------------------------------------------------------------
# The loop
# ----------------------------------------------------------------------------------------------------


class _StepClipper:
    """Turns ``fit``'s ``clip`` argument into one call per step that records and returns the pre-clip norm.

    The total norm is computed once per step (by ``clip_grad_norm`` or ``AutoClip`` when they clip, else as
    ``clip_grad_norm_`` computes it) and appended to the tracker's ``history``: calling ``tracker.record``
    as well would compute it a second time, with a second host synchronisation. A tracker with
    ``per_parameter=True`` records with its own ``record`` before clipping, at the cost of a second norm.
    """

    def __init__(
        self, clip: Any, *, nonfinite: str, named: list[tuple[str, torch.Tensor]], tracker: GradNormTracker
    ) -> None:
        self.named = named
        self.tensors = [p for _, p in named]
        self.tracker = tracker
        self.nonfinite = nonfinite
        self.max_norm: float | None = None
        self.autoclip: AutoClip | None = None
        self.function: Callable[[list[torch.Tensor]], Any] | None = None
        if clip is None:
            pass
        elif isinstance(clip, (int, float)) and not isinstance(clip, bool):
            self.max_norm = check_number("clip", clip, low=0.0, low_inclusive=False)
        elif isinstance(clip, str):
            check_choice("clip", clip, ("autoclip",))
            self.autoclip = AutoClip(nonfinite=nonfinite)
        elif isinstance(clip, AutoClip):
            if clip.nonfinite != nonfinite:
                raise ValueError(
                    f"clip is AutoClip(nonfinite={clip.nonfinite!r}) but fit got nonfinite={nonfinite!r}; "
                    "make them agree"
                )
            self.autoclip = clip
        elif callable(clip) and not isinstance(clip, bool):
            self.function = clip
        else:
            raise TypeError(
                "clip must be None, a max norm > 0, 'autoclip', an AutoClip or a callable(parameters), "
                f"got {describe(clip)}"
            )

    def __call__(self) -> float:
        """Record the total gradient norm before clipping, clip, and return that norm."""
        per_parameter = self.tracker.per_parameter
        if per_parameter:
            self.tracker.record(self.named)  # appends to tracker.history itself
        if self.max_norm is not None:
            norm = clip_grad_norm(self.named, self.max_norm, nonfinite=self.nonfinite).total_norm
        elif self.autoclip is not None:
            norm = self.autoclip(self.named)
        else:
            norm = self.tracker.history[-1] if per_parameter else _total_grad_norm(self.tensors)
            if self.function is not None and math.isfinite(norm):
                self.function(self.tensors)
        if not per_parameter:
            self.tracker.history.append(norm)
        return norm


def _total_grad_norm(parameters: list[torch.Tensor]) -> float:
    """The L2 norm of all gradients as one vector, computed as ``clip_grad_norm_`` computes it."""
    grads = [p.grad for p in parameters if p.grad is not None]
    if not grads:
        return 0.0
    if hasattr(torch.nn.utils, "get_total_norm"):  # PyTorch >= 2.6, the function clip_grad_norm_ uses
        return float(torch.nn.utils.get_total_norm(grads))
    norms = [torch.linalg.vector_norm(g.detach()) for g in grads]
    return float(torch.linalg.vector_norm(torch.stack(norms)))


@dataclass
class _Best:
    """Best monitored value so far, for ``best_epoch``, early stopping and restoring the best weights."""

    mode: str
    value: float | None = None
    epoch: int | None = None
    bad_epochs: int = 0
    weights: dict[str, torch.Tensor] | None = None

    def update(self, value: float, epoch: int, model: nn.Module | None) -> None:
        better = not math.isnan(value) and (
            self.value is None or (value < self.value if self.mode == "min" else value > self.value)
        )
        if not better:
            self.bad_epochs += 1
            return
        self.value, self.epoch, self.bad_epochs = value, epoch, 0
        if model is not None:
            self.weights = {k: v.detach().clone() for k, v in model.state_dict().items()}

    def state(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "epoch": self.epoch,
            "bad_epochs": self.bad_epochs,
            "weights": self.weights,
        }


def _nonfinite_error(
    named: list[tuple[str, torch.Tensor]], norm: float, epoch: int, step: int
) -> NonFiniteGradientError:
    names = [n for n, p in named if p.grad is not None and not bool(torch.isfinite(p.grad).all())]
    where = f"non-finite values in the gradients of {names}" if names else "the total norm overflowed"
    return NonFiniteGradientError(
        f"epoch {epoch}, step {step}: the total gradient norm is {norm} ({where}); the weights were not "
        "updated. Use nonfinite='skip' to skip such steps, or lower the learning rate or clip the gradients",
        names,
        norm,
    )


def _progress_enabled(progress: Any) -> bool:
    if progress is None:
        in_ci = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
        stream = sys.stderr
        return stream is not None and hasattr(stream, "isatty") and stream.isatty() and not in_ci
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True, False or None (automatic), got {describe(progress)}")
    return progress


def _train_epoch(
    model: nn.Module,
    data: Iterable[Any],
    *,
    epoch: int,
    loss_fn: LossFn,
    optimizer: torch.optim.Optimizer,
    clipper: _StepClipper,
    step_scheduler: Any,
    device: torch.device,
    to_device: BatchToDevice,
    forward: ForwardFn,
    bar: tqdm,
) -> tuple[float, int]:
    """One pass over ``data``; returns the mean loss of the applied steps and the number of skipped steps."""
    model.train()
    loss_sum, count, steps, skipped = 0.0, 0, 0, 0
    for batch in data:
        steps += 1
        outputs, targets = forward(model, to_device(batch, device))
        loss = loss_fn(outputs, targets)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        try:
            norm = clipper()
        except NonFiniteGradientError as error:
            raise NonFiniteGradientError(
                f"epoch {epoch}, step {steps}: {error}", error.names, error.total_norm
            ) from error
        bar.update()
        if not math.isfinite(norm):
            if clipper.nonfinite == "raise":
                raise _nonfinite_error(clipper.named, norm, epoch, steps)
            skipped += 1
            continue
        optimizer.step()
        if step_scheduler is not None:
            step_scheduler.step()
        n = _batch_size(targets)
        loss_sum += loss.item() * n
        count += n
    if steps == 0:
        raise ValueError("train_data yielded no batches")
    return (loss_sum / count if count else math.nan), skipped


def fit(
    model: nn.Module,
    train_data: Iterable[Any],
    *,
    epochs: int,
    loss_fn: LossFn,
    optimizer: torch.optim.Optimizer | None = None,
    valid_data: Iterable[Any] | None = None,
    metrics: Mapping[str, Metric] | None = None,
    device: torch.device | str | None = None,
    clip: ClipSpec = None,
    nonfinite: str = "raise",
    scheduler: Any = None,
    scheduler_interval: str = "epoch",
    early_stopping: int | None = None,
    monitor: str = "valid_loss",
    mode: str = "min",
    restore_best: bool = True,
    checkpoint_path: str | os.PathLike[str] | None = None,
    resume: bool = False,
    config: Mapping[str, Any] | None = None,
    progress: bool | None = None,
    seed: int | None = None,
    batch_to_device: BatchToDevice | None = None,
    forward_fn: ForwardFn | None = None,
    grad_tracker: GradNormTracker | None = None,
) -> History:
    """Train ``model`` for ``epochs`` epochs and return what was measured.

    Each step: ``batch_to_device(batch, device)``, ``outputs, targets = forward_fn(model, batch)``,
    ``loss = loss_fn(outputs, targets)``, ``zero_grad``, ``backward``, record the total gradient norm,
    clip, ``optimizer.step()`` (skipped if the norm is ``nan``/``inf`` and ``nonfinite="skip"``), and a
    per-step ``scheduler.step()`` if ``scheduler_interval="step"``. After each epoch: validation, early
    stopping bookkeeping, a per-epoch ``scheduler.step()`` and the checkpoint.

    Args:
        model: the model; moved to ``device``.
        train_data: a re-iterable source of batches, e.g. a ``DataLoader`` (shuffled or not) or a list.
            A batch is a tuple ``(*inputs, target)`` -- ``(x, y)`` with ``x`` of shape ``(N, L, H_in)``, or
            ``(tokens, lengths, labels)`` -- or a dict with a ``"target"`` key, unless ``forward_fn`` says
            otherwise.
        epochs: total number of epochs, ``>= 1`` (when resuming, including the epochs already done).
        loss_fn: ``loss_fn(outputs, targets)`` -> scalar tensor, a mean over the batch (e.g.
            ``nn.CrossEntropyLoss()``, ``nn.MSELoss()``).
        optimizer: default ``torch.optim.Adam(model.parameters(), lr=1e-3)``, created after the move.
        valid_data: batches to evaluate on after every epoch (eval mode, no gradients).
        metrics: name -> ``callable(outputs, targets) -> float`` computed on ``valid_data`` after every
            epoch, on all batches' outputs and targets concatenated along the first dimension (CPU tensors).
        device: ``"cpu"``, ``"cuda"``, ... Default :func:`rnn_guide.devices.pick_device`.
        clip: ``None`` (no clipping); a number: clip the total norm to it with
            :func:`~rnn_guide.clipping.clip_grad_norm`; ``"autoclip"``: ``AutoClip(percentile=10)``; an
            :class:`~rnn_guide.clipping.AutoClip`; or ``callable(parameters)`` called with the list of
            trainable parameters after the norm was recorded (e.g.
            ``functools.partial(adaptive_clip_grad, clipping=0.01)``); its return value is ignored.
        nonfinite: ``"raise"``: a ``nan``/``inf`` gradient raises
            :class:`~rnn_guide.clipping.NonFiniteGradientError` naming the epoch, step and parameters;
            ``"skip"``: the step is skipped (no optimizer step) and counted in ``History.skipped_steps``.
        scheduler: a learning-rate scheduler; ``ReduceLROnPlateau`` is stepped with the monitored value.
        scheduler_interval: ``"epoch"`` (step after each epoch) or ``"step"`` (after each optimizer step,
            e.g. ``OneCycleLR``).
        early_stopping: patience: stop after this many epochs without improvement of ``monitor``;
            ``None`` trains all epochs.
        monitor: ``"valid_loss"``, ``"train_loss"`` or a key of ``metrics``; decides ``best_epoch``, early
            stopping and ``ReduceLROnPlateau``.
        mode: ``"min"`` or ``"max"``: whether a smaller or a larger monitored value is better.
        restore_best: with ``early_stopping``, load the weights of the best epoch at the end (whether or not
            training stopped early). Without ``early_stopping`` the final weights are kept.
        checkpoint_path: write a checkpoint here after every epoch, atomically (see :func:`save_checkpoint`).
        resume: continue from ``checkpoint_path`` if that file exists (start from scratch if it does not).
            Weights, optimizer, scheduler, history, early stopping, AutoClip and every random number
            generator (including a ``DataLoader``'s own ``generator``) are restored, so on the CPU the final
            weights are bit-identical to an uninterrupted run. Build the model, optimizer, scheduler and
            loaders exactly as in the interrupted run.
        config: the model configuration stored in checkpoints. Default :func:`model_config`.
        progress: show a tqdm progress bar on stderr. ``None``: only if stderr is a terminal and the
            environment variable ``CI`` is not set.
        seed: if given, :func:`rnn_guide.devices.seed_everything` is called first.
        batch_to_device: ``callable(batch, device) -> batch``. Default :func:`move_to_device` (all tensors);
            ``functools.partial(move_to_device, keep_on_cpu=(1,))`` keeps ``lengths`` on the CPU.
        forward_fn: ``callable(model, batch) -> (outputs, targets)``. Default :func:`default_forward`.
        grad_tracker: the :class:`~rnn_guide.clipping.GradNormTracker` that records every step's norm (pass
            one with ``per_parameter=True`` for per-parameter histories). Default: a new one.

    Returns:
        The :class:`History` of all epochs (including those before a resume).

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument is out of range or inconsistent (e.g. ``metrics`` without
            ``valid_data``, early stopping on ``"valid_loss"`` without ``valid_data``), the data yields no
            batches, or the checkpoint to resume from does not fit.
        NonFiniteGradientError: with ``nonfinite="raise"``, on the first ``nan``/``inf`` gradient.

    Example::

        >>> history = fit(model, train_loader, epochs=10, loss_fn=nn.CrossEntropyLoss(),
        ...               valid_data=valid_loader, metrics={"accuracy": accuracy},
        ...               clip=1.0, early_stopping=3)  # doctest: +SKIP
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be an nn.Module, got {describe(model)}")
    _check_reiterable("train_data", train_data)
    if valid_data is not None:
        _check_reiterable("valid_data", valid_data)
    check_int("epochs", epochs, minimum=1)
    if not callable(loss_fn):
        raise TypeError(f"loss_fn must be callable(outputs, targets), got {describe(loss_fn)}")
    if optimizer is not None and not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(f"optimizer must be a torch.optim.Optimizer or None, got {describe(optimizer)}")
    checked_metrics = _check_metrics(metrics)
    if checked_metrics and valid_data is None:
        raise ValueError("metrics are computed on valid_data, got metrics but valid_data=None")
    check_choice("nonfinite", nonfinite, ("raise", "skip"))
    if scheduler is not None and not (hasattr(scheduler, "step") and hasattr(scheduler, "state_dict")):
        raise TypeError(f"scheduler must be a learning-rate scheduler or None, got {describe(scheduler)}")
    check_choice("scheduler_interval", scheduler_interval, ("epoch", "step"))
    plateau = isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau)
    if plateau and scheduler_interval != "epoch":
        raise ValueError("ReduceLROnPlateau needs scheduler_interval='epoch', got 'step'")
    check_int("early_stopping", early_stopping, minimum=1, allow_none=True)
    check_choice("monitor", monitor, ("valid_loss", "train_loss", *checked_metrics))
    check_choice("mode", mode, ("min", "max"))
    if monitor != "train_loss" and valid_data is None and (early_stopping is not None or plateau):
        raise ValueError(
            f"monitor={monitor!r} is measured on valid_data, which early stopping and ReduceLROnPlateau "
            "need; got valid_data=None (pass valid_data or monitor='train_loss')"
        )
    for name, flag in (("restore_best", restore_best), ("resume", resume)):
        if not isinstance(flag, bool):
            raise TypeError(f"{name} must be a bool, got {describe(flag)}")
    path = None if checkpoint_path is None else _check_path("checkpoint_path", checkpoint_path)
    if resume and path is None:
        raise ValueError("resume=True needs checkpoint_path, got checkpoint_path=None")
    show_progress = _progress_enabled(progress)
    check_int("seed", seed, minimum=0, allow_none=True)
    for name, hook in (("batch_to_device", batch_to_device), ("forward_fn", forward_fn)):
        if hook is not None and not callable(hook):
            raise TypeError(f"{name} must be callable or None, got {describe(hook)}")
    if grad_tracker is None:
        grad_tracker = GradNormTracker()
    elif not isinstance(grad_tracker, GradNormTracker):
        raise TypeError(f"grad_tracker must be a GradNormTracker or None, got {describe(grad_tracker)}")

    if seed is not None:
        seed_everything(seed)
    target_device = pick_device(device)
    model.to(target_device)
    if optimizer is None:
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    full_config = _full_config(model, config)
    named = [(name, p) for name, p in model.named_parameters() if p.requires_grad]
    clipper = _StepClipper(clip, nonfinite=nonfinite, named=named, tracker=grad_tracker)
    keep_best_weights = early_stopping is not None and restore_best
    best = _Best(mode)
    history = History(metrics={name: [] for name in checked_metrics})
    done = 0
    if resume and path is not None and path.exists():
        done, history, best = _resume(
            path,
            model=model,
            optimizer=optimizer,
            scheduler=scheduler,
            epochs=epochs,
            monitor=monitor,
            mode=mode,
            metrics=checked_metrics,
            clipper=clipper,
            loaders=(train_data, valid_data),
        )

    to_device = batch_to_device or move_to_device
    forward = forward_fn or default_forward
    remaining = 0 if history.stopped_early else epochs - done
    total_steps = remaining * len(train_data) if hasattr(train_data, "__len__") else None
    bar = tqdm(total=total_steps, disable=not show_progress, unit="step", file=sys.stderr, dynamic_ncols=True)
    try:
        for epoch in range(done + 1, done + remaining + 1):
            started = time.perf_counter()
            bar.set_description(f"epoch {epoch}/{epochs}", refresh=False)
            learning_rate = float(optimizer.param_groups[0]["lr"])
            first_step = len(grad_tracker.history)
            train_loss, skipped = _train_epoch(
                model,
                train_data,
                epoch=epoch,
                loss_fn=loss_fn,
                optimizer=optimizer,
                clipper=clipper,
                step_scheduler=scheduler if scheduler_interval == "step" else None,
                device=target_device,
                to_device=to_device,
                forward=forward,
                bar=bar,
            )
            monitored = {"train_loss": train_loss}
            if valid_data is not None:
                valid_loss, values, _ = _run_eval(
                    model,
                    valid_data,
                    loss_fn=loss_fn,
                    metrics=checked_metrics,
                    device=target_device,
                    to_device=to_device,
                    forward=forward,
                    keep_outputs=False,
                )
                monitored["valid_loss"] = valid_loss
                monitored.update(values)
                history.valid_loss.append(float(valid_loss))
                for name, value in values.items():
                    history.metrics[name].append(value)
            history.epoch_times.append(time.perf_counter() - started)
            history.train_loss.append(train_loss)
            history.grad_norms.append(list(grad_tracker.history[first_step:]))
            history.skipped_steps.append(skipped)
            history.learning_rates.append(learning_rate)
            if monitor in monitored:
                best.update(monitored[monitor], epoch, model if keep_best_weights else None)
                history.best_epoch = best.epoch
            if scheduler is not None and scheduler_interval == "epoch":
                if plateau:
                    scheduler.step(monitored[monitor])
                else:
                    scheduler.step()
            history.stopped_early = early_stopping is not None and best.bad_epochs >= early_stopping
            if path is not None:
                _write_checkpoint(
                    path,
                    model=model,
                    optimizer=optimizer,
                    scheduler=scheduler,
                    epoch=epoch,
                    config=full_config,
                    history=history,
                    extra={},
                    loaders=(train_data, valid_data),
                    training_state={
                        "monitor": monitor,
                        "mode": mode,
                        "best": best.state(),
                        "autoclip_history": list(clipper.autoclip.history) if clipper.autoclip else None,
                    },
                )
            bar.set_postfix({k: f"{v:.4g}" for k, v in monitored.items()}, refresh=False)
            if history.stopped_early:
                break
    finally:
        bar.close()
    if keep_best_weights and best.weights is not None:
        model.load_state_dict(best.weights)
    return history


def _resume(
    path: Path,
    *,
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler: Any,
    epochs: int,
    monitor: str,
    mode: str,
    metrics: Mapping[str, Metric],
    clipper: _StepClipper,
    loaders: Sequence[Any],
) -> tuple[int, History, _Best]:
    """Load ``fit``'s checkpoint into the fresh objects; return (epochs done, history, best-so-far)."""
    checkpoint = load_checkpoint(path, model=model, optimizer=optimizer, scheduler=scheduler)
    state, history = checkpoint.training_state, checkpoint.history
    if state is None or history is None or checkpoint.rng_state is None:
        raise ValueError(f"{str(path)!r} was not written by fit(), so it cannot be resumed from")
    if checkpoint.epoch > epochs:
        raise ValueError(
            f"epochs must be at least the {checkpoint.epoch} epochs already done in {str(path)!r}, got {epochs}"
        )
    if (state["monitor"], state["mode"]) != (monitor, mode):
        raise ValueError(
            f"the checkpoint monitored {state['monitor']!r} ({state['mode']}), got monitor={monitor!r} "
            f"and mode={mode!r}; resume with the same settings"
        )
    if set(history.metrics) != set(metrics):
        raise ValueError(
            f"the checkpoint's metrics are {sorted(history.metrics)}, got {sorted(metrics)}; resume with the "
            "same metrics"
        )
    if (clipper.autoclip is None) != (state["autoclip_history"] is None):
        raise ValueError("resume with the same clip setting as the interrupted run (AutoClip or not)")
    if clipper.autoclip is not None:
        clipper.autoclip.history[:] = list(state["autoclip_history"])
    saved = state["best"]
    best = _Best(mode, saved["value"], saved["epoch"], saved["bad_epochs"], saved["weights"])
    restore_rng_state(checkpoint.rng_state, *loaders)
    return checkpoint.epoch, history, best
