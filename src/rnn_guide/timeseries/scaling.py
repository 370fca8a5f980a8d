"""Per-channel scalers, fitted on training rows only, with exact inverse transforms.

``StandardScaler`` is the z-score of the ETTh1 protocol; ``LogScaler`` takes logarithms first, which
turns a multiplicative series (seasonal swings growing with the level, as in AirPassengers) into an
additive one. Both work on NumPy arrays and ``torch`` tensors alike, broadcasting over the last
dimension (channels), so model outputs of shape ``(N, H, C)`` can be inverted directly.
"""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np
import torch

from rnn_guide._validation import check_choice, check_number
from rnn_guide.timeseries.arrays import as_series_array

__all__ = ["IdentityScaler", "LogScaler", "Scaler", "StandardScaler", "make_scaler", "scaler_from_state"]

ArrayT = TypeVar("ArrayT", np.ndarray, torch.Tensor)


def _constant(values: np.ndarray, like: ArrayT) -> ArrayT:
    if isinstance(like, torch.Tensor):
        return torch.as_tensor(
            values, dtype=like.dtype if like.is_floating_point() else torch.float32, device=like.device
        )
    return values


def _as_float(data: Any) -> np.ndarray | torch.Tensor:
    if isinstance(data, torch.Tensor):
        return data if data.is_floating_point() else data.float()
    return np.asarray(data, dtype=np.float64)


class Scaler:
    """Base class: ``fit`` on training rows, then ``transform`` / ``inverse_transform`` anything.

    Data passed to ``transform`` and ``inverse_transform`` may have any shape ``(*, C)`` with the number
    of channels ``C`` seen in ``fit`` (or shape ``(*)`` for a scaler fitted on a 1-D series).
    """

    kind = "base"

    def __init__(self) -> None:
        self.n_channels: int | None = None

    def fit(self, data: Any) -> Scaler:
        """Learn the per-channel statistics of ``data`` ``(T,)`` or ``(T, C)``; returns ``self``."""
        values, _ = as_series_array(data, name="data")
        self.n_channels = values.shape[1]
        self._fit(values)
        return self

    def _fit(self, values: np.ndarray) -> None:
        raise NotImplementedError

    def _check(self, data: Any) -> np.ndarray | torch.Tensor:
        if self.n_channels is None:
            raise RuntimeError(f"{type(self).__name__} must be fitted before it is used; call fit(train_rows) first")
        data = _as_float(data)
        channels = data.shape[-1] if data.ndim else 0
        if data.ndim == 0 or (channels != self.n_channels and self.n_channels != 1):
            raise ValueError(
                f"data must have {self.n_channels} channel(s) in its last dimension, got shape {tuple(data.shape)}"
            )
        return data

    def transform(self, data: ArrayT) -> ArrayT:
        """Scale ``data`` ``(*, C)``; returns the same type (NumPy or torch) as given."""
        return self._transform(self._check(data))

    def inverse_transform(self, data: ArrayT) -> ArrayT:
        """Undo :meth:`transform` on ``data`` ``(*, C)``; returns the same type as given."""
        return self._inverse(self._check(data))

    def fit_transform(self, data: Any) -> np.ndarray:
        """``fit(data)`` then ``transform`` it."""
        values, was_1d = as_series_array(data, name="data")
        scaled = self.fit(values).transform(values)
        return scaled[:, 0] if was_1d else scaled

    def _transform(self, data: Any) -> Any:
        raise NotImplementedError

    def _inverse(self, data: Any) -> Any:
        raise NotImplementedError

    def state_dict(self) -> dict[str, Any]:
        """Plain data (lists and numbers) that :func:`scaler_from_state` turns back into this scaler."""
        return {"kind": self.kind, "n_channels": self.n_channels}

    def _load(self, state: dict[str, Any]) -> None:
        self.n_channels = state["n_channels"]


class IdentityScaler(Scaler):
    """A scaler that changes nothing (for series that are already on a good scale)."""

    kind = "none"

    def _fit(self, values: np.ndarray) -> None:
        pass

    def _transform(self, data: Any) -> Any:
        return data

    def _inverse(self, data: Any) -> Any:
        return data


class StandardScaler(Scaler):
    r"""Per-channel z-score :math:`z = (x - \mu) / \sigma` with :math:`\mu, \sigma` from the training rows.

    A constant channel (:math:`\sigma = 0`) gets :math:`\sigma = 1`, so it is shifted but never divided
    by zero. :math:`\sigma` is the population standard deviation (``ddof=0``), as in scikit-learn.

    Attributes:
        mean: ``(C,)`` channel means.
        scale: ``(C,)`` channel standard deviations (1 where a channel is constant).
    """

    kind = "standard"

    def _fit(self, values: np.ndarray) -> None:
        self.mean = values.mean(axis=0)
        std = values.std(axis=0)
        self.scale = np.where(std > 1e-12 * np.maximum(1.0, np.abs(self.mean)), std, 1.0)

    def _transform(self, data: Any) -> Any:
        return (data - _constant(self.mean, data)) / _constant(self.scale, data)

    def _inverse(self, data: Any) -> Any:
        return data * _constant(self.scale, data) + _constant(self.mean, data)

    def state_dict(self) -> dict[str, Any]:
        return {**super().state_dict(), "mean": self.mean.tolist(), "scale": self.scale.tolist()}

    def _load(self, state: dict[str, Any]) -> None:
        super()._load(state)
        self.mean = np.asarray(state["mean"], dtype=np.float64)
        self.scale = np.asarray(state["scale"], dtype=np.float64)


class LogScaler(Scaler):
    r"""Logarithm followed by a z-score: :math:`z = (\log(x + c) - \mu) / \sigma`.

    For strictly positive, multiplicative series. The inverse is :math:`\exp(z \sigma + \mu) - c`, so
    forecasts come back in the original units (it returns the median, not the mean, of a log-normal
    forecast; no bias adjustment is applied).

    Args:
        offset: the constant :math:`c` added before the logarithm (use it for series with zeros).
        standardize: if ``False``, only the logarithm is taken (:math:`\mu = 0, \sigma = 1`).

    Raises:
        ValueError: in ``fit`` or ``transform`` if some :math:`x + c \le 0`.
    """

    kind = "log"

    def __init__(self, *, offset: float = 0.0, standardize: bool = True) -> None:
        super().__init__()
        self.offset = check_number("offset", offset)
        self.standardize = bool(standardize)
        self._inner = StandardScaler() if self.standardize else IdentityScaler()

    def _log(self, data: Any) -> Any:
        shifted = data + self.offset
        if (shifted <= 0).any():
            raise ValueError(
                f"LogScaler needs values greater than {-self.offset} (offset={self.offset}), "
                f"got a minimum of "
                f"{float(shifted.min()) - self.offset}; use a positive offset or StandardScaler"
            )
        return torch.log(shifted) if isinstance(shifted, torch.Tensor) else np.log(shifted)

    def _fit(self, values: np.ndarray) -> None:
        self._inner.fit(self._log(values))

    def _transform(self, data: Any) -> Any:
        return self._inner.transform(self._log(data))

    def _inverse(self, data: Any) -> Any:
        logs = self._inner.inverse_transform(data)
        exp = torch.exp(logs) if isinstance(logs, torch.Tensor) else np.exp(logs)
        return exp - self.offset

    def state_dict(self) -> dict[str, Any]:
        return {
            **super().state_dict(),
            "offset": self.offset,
            "standardize": self.standardize,
            "inner": self._inner.state_dict(),
        }

    def _load(self, state: dict[str, Any]) -> None:
        super()._load(state)
        self._inner = scaler_from_state(state["inner"])


_SCALERS: dict[str, type[Scaler]] = {"none": IdentityScaler, "standard": StandardScaler, "log": LogScaler}


def make_scaler(kind: str | Scaler) -> Scaler:
    """A new, unfitted scaler: ``"standard"``, ``"log"`` or ``"none"`` (a :class:`Scaler` passes through)."""
    if isinstance(kind, Scaler):
        return kind
    if not isinstance(kind, str):
        raise TypeError(f"scaling must be a string or a Scaler, got {type(kind).__name__}")
    check_choice("scaling", kind, tuple(_SCALERS))
    return _SCALERS[kind]()


def scaler_from_state(state: dict[str, Any]) -> Scaler:
    """Rebuild a fitted scaler from :meth:`Scaler.state_dict`."""
    if not isinstance(state, dict) or state.get("kind") not in _SCALERS:
        raise ValueError(f"state must be a scaler state dict with kind in {sorted(_SCALERS)}, got {state!r}")
    cls = _SCALERS[state["kind"]]
    scaler = cls(offset=state["offset"], standardize=state["standardize"]) if cls is LogScaler else cls()
    scaler._load(state)
    return scaler
