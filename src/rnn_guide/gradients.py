r"""How gradients vanish or explode through time in a recurrent network.

Backpropagation through time multiplies the same step Jacobian into the gradient once per time step:
:math:`\partial \ell/\partial h_t = \partial \ell/\partial h_T \prod_{k=t+1}^{T} \partial h_k/\partial h_{k-1}`.
:func:`gradient_norms_through_time` measures :math:`\lVert \partial \ell / \partial h_t \rVert` for every time
step of an ``nn.RNN``, ``nn.LSTM`` or ``nn.GRU`` (or their cells): the data behind the
vanishing/exploding-gradient figures. :func:`saved_tensor_bytes` measures what backpropagation through time
costs in memory: the bytes that autograd keeps for the backward pass. Guarding against exploding gradients
while training (clipping, monitoring the norm of every step) is :mod:`rnn_guide.clipping`'s job, which
re-exports :func:`gradient_norms_through_time`.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from rnn_guide._validation import RECURRENT_MODULES, check_choice, check_int, check_module, check_tensor

__all__ = ["gradient_norms_through_time", "saved_tensor_bytes"]

LOSS_CHOICES = ("last", "last_mse")


def gradient_norms_through_time(
    module: nn.Module,
    seq_len: int,
    *,
    batch_size: int = 8,
    input: torch.Tensor | None = None,
    seed: int = 0,
    loss: str = "last",
) -> torch.Tensor:
    r"""Norm of the gradient of a loss on the last hidden state with respect to every hidden state.

    Returns :math:`\lVert \partial \ell/\partial h_t \rVert` for :math:`t = 0, \dots, T` with :math:`T = L - 1`,
    the data behind the vanishing/exploding-gradient figures. By the chain rule
    :math:`\partial \ell/\partial h_t = \partial \ell/\partial h_T \prod_{k=t+1}^{T} \partial h_k/\partial h_{k-1}`,
    so the norm shrinks or grows geometrically going back in time when the step Jacobians are small or large.

    The module is run one time step at a time, carrying its state, with its own parameters; the top layer's
    :math:`h_t` of each step is the node that feeds the next step, and
    ``torch.autograd.grad`` gives :math:`\partial \ell/\partial h_t` for every :math:`t` at once (no ``.grad`` of
    the module is touched). For an LSTM only :math:`h_t` is measured, not the cell state :math:`c_t`.

    Dropout is disabled while measuring (the module is put in eval mode and restored afterwards) and cuDNN is
    switched off for the call, so the result is deterministic for a given ``seed``.

    Args:
        module: an ``nn.RNN``, ``nn.LSTM`` or ``nn.GRU`` (unidirectional, any ``num_layers``, ``batch_first``
            honoured; the top layer is measured) or an ``nn.RNNCell``, ``nn.LSTMCell`` or ``nn.GRUCell``.
        seq_len: :math:`L`, the number of time steps, ``>= 1``.
        batch_size: :math:`N`, used when ``input`` is not given.
        input: optional input of shape ``(L, N, H_in)`` (``(N, L, H_in)`` if ``batch_first``) or unbatched
            ``(L, H_in)``. By default a standard normal input drawn from ``seed``.
        seed: seeds a private generator for the input and the target; the global RNG is not touched.
        loss: ``"last"``: :math:`\ell = \sum h_T` (so :math:`\partial \ell/\partial h_T` is all ones), or
            ``"last_mse"``: :math:`L = \operatorname{mean}((h_T - y)^2)` with a standard normal target
            :math:`y` drawn from ``seed``. The initial state is zero.

    Returns:
        A CPU tensor of shape ``(L,)``; entry ``t`` is the Frobenius norm of :math:`\partial \ell/\partial h_t`
        of shape ``(N, H_out)`` over the whole batch.

    Raises:
        TypeError: if ``module`` is not a recurrent layer or cell, or ``input`` is not a tensor.
        ValueError: if the module is bidirectional (the backward direction's :math:`h_t` depends on later
            inputs, so there is no single chain back in time), ``seq_len < 1``, ``batch_size < 1``, ``loss``
            is unknown, or ``input`` has the wrong shape.
    """
    check_module("module", module, RECURRENT_MODULES)
    seq_len = check_int("seq_len", seq_len, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    check_choice("loss", loss, LOSS_CHOICES)
    is_cell = isinstance(module, (nn.RNNCell, nn.LSTMCell, nn.GRUCell))
    if not is_cell and module.bidirectional:
        raise ValueError(
            "module must be unidirectional for gradient_norms_through_time, "
            f"got a bidirectional {type(module).__name__}"
        )
    weight = module.weight_ih if is_cell else module.weight_ih_l0
    device, dtype = weight.device, weight.dtype
    batch_first = (not is_cell) and module.batch_first
    generator = torch.Generator().manual_seed(seed)

    if input is None:
        x = torch.randn(seq_len, batch_size, module.input_size, generator=generator, dtype=dtype)
    else:
        check_tensor("input", input, ndim=(2, 3))
        x = input.detach().to(dtype=dtype, device="cpu")
        if x.dim() == 2:
            x = x.unsqueeze(1)
        elif batch_first:
            x = x.transpose(0, 1)
        if x.shape[0] != seq_len or x.shape[2] != module.input_size:
            layout = "(N, L, H_in)" if batch_first else "(L, N, H_in)"
            raise ValueError(
                f"input must have shape {layout} or (L, H_in) with L = seq_len = {seq_len} and "
                f"H_in = module.input_size = {module.input_size}, got shape {tuple(input.shape)}"
            )
    x = x.to(device)  # (L, N, H_in)
    n = x.shape[1]
    is_lstm = isinstance(module, (nn.LSTM, nn.LSTMCell))
    h_size = module.proj_size if isinstance(module, nn.LSTM) and module.proj_size > 0 else module.hidden_size
    target = torch.randn(n, h_size, generator=generator, dtype=dtype).to(device)

    was_training = module.training
    module.eval()
    try:
        with torch.enable_grad(), torch.backends.cudnn.flags(enabled=False):
            hidden = _unroll(module, x, is_cell=is_cell, is_lstm=is_lstm, batch_first=batch_first, h_size=h_size)
            h_last = hidden[-1]
            objective = h_last.sum() if loss == "last" else (h_last - target).pow(2).mean()
            grads = torch.autograd.grad(objective, hidden)
    finally:
        module.train(was_training)
    return torch.stack([torch.linalg.vector_norm(g) for g in grads]).detach().cpu()


def _unroll(
    module: nn.Module, x: torch.Tensor, *, is_cell: bool, is_lstm: bool, batch_first: bool, h_size: int
) -> list[torch.Tensor]:
    """Run ``module`` over ``x`` of shape ``(L, N, H_in)`` one step at a time; return the top layer's h_t.

    Each returned h_t, of shape ``(N, H_out)``, is the tensor that the next step's state is built from.
    """
    n = x.shape[1]
    layers = 1 if is_cell else module.num_layers
    # A zero initial state that requires grad, so the graph exists even if every parameter is frozen.
    h = torch.zeros(layers, n, h_size, dtype=x.dtype, device=x.device, requires_grad=True)
    c = torch.zeros(layers, n, module.hidden_size, dtype=x.dtype, device=x.device) if is_lstm else None
    hidden: list[torch.Tensor] = []
    for t in range(x.shape[0]):
        if is_cell:
            if is_lstm:
                h_t, c_t = module(x[t], (h[0], c[0]))
                c = c_t.unsqueeze(0)
            else:
                h_t = module(x[t], h[0])
            h = h_t.unsqueeze(0)
        else:
            step = x[t : t + 1].transpose(0, 1) if batch_first else x[t : t + 1]
            if is_lstm:
                _, (h_n, c) = module(step, (h, c))
            else:
                _, h_n = module(step, h)
            h_t = h_n[-1]
            h = torch.cat([h_n[:-1], h_t.unsqueeze(0)], dim=0)
        hidden.append(h_t)
    return hidden


def saved_tensor_bytes(run: Callable[[], object]) -> int:
    """Bytes of the distinct storages that autograd saves for the backward pass while ``run()`` builds its graph.

    ``run`` is called once inside ``torch.autograd.graph.saved_tensors_hooks``; every tensor that an operation
    saves for backward passes through the hook, and the sizes of their distinct storages are summed (a storage
    saved by several operations counts once). Nothing is copied and no backward pass runs. This is the memory
    that full backpropagation through time holds on to, and that truncated BPTT bounds: it grows linearly with
    the number of time steps in the graph.

    Args:
        run: a function of no arguments that runs the forward pass, e.g. ``lambda: lstm(x)[0].sum()``.

    Returns:
        The number of bytes, an ``int`` (0 when nothing requires grad).
    """
    if not callable(run):
        raise TypeError(f"run must be a function of no arguments, got {type(run).__name__}")
    storages: dict[tuple[str, int], int] = {}

    def pack(tensor: torch.Tensor) -> torch.Tensor:
        storage = tensor.untyped_storage()
        storages[(str(tensor.device), storage.data_ptr())] = storage.nbytes()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        run()
    return sum(storages.values())
