"""The shape reference: rules, examples, cells and weights, each checked."""

# --8<-- [start:rules]
import torch
from torch import nn

from rnn_guide.shapes import expected_shapes_for

# Distinct sizes, so that every number in a shape names exactly one symbol
L, N, H_in, H_cell, P, layers = 5, 3, 7, 11, 6, 2
NAMES = {L: "L", N: "N", H_in: "H_in", H_cell: "H_cell", P: "H_out"}
NAMES |= {2 * P: "D·H_out", 2 * layers: "D·num_layers"}  # D = 2
assert len(NAMES) == 7  # no two symbols share a size


def symbolic(shape: tuple[int, ...]) -> str:
    return "(" + ", ".join(NAMES[size] for size in shape) + ")"


def markdown(headers: list[str], rows: list[list[str]]) -> str:
    lines = [headers, ["---"] * len(headers), *rows]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


TENSORS = ["input", "h_0", "c_0", "output", "h_n", "c_n"]
CASES = {  # column -> layout options
    "batched": {"batch_size": N},
    "batch_first": {"batch_size": N, "batch_first": True},
    "unbatched": {"batch_size": None},
}
rules = {}
for case, options in CASES.items():
    shapes = expected_shapes_for(
        "LSTM", input_size=H_in, hidden_size=H_cell, num_layers=layers,
        bidirectional=True, proj_size=P, seq_len=L, **options,
    )  # fmt: skip
    rules[case] = {name: symbolic(shapes[name]) for name in TENSORS}

    # Check: a real module accepts h_0 and c_0 and returns these shapes
    lstm = nn.LSTM(
        H_in, H_cell, num_layers=layers, bidirectional=True, proj_size=P,
        batch_first=options.get("batch_first", False),
    )  # fmt: skip
    hx = (torch.zeros(shapes["h_0"]), torch.zeros(shapes["c_0"]))
    output, (h_n, c_n) = lstm(torch.zeros(shapes["input"]), hx)
    assert (output.shape, h_n.shape, c_n.shape) == (
        shapes["output"], shapes["h_n"], shapes["c_n"]
    )  # fmt: skip
# --8<-- [end:rules]

from rnn_guide.shape_tables import (
    cell_shape_rules,
    example_rows,
    layer_shape_rules,
    weight_formula_rows,
)

# The blocks below that run alone take their tables from rnn_guide: the same ones
assert rules == layer_shape_rules()

# --8<-- [start:rules-en]
from rnn_guide.shape_tables import LAYER_TENSORS as TENSORS
from rnn_guide.shape_tables import LAYOUTS as CASES
from rnn_guide.shape_tables import layer_shape_rules
from rnn_guide.shape_tables import markdown_table as markdown

rules = layer_shape_rules()  # set-up: the shapes worked out above

headers = ["Tensor", "batched", "`batch_first=True`", "unbatched"]
rows = [[f"`{t}`", *(rules[case][t] for case in CASES)] for t in TENSORS]
print(markdown(headers, rows))
# --8<-- [end:rules-en]

# --8<-- [start:rules-zh]
from rnn_guide.shape_tables import LAYER_TENSORS as TENSORS
from rnn_guide.shape_tables import LAYOUTS as CASES
from rnn_guide.shape_tables import layer_shape_rules
from rnn_guide.shape_tables import markdown_table as markdown

rules = layer_shape_rules()  # set-up: the shapes worked out above

headers = ["张量", "批量输入", "`batch_first=True`", "非批量输入"]
rows = [[f"`{t}`", *(rules[case][t] for case in CASES)] for t in TENSORS]
print(markdown(headers, rows))
# --8<-- [end:rules-zh]

# --8<-- [start:examples]
import torch
from torch import nn

from rnn_guide.shapes import expected_shapes

EXAMPLES = [  # (module, batch size N; None for an unbatched input)
    (nn.RNN(10, 20), 3),
    (nn.GRU(10, 20, batch_first=True), 3),
    (nn.LSTM(10, 20, num_layers=2), 3),
    (nn.LSTM(10, 20, num_layers=2, batch_first=True, bidirectional=True), 3),
    (nn.LSTM(10, 20, proj_size=8), 3),
    (nn.GRU(10, 20, bidirectional=True), None),
]
examples = []
for module, batch in EXAMPLES:
    shapes = expected_shapes(module, seq_len=5, batch_size=batch)
    output, state = module(torch.zeros(shapes["input"]))  # run it: L = 5
    h_n, c_n = state if isinstance(module, nn.LSTM) else (state, None)
    assert output.shape == shapes["output"] and h_n.shape == shapes["h_n"]
    assert c_n is None or c_n.shape == shapes["c_n"]
    names = ["input", "output", "h_n", "c_n"]
    cells = [str(shapes[name]) if name in shapes else "—" for name in names]
    n = "—" if batch is None else str(batch)
    examples.append([f"`nn.{module!r}`", n, *cells])
# --8<-- [end:examples]

assert examples == example_rows(EXAMPLES)

# --8<-- [start:examples-en]
from torch import nn

from rnn_guide.shape_tables import example_rows
from rnn_guide.shape_tables import markdown_table as markdown

examples = example_rows([  # set-up: the modules run above
    (nn.RNN(10, 20), 3),
    (nn.GRU(10, 20, batch_first=True), 3),
    (nn.LSTM(10, 20, num_layers=2), 3),
    (nn.LSTM(10, 20, num_layers=2, batch_first=True, bidirectional=True), 3),
    (nn.LSTM(10, 20, proj_size=8), 3),
    (nn.GRU(10, 20, bidirectional=True), None),
])  # fmt: skip

headers = ["Module (L = 5)", "N", "input", "output", "h_0, h_n", "c_0, c_n"]
print(markdown(headers, examples))
# --8<-- [end:examples-en]

# --8<-- [start:examples-zh]
from torch import nn

from rnn_guide.shape_tables import example_rows
from rnn_guide.shape_tables import markdown_table as markdown

examples = example_rows([  # set-up: the modules run above
    (nn.RNN(10, 20), 3),
    (nn.GRU(10, 20, batch_first=True), 3),
    (nn.LSTM(10, 20, num_layers=2), 3),
    (nn.LSTM(10, 20, num_layers=2, batch_first=True, bidirectional=True), 3),
    (nn.LSTM(10, 20, proj_size=8), 3),
    (nn.GRU(10, 20, bidirectional=True), None),
])  # fmt: skip

headers = ["模块（L = 5）", "N", "input", "output", "h_0、h_n", "c_0、c_n"]
print(markdown(headers, examples))
# --8<-- [end:examples-zh]

# --8<-- [start:cells]
import torch
from torch import nn

from rnn_guide.shape_tables import SIZES
from rnn_guide.shape_tables import symbolic_shape as symbolic
from rnn_guide.shapes import expected_shapes_for

N, H_in, H_cell = SIZES["N"], SIZES["H_in"], SIZES["H_cell"]  # set-up: from above
CELL_TENSORS = ["input", "h_0", "c_0", "h_1", "c_1"]
cell_rules = {}
for case, batch in {"batched": N, "unbatched": None}.items():
    shapes = expected_shapes_for(
        "LSTMCell", input_size=H_in, hidden_size=H_cell,
        seq_len=None, batch_size=batch,
    )  # fmt: skip
    cell_rules[case] = {name: symbolic(shapes[name]) for name in CELL_TENSORS}

    cell = nn.LSTMCell(H_in, H_cell)  # check: the cell agrees
    hx = (torch.zeros(shapes["h_0"]), torch.zeros(shapes["c_0"]))
    h_1, c_1 = cell(torch.zeros(shapes["input"]), hx)
    assert (h_1.shape, c_1.shape) == (shapes["h_1"], shapes["c_1"])
# --8<-- [end:cells]

assert cell_rules == cell_shape_rules()

# --8<-- [start:cells-en]
from rnn_guide.shape_tables import CELL_TENSORS, cell_shape_rules
from rnn_guide.shape_tables import markdown_table as markdown

cell_rules = cell_shape_rules()  # set-up: the shapes worked out above

headers = ["Tensor", "batched", "unbatched"]
rows = [[f"`{t}`", *(r[t] for r in cell_rules.values())] for t in CELL_TENSORS]
print(markdown(headers, rows))
# --8<-- [end:cells-en]

# --8<-- [start:cells-zh]
from rnn_guide.shape_tables import CELL_TENSORS, cell_shape_rules
from rnn_guide.shape_tables import markdown_table as markdown

cell_rules = cell_shape_rules()  # set-up: the shapes worked out above

headers = ["张量", "批量输入", "非批量输入"]
rows = [[f"`{t}`", *(r[t] for r in cell_rules.values())] for t in CELL_TENSORS]
print(markdown(headers, rows))
# --8<-- [end:cells-zh]

# --8<-- [start:weights]
from torch import nn

from rnn_guide.shape_tables import SIZES
from rnn_guide.shapes import parameter_table_for

H_in, H_cell, P = SIZES["H_in"], SIZES["H_cell"], SIZES["H_out"]  # set-up: from above

COLUMNS = {"RNN": ("RNN", 0), "GRU": ("GRU", 0), "LSTM": ("LSTM", 0)}
COLUMNS["LSTM, proj_size = P"] = ("LSTM", P)
found = {}  # (column, D) -> {parameter name: symbolic shape}
for column, (kind, proj_size) in COLUMNS.items():
    for D in (1, 2):
        table = parameter_table_for(
            kind, input_size=H_in, hidden_size=H_cell, num_layers=2,
            bidirectional=D == 2, proj_size=proj_size,
        )  # fmt: skip
        module = getattr(nn, kind)(
            H_in, H_cell, num_layers=2, bidirectional=D == 2,
            **({"proj_size": proj_size} if proj_size else {}),
        )  # fmt: skip
        real = {name: tuple(p.shape) for name, p in module.named_parameters()}
        assert real == {row.name: row.shape for row in table}  # check
        found[column, D] = {row.name: row.formula for row in table}

ROWS = [  # (parameter, D)
    ("weight_ih_l0", 1), ("weight_hh_l0", 1), ("bias_ih_l0", 1),
    ("bias_hh_l0", 1), ("weight_hr_l0", 1),
    ("weight_ih_l1", 1), ("weight_ih_l1", 2),
]  # fmt: skip
weight_rows = [
    [f"`{name}`" + (f" (D = {D})" if name == "weight_ih_l1" else "")]
    + [found[column, D].get(name, "—") for column in COLUMNS]
    for name, D in ROWS
]
# --8<-- [end:weights]

assert weight_rows == weight_formula_rows()

# --8<-- [start:weights-en]
from rnn_guide.shape_tables import WEIGHT_COLUMNS as COLUMNS
from rnn_guide.shape_tables import markdown_table as markdown
from rnn_guide.shape_tables import weight_formula_rows

weight_rows = weight_formula_rows()  # set-up: the formulas worked out above

print(markdown(["Parameter", *COLUMNS], weight_rows))
# --8<-- [end:weights-en]

# --8<-- [start:weights-zh]
from rnn_guide.shape_tables import WEIGHT_COLUMNS as COLUMNS
from rnn_guide.shape_tables import markdown_table as markdown
from rnn_guide.shape_tables import weight_formula_rows

weight_rows = weight_formula_rows()  # set-up: the formulas worked out above

print(markdown(["参数", *COLUMNS], weight_rows))
# --8<-- [end:weights-zh]
