"""Constructor parameters of RNN, LSTM and GRU: defaults and effects."""

# --8<-- [start:signature]
import inspect

from torch import nn

# nn.RNN, nn.LSTM and nn.GRU hand their arguments to nn.RNNBase
signature = inspect.signature(nn.RNNBase.__init__)
for parameter in signature.parameters.values():
    if parameter.name in ("self", "mode"):
        continue
    required = parameter.default is inspect.Parameter.empty
    default = "required" if required else repr(parameter.default)
    print(f"{parameter.name:14}", default)

# nonlinearity is nn.RNN's own argument: read its default from an instance
rnn = nn.RNN(input_size=1, hidden_size=1)
print(f"{'nonlinearity':14}", repr(rnn.nonlinearity))
# --8<-- [end:signature]

# --8<-- [start:keywords]
from torch import nn

# 4th positional argument: nonlinearity for nn.RNN, bias for LSTM and GRU
print(nn.LSTM(10, 20, 2, False))  # bias=False
try:
    nn.RNN(10, 20, 2, False)  # False lands in nonlinearity
except ValueError as error:
    print("ValueError:", error)
print(nn.RNN(10, 20, num_layers=2, bias=False))  # keywords say what they mean
# --8<-- [end:keywords]

# --8<-- [start:summary]
import inspect
import warnings

import torch
from torch import nn

from rnn_guide.shapes import expected_shapes, parameter_count

signature = inspect.signature(nn.RNNBase.__init__)  # set-up: from above
BASE = {"input_size": 10, "hidden_size": 20}  # e.g. nn.LSTM(10, 20)
EXAMPLES = {  # one non-default value per parameter
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
TENSORS = ("input", "h_0", "c_0", "output", "h_n", "c_n")


def build(cls, **changes):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dropout on one layer warns
        return cls(**{**BASE, **changes})


def accepts(cls, name, value):
    try:
        build(cls, **{name: value})
    except (TypeError, ValueError):
        return False
    return True


rows = []
for name, value in EXAMPLES.items():
    accepted = [c for c in (nn.RNN, nn.LSTM, nn.GRU) if accepts(c, name, value)]
    if name in signature.parameters:
        default = signature.parameters[name].default  # empty: required
    else:  # nonlinearity
        default = build(nn.RNN).nonlinearity
    cls = nn.LSTM if nn.LSTM in accepted else accepted[0]  # measured on
    before, after = build(cls), build(cls, **{name: value})
    old, new = expected_shapes(before, 5, 3), expected_shapes(after, 5, 3)
    changed = [t for t in TENSORS if t in new and old[t] != new[t]]
    counts = (parameter_count(before), parameter_count(after))
    rows.append((name, default, value, accepted, changed, counts))

HEADERS = {
    "en": ("Parameter", "Default → example", "Shapes that change", "Parameters"),
    "zh": ("参数", "默认值 → 示例取值", "形状会变的张量", "参数量"),
}
REQUIRED = {"en": "required", "zh": "必填"}


def summary_table(language):
    lines = ["| " + " | ".join(HEADERS[language]) + " |", "|---" * 4 + "|"]
    for name, default, value, accepted, changed, (old, new) in rows:
        empty = default is inspect.Parameter.empty
        default = REQUIRED[language] if empty else f"`{default!r}`"
        link = f"[`{name}`](#{name.replace('_', '-')})"
        if len(accepted) < 3:  # taken by one class only
            link += " (" + ", ".join(cls.__name__ for cls in accepted) + ")"
        cells = (
            link,
            f"{default} → `{value!r}`",
            " ".join(f"`{t}`" for t in changed) or "—",
            f"{old:,}" if old == new else f"{old:,} → {new:,}",
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# --8<-- [end:summary]

from rnn_guide.shape_tables import parameter_summary_table

# The blocks below that run alone take the table from rnn_guide: the same one
assert summary_table("en") == parameter_summary_table("en")
assert summary_table("zh") == parameter_summary_table("zh")

# --8<-- [start:summary-en]
from rnn_guide.shape_tables import parameter_summary_table

summary_table = parameter_summary_table  # set-up: the function defined above
print(summary_table("en"))
# --8<-- [end:summary-en]

# --8<-- [start:summary-zh]
from rnn_guide.shape_tables import parameter_summary_table

summary_table = parameter_summary_table  # set-up: the function defined above
print(summary_table("zh"))
# --8<-- [end:summary-zh]
