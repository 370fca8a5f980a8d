"""What a training run measured: the :class:`History` that :func:`~rnn_guide.training.fit` returns.

One entry per completed epoch: losses, validation metrics, the gradient norm of every step, skipped steps,
learning rates and timings, plus the best epoch and whether early stopping ended the run. A
:class:`History` converts to and from a plain dict (:meth:`History.to_dict`, :meth:`History.from_dict`), the
form in which :mod:`rnn_guide.checkpoints` stores it. ``rnn_guide.training`` re-exports it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from rnn_guide._validation import describe

__all__ = ["History"]


@dataclass
class History:
    """What :func:`fit` measured, one entry per completed epoch.

    Epochs are numbered from 1: entry ``i`` of each list belongs to epoch ``i + 1``.

    Attributes:
        train_loss: mean training loss of each epoch (weighted by batch size, over the steps that were not
            skipped; ``nan`` if every step was skipped).
        valid_loss: mean validation loss after each epoch (empty without validation data).
        metrics: metric name -> value on the validation data after each epoch.
        grad_norms: for each epoch, the total gradient L2 norm of every step before clipping (``nan``/``inf``
            for a skipped step). With ``clip=max_norm`` a step was clipped iff its norm exceeds ``max_norm``
            (less the ``1e-6`` that ``clip_grad_norm_`` adds).
        skipped_steps: number of steps per epoch skipped because the gradient was not finite.
        learning_rates: learning rate of the first parameter group during each epoch.
        epoch_times: wall-clock seconds of each epoch (training and validation, without checkpointing).
        best_epoch: number (from 1) of the epoch with the best monitored value, or ``None`` if the monitored
            value is not available (e.g. ``"valid_loss"`` without validation data).
        stopped_early: ``True`` if early stopping ended the run before ``epochs``.
    """

    train_loss: list[float] = field(default_factory=list)
    valid_loss: list[float] = field(default_factory=list)
    metrics: dict[str, list[float]] = field(default_factory=dict)
    grad_norms: list[list[float]] = field(default_factory=list)
    skipped_steps: list[int] = field(default_factory=list)
    learning_rates: list[float] = field(default_factory=list)
    epoch_times: list[float] = field(default_factory=list)
    best_epoch: int | None = None
    stopped_early: bool = False

    @property
    def epochs(self) -> int:
        """Number of completed epochs."""
        return len(self.train_loss)

    def to_dict(self) -> dict[str, Any]:
        """A plain dict (lists, floats, ints), safe for ``torch.load(weights_only=True)`` and JSON."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> History:
        """Rebuild a :class:`History` from :meth:`to_dict`'s output."""
        if not isinstance(data, Mapping):
            raise TypeError(f"data must be a dict made by History.to_dict(), got {describe(data)}")
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValueError(f"data has keys that History does not know: {unknown}")
        return cls(**dict(data))
