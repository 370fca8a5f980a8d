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
format, with the loop's :class:`~rnn_guide.checkpoints.TrainingState`, lives in :mod:`rnn_guide.checkpoints`
and :class:`~rnn_guide.history.History` in :mod:`rnn_guide.history`.
"""

from __future__ import annotations

import math
import numbers
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple, TypeAlias

import torch
from torch import nn
from tqdm import tqdm

from rnn_guide._validation import check_choice, check_int, check_number, check_path, describe
from rnn_guide.checkpoints import (
    TrainingState,
    checkpoint_config,
    load_checkpoint,
    restore_rng_state,
    save_checkpoint,
)
from rnn_guide.clipping import AutoClip, GradNormTracker, NonFiniteGradientError, clip_grad_norm
from rnn_guide.devices import pick_device, seed_everything
from rnn_guide.history import History

__all__ = [
    "default_forward",
    "evaluate",
    "fit",
    "move_to_device",
    "predict",
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
        elif isinstance(clip, numbers.Real) and not isinstance(clip, bool):
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


class _Checked(NamedTuple):
    """What :func:`_check_fit_arguments` derives from ``fit``'s arguments."""

    metrics: dict[str, Metric]
    checkpoint_path: Path | None
    show_progress: bool
    grad_tracker: GradNormTracker


def _check_fit_arguments(arguments: Mapping[str, Any]) -> _Checked:
    """Check every argument of :func:`fit` (given by name) before anything runs; raise ``TypeError`` or
    ``ValueError`` naming the argument."""
    a = arguments
    if not isinstance(a["model"], nn.Module):
        raise TypeError(f"model must be an nn.Module, got {describe(a['model'])}")
    _check_reiterable("train_data", a["train_data"])
    if a["valid_data"] is not None:
        _check_reiterable("valid_data", a["valid_data"])
    check_int("epochs", a["epochs"], minimum=1)
    if not callable(a["loss_fn"]):
        raise TypeError(f"loss_fn must be callable(outputs, targets), got {describe(a['loss_fn'])}")
    if a["optimizer"] is not None and not isinstance(a["optimizer"], torch.optim.Optimizer):
        raise TypeError(f"optimizer must be a torch.optim.Optimizer or None, got {describe(a['optimizer'])}")
    metrics = _check_metrics(a["metrics"])
    if metrics and a["valid_data"] is None:
        raise ValueError("metrics are computed on valid_data, got metrics but valid_data=None")
    check_choice("nonfinite", a["nonfinite"], ("raise", "skip"))
    scheduler = a["scheduler"]
    if scheduler is not None and not (hasattr(scheduler, "step") and hasattr(scheduler, "state_dict")):
        raise TypeError(f"scheduler must be a learning-rate scheduler or None, got {describe(scheduler)}")
    check_choice("scheduler_interval", a["scheduler_interval"], ("epoch", "step"))
    plateau = isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau)
    if plateau and a["scheduler_interval"] != "epoch":
        raise ValueError("ReduceLROnPlateau needs scheduler_interval='epoch', got 'step'")
    check_int("early_stopping", a["early_stopping"], minimum=1, allow_none=True)
    monitor = a["monitor"]
    check_choice("monitor", monitor, ("valid_loss", "train_loss", *metrics))
    check_choice("mode", a["mode"], ("min", "max"))
    if monitor != "train_loss" and a["valid_data"] is None and (a["early_stopping"] is not None or plateau):
        raise ValueError(
            f"monitor={monitor!r} is measured on valid_data, which early stopping and ReduceLROnPlateau "
            "need; got valid_data=None (pass valid_data or monitor='train_loss')"
        )
    for name in ("restore_best", "resume"):
        if not isinstance(a[name], bool):
            raise TypeError(f"{name} must be a bool, got {describe(a[name])}")
    path = None if a["checkpoint_path"] is None else check_path("checkpoint_path", a["checkpoint_path"])
    if a["resume"] and path is None:
        raise ValueError("resume=True needs checkpoint_path, got checkpoint_path=None")
    show_progress = _progress_enabled(a["progress"])
    check_int("seed", a["seed"], minimum=0, allow_none=True)
    for name in ("batch_to_device", "forward_fn"):
        if a[name] is not None and not callable(a[name]):
            raise TypeError(f"{name} must be callable or None, got {describe(a[name])}")
    tracker = a["grad_tracker"]
    if tracker is not None and not isinstance(tracker, GradNormTracker):
        raise TypeError(f"grad_tracker must be a GradNormTracker or None, got {describe(tracker)}")
    return _Checked(metrics, path, show_progress, tracker if tracker is not None else GradNormTracker())


@dataclass
class _Loop:
    """Everything the epochs of one :func:`fit` call share: checked arguments and the objects built from them."""

    model: nn.Module
    train_data: Iterable[Any]
    valid_data: Iterable[Any] | None
    loss_fn: LossFn
    optimizer: torch.optim.Optimizer
    scheduler: Any
    scheduler_interval: str
    metrics: dict[str, Metric]
    device: torch.device
    to_device: BatchToDevice
    forward: ForwardFn
    clipper: _StepClipper
    early_stopping: int | None
    keep_best_weights: bool
    checkpoint_path: Path | None
    config: dict[str, Any]
    history: History
    state: TrainingState


def _set_epoch(data: Any, epoch: int) -> None:
    """Call ``set_epoch(epoch)`` (0-based) on the samplers of ``data`` that have it, e.g. a
    ``DistributedSampler`` or a :class:`~rnn_guide.distributed.DistributedBucketSampler`, once each."""
    batch_sampler = getattr(data, "batch_sampler", None)
    called: list[Any] = []
    for sampler in (getattr(data, "sampler", None), batch_sampler, getattr(batch_sampler, "sampler", None)):
        if callable(getattr(sampler, "set_epoch", None)) and all(sampler is not s for s in called):
            sampler.set_epoch(epoch)
            called.append(sampler)


def _train_epoch(loop: _Loop, epoch: int, bar: tqdm) -> tuple[float, int]:
    """One pass over the training data; returns the mean loss of the applied steps and the skipped steps."""
    model, optimizer, clipper = loop.model, loop.optimizer, loop.clipper
    step_scheduler = loop.scheduler if loop.scheduler_interval == "step" else None
    model.train()
    loss_sum, count, steps, skipped = 0.0, 0, 0, 0
    for batch in loop.train_data:
        steps += 1
        outputs, targets = loop.forward(model, loop.to_device(batch, loop.device))
        loss = loop.loss_fn(outputs, targets)
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


def _validate(loop: _Loop) -> dict[str, float]:
    """``{"valid_loss": ..., <metric>: ...}`` on the validation data, or ``{}`` without it."""
    if loop.valid_data is None:
        return {}
    valid_loss, values, _ = _run_eval(
        loop.model,
        loop.valid_data,
        loss_fn=loop.loss_fn,
        metrics=loop.metrics,
        device=loop.device,
        to_device=loop.to_device,
        forward=loop.forward,
        keep_outputs=False,
    )
    return {"valid_loss": float(valid_loss)} | values  # type: ignore[arg-type]


def _record_history(
    history: History,
    monitored: Mapping[str, float],
    started: float,
    grad_norms: list[float],
    skipped: int,
    learning_rate: float,
) -> None:
    """Append one epoch's measurements to ``history``; ``started`` is when the epoch began."""
    if "valid_loss" in monitored:
        history.valid_loss.append(monitored["valid_loss"])
        for name, values in history.metrics.items():
            values.append(monitored[name])
    history.epoch_times.append(time.perf_counter() - started)
    history.train_loss.append(monitored["train_loss"])
    history.grad_norms.append(grad_norms)
    history.skipped_steps.append(skipped)
    history.learning_rates.append(learning_rate)


def _track_best(loop: _Loop, monitored: Mapping[str, float], epoch: int) -> None:
    """Update the best monitored value, its epoch and weights, and the epochs without improvement."""
    state = loop.state
    if state.monitor not in monitored:
        return
    value = monitored[state.monitor]
    better = not math.isnan(value) and (
        state.best_value is None or (value < state.best_value if state.mode == "min" else value > state.best_value)
    )
    if not better:
        state.bad_epochs += 1
        return
    state.best_value, state.best_epoch, state.bad_epochs = value, epoch, 0
    loop.history.best_epoch = epoch
    if loop.keep_best_weights:
        state.best_weights = {k: v.detach().clone() for k, v in loop.model.state_dict().items()}


def _step_scheduler(loop: _Loop, monitored: Mapping[str, float]) -> None:
    """The per-epoch scheduler step; ``ReduceLROnPlateau`` gets the monitored value."""
    scheduler = loop.scheduler
    if scheduler is None or loop.scheduler_interval != "epoch":
        return
    if isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
        scheduler.step(monitored[loop.state.monitor])
    else:
        scheduler.step()


def _save_epoch_checkpoint(loop: _Loop, epoch: int) -> None:
    """Write the checkpoint after ``epoch`` (if ``checkpoint_path`` was given), with the loop's state."""
    if loop.checkpoint_path is None:
        return
    autoclip = loop.clipper.autoclip
    loop.state.autoclip_history = list(autoclip.history) if autoclip is not None else None
    save_checkpoint(
        loop.checkpoint_path,
        model=loop.model,
        optimizer=loop.optimizer,
        scheduler=loop.scheduler,
        epoch=epoch,
        config=loop.config,
        history=loop.history,
        loaders=(loop.train_data, loop.valid_data),
        training_state=loop.state,
    )


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
    per-step ``scheduler.step()`` if ``scheduler_interval="step"``. Before each epoch, ``set_epoch(e)`` (``e``
    counted from 0) on the samplers of ``train_data`` that have it (a ``DistributedSampler``, a
    :class:`~rnn_guide.distributed.DistributedBucketSampler`), so each epoch draws a new order. After each
    epoch: validation, the history, the best epoch and early stopping, a per-epoch ``scheduler.step()``, the
    checkpoint and the progress bar.

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
        checkpoint_path: write a checkpoint here after every epoch, atomically (see
            :func:`~rnn_guide.checkpoints.save_checkpoint`), with the loop's
            :class:`~rnn_guide.checkpoints.TrainingState`.
        resume: continue from ``checkpoint_path`` if that file exists (start from scratch if it does not).
            Weights, optimizer, scheduler, history, early stopping, AutoClip and every random number
            generator (including a ``DataLoader``'s own ``generator``) are restored, so on the CPU the final
            weights are bit-identical to an uninterrupted run. Build the model, optimizer, scheduler and
            loaders exactly as in the interrupted run.
        config: the model configuration stored in checkpoints. Default
            :func:`~rnn_guide.checkpoints.model_config`.
        progress: show a tqdm progress bar on stderr. ``None`` (default): a bar when stderr is a terminal
            and the environment variable ``CI`` is not set.
        seed: if given, :func:`rnn_guide.devices.seed_everything` is called first.
        batch_to_device: ``callable(batch, device) -> batch``. Default :func:`move_to_device` (all tensors);
            ``functools.partial(move_to_device, keep_on_cpu=(1,))`` keeps ``lengths`` on the CPU.
        forward_fn: ``callable(model, batch) -> (outputs, targets)``. Default :func:`default_forward`.
        grad_tracker: the :class:`~rnn_guide.clipping.GradNormTracker` that records every step's norm (pass
            one with ``per_parameter=True`` for per-parameter histories). Default: a new one.

    Returns:
        The :class:`~rnn_guide.history.History` of all epochs (including those before a resume).

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
    checked = _check_fit_arguments(locals())  # every argument, by name, before anything runs
    if seed is not None:
        seed_everything(seed)
    target_device = pick_device(device)
    model.to(target_device)
    loop = _Loop(
        model=model,
        train_data=train_data,
        valid_data=valid_data,
        loss_fn=loss_fn,
        optimizer=optimizer if optimizer is not None else torch.optim.Adam(model.parameters(), lr=1e-3),
        scheduler=scheduler,
        scheduler_interval=scheduler_interval,
        metrics=checked.metrics,
        device=target_device,
        to_device=batch_to_device or move_to_device,
        forward=forward_fn or default_forward,
        clipper=_StepClipper(
            clip,
            nonfinite=nonfinite,
            named=[(name, p) for name, p in model.named_parameters() if p.requires_grad],
            tracker=checked.grad_tracker,
        ),
        early_stopping=early_stopping,
        keep_best_weights=early_stopping is not None and restore_best,
        checkpoint_path=checked.checkpoint_path,
        config=checkpoint_config(model, config),
        history=History(metrics={name: [] for name in checked.metrics}),
        state=TrainingState(monitor=monitor, mode=mode),
    )
    path = checked.checkpoint_path
    done = _resume(loop, path, epochs) if resume and path is not None and path.exists() else 0
    remaining = 0 if loop.history.stopped_early else epochs - done
    total_steps = remaining * len(train_data) if hasattr(train_data, "__len__") else None
    bar = tqdm(total=total_steps, disable=not checked.show_progress, unit="step", file=sys.stderr, dynamic_ncols=True)
    try:
        for epoch in range(done + 1, done + remaining + 1):
            _set_epoch(train_data, epoch - 1)
            bar.set_description(f"epoch {epoch}/{epochs}", refresh=False)
            started, learning_rate = time.perf_counter(), float(loop.optimizer.param_groups[0]["lr"])
            first_step = len(checked.grad_tracker.history)
            train_loss, skipped = _train_epoch(loop, epoch, bar)
            monitored = {"train_loss": train_loss} | _validate(loop)
            grad_norms = list(checked.grad_tracker.history[first_step:])
            _record_history(loop.history, monitored, started, grad_norms, skipped, learning_rate)
            _track_best(loop, monitored, epoch)
            _step_scheduler(loop, monitored)
            loop.history.stopped_early = early_stopping is not None and loop.state.bad_epochs >= early_stopping
            _save_epoch_checkpoint(loop, epoch)
            bar.set_postfix({k: f"{v:.4g}" for k, v in monitored.items()}, refresh=False)
            if loop.history.stopped_early:
                break
    finally:
        bar.close()
    if loop.keep_best_weights and loop.state.best_weights is not None:
        model.load_state_dict(loop.state.best_weights)
    return loop.history


def _resume(loop: _Loop, path: Path, epochs: int) -> int:
    """Load ``fit``'s checkpoint into the loop's fresh objects (weights, optimizer, scheduler, history, best
    epoch, AutoClip, random number generators); return the number of epochs already done."""
    checkpoint = load_checkpoint(path, model=loop.model, optimizer=loop.optimizer, scheduler=loop.scheduler)
    state, history = checkpoint.training_state, checkpoint.history
    if state is None or history is None or checkpoint.rng_state is None:
        raise ValueError(f"{str(path)!r} was not written by fit(), so it cannot be resumed from")
    if checkpoint.epoch > epochs:
        raise ValueError(
            f"epochs must be at least the {checkpoint.epoch} epochs already done in {str(path)!r}, got {epochs}"
        )
    monitor, mode = loop.state.monitor, loop.state.mode
    if (state.monitor, state.mode) != (monitor, mode):
        raise ValueError(
            f"the checkpoint monitored {state.monitor!r} ({state.mode}), got monitor={monitor!r} "
            f"and mode={mode!r}; resume with the same settings"
        )
    if set(history.metrics) != set(loop.metrics):
        raise ValueError(
            f"the checkpoint's metrics are {sorted(history.metrics)}, got {sorted(loop.metrics)}; resume with the "
            "same metrics"
        )
    autoclip = loop.clipper.autoclip
    if (autoclip is None) != (state.autoclip_history is None):
        raise ValueError("resume with the same clip setting as the interrupted run (AutoClip or not)")
    if autoclip is not None and state.autoclip_history is not None:
        autoclip.history[:] = list(state.autoclip_history)
    loop.history, loop.state = history, state
    restore_rng_state(checkpoint.rng_state, loop.train_data, loop.valid_data)
    return checkpoint.epoch
