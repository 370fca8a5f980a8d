"""The recurrent equations as plain tensor code, checked against PyTorch's own modules.

One small function per cell equation (:func:`rnn_cell`, :func:`lstm_cell`, :func:`gru_cell`, and
:func:`gru_cell_original` for the Cho et al. 2014 variant of the GRU), and :func:`forward`, which recomputes
what ``nn.RNN``, ``nn.LSTM``, ``nn.GRU``, ``nn.RNNCell``, ``nn.LSTMCell`` or ``nn.GRUCell`` returns, from the
module's own parameters, with an explicit loop over time steps.

:func:`forward` evaluates the module as it does in ``eval()`` mode. Dropout between stacked layers is left
out on purpose: in training mode it multiplies each layer's output by a freshly drawn random mask, so no
deterministic recomputation can reproduce it. A module in training mode that would apply dropout
(``dropout > 0`` and ``num_layers > 1``) is refused with a ``ValueError``: call ``module.eval()`` first.

:func:`gate_activations` runs the same loop over a one-layer ``nn.LSTM`` or ``nn.GRU`` and returns the value of
every gate at every time step, the data behind the gate figures of the layer pages.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import Tensor, nn
from torch.nn.utils.rnn import PackedSequence

from rnn_guide._validation import (
    RECURRENT_CELLS,
    RECURRENT_LAYERS,
    check_choice,
    check_module,
    check_tensor,
    describe,
)

__all__ = ["forward", "gate_activations", "gru_cell", "gru_cell_original", "lstm_cell", "rnn_cell"]

State = Tensor | tuple[Tensor, Tensor]
"""A hidden state ``h``, or ``(h, c)`` for an LSTM."""


def _linear(x: Tensor, weight: Tensor, bias: Tensor | None) -> Tensor:
    """``W x + b`` for a batch of row vectors ``x`` (``b`` left out when ``bias`` is ``None``)."""
    return x @ weight.T if bias is None else x @ weight.T + bias


def _check_cell_args(x: Tensor, h: Tensor, w_ih: Tensor, w_hh: Tensor, gates: int) -> None:
    for name, value in (("x", x), ("h", h), ("w_ih", w_ih), ("w_hh", w_hh)):
        check_tensor(name, value, ndim=(1, 2) if name in ("x", "h") else 2)
    if x.shape[-1] != w_ih.shape[1]:
        raise ValueError(f"x must have w_ih.shape[1] = {w_ih.shape[1]} features, got {x.shape[-1]}")
    if h.shape[-1] != w_hh.shape[1]:
        raise ValueError(f"h must have w_hh.shape[1] = {w_hh.shape[1]} features, got {h.shape[-1]}")
    if x.shape[:-1] != h.shape[:-1]:
        raise ValueError(f"x and h must have the same batch shape, got {tuple(x.shape)} and {tuple(h.shape)}")
    if w_ih.shape[0] != w_hh.shape[0] or w_ih.shape[0] % gates:
        rows = f"{w_ih.shape[0]} and {w_hh.shape[0]}"
        raise ValueError(f"w_ih and w_hh must both have {gates} * hidden_size rows, got {rows}")


def rnn_cell(
    x: Tensor, h: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None, b_hh: Tensor | None,
    nonlinearity: str = "tanh",
) -> Tensor:  # fmt: skip
    """One step of the Elman RNN::

        h' = tanh(W_ih x + b_ih + W_hh h + b_hh)      (relu instead of tanh if nonlinearity="relu")

    Args:
        x: input, shape (N, H_in) or (H_in).
        h: hidden state, shape (N, H_out) or (H_out).
        w_ih: input-hidden weight, shape (H_out, H_in).
        w_hh: hidden-hidden weight, shape (H_out, H_out).
        b_ih: input-hidden bias, shape (H_out), or ``None`` for a module built with ``bias=False``.
        b_hh: hidden-hidden bias, shape (H_out), or ``None``.
        nonlinearity: ``"tanh"`` or ``"relu"``.

    Returns:
        The next hidden state h', shape (N, H_out) or (H_out).

    Raises:
        ValueError: if ``nonlinearity`` is unknown or the shapes do not fit together.
        TypeError: if an argument is not a tensor.
    """
    check_choice("nonlinearity", nonlinearity, ("tanh", "relu"))
    _check_cell_args(x, h, w_ih, w_hh, gates=1)
    activation = torch.tanh if nonlinearity == "tanh" else torch.relu
    return activation(_linear(x, w_ih, b_ih) + _linear(h, w_hh, b_hh))


def lstm_cell(
    x: Tensor, h: Tensor, c: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None, b_hh: Tensor | None,
    w_hr: Tensor | None = None,
) -> tuple[Tensor, Tensor]:  # fmt: skip
    """One step of the LSTM (gates stacked in PyTorch's order i, f, g, o)::

        i = sigmoid(W_ii x + b_ii + W_hi h + b_hi)      input gate
        f = sigmoid(W_if x + b_if + W_hf h + b_hf)      forget gate
        g = tanh(W_ig x + b_ig + W_hg h + b_hg)         candidate cell state
        o = sigmoid(W_io x + b_io + W_ho h + b_ho)      output gate
        c' = f * c + i * g
        h' = o * tanh(c')                               (h' = W_hr (o * tanh(c')) with a projection)

    Args:
        x: input, shape (N, H_in) or (H_in).
        h: hidden state, shape (N, H_out) or (H_out); H_out = proj_size with a projection, else H_cell.
        c: cell state, shape (N, H_cell) or (H_cell).
        w_ih: stacked input-hidden gate weights (i, f, g, o), shape (4*H_cell, H_in).
        w_hh: stacked hidden-hidden gate weights, shape (4*H_cell, H_out).
        b_ih: stacked input-hidden gate biases, shape (4*H_cell), or ``None``.
        b_hh: stacked hidden-hidden gate biases, shape (4*H_cell), or ``None``.
        w_hr: projection weight, shape (proj_size, H_cell), or ``None`` (no projection).

    Returns:
        ``(h', c')`` with the shapes of ``h`` and ``c``.

    Raises:
        ValueError: if the shapes do not fit together.
        TypeError: if an argument is not a tensor.
    """
    _check_cell_args(x, h, w_ih, w_hh, gates=4)
    check_tensor("c", c)
    if c.shape != (*h.shape[:-1], w_hh.shape[0] // 4):
        raise ValueError(f"c must have shape {(*h.shape[:-1], w_hh.shape[0] // 4)}, got {tuple(c.shape)}")
    gates = _linear(x, w_ih, b_ih) + _linear(h, w_hh, b_hh)
    i, f, g, o = gates.chunk(4, dim=-1)
    c_next = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
    h_next = torch.sigmoid(o) * torch.tanh(c_next)
    if w_hr is not None:
        h_next = h_next @ w_hr.T
    return h_next, c_next


def gru_cell(x: Tensor, h: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None, b_hh: Tensor | None) -> Tensor:
    """One step of the GRU as PyTorch computes it (gates in order r, z, n)::

        r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)      reset gate
        z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)      update gate
        n = tanh(W_in x + b_in + r * (W_hn h + b_hn))   candidate state
        h' = (1 - z) * n + z * h

    The reset gate multiplies ``W_hn h + b_hn``; see :func:`gru_cell_original` for the variant of Cho et al.
    (2014), where it multiplies ``h`` before the matrix product.

    Args:
        x: input, shape (N, H_in) or (H_in).
        h: hidden state, shape (N, H_out) or (H_out).
        w_ih: stacked input-hidden gate weights (r, z, n), shape (3*H_out, H_in).
        w_hh: stacked hidden-hidden gate weights, shape (3*H_out, H_out).
        b_ih: stacked input-hidden gate biases, shape (3*H_out), or ``None``.
        b_hh: stacked hidden-hidden gate biases, shape (3*H_out), or ``None``.

    Returns:
        The next hidden state h', shape (N, H_out) or (H_out).

    Raises:
        ValueError: if the shapes do not fit together.
        TypeError: if an argument is not a tensor.
    """
    _check_cell_args(x, h, w_ih, w_hh, gates=3)
    x_r, x_z, x_n = _linear(x, w_ih, b_ih).chunk(3, dim=-1)
    h_r, h_z, h_n = _linear(h, w_hh, b_hh).chunk(3, dim=-1)
    r = torch.sigmoid(x_r + h_r)
    z = torch.sigmoid(x_z + h_z)
    n = torch.tanh(x_n + r * h_n)
    return (1 - z) * n + z * h


def gru_cell_original(
    x: Tensor, h: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None, b_hh: Tensor | None
) -> Tensor:
    """One step of the GRU of Cho et al. (2014), with PyTorch's parameter layout (gates r, z, n)::

        r = sigmoid(W_ir x + b_ir + W_hr h + b_hr)
        z = sigmoid(W_iz x + b_iz + W_hz h + b_hz)
        n = tanh(W_in x + b_in + W_hn (r * h) + b_hn)   the reset gate acts on h itself
        h' = (1 - z) * n + z * h

    Same arguments, shapes and errors as :func:`gru_cell`; only the candidate state n differs.
    """
    _check_cell_args(x, h, w_ih, w_hh, gates=3)
    x_r, x_z, x_n = _linear(x, w_ih, b_ih).chunk(3, dim=-1)
    w_hr, w_hz, w_hn = w_hh.chunk(3)
    b_hr, b_hz, b_hn = (None, None, None) if b_hh is None else b_hh.chunk(3)
    r = torch.sigmoid(x_r + _linear(h, w_hr, b_hr))
    z = torch.sigmoid(x_z + _linear(h, w_hz, b_hz))
    n = torch.tanh(x_n + _linear(r * h, w_hn, b_hn))
    return (1 - z) * n + z * h


def _step(module: nn.Module, x: Tensor, state: tuple[Tensor, ...], params: list) -> tuple[Tensor, ...]:
    """Apply the module's cell equation once: ``state`` is ``(h,)``, or ``(h, c)`` for an LSTM."""
    if isinstance(module, (nn.LSTM, nn.LSTMCell)):
        return lstm_cell(x, *state, *params)
    if isinstance(module, (nn.GRU, nn.GRUCell)):
        return (gru_cell(x, *state, *params),)
    return (rnn_cell(x, *state, *params, nonlinearity=module.nonlinearity),)


def _layer_params(module: nn.Module, layer: int, reverse: bool) -> list[Tensor | None]:
    """``[w_ih, w_hh, b_ih, b_hh]`` (and ``w_hr`` for a projected LSTM) of one layer and direction."""
    suffix = f"_l{layer}" + ("_reverse" if reverse else "")
    names = ["weight_ih", "weight_hh", "bias_ih", "bias_hh"] + (["weight_hr"] if module.proj_size else [])
    return [getattr(module, name + suffix, None) for name in names]


def _run_direction(
    module: nn.Module, params: list, steps: Sequence[Tensor], state: tuple[Tensor, ...], reverse: bool
) -> tuple[list[Tensor], tuple[Tensor, ...]]:
    """Run one layer in one direction over ``steps``; return each step's output h_t and the last state.

    ``steps[t]`` holds the inputs of the sequences still running at step t: the whole batch for a padded
    tensor, the first ``batch_sizes[t]`` sequences (sorted by length) for a ``PackedSequence``. Only those
    rows of the state are updated, so each sequence's state stops at its own last step going forward, and
    starts from its initial state at its own last step going backward.
    """
    outputs: list[Tensor] = [None] * len(steps)  # type: ignore[list-item]
    for t in reversed(range(len(steps))) if reverse else range(len(steps)):
        running = steps[t].shape[0]
        new = _step(module, steps[t], tuple(s[:running] for s in state), params)
        outputs[t] = new[0]
        state = tuple(torch.cat([s_new, s[running:]]) for s_new, s in zip(new, state, strict=True))
    return outputs, state


def _check_input(module: nn.Module, input: Tensor, name: str, ndim: tuple[int, ...]) -> None:
    check_tensor(name, input, ndim=ndim)
    if input.shape[-1] != module.input_size:
        raise ValueError(
            f"{name} must have module.input_size = {module.input_size} features in its last dimension, "
            f"got {input.shape[-1]} ({name} of shape {tuple(input.shape)})"
        )
    _check_dtype(module, input, name)


def _check_dtype(module: nn.Module, tensor: Tensor, name: str) -> None:
    expected = next(module.parameters()).dtype
    if tensor.dtype != expected:
        raise ValueError(f"{name} must have the dtype of the module's parameters, {expected}, got {tensor.dtype}")


def _initial_state(
    module: nn.Module, hx: object, shapes: list, names: list[str], batched: bool, like: Tensor
) -> tuple[Tensor, ...]:
    """Check ``hx`` against the batched ``shapes`` (batch in dim -2), or make zeros; return batched states."""
    if hx is None:
        return tuple(like.new_zeros(shape) for shape in shapes)
    if len(shapes) == 2 and not (isinstance(hx, (tuple, list)) and len(hx) == 2):
        kind = type(module).__name__
        raise TypeError(f"hx must be a tuple (h_0, c_0) of two tensors for {kind}, got {describe(hx)}")
    states = tuple(hx) if len(shapes) == 2 else (hx,)
    for state, shape, name in zip(states, shapes, names, strict=True):
        expected = shape if batched else shape[:-2] + shape[-1:]
        check_tensor(name, state)
        if tuple(state.shape) != expected:
            hint = ""
            if getattr(module, "batch_first", False) and state.shape == shape[1::-1] + shape[2:]:
                hint = "; it looks batch-first (N, D*num_layers, H), but h_0 and c_0 never are"
            dims = "(D*num_layers, N, H)" if isinstance(module, RECURRENT_LAYERS) else "(N, H)"
            layout = dims if batched else dims.replace("N, ", "")
            raise ValueError(f"{name} must have shape {expected} {layout}, got {tuple(state.shape)}{hint}")
        _check_dtype(module, state, name)
    return tuple(s if batched else s.unsqueeze(-2) for s in states)


def _cell_forward(module: nn.Module, input: Tensor, hx: object) -> State:
    _check_input(module, input, "input", ndim=(1, 2))
    batched = input.dim() == 2
    x = input if batched else input.unsqueeze(0)
    is_lstm = isinstance(module, nn.LSTMCell)
    shapes = [(x.shape[0], module.hidden_size)] * (2 if is_lstm else 1)
    names = ["hx[0] (h)", "hx[1] (c)"] if is_lstm else ["hx"]
    state = _initial_state(module, hx, shapes, names, batched, like=x)
    params = [module.weight_ih, module.weight_hh, module.bias_ih, module.bias_hh]
    new = tuple(s if batched else s.squeeze(0) for s in _step(module, x, state, params))
    return new if is_lstm else new[0]


def forward(
    module: nn.Module, input: Tensor | PackedSequence, hx: State | None = None
) -> State | tuple[Tensor | PackedSequence, State]:
    """Recompute ``module(input, hx)`` from the cell equations, one time step after another.

    Args:
        module: an ``nn.RNN``, ``nn.LSTM``, ``nn.GRU``, ``nn.RNNCell``, ``nn.LSTMCell`` or ``nn.GRUCell``.
        input: for a layer, shape (L, N, H_in), (N, L, H_in) if ``batch_first``, (L, H_in) unbatched, or a
            ``PackedSequence``; for a cell, shape (N, H_in) or (H_in).
        hx: initial state, zeros if ``None``. Layers: h_0 of shape (D*num_layers, N, H_out), or the tuple
            (h_0, c_0) for an LSTM with c_0 of shape (D*num_layers, N, H_cell); never batch-first; without
            the N dimension for unbatched input; in the original batch order for a ``PackedSequence``.
            Cells: h of shape (N, H_out), or (h, c) for ``nn.LSTMCell``; (H_out) unbatched.
            H_out = proj_size for a projected LSTM, hidden_size otherwise.

    Returns:
        What the module returns in ``eval()`` mode. Layers: ``(output, h_n)``, or ``(output, (h_n, c_n))`` for
        an LSTM; output has shape (L, N, D*H_out) (batch-first or unbatched like ``input``), or is a
        ``PackedSequence`` for packed input, and h_n holds each sequence's state after its own last step.
        Cells: ``h'``, or ``(h', c')`` for ``nn.LSTMCell``.

    Raises:
        TypeError: if ``module`` is not one of the six recurrent modules, or ``hx`` has the wrong structure.
        ValueError: if ``input`` or ``hx`` has the wrong rank, size or dtype, or if the module is in training
            mode with dropout between its layers.
    """
    check_module("module", module)
    if isinstance(module, RECURRENT_CELLS):
        return _cell_forward(module, input, hx)
    if module.training and module.dropout > 0 and module.num_layers > 1:
        raise ValueError(
            f"module is in training mode with dropout={module.dropout} between its {module.num_layers} "
            "layers; dropout draws random masks that no deterministic recomputation can match: "
            "call module.eval() first"
        )
    steps, batched = _time_steps(module, input)
    state = _layer_initial_state(module, input, hx, batch=steps[0].shape[0], batched=batched)

    directions = 2 if module.bidirectional else 1
    last_states = []  # (h,) or (h, c) after the last step, per layer and direction
    for layer in range(module.num_layers):
        outputs = []
        for direction in range(directions):
            k = layer * directions + direction
            params = _layer_params(module, layer, reverse=direction == 1)
            out, last = _run_direction(module, params, steps, tuple(s[k] for s in state), direction == 1)
            outputs.append(out)
            last_states.append(last)
        # the next layer reads both directions' outputs side by side: D*H_out features per step
        steps = [torch.cat(per_direction, dim=-1) for per_direction in zip(*outputs, strict=True)]
    final = tuple(torch.stack(s) for s in zip(*last_states, strict=True))  # each (D*num_layers, N, H)
    return _layer_result(module, input, steps, final, batched)


def _time_steps(module: nn.Module, input: Tensor | PackedSequence) -> tuple[list[Tensor], bool]:
    """Split ``input`` into its time steps, each (N_t, H_in); also say whether it was batched."""
    if isinstance(input, PackedSequence):
        _check_input(module, input.data, "input.data", ndim=2)
        return list(input.data.split(input.batch_sizes.tolist())), True
    _check_input(module, input, "input", ndim=(2, 3))
    batched = input.dim() == 3
    x = input if batched else input.unsqueeze(1)
    x = x.transpose(0, 1) if batched and module.batch_first else x  # now (L, N, H_in)
    if x.shape[0] == 0:
        raise ValueError(f"input must hold a sequence of length L >= 1, got shape {tuple(input.shape)}")
    return list(x.unbind(0)), batched


def _layer_initial_state(
    module: nn.Module, input: Tensor | PackedSequence, hx: object, batch: int, batched: bool
) -> tuple[Tensor, ...]:
    layers = (2 if module.bidirectional else 1) * module.num_layers
    shapes = [(layers, batch, module.proj_size or module.hidden_size), (layers, batch, module.hidden_size)]
    names = ["hx[0] (h_0)", "hx[1] (c_0)"] if isinstance(module, nn.LSTM) else ["hx (h_0)"]
    packed = isinstance(input, PackedSequence)
    like = input.data if packed else input
    state = _initial_state(module, hx, shapes[: len(names)], names, batched, like=like)
    if packed and input.sorted_indices is not None:  # hx is in the caller's order; the packed data is sorted
        state = tuple(s.index_select(1, input.sorted_indices) for s in state)
    return state


def _layer_result(
    module: nn.Module, input: Tensor | PackedSequence, steps: list[Tensor], final: tuple, batched: bool
) -> tuple:
    """Put the outputs and final states into the structure, layout and batch order the module returns."""
    if isinstance(input, PackedSequence):
        output = PackedSequence(torch.cat(steps), input.batch_sizes, input.sorted_indices, input.unsorted_indices)
        if input.unsorted_indices is not None:
            final = tuple(s.index_select(1, input.unsorted_indices) for s in final)
    else:
        output = torch.stack(steps)
        output = output.transpose(0, 1) if batched and module.batch_first else output
        if not batched:
            output, final = output.squeeze(1), tuple(s.squeeze(1) for s in final)
    return (output, final) if isinstance(module, nn.LSTM) else (output, final[0])


def gate_activations(module: nn.Module, input: Tensor, *, sample: int = 0) -> dict[str, Tensor]:
    r"""The gates of a one-layer ``nn.LSTM`` or ``nn.GRU`` at every time step, for one sequence of a batch.

    The module's equations are run step by step from a zero initial state, with the module's own parameters:
    for an LSTM :math:`i_t, f_t, o_t` (sigmoid), :math:`g_t` (tanh), :math:`c_t = f_t \odot c_{t-1} + i_t \odot
    g_t`, :math:`h_t = o_t \odot \tanh(c_t)`; for a GRU :math:`r_t, z_t` (sigmoid), :math:`n_t` (tanh) and
    :math:`h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}`. No gradient is recorded.

    Args:
        module: a unidirectional one-layer ``nn.LSTM`` (without ``proj_size``) or ``nn.GRU``.
        input: ``(L, N, H_in)``, or ``(N, L, H_in)`` when ``module.batch_first``, or unbatched ``(L, H_in)``;
            the dtype of the module's parameters.
        sample: which sequence of the batch, ``0 <= sample < N``.

    Returns:
        ``{"i", "f", "g", "o"}`` for an LSTM or ``{"r", "z", "n"}`` for a GRU, in PyTorch's gate order, each of
        shape ``(L, H)``.

    Raises:
        TypeError: for another module, or an input that is not a tensor.
        ValueError: for a stacked, bidirectional or projected module, an input of the wrong shape or dtype, or
            a ``sample`` outside the batch.
    """
    check_module("module", module, (nn.LSTM, nn.GRU))
    if module.num_layers != 1 or module.bidirectional or getattr(module, "proj_size", 0):
        raise ValueError(
            "gate_activations needs a one-layer, unidirectional module without proj_size, got "
            f"num_layers={module.num_layers}, bidirectional={module.bidirectional}, "
            f"proj_size={getattr(module, 'proj_size', 0)}"
        )
    _check_input(module, input, "input", (2, 3))
    x = input.unsqueeze(1) if input.dim() == 2 else (input.transpose(0, 1) if module.batch_first else input)
    if isinstance(sample, bool) or not isinstance(sample, int) or not 0 <= sample < x.shape[1]:
        raise ValueError(f"sample must be an int in [0, {x.shape[1]}), got {sample!r}")
    w_ih, w_hh = module.weight_ih_l0, module.weight_hh_l0
    b_ih = module.bias_ih_l0 if module.bias else None
    b_hh = module.bias_hh_l0 if module.bias else None
    is_lstm = isinstance(module, nn.LSTM)
    names = ("i", "f", "g", "o") if is_lstm else ("r", "z", "n")
    h = c = x.new_zeros(x.shape[1], module.hidden_size)
    steps: dict[str, list[Tensor]] = {name: [] for name in names}
    with torch.no_grad():
        for x_t in x:
            x_gates, h_gates = _linear(x_t, w_ih, b_ih), _linear(h, w_hh, b_hh)
            if is_lstm:
                i, f, g, o = (x_gates + h_gates).chunk(4, dim=-1)
                values = (torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o))
                c = values[1] * c + values[0] * values[2]
                h = values[3] * torch.tanh(c)
            else:
                x_r, x_z, x_n = x_gates.chunk(3, dim=-1)
                h_r, h_z, h_n = h_gates.chunk(3, dim=-1)
                r, z = torch.sigmoid(x_r + h_r), torch.sigmoid(x_z + h_z)
                values = (r, z, torch.tanh(x_n + r * h_n))
                h = (1 - z) * values[2] + z * h
            for name, value in zip(names, values, strict=True):
                steps[name].append(value[sample])
    return {name: torch.stack(values) for name, values in steps.items()}
