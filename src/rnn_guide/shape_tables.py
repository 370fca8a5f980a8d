r"""The tables of the shape and parameter reference pages, each checked against real modules.

The shape reference names every dimension by its symbol. To do that it uses a different
size for every symbol (:data:`SIZES`), computes the shapes with
:func:`rnn_guide.shapes.expected_shapes_for` and replaces each number by its symbol::

    >>> rules = layer_shape_rules()
    >>> rules["batch_first"]["output"]
    '(N, L, D·H_out)'
    >>> print(markdown_table(["Tensor", "shape"], [["`h_n`", rules["batched"]["h_n"]]]))
    | Tensor | shape |
    | --- | --- |
    | `h_n` | (D·num_layers, N, H_out) |

Every function also builds the real module and runs it (or reads its parameters), and
raises ``AssertionError`` if PyTorch disagrees with the table, so that a table on a page
is never a claim that nothing checked.
"""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Sequence
from typing import Any

import torch
from torch import nn

from rnn_guide.shapes import expected_shapes, expected_shapes_for, parameter_count, parameter_table_for

__all__ = [
    "CELL_TENSORS",
    "LAYER_TENSORS",
    "LAYOUTS",
    "SIZES",
    "WEIGHT_COLUMNS",
    "cell_shape_rules",
    "example_rows",
    "layer_shape_rules",
    "markdown_table",
    "parameter_summary_table",
    "symbolic_shape",
    "weight_formula_rows",
]

#: One size per symbol, all distinct, so that every number of a shape names one symbol
#: (``H_out`` is ``proj_size``; the layers are bidirectional, so ``D = 2``).
SIZES: dict[str, int] = {"L": 5, "N": 3, "H_in": 7, "H_cell": 11, "H_out": 6, "num_layers": 2}
_SYMBOLS: dict[int, str] = {size: name for name, size in SIZES.items() if name != "num_layers"}
_SYMBOLS |= {2 * SIZES["H_out"]: "D·H_out", 2 * SIZES["num_layers"]: "D·num_layers"}
assert len(_SYMBOLS) == 7, "two symbols share a size"

#: The tensors of a recurrent layer, in table order.
LAYER_TENSORS: tuple[str, ...] = ("input", "h_0", "c_0", "output", "h_n", "c_n")
#: The tensors of a cell (one time step), in table order.
CELL_TENSORS: tuple[str, ...] = ("input", "h_0", "c_0", "h_1", "c_1")
#: The three input layouts (table columns) and the options that select them.
LAYOUTS: dict[str, dict[str, Any]] = {
    "batched": {"batch_size": SIZES["N"]},
    "batch_first": {"batch_size": SIZES["N"], "batch_first": True},
    "unbatched": {"batch_size": None},
}
#: Columns of the weight table: column title -> (layer kind, proj_size).
WEIGHT_COLUMNS: dict[str, tuple[str, int]] = {
    "RNN": ("RNN", 0),
    "GRU": ("GRU", 0),
    "LSTM": ("LSTM", 0),
    "LSTM, proj_size = P": ("LSTM", SIZES["H_out"]),
}
_WEIGHT_ROWS: tuple[tuple[str, int], ...] = (  # (parameter, D)
    ("weight_ih_l0", 1),
    ("weight_hh_l0", 1),
    ("bias_ih_l0", 1),
    ("bias_hh_l0", 1),
    ("weight_hr_l0", 1),
    ("weight_ih_l1", 1),
    ("weight_ih_l1", 2),
)


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table: a header line, a rule, one line per row (cells as given).

    Args:
        headers: The column titles.
        rows: The cells, one sequence of strings per row, as long as ``headers``.

    Returns:
        The table, lines joined by ``"\n"``, without a final newline.

    Raises:
        ValueError: when a row has another number of cells than ``headers``.
    """
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"every row needs {len(headers)} cells, like headers; got {len(row)}: {list(row)!r}")
    lines = [list(headers), ["---"] * len(headers), *map(list, rows)]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def symbolic_shape(shape: Sequence[int]) -> str:
    """A shape built from :data:`SIZES`, written with the symbols, e.g. ``(L, N, D·H_out)``.

    Raises:
        ValueError: when a size is none of the sizes of :data:`SIZES` (or twice one of them).
    """
    unknown = [size for size in shape if size not in _SYMBOLS]
    if unknown:
        raise ValueError(f"shape {tuple(shape)} holds sizes that name no symbol: {unknown}; known: {_SYMBOLS}")
    return "(" + ", ".join(_SYMBOLS[size] for size in shape) + ")"


def layer_shape_rules() -> dict[str, dict[str, str]]:
    """Symbolic shapes of a bidirectional two-layer ``nn.LSTM`` with a projection, per layout.

    Returns:
        ``{layout: {tensor: symbolic shape}}`` for the layouts of :data:`LAYOUTS` and the
        tensors of :data:`LAYER_TENSORS`, e.g. ``rules["batched"]["input"] == "(L, N, H_in)"``.

    Each layout is checked by running a real ``nn.LSTM`` with ``h_0`` and ``c_0`` of those shapes.
    """
    sizes = SIZES
    rules = {}
    for layout, options in LAYOUTS.items():
        shapes = expected_shapes_for(
            "LSTM",
            input_size=sizes["H_in"],
            hidden_size=sizes["H_cell"],
            num_layers=sizes["num_layers"],
            bidirectional=True,
            proj_size=sizes["H_out"],
            seq_len=sizes["L"],
            **options,
        )
        rules[layout] = {name: symbolic_shape(shapes[name]) for name in LAYER_TENSORS}
        lstm = nn.LSTM(
            sizes["H_in"],
            sizes["H_cell"],
            num_layers=sizes["num_layers"],
            bidirectional=True,
            proj_size=sizes["H_out"],
            batch_first=options.get("batch_first", False),
        )
        with torch.no_grad():
            hx = (torch.zeros(shapes["h_0"]), torch.zeros(shapes["c_0"]))
            output, (h_n, c_n) = lstm(torch.zeros(shapes["input"]), hx)
        assert (output.shape, h_n.shape, c_n.shape) == (shapes["output"], shapes["h_n"], shapes["c_n"])
    return rules


def cell_shape_rules() -> dict[str, dict[str, str]]:
    """Symbolic shapes of an ``nn.LSTMCell``, batched and unbatched.

    Returns:
        ``{"batched": {tensor: symbolic shape}, "unbatched": {...}}`` for the tensors of
        :data:`CELL_TENSORS`, e.g. ``rules["batched"]["h_1"] == "(N, H_cell)"``; each is
        checked by running a real cell.
    """
    rules = {}
    for layout, batch in {"batched": SIZES["N"], "unbatched": None}.items():
        shapes = expected_shapes_for(
            "LSTMCell", input_size=SIZES["H_in"], hidden_size=SIZES["H_cell"], seq_len=None, batch_size=batch
        )
        rules[layout] = {name: symbolic_shape(shapes[name]) for name in CELL_TENSORS}
        cell = nn.LSTMCell(SIZES["H_in"], SIZES["H_cell"])
        with torch.no_grad():
            hx = (torch.zeros(shapes["h_0"]), torch.zeros(shapes["c_0"]))
            h_1, c_1 = cell(torch.zeros(shapes["input"]), hx)
        assert (h_1.shape, c_1.shape) == (shapes["h_1"], shapes["c_1"])
    return rules


def example_rows(examples: Sequence[tuple[nn.Module, int | None]], seq_len: int = 5) -> list[list[str]]:
    """Rows of concrete shapes: one per module, run on a zero input of length ``seq_len``.

    Args:
        examples: ``(module, batch size N)`` pairs, ``None`` for an unbatched input; the
            modules are ``nn.RNN``, ``nn.LSTM`` or ``nn.GRU`` layers.
        seq_len: ``L``.

    Returns:
        One row per module: ``` `nn.<repr>` ```, ``N`` (``"—"`` when unbatched), and the shapes of
        ``input``, ``output``, ``h_n`` and ``c_n`` (``"—"`` without a cell state).
    """
    rows = []
    for module, batch in examples:
        shapes = expected_shapes(module, seq_len=seq_len, batch_size=batch)
        with torch.no_grad():
            output, state = module(torch.zeros(shapes["input"]))
        h_n, c_n = state if isinstance(module, nn.LSTM) else (state, None)
        assert output.shape == shapes["output"] and h_n.shape == shapes["h_n"]
        assert c_n is None or c_n.shape == shapes["c_n"]
        cells = [str(shapes[name]) if name in shapes else "—" for name in ("input", "output", "h_n", "c_n")]
        rows.append([f"`nn.{module!r}`", "—" if batch is None else str(batch), *cells])
    return rows


def weight_formula_rows() -> list[list[str]]:
    """Rows of the weight table: the shape formula of a few parameters, per column of :data:`WEIGHT_COLUMNS`.

    Returns:
        One row per parameter (``weight_ih_l1`` twice: one and two directions): its name,
        then its formula in each column, e.g. ``"(4·H, H_in)"``, or ``"—"`` where the
        layer has no such parameter. Every formula's shape is checked against a real module
        with ``num_layers=2`` and the sizes of :data:`SIZES`.
    """
    found: dict[tuple[str, int], dict[str, str]] = {}
    for column, (kind, proj_size) in WEIGHT_COLUMNS.items():
        for directions in (1, 2):
            options = {"num_layers": 2, "bidirectional": directions == 2}
            table = parameter_table_for(
                kind, input_size=SIZES["H_in"], hidden_size=SIZES["H_cell"], proj_size=proj_size, **options
            )
            extra = {"proj_size": proj_size} if proj_size else {}
            module = getattr(nn, kind)(SIZES["H_in"], SIZES["H_cell"], device="meta", **options, **extra)
            real = {name: tuple(p.shape) for name, p in module.named_parameters()}
            assert real == {row.name: row.shape for row in table}
            found[column, directions] = {row.name: row.formula for row in table}
    return [
        [f"`{name}`" + (f" (D = {directions})" if name == "weight_ih_l1" else "")]
        + [found[column, directions].get(name, "—") for column in WEIGHT_COLUMNS]
        for name, directions in _WEIGHT_ROWS
    ]


_SUMMARY_BASE: dict[str, Any] = {"input_size": 10, "hidden_size": 20}
_SUMMARY_EXAMPLES: dict[str, Any] = {  # one non-default value per parameter
    "input_size": 16,
    "hidden_size": 32,
    "num_layers": 2,
    "nonlinearity": "relu",
    "bias": False,
    "batch_first": True,
    "dropout": 0.5,
    "bidirectional": True,
    "proj_size": 8,
    "device": "meta",
    "dtype": torch.float64,
}
_SUMMARY_HEADERS = {
    "en": ("Parameter", "Default → example", "Shapes that change", "Parameters"),
    "zh": ("参数", "默认值 → 示例取值", "形状会变的张量", "参数量"),
}
_REQUIRED = {"en": "required", "zh": "必填"}


def _build(cls: type[nn.Module], **changes: Any) -> nn.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dropout on one layer warns
        return cls(**{**_SUMMARY_BASE, **changes})


def _accepts(cls: type[nn.Module], name: str, value: Any) -> bool:
    try:
        _build(cls, **{name: value})
    except (TypeError, ValueError):
        return False
    return True


def parameter_summary_table(language: str = "en") -> str:
    """The constructor parameters of ``nn.RNN``, ``nn.LSTM`` and ``nn.GRU`` and what each changes.

    Each parameter is set to one non-default value on ``nn.LSTM(10, 20)`` (``nn.RNN`` for
    ``nonlinearity``) and the table says, as measured on the modules: the default (read
    from ``nn.RNNBase``'s signature), the example value, which tensors change shape for
    ``L = 5``, ``N = 3``, and the parameter count before and after. A parameter that only
    some classes take names them.

    Args:
        language: ``"en"`` or ``"zh"`` (the headers and the word for a required argument).

    Returns:
        A Markdown table with a row per parameter, each name linked to the page section
        ``#<name with - for _>``.

    Raises:
        ValueError: for another language.
    """
    if language not in _SUMMARY_HEADERS:
        raise ValueError(f"language must be one of {sorted(_SUMMARY_HEADERS)}; got {language!r}")
    signature = inspect.signature(nn.RNNBase.__init__)
    lines = ["| " + " | ".join(_SUMMARY_HEADERS[language]) + " |", "|---" * 4 + "|"]
    for name, value in _SUMMARY_EXAMPLES.items():
        accepted = [cls for cls in (nn.RNN, nn.LSTM, nn.GRU) if _accepts(cls, name, value)]
        parameter = signature.parameters.get(name)  # None for nonlinearity, nn.RNN's own argument
        default = _build(nn.RNN).nonlinearity if parameter is None else parameter.default  # empty: required
        cls = nn.LSTM if nn.LSTM in accepted else accepted[0]
        before, after = _build(cls), _build(cls, **{name: value})
        old, new = expected_shapes(before, 5, 3), expected_shapes(after, 5, 3)
        changed = [t for t in LAYER_TENSORS if t in new and old[t] != new[t]]
        count_before, count_after = parameter_count(before), parameter_count(after)
        shown_default = _REQUIRED[language] if default is inspect.Parameter.empty else f"`{default!r}`"
        link = f"[`{name}`](#{name.replace('_', '-')})"
        if len(accepted) < 3:  # taken by some classes only
            link += " (" + ", ".join(cls.__name__ for cls in accepted) + ")"
        counts = f"{count_before:,}" if count_before == count_after else f"{count_before:,} → {count_after:,}"
        cells = (link, f"{shown_default} → `{value!r}`", " ".join(f"`{t}`" for t in changed) or "—", counts)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
