r"""Shape and parameter accounting for PyTorch's recurrent layers and cells.

Every number here is computed from the closed-form formulas and the module's
hyperparameters, never by running a module or reading its parameters; the test suite
checks the formulas against real ``nn.RNN``, ``nn.LSTM``, ``nn.GRU`` and their cells.

Notation (as in PyTorch's ``torch/nn/modules/rnn.py``):

* ``N``: batch size, ``L``: sequence length, ``D``: 2 if bidirectional else 1.
* ``H_in``: ``input_size``; ``H`` (``H_cell`` in PyTorch's docs): ``hidden_size``;
  ``P``: ``proj_size``; ``H_out``: ``P`` if ``proj_size > 0`` else ``H``.
* Gates per layer: 1 for RNN, 4 for LSTM (input, forget, cell, output), 3 for GRU
  (reset, update, new); the gate weights are stacked along the first dimension.

Shape formulas in :class:`ParameterRow` are written as Python tuples of symbolic
products, using ``·`` for multiplication and literal constants for the gate count and for
``D`` when it is 2, e.g. ``(4·H, H_in)`` for ``weight_ih_l0`` of an LSTM,
``(3·H, 2·H)`` for ``weight_ih_l1`` of a bidirectional GRU, ``(4·H,)`` for a bias and
``(P, H)`` for ``weight_hr_l0``. A factor of 1 is never written.

Cells (``nn.RNNCell``, ``nn.LSTMCell``, ``nn.GRUCell``) process a single time step, so
their shapes carry no sequence dimension: ``seq_len`` must be ``None`` or ``1`` and the
tensor keys are ``"input"``, ``"h_0"``, ``"h_1"`` (and ``"c_0"``, ``"c_1"`` for
``nn.LSTMCell``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from torch import nn

from rnn_guide._validation import RECURRENT_MODULES, check_choice, check_int, check_module

__all__ = [
    "CELL_KINDS",
    "LAYER_KINDS",
    "ParameterRow",
    "expected_shapes",
    "expected_shapes_for",
    "format_parameter_table",
    "format_shapes_table",
    "parameter_count",
    "parameter_count_for",
    "parameter_table",
    "parameter_table_for",
]

LAYER_KINDS: tuple[str, ...] = ("RNN", "LSTM", "GRU")
CELL_KINDS: tuple[str, ...] = ("RNNCell", "LSTMCell", "GRUCell")
_GATES: dict[str, int] = {"RNN": 1, "LSTM": 4, "GRU": 3}
_LANGUAGES: tuple[str, ...] = ("en", "zh")
_PARAMETER_HEADERS = {
    "en": ("Parameter", "Shape", "Count", "Formula"),
    "zh": ("参数", "形状", "参数量", "公式"),
}
_SHAPE_HEADERS = {"en": ("Tensor", "Shape"), "zh": ("张量", "形状")}
_TOTAL = {"en": "Total", "zh": "合计"}

Shape = tuple[int, ...]


@dataclass(frozen=True)
class ParameterRow:
    """One learnable parameter of a recurrent module.

    Attributes:
        name: The name exactly as ``module.named_parameters()`` spells it, e.g. ``"weight_hh_l1_reverse"``.
        shape: Its shape, e.g. ``(80, 20)``.
        count: The number of elements, the product of ``shape``.
        formula: The symbolic shape, e.g. ``"(4·H, H_out)"`` written as ``"(4·H, H)"`` or ``"(4·H, P)"``
            (see the module docstring for the notation).
    """

    name: str
    shape: Shape
    count: int
    formula: str


@dataclass(frozen=True)
class _Config:
    kind: str
    input_size: int
    hidden_size: int
    num_layers: int
    bias: bool
    batch_first: bool
    bidirectional: bool
    proj_size: int

    @property
    def is_cell(self) -> bool:
        return self.kind in CELL_KINDS

    @property
    def gates(self) -> int:
        return _GATES[self.kind.removesuffix("Cell")]

    @property
    def directions(self) -> int:
        return 2 if self.bidirectional else 1

    @property
    def out_size(self) -> int:
        return self.proj_size if self.proj_size > 0 else self.hidden_size


def _check_bool(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise TypeError(f"{name} should be of type bool, got: {type(value).__name__} ({value!r})")


def _check_size(name: str, value: Any) -> None:
    # Same wording as RNNBase.__init__, followed by the value that was given.
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} should be of type int, got: {type(value).__name__} ({value!r})")
    if value <= 0:
        raise ValueError(f"{name} must be greater than zero, got {value}")


def _validate(
    kind: Any,
    *,
    input_size: Any,
    hidden_size: Any,
    num_layers: Any,
    bias: Any,
    batch_first: Any,
    bidirectional: Any,
    proj_size: Any,
) -> _Config:
    """Check a configuration in the order ``nn.RNNBase.__init__`` does, with PyTorch's messages."""
    check_choice("kind", kind, LAYER_KINDS + CELL_KINDS)
    if kind in ("RNN", "GRU") and proj_size != 0:
        raise ValueError(
            f"proj_size argument is only supported for LSTM, not RNN or GRU, got proj_size={proj_size!r} "
            f"for kind={kind!r}"
        )
    _check_bool("bias", bias)
    _check_bool("batch_first", batch_first)
    _check_size("input_size", input_size)
    _check_size("hidden_size", hidden_size)
    if kind in CELL_KINDS:
        layer_only = {"num_layers": (num_layers, 1), "batch_first": (batch_first, False)}
        layer_only |= {"bidirectional": (bidirectional, False), "proj_size": (proj_size, 0)}
        for name, (value, default) in layer_only.items():
            if type(value) is not type(default) or value != default:
                raise ValueError(
                    f"{name} is not an argument of nn.{kind} (a cell is one step of one layer in one "
                    f"direction), so it must be {default!r}, got {value!r}"
                )
    if isinstance(num_layers, bool) or not isinstance(num_layers, int):
        raise TypeError(f"num_layers should be of type int, got: {type(num_layers).__name__} ({num_layers!r})")
    if num_layers <= 0:
        raise ValueError(f"num_layers must be greater than zero, got {num_layers}")
    _check_bool("bidirectional", bidirectional)
    if isinstance(proj_size, bool) or not isinstance(proj_size, int):
        raise TypeError(f"proj_size should be of type int, got: {type(proj_size).__name__} ({proj_size!r})")
    if proj_size < 0:
        raise ValueError(f"proj_size should be a positive integer or zero to disable projections, got {proj_size}")
    if proj_size >= hidden_size:
        raise ValueError(
            f"proj_size has to be smaller than hidden_size, got proj_size={proj_size} and hidden_size={hidden_size}"
        )
    return _Config(kind, input_size, hidden_size, num_layers, bias, batch_first, bidirectional, proj_size)


def _config_of(module: Any) -> _Config:
    check_module("module", module, RECURRENT_MODULES)
    if isinstance(module, nn.RNNBase):
        kind = "RNN" if module.mode in ("RNN_TANH", "RNN_RELU") else module.mode
        return _validate(
            kind,
            input_size=module.input_size,
            hidden_size=module.hidden_size,
            num_layers=module.num_layers,
            bias=module.bias,
            batch_first=module.batch_first,
            bidirectional=module.bidirectional,
            proj_size=module.proj_size,
        )
    kind = next(k for k in CELL_KINDS if isinstance(module, getattr(nn, k)))
    return _validate(
        kind,
        input_size=module.input_size,
        hidden_size=module.hidden_size,
        num_layers=1,
        bias=module.bias,
        batch_first=False,
        bidirectional=False,
        proj_size=0,
    )


def _rows(config: _Config) -> list[ParameterRow]:
    """The parameters in the order ``named_parameters()`` yields them, with shapes and formulas."""
    gate_rows = config.gates * config.hidden_size
    gate_formula = "H" if config.gates == 1 else f"{config.gates}·H"
    rec_formula = "P" if config.proj_size else "H"
    entries: list[tuple[str, Shape, str]] = []
    if config.is_cell:
        entries += [
            ("weight_ih", (gate_rows, config.input_size), f"({gate_formula}, H_in)"),
            ("weight_hh", (gate_rows, config.hidden_size), f"({gate_formula}, H)"),
        ]
        if config.bias:
            entries += [(f"bias_{x}", (gate_rows,), f"({gate_formula},)") for x in ("ih", "hh")]
    else:
        deep_input = config.directions * config.out_size
        deep_formula = f"2·{rec_formula}" if config.bidirectional else rec_formula
        for layer in range(config.num_layers):
            in_size, in_formula = (config.input_size, "H_in") if layer == 0 else (deep_input, deep_formula)
            for suffix in ("", "_reverse")[: config.directions]:
                entries += [
                    (f"weight_ih_l{layer}{suffix}", (gate_rows, in_size), f"({gate_formula}, {in_formula})"),
                    (
                        f"weight_hh_l{layer}{suffix}",
                        (gate_rows, config.out_size),
                        f"({gate_formula}, {rec_formula})",
                    ),
                ]
                if config.bias:
                    entries += [
                        (f"bias_{x}_l{layer}{suffix}", (gate_rows,), f"({gate_formula},)") for x in ("ih", "hh")
                    ]
                if config.proj_size:
                    entries.append((f"weight_hr_l{layer}{suffix}", (config.proj_size, config.hidden_size), "(P, H)"))
    rows = []
    for name, shape, formula in entries:
        count = 1
        for size in shape:
            count *= size
        rows.append(ParameterRow(name, shape, count, formula))
    return rows


#: What PyTorch's recurrent layers raise for an input of sequence length 0.
SEQ_LEN_ZERO_MESSAGE = "Expected sequence length to be larger than 0 in RNN"


def _tensor_shapes(config: _Config, seq_len: Any, batch_size: Any) -> dict[str, Shape]:
    # PyTorch accepts an empty batch (N = 0) and returns empty outputs.
    batch_size = check_int("batch_size", batch_size, minimum=0, allow_none=True)
    batch: Shape = () if batch_size is None else (batch_size,)
    if config.is_cell:
        seq_len = check_int("seq_len", seq_len, minimum=1, allow_none=True)
        if seq_len not in (None, 1):
            raise ValueError(
                f"seq_len must be None or 1 for nn.{config.kind}, which processes one time step, got {seq_len}"
            )
        shapes = {"input": (*batch, config.input_size), "h_0": (*batch, config.hidden_size)}
        if config.kind == "LSTMCell":
            shapes["c_0"] = (*batch, config.hidden_size)
        shapes["h_1"] = shapes["h_0"]
        if config.kind == "LSTMCell":
            shapes["c_1"] = shapes["c_0"]
        return shapes
    seq_len = check_int("seq_len", seq_len)
    if seq_len < 0:
        raise ValueError(f"seq_len must be a positive integer, got {seq_len}")
    if seq_len == 0:  # PyTorch's own message (a RuntimeError in the forward pass)
        raise ValueError(f"{SEQ_LEN_ZERO_MESSAGE}, got seq_len=0")
    states = config.directions * config.num_layers
    if batch_size is None:
        sequence: Shape = (seq_len,)
    else:
        sequence = (batch_size, seq_len) if config.batch_first else (seq_len, batch_size)
    shapes = {"input": (*sequence, config.input_size), "h_0": (states, *batch, config.out_size)}
    if config.kind == "LSTM":
        shapes["c_0"] = (states, *batch, config.hidden_size)
    shapes["output"] = (*sequence, config.directions * config.out_size)
    shapes["h_n"] = shapes["h_0"]
    if config.kind == "LSTM":
        shapes["c_n"] = shapes["c_0"]
    return shapes


def expected_shapes_for(
    kind: str,
    *,
    input_size: int,
    hidden_size: int,
    num_layers: int = 1,
    bias: bool = True,
    batch_first: bool = False,
    bidirectional: bool = False,
    proj_size: int = 0,
    seq_len: int | None,
    batch_size: int | None = None,
) -> dict[str, tuple[int, ...]]:
    """Shapes of every tensor of a recurrent layer (or cell) described by plain values.

    For ``kind`` in ``"RNN"``, ``"LSTM"``, ``"GRU"`` the tensor entries are, with
    ``H_out = proj_size if proj_size > 0 else hidden_size``:

    * ``"input"``: ``(L, N, H_in)``, or ``(N, L, H_in)`` when ``batch_first=True``, or ``(L, H_in)``
      unbatched.
    * ``"h_0"``, ``"h_n"``: ``(D * num_layers, N, H_out)``, or ``(D * num_layers, H_out)`` unbatched
      (never batch-first).
    * ``"c_0"``, ``"c_n"`` (LSTM only): ``(D * num_layers, N, H_cell)``, or ``(D * num_layers, H_cell)``.
    * ``"output"``: ``(L, N, D * H_out)``, or ``(N, L, D * H_out)`` when ``batch_first=True``, or
      ``(L, D * H_out)`` unbatched.

    For ``kind`` in ``"RNNCell"``, ``"LSTMCell"``, ``"GRUCell"`` (one time step, ``seq_len`` is
    ``None`` or ``1``) they are ``"input"``: ``(N, H_in)``; ``"h_0"``, ``"h_1"`` (and ``"c_0"``,
    ``"c_1"``): ``(N, H_cell)``; unbatched shapes drop ``N``.

    The tensor entries are followed by every parameter, named and ordered exactly as
    ``named_parameters()`` yields them, e.g. ``"weight_ih_l0"``: ``(gates * H_cell, H_in)``.

    Args:
        kind: ``"RNN"``, ``"LSTM"``, ``"GRU"``, ``"RNNCell"``, ``"LSTMCell"`` or ``"GRUCell"``.
        input_size: ``H_in``, the number of features of each input step.
        hidden_size: ``H_cell``, the number of features of the hidden (and cell) state.
        num_layers: Number of stacked layers (layers only).
        bias: Whether the ``bias_ih``/``bias_hh`` parameters exist.
        batch_first: Whether input and output are ``(N, L, *)`` (layers only; never affects ``h``/``c``).
        bidirectional: Whether there is a reverse direction, ``D = 2`` (layers only).
        proj_size: ``LSTM`` projection size, 0 for none; it shrinks ``h`` (but not ``c``) to ``H_out``.
        seq_len: ``L``, a positive integer for layers; ``None`` or ``1`` for cells.
        batch_size: ``N``, an integer ``>= 0`` (PyTorch accepts an empty batch), or ``None`` for
            unbatched input.

    Returns:
        A dict from tensor or parameter name to shape tuple, tensors first.

    Raises:
        ValueError: For an illegal combination, with PyTorch's own message followed by the values
            given (e.g. ``proj_size has to be smaller than hidden_size``). Unlike PyTorch, which
            rejects any ``proj_size`` keyword for ``nn.RNN``/``nn.GRU``, ``proj_size=0`` is accepted.
            Cells must have positive sizes (PyTorch would build empty cells) and layer-only
            arguments left at their defaults.
        TypeError: For a size that is not an ``int`` or a flag that is not a ``bool``.
    """
    config = _validate(
        kind,
        input_size=input_size,
        hidden_size=hidden_size,
        num_layers=num_layers,
        bias=bias,
        batch_first=batch_first,
        bidirectional=bidirectional,
        proj_size=proj_size,
    )
    shapes = _tensor_shapes(config, seq_len, batch_size)
    shapes.update((row.name, row.shape) for row in _rows(config))
    return shapes


def expected_shapes(module: nn.Module, seq_len: int | None, batch_size: int | None = None) -> dict[str, Shape]:
    """Shapes of every tensor of ``module`` for a sequence of length ``L`` and batch size ``N``.

    Reads only the hyperparameters (``input_size``, ``hidden_size``, ``num_layers``, ``bias``,
    ``batch_first``, ``bidirectional``, ``proj_size``) and applies the formulas of
    :func:`expected_shapes_for`, e.g. for ``nn.LSTM(10, 20, num_layers=2, batch_first=True)``,
    ``seq_len=5`` and ``batch_size=3``: ``input (N, L, H_in) = (3, 5, 10)``,
    ``h_0 (D * num_layers, N, H_out) = (2, 3, 20)``, ``output (N, L, D * H_out) = (3, 5, 20)``,
    ``weight_ih_l1 (4 * H_cell, D * H_out) = (80, 20)``.

    Args:
        module: An ``nn.RNN``, ``nn.LSTM``, ``nn.GRU``, ``nn.RNNCell``, ``nn.LSTMCell`` or ``nn.GRUCell``.
        seq_len: ``L``, a positive integer for layers; ``None`` or ``1`` for cells (one time step).
        batch_size: ``N``, an integer ``>= 0`` (PyTorch accepts an empty batch), or ``None`` for
            unbatched input.

    Returns:
        A dict from name to shape: ``"input"``, ``"h_0"``, (``"c_0"``), ``"output"``, ``"h_n"``,
        (``"c_n"``) for layers, ``"input"``, ``"h_0"``, (``"c_0"``), ``"h_1"``, (``"c_1"``) for
        cells, then every parameter in ``named_parameters()`` order.

    Raises:
        TypeError: If ``module`` is not a recurrent layer or cell, or ``seq_len``/``batch_size`` is
            not an integer.
        ValueError: If ``seq_len`` is not positive (for 0 with PyTorch's message, "Expected sequence
            length to be larger than 0 in RNN"), ``batch_size`` is negative, or ``seq_len`` is not
            ``None``/``1`` for a cell.
    """
    config = _config_of(module)
    shapes = _tensor_shapes(config, seq_len, batch_size)
    shapes.update((row.name, row.shape) for row in _rows(config))
    return shapes


def _count(config: _Config) -> int:
    g, h, d, p, h_out = config.gates, config.hidden_size, config.directions, config.proj_size, config.out_size
    if config.is_cell:
        return g * h * (config.input_size + h) + (2 * g * h if config.bias else 0)
    per_direction_extra = (2 * g * h if config.bias else 0) + p * h
    first_layer = d * (g * h * (config.input_size + h_out) + per_direction_extra)
    deeper_layer = d * (g * h * (d * h_out + h_out) + per_direction_extra)
    return first_layer + (config.num_layers - 1) * deeper_layer


def parameter_count_for(
    kind: str,
    *,
    input_size: int,
    hidden_size: int,
    num_layers: int = 1,
    bias: bool = True,
    bidirectional: bool = False,
    proj_size: int = 0,
) -> int:
    """Number of learnable parameters of a recurrent layer (or cell) described by plain values.

    Per layer ``k`` and direction: ``gates * H_cell * (in_k + H_out) + 2 * gates * H_cell`` (if
    ``bias``) ``+ proj_size * H_cell`` (if ``proj_size``), where ``gates`` is 1 (RNN), 4 (LSTM) or
    3 (GRU), ``in_0 = H_in`` and ``in_k = D * H_out`` for ``k > 0``. A cell counts as one layer in
    one direction without projection.

    Args:
        kind: ``"RNN"``, ``"LSTM"``, ``"GRU"``, ``"RNNCell"``, ``"LSTMCell"`` or ``"GRUCell"``.
        input_size: ``H_in``.
        hidden_size: ``H_cell``.
        num_layers: Number of stacked layers.
        bias: Whether the bias vectors exist.
        bidirectional: Whether ``D = 2``.
        proj_size: ``LSTM`` projection size ``P`` (0 for none).

    Returns:
        The closed-form parameter count.

    Raises:
        ValueError, TypeError: As in :func:`expected_shapes_for`.
    """
    return _count(
        _validate(
            kind,
            input_size=input_size,
            hidden_size=hidden_size,
            num_layers=num_layers,
            bias=bias,
            batch_first=False,
            bidirectional=bidirectional,
            proj_size=proj_size,
        )
    )


def parameter_count(module: nn.Module) -> int:
    """Number of learnable parameters of ``module``, from the closed-form formula.

    See :func:`parameter_count_for`; e.g. ``nn.LSTM(10, 20)`` has
    ``4 * 20 * (10 + 20) + 2 * 4 * 20 = 2560`` parameters.

    Args:
        module: An ``nn.RNN``, ``nn.LSTM``, ``nn.GRU``, ``nn.RNNCell``, ``nn.LSTMCell`` or ``nn.GRUCell``.

    Returns:
        The parameter count, equal to ``sum(p.numel() for p in module.parameters())``.

    Raises:
        TypeError: If ``module`` is not a recurrent layer or cell.
    """
    return _count(_config_of(module))


def parameter_table_for(
    kind: str,
    *,
    input_size: int,
    hidden_size: int,
    num_layers: int = 1,
    bias: bool = True,
    bidirectional: bool = False,
    proj_size: int = 0,
) -> list[ParameterRow]:
    """One :class:`ParameterRow` per parameter of a recurrent layer (or cell) described by plain values.

    Args:
        kind: ``"RNN"``, ``"LSTM"``, ``"GRU"``, ``"RNNCell"``, ``"LSTMCell"`` or ``"GRUCell"``.
        input_size: ``H_in``.
        hidden_size: ``H_cell``.
        num_layers: Number of stacked layers.
        bias: Whether the bias vectors exist.
        bidirectional: Whether ``D = 2``.
        proj_size: ``LSTM`` projection size ``P`` (0 for none).

    Returns:
        The rows in ``named_parameters()`` order.

    Raises:
        ValueError, TypeError: As in :func:`expected_shapes_for`.
    """
    return _rows(
        _validate(
            kind,
            input_size=input_size,
            hidden_size=hidden_size,
            num_layers=num_layers,
            bias=bias,
            batch_first=False,
            bidirectional=bidirectional,
            proj_size=proj_size,
        )
    )


def parameter_table(module: nn.Module) -> list[ParameterRow]:
    """One :class:`ParameterRow` per parameter of ``module``, in ``named_parameters()`` order.

    E.g. for ``nn.LSTM(10, 20)`` the first row is
    ``ParameterRow("weight_ih_l0", (80, 10), 800, "(4·H, H_in)")``.

    Args:
        module: An ``nn.RNN``, ``nn.LSTM``, ``nn.GRU``, ``nn.RNNCell``, ``nn.LSTMCell`` or ``nn.GRUCell``.

    Returns:
        The rows, computed from the hyperparameters.

    Raises:
        TypeError: If ``module`` is not a recurrent layer or cell.
    """
    return _rows(_config_of(module))


def _format_shape(shape: Shape) -> str:
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _markdown(headers: tuple[str, ...], aligns: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(aligns) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def format_parameter_table(rows: list[ParameterRow], language: str = "en") -> str:
    """A Markdown table of parameter rows with a total row.

    Columns: ``Parameter | Shape | Count | Formula`` (``参数 | 形状 | 参数量 | 公式`` in Chinese);
    counts use ``,`` as thousands separator, the last row holds the total count.

    Args:
        rows: Rows from :func:`parameter_table` or :func:`parameter_table_for`.
        language: ``"en"`` or ``"zh"``.

    Returns:
        The table as Markdown text ending with a newline.

    Raises:
        ValueError: If ``language`` is not ``"en"`` or ``"zh"``.
        TypeError: If ``rows`` is not a list or tuple of :class:`ParameterRow`.
    """
    check_choice("language", language, _LANGUAGES)
    if not isinstance(rows, (list, tuple)) or not all(isinstance(r, ParameterRow) for r in rows):
        raise TypeError(f"rows must be a list of ParameterRow, got {type(rows).__name__}")
    body = [(f"`{r.name}`", _format_shape(r.shape), f"{r.count:,}", r.formula) for r in rows]
    total = sum(r.count for r in rows)
    body.append((f"**{_TOTAL[language]}**", "", f"**{total:,}**", ""))
    return _markdown(_PARAMETER_HEADERS[language], ("---", "---", "---:", "---"), body)


def format_shapes_table(shapes: Mapping[str, tuple[int, ...]], language: str = "en") -> str:
    """A Markdown table ``Tensor | Shape`` (``张量 | 形状``) of a mapping from :func:`expected_shapes`.

    Args:
        shapes: Mapping from name to shape tuple, e.g. ``{"input": (5, 3, 10), ...}``.
        language: ``"en"`` or ``"zh"``.

    Returns:
        The table as Markdown text ending with a newline, one row per entry in mapping order.

    Raises:
        ValueError: If ``language`` is not ``"en"`` or ``"zh"``.
        TypeError: If ``shapes`` is not a mapping from ``str`` to tuples of ``int``.
    """
    check_choice("language", language, _LANGUAGES)
    if not isinstance(shapes, Mapping):
        raise TypeError(f"shapes must be a mapping from name to shape tuple, got {type(shapes).__name__}")
    for name, shape in shapes.items():
        if not isinstance(name, str) or not isinstance(shape, tuple) or not all(isinstance(s, int) for s in shape):
            raise TypeError(f"shapes must map str to tuple[int, ...], got {name!r}: {shape!r}")
    body = [(f"`{name}`", _format_shape(shape)) for name, shape in shapes.items()]
    return _markdown(_SHAPE_HEADERS[language], ("---", "---"), body)
