"""Input validation shared by the public API.

Every error names the argument, what was expected and what was given, in the style of
scikit-learn's validation helpers::

    ValueError: hidden_size must be a positive integer, got -3
"""

from __future__ import annotations

import numbers
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal, overload

import numpy as np
import torch
from torch import nn

RECURRENT_LAYERS: tuple[type[nn.Module], ...] = (nn.RNN, nn.LSTM, nn.GRU)
RECURRENT_CELLS: tuple[type[nn.Module], ...] = (nn.RNNCell, nn.LSTMCell, nn.GRUCell)
RECURRENT_MODULES: tuple[type[nn.Module], ...] = RECURRENT_LAYERS + RECURRENT_CELLS


def _type_names(types: Iterable[type]) -> str:
    names = [f"{t.__module__.replace('torch.nn.modules.rnn', 'nn')}.{t.__name__}" for t in types]
    names = [n.replace("torch.nn.modules.rnn.", "nn.") for n in names]
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0]


def describe(value: Any) -> str:
    """A short description of ``value`` for error messages (type, and shape for tensors)."""
    if isinstance(value, torch.Tensor):
        return f"a tensor of shape {tuple(value.shape)} and dtype {value.dtype}"
    if isinstance(value, nn.Module):
        return f"{type(value).__name__}"
    return f"{value!r} ({type(value).__name__})"


def check_module(name: str, module: Any, allowed: tuple[type[nn.Module], ...] = RECURRENT_MODULES) -> None:
    """Raise ``TypeError`` unless ``module`` is an instance of one of ``allowed``."""
    if not isinstance(module, allowed):
        raise TypeError(f"{name} must be an instance of {_type_names(allowed)}, got {describe(module)}")


def _is_bool(value: Any) -> bool:
    return isinstance(value, (bool, np.bool_))


@overload
def check_int(name: str, value: Any, *, minimum: int | None = None, allow_none: Literal[False] = False) -> int: ...


@overload
def check_int(name: str, value: Any, *, minimum: int | None = None, allow_none: bool) -> int | None: ...


def check_int(name: str, value: Any, *, minimum: int | None = None, allow_none: bool = False) -> int | None:
    """Raise unless ``value`` is an integer (any ``numbers.Integral``, NumPy's included; not a bool) that is at
    least ``minimum``; return it as a Python ``int`` (``None`` stays ``None`` with ``allow_none``)."""
    if value is None and allow_none:
        return None
    if _is_bool(value) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {describe(value)}")
    value = int(value)
    if minimum is not None and value < minimum:
        kind = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise ValueError(f"{name} must be {kind}, got {value}")
    return value


def check_number(
    name: str,
    value: Any,
    *,
    low: float | None = None,
    high: float | None = None,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> float:
    """Raise unless ``value`` is a real, finite number (any ``numbers.Real``, NumPy's included; not a bool)
    inside the given interval; return it as ``float``."""
    if _is_bool(value) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {describe(value)}")
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{name} must be a finite number, got {value}")
    too_low = low is not None and (value < low if low_inclusive else value <= low)
    too_high = high is not None and (value > high if high_inclusive else value >= high)
    if too_low or too_high:
        left = "[" if low_inclusive else "("
        right = "]" if high_inclusive else ")"
        interval = f"{left}{'-inf' if low is None else low}, {'inf' if high is None else high}{right}"
        raise ValueError(f"{name} must lie in {interval}, got {value}")
    return value


def check_choice(name: str, value: Any, choices: Iterable[Any]) -> None:
    """Raise ``ValueError`` unless ``value`` is one of ``choices``."""
    choices = tuple(choices)
    if value not in choices:
        options = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {options}, got {value!r}")


def check_tensor(name: str, value: Any, *, ndim: int | tuple[int, ...] | None = None) -> None:
    """Raise unless ``value`` is a ``torch.Tensor`` with one of the allowed numbers of dimensions."""
    if not isinstance(value, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {describe(value)}")
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if value.dim() not in allowed:
            wanted = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {wanted}, got {value.dim()}-D tensor of shape {tuple(value.shape)}")


def check_path(name: str, value: Any) -> Path:
    """Raise ``TypeError`` unless ``value`` is a file path (``str`` or ``os.PathLike``); return it as a ``Path``."""
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name} must be a file path, got {describe(value)}")
    return Path(value)
