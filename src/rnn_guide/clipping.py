r"""Gradient clipping and gradient monitoring for recurrent networks.

Recurrent networks multiply the same Jacobian into the gradient once per time step, so gradients can vanish or
explode. This module measures that and guards against it:

* :class:`GradNormTracker` records the gradient norm of every step (the data behind histograms and the
  choice of a clipping threshold).
* :func:`clip_grad_norm` clips the total norm with :func:`torch.nn.utils.clip_grad_norm_` and refuses to
  corrupt the weights when a gradient is ``nan`` or ``inf``.
* :class:`AutoClip` (Seetharaman et al., 2020) clips to a percentile of the norms seen so far.
* :func:`adaptive_clip_grad` (Brock et al., 2021) clips unit-wise relative to the weight norm.
* :func:`~rnn_guide.gradients.gradient_norms_through_time` measures
  :math:`\lVert \partial \ell / \partial h_t \rVert` for every time step of an ``nn.RNN``, ``nn.LSTM`` or
  ``nn.GRU`` (or their cells). It lives in :mod:`rnn_guide.gradients` and is re-exported here, so
  ``rnn_guide.clipping.gradient_norms_through_time`` works as well.

``parameters`` arguments accept what :func:`torch.nn.utils.clip_grad_norm_` accepts (a single tensor or an
iterable of tensors) and also an ``nn.Module``, an iterable of ``(name, tensor)`` pairs such as
``module.named_parameters()``, or a mapping from names to tensors. Names are used in error messages and as
keys of per-parameter histories; unnamed tensors are called ``parameters[i]`` by position.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, TypeAlias

import numpy as np
import torch
from torch import nn

from rnn_guide._validation import check_choice, check_number, describe
from rnn_guide.gradients import gradient_norms_through_time

__all__ = [
    "AutoClip",
    "ClipResult",
    "GradNormTracker",
    "NonFiniteGradientError",
    "adaptive_clip_grad",
    "clip_grad_norm",
    "gradient_norms_through_time",
]

Parameters: TypeAlias = "torch.Tensor | nn.Module | Iterable[torch.Tensor] | Iterable[tuple[str, torch.Tensor]] | Mapping[str, torch.Tensor]"  # noqa: E501

NONFINITE_CHOICES = ("raise", "skip")


class NonFiniteGradientError(FloatingPointError):
    """A gradient holds ``nan`` or ``inf`` (or its total norm overflows), so it cannot be clipped.

    Attributes:
        names: names of the parameters whose gradients hold non-finite values (empty when every element is
            finite and only the total norm overflowed).
        total_norm: the non-finite total gradient norm.
    """

    def __init__(self, message: str, names: list[str], total_norm: float) -> None:
        super().__init__(message)
        self.names = names
        self.total_norm = total_norm


class ClipResult(NamedTuple):
    """What :func:`clip_grad_norm` did.

    Attributes:
        total_norm: total gradient norm before clipping (``nan``/``inf`` when the step was skipped).
        clipped: ``True`` when the gradients were scaled down, i.e. ``max_norm / (total_norm + 1e-6) < 1``.
        skipped: ``True`` when a non-finite gradient was found with ``nonfinite="skip"`` and all gradients
            were set to zero; the training loop should then skip ``optimizer.step()``.
    """

    total_norm: float
    clipped: bool
    skipped: bool = False


# ----------------------------------------------------------------------------------------------------
# Parameter handling
# ----------------------------------------------------------------------------------------------------


def _named_tensors(parameters: Any, arg: str = "parameters") -> list[tuple[str, torch.Tensor]]:
    """Turn every accepted form of ``parameters`` into a list of ``(name, tensor)`` pairs."""
    if isinstance(parameters, nn.Module):
        return list(parameters.named_parameters())
    if isinstance(parameters, torch.Tensor):
        return [(f"{arg}[0]", parameters)]
    if isinstance(parameters, Mapping):
        items: Iterable[Any] = parameters.items()
    elif isinstance(parameters, (str, bytes)) or not isinstance(parameters, Iterable):
        raise TypeError(
            f"{arg} must be a tensor, an iterable of tensors or (name, tensor) pairs, or an nn.Module, "
            f"got {describe(parameters)}"
        )
    else:
        items = parameters
    named: list[tuple[str, torch.Tensor]] = []
    for index, item in enumerate(items):
        if isinstance(item, torch.Tensor):
            named.append((f"{arg}[{index}]", item))
        elif (
            isinstance(item, tuple)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], torch.Tensor)
        ):
            named.append(item)
        else:
            raise TypeError(
                f"{arg} must contain tensors or (name, tensor) pairs, got {describe(item)} at position {index}"
            )
    return named


def _check_norm_type(norm_type: Any) -> float:
    if isinstance(norm_type, bool) or not isinstance(norm_type, (int, float)):
        raise TypeError(f"norm_type must be a number >= 1 or inf, got {describe(norm_type)}")
    value = float(norm_type)
    if math.isnan(value) or value < 1:
        raise ValueError(f"norm_type must be a number >= 1 or inf, got {norm_type!r}")
    return value


def _tensor_norms(grads: list[torch.Tensor], norm_type: float) -> torch.Tensor:
    """The norm of each of ``grads`` (at least one), stacked into shape ``(len(grads),)`` on the first's device."""
    device = grads[0].device
    return torch.stack([torch.linalg.vector_norm(g.detach(), norm_type).to(device) for g in grads])


def _total_norm(grads: list[torch.Tensor], norm_type: float = 2.0) -> float:
    """Total norm of ``grads`` as one concatenated vector, computed like ``clip_grad_norm_`` does."""
    if not grads:
        return 0.0
    return float(torch.linalg.vector_norm(_tensor_norms(grads, norm_type), norm_type))


def _nonfinite_report(named: list[tuple[str, torch.Tensor]]) -> tuple[list[str], str]:
    """Names of parameters with non-finite gradients and a readable description of each."""
    names, parts = [], []
    for name, p in named:
        if p.grad is None:
            continue
        g = p.grad.detach()
        n_nan = int(torch.isnan(g).sum())
        n_inf = int(torch.isinf(g).sum())
        if n_nan or n_inf:
            names.append(name)
            parts.append(f"{name} ({n_nan} nan, {n_inf} inf of {g.numel()} values)")
    return names, "; ".join(parts)


def _handle_nonfinite(named: list[tuple[str, torch.Tensor]], total: float, nonfinite: str) -> ClipResult:
    """Raise :class:`NonFiniteGradientError` or zero all gradients, depending on ``nonfinite``."""
    names, report = _nonfinite_report(named)
    if nonfinite == "raise":
        where = (
            f"non-finite values in {report}" if names else "every gradient is finite but their total norm overflowed"
        )
        raise NonFiniteGradientError(
            f"the total gradient norm is {total}: {where}. The gradients were left unchanged; "
            "use nonfinite='skip' to zero them and skip this optimizer step",
            names,
            total,
        )
    for _, p in named:
        if p.grad is not None:
            p.grad.detach().zero_()
    return ClipResult(total_norm=total, clipped=False, skipped=True)


# ----------------------------------------------------------------------------------------------------
# Monitoring
# ----------------------------------------------------------------------------------------------------


class GradNormTracker:
    """Record the gradient norm of every training step.

    Call :meth:`record` after ``loss.backward()`` (and before clipping, to see the raw norms). The history
    feeds histograms, the choice of a clipping threshold (:meth:`suggest_max_norm`) and the training report.
    Nothing is plotted here.

    Args:
        per_parameter: also record the norm of each parameter's gradient in :attr:`per_parameter_history`.
        norm_type: order of the norm, ``>= 1`` or ``inf`` (``2.0``, the Euclidean norm, is what
            ``clip_grad_norm_`` uses by default).

    Attributes:
        history: total gradient norm of every recorded step (``nan``/``inf`` are kept as recorded).
        per_parameter_history: parameter name -> norm of its gradient at every recorded step. Every list has
            the same length as :attr:`history`; a step at which the parameter had no gradient (or was not yet
            seen) holds ``nan``, which plotting libraries draw as a gap.

    Example (inside a training loop)::

        tracker = GradNormTracker(per_parameter=True)
        for x, y in loader:
            optimizer.zero_grad()
            loss_fn(model(x), y).backward()
            tracker.record(model)
            optimizer.step()
        max_norm = tracker.suggest_max_norm(percentile=90)
    """

    def __init__(self, per_parameter: bool = False, *, norm_type: float = 2.0) -> None:
        if not isinstance(per_parameter, bool):
            raise TypeError(f"per_parameter must be a bool, got {describe(per_parameter)}")
        self.per_parameter = per_parameter
        self.norm_type = _check_norm_type(norm_type)
        self.history: list[float] = []
        self.per_parameter_history: dict[str, list[float]] = {}

    def record(self, parameters: Parameters) -> float:
        """Record the total gradient norm of ``parameters`` (and per-parameter norms if enabled).

        Args:
            parameters: an ``nn.Module``, ``module.named_parameters()``, a mapping, a tensor or an iterable of
                tensors. Tensors without a gradient are ignored, as in ``clip_grad_norm_``.

        Returns:
            The total gradient norm of this step.
        """
        named = _named_tensors(parameters)
        with_grad = [(name, p.grad.detach()) for name, p in named if p.grad is not None]
        if not self.per_parameter:
            # A norm per tensor, the norm of those, and one transfer to the host.
            total = _total_norm([g for _, g in with_grad], self.norm_type)
            self.history.append(total)
            return total
        total, per_param = 0.0, {}
        if with_grad:
            # The same per-tensor norms give the total and each parameter's norm, in one transfer too.
            norms = _tensor_norms([g for _, g in with_grad], self.norm_type)
            total_norm = torch.linalg.vector_norm(norms, self.norm_type)
            total, *tensor_norms = torch.cat([total_norm.reshape(1), norms]).tolist()
            per_param = {name: norm for (name, _), norm in zip(with_grad, tensor_norms, strict=True)}
        steps = len(self.history)
        for name in per_param:
            self.per_parameter_history.setdefault(name, [math.nan] * steps)
        for name, values in self.per_parameter_history.items():
            values.append(per_param.get(name, math.nan))
        self.history.append(total)
        return total

    def _finite(self) -> np.ndarray:
        values = np.asarray(self.history, dtype=np.float64)
        values = values[np.isfinite(values)]
        if values.size == 0:
            raise RuntimeError(
                "GradNormTracker has no finite gradient norms recorded yet; call record() after backward()"
            )
        return values

    def percentile(self, q: float) -> float:
        """The ``q``-th percentile of the finite recorded norms (linear interpolation, like ``numpy``).

        Args:
            q: percentile in ``[0, 100]``.

        Raises:
            ValueError: if ``q`` is outside ``[0, 100]``.
            RuntimeError: if no finite norm has been recorded yet.
        """
        q = check_number("q", q, low=0.0, high=100.0)
        return float(np.percentile(self._finite(), q))

    def summary(self) -> dict[str, float]:
        """Summary of the recorded norms.

        Returns:
            ``{"min", "median", "p90", "max"}`` over the finite norms, plus ``"steps"`` (number of recorded
            steps) and ``"nonfinite_steps"`` (steps whose norm was ``nan`` or ``inf``).
        """
        values = self._finite()
        return {
            "min": float(values.min()),
            "median": float(np.percentile(values, 50.0)),
            "p90": float(np.percentile(values, 90.0)),
            "max": float(values.max()),
            "steps": len(self.history),
            "nonfinite_steps": len(self.history) - int(values.size),
        }

    def suggest_max_norm(self, percentile: float = 90.0) -> float:
        """A clipping threshold: the given percentile of the finite recorded norms.

        A heuristic: with ``percentile=90`` roughly the largest 10 % of the steps seen so far would have been
        clipped. Record some steps without clipping first.
        """
        percentile = check_number("percentile", percentile, low=0.0, high=100.0)
        return float(np.percentile(self._finite(), percentile))

    def reset(self) -> None:
        """Forget every recorded step."""
        self.history.clear()
        self.per_parameter_history.clear()

    def __len__(self) -> int:
        return len(self.history)

    def __repr__(self) -> str:
        return f"GradNormTracker(per_parameter={self.per_parameter}, steps={len(self.history)})"


# ----------------------------------------------------------------------------------------------------
# Clipping
# ----------------------------------------------------------------------------------------------------


def clip_grad_norm(
    parameters: Parameters,
    max_norm: float,
    *,
    norm_type: float = 2.0,
    nonfinite: str = "raise",
) -> ClipResult:
    r"""Clip the total gradient norm in place with ``clip_grad_norm_``, refusing ``nan`` and ``inf``.

    The gradients are treated as one concatenated vector :math:`g` and scaled by
    :math:`\min\bigl(1, \text{max\_norm} / (\lVert g \rVert + 10^{-6})\bigr)`, exactly as PyTorch does.

    Args:
        parameters: tensors whose ``.grad`` to clip: an ``nn.Module``, ``module.named_parameters()``, a
            mapping, a tensor or an iterable of tensors. Tensors without a gradient are ignored.
        max_norm: the largest allowed total norm, ``> 0``.
        norm_type: order of the norm, ``>= 1`` or ``inf``.
        nonfinite: what to do when a gradient holds ``nan``/``inf`` (or the total norm overflows):
            ``"raise"`` raises :class:`NonFiniteGradientError` and leaves the gradients untouched;
            ``"skip"`` sets every gradient to zero and returns ``skipped=True``. Zero gradients make a plain
            SGD step a no-op, but momentum, weight decay and Adam's running averages still change the weights,
            so the training loop should not call ``optimizer.step()`` when ``skipped`` is ``True``.

    Returns:
        :class:`ClipResult` with the pre-clip total norm, whether the gradients were scaled down and whether
        the step was skipped.

    Raises:
        NonFiniteGradientError: (a ``FloatingPointError``) with ``nonfinite="raise"``; its message names the
            parameters holding ``nan``/``inf``.
        ValueError: if ``max_norm <= 0``, ``norm_type < 1`` or ``nonfinite`` is not ``"raise"``/``"skip"``.
        TypeError: if ``parameters`` is not one of the accepted forms.

    Example (inside a training loop)::

        loss.backward()
        result = clip_grad_norm(model, max_norm=1.0, nonfinite="skip")
        if not result.skipped:
            optimizer.step()
    """
    max_norm = check_number("max_norm", max_norm, low=0.0, low_inclusive=False)
    norm_type = _check_norm_type(norm_type)
    check_choice("nonfinite", nonfinite, NONFINITE_CHOICES)
    named = _named_tensors(parameters)
    tensors = [p for _, p in named]
    try:
        total = float(torch.nn.utils.clip_grad_norm_(tensors, max_norm, norm_type=norm_type, error_if_nonfinite=True))
    except RuntimeError:
        # clip_grad_norm_ raises before it touches any gradient; make sure that is why it raised.
        total = _total_norm([p.grad for p in tensors if p.grad is not None], norm_type)
        if math.isfinite(total):
            raise
        return _handle_nonfinite(named, total, nonfinite)
    clipped = max_norm / (total + 1e-6) < 1.0
    return ClipResult(total_norm=total, clipped=clipped, skipped=False)


class AutoClip:
    r"""Clip to a percentile of all gradient norms seen so far (AutoClip, Seetharaman et al., 2020).

    At step :math:`k` with total norm :math:`n_k`, the gradients are clipped to
    :math:`\text{max\_norm}_k = \operatorname{percentile}_p(n_1, \dots, n_k)`, the current norm included, with
    linear interpolation as in ``numpy.percentile``. The threshold adapts to the scale of the gradients, so no
    absolute threshold has to be chosen.

    Args:
        percentile: :math:`p`, in ``[0, 100]``. The paper recommends ``10``.
        nonfinite: ``"raise"`` (raise :class:`NonFiniteGradientError`, gradients untouched) or ``"skip"``
            (zero all gradients) when the norm is ``nan``/``inf``. A non-finite norm is never added to
            :attr:`history`, so one bad step cannot poison every later threshold.

    Attributes:
        history: the finite total norms seen so far, before clipping.

    Example (inside a training loop)::

        autoclip = AutoClip(percentile=10.0)  # once, before the loop
        loss.backward()
        pre_clip_norm = autoclip(model.parameters())
        optimizer.step()
    """

    def __init__(self, percentile: float = 10.0, *, nonfinite: str = "raise") -> None:
        self.percentile = check_number("percentile", percentile, low=0.0, high=100.0)
        check_choice("nonfinite", nonfinite, NONFINITE_CHOICES)
        self.nonfinite = nonfinite
        self.history: list[float] = []

    def __call__(self, parameters: Parameters) -> float:
        """Record the total norm of ``parameters``' gradients and clip them in place.

        Returns:
            The total gradient norm before clipping.
        """
        named = _named_tensors(parameters)
        grads = [p.grad for _, p in named if p.grad is not None]
        total = _total_norm(grads)
        if not math.isfinite(total):
            _handle_nonfinite(named, total, self.nonfinite)
            return total
        self.history.append(total)
        max_norm = float(np.percentile(np.asarray(self.history, dtype=np.float64), self.percentile))
        coef = max_norm / (total + 1e-6)  # the same scale as torch.nn.utils.clip_grad_norm_
        if coef < 1.0:
            for g in grads:
                g.detach().mul_(coef)
        return total

    def reset(self) -> None:
        """Forget the recorded norms."""
        self.history.clear()

    def __len__(self) -> int:
        return len(self.history)

    def __repr__(self) -> str:
        return f"AutoClip(percentile={self.percentile}, steps={len(self.history)})"


def _unitwise_norm(x: torch.Tensor) -> torch.Tensor:
    """L2 norm per unit: over all dimensions but the first; a 0-D or 1-D tensor is a single unit."""
    if x.dim() <= 1:
        return torch.linalg.vector_norm(x)
    return torch.linalg.vector_norm(x, dim=tuple(range(1, x.dim())), keepdim=True)


def adaptive_clip_grad(parameters: Parameters, clipping: float = 0.01, eps: float = 1e-3) -> None:
    r"""Unit-wise adaptive gradient clipping (AGC, Brock et al., 2021), in place.

    For a weight of shape ``(H_out, ...)`` each row ``i`` is a unit (for ``weight_hh_l0`` of shape
    ``(G*H_out, H_out)``, the incoming weights of one gate unit); a 0-D or 1-D tensor (a bias) is one unit.
    With :math:`\lVert\cdot\rVert` the Euclidean norm over the unit,

    .. math::
        G_i \leftarrow
        \begin{cases}
            \lambda \dfrac{\max(\lVert W_i \rVert, \epsilon)}{\lVert G_i \rVert} G_i
                & \text{if } \lVert G_i \rVert > \lambda \max(\lVert W_i \rVert, \epsilon) \\
            G_i & \text{otherwise}
        \end{cases}

    Non-finite gradients are not checked here; :func:`clip_grad_norm` and :class:`GradNormTracker` do.

    Args:
        parameters: tensors whose ``.grad`` to clip (same forms as :func:`clip_grad_norm`).
        clipping: :math:`\lambda`, the largest allowed ratio of gradient norm to weight norm, ``> 0``.
        eps: :math:`\epsilon`, the smallest weight norm used, so that units initialised at zero can still
            move, ``> 0``.

    Raises:
        ValueError: if ``clipping <= 0`` or ``eps <= 0``.
    """
    clipping = check_number("clipping", clipping, low=0.0, low_inclusive=False)
    eps = check_number("eps", eps, low=0.0, low_inclusive=False)
    for _, p in _named_tensors(parameters):
        if p.grad is None:
            continue
        g = p.grad.detach()
        max_norm = _unitwise_norm(p.detach()).clamp(min=eps) * clipping
        grad_norm = _unitwise_norm(g)
        scale = torch.where(grad_norm > max_norm, max_norm / grad_norm.clamp(min=1e-12), torch.ones_like(max_norm))
        g.mul_(scale)
