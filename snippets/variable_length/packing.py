"""Padding and packing a batch of variable-length sequences."""

import os
from pathlib import Path

from rnn_guide.plotting import save_figure

FIGURES = Path(os.environ.get("RNN_GUIDE_FIGURE_DIR", "docs/assets/figures"))

# --8<-- [start:pad-sequence]
import torch
from torch.nn.utils.rnn import pad_sequence

# Four token sequences of lengths 3, 5, 2 and 4 (values: sequence, step)
tokens = [
    torch.tensor([11, 12, 13]),
    torch.tensor([21, 22, 23, 24, 25]),
    torch.tensor([31, 32]),
    torch.tensor([41, 42, 43, 44]),
]
print(pad_sequence(tokens))  # default (L, N): one column per sequence
print(pad_sequence(tokens, batch_first=True, padding_value=-1))  # (N, L)
# --8<-- [end:pad-sequence]

# --8<-- [start:pack-padded]
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence

tokens = [  # set-up: the batch from above
    torch.tensor([11, 12, 13]),
    torch.tensor([21, 22, 23, 24, 25]),
    torch.tensor([31, 32]),
    torch.tensor([41, 42, 43, 44]),
]
padded = pad_sequence(tokens, batch_first=True)  # (N, L) = (4, 5)
lengths = torch.tensor([3, 5, 2, 4])
packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)
print("data            ", packed.data)
print("batch_sizes     ", packed.batch_sizes)
print("sorted_indices  ", packed.sorted_indices)
print("unsorted_indices", packed.unsorted_indices)
# --8<-- [end:pack-padded]

# --8<-- [start:plot-en]
import torch

from rnn_guide.plotting.packing import plot_packing

lengths = torch.tensor([3, 5, 2, 4])  # set-up: from above
fig = plot_packing(lengths, language="en")
# --8<-- [end:plot-en]

save_figure(fig, FIGURES / "variable-length-packing-en.svg")

# --8<-- [start:plot-zh]
import torch

from rnn_guide.plotting.packing import plot_packing

lengths = torch.tensor([3, 5, 2, 4])  # set-up: from above
fig = plot_packing(lengths, language="zh")
# --8<-- [end:plot-zh]

save_figure(fig, FIGURES / "variable-length-packing-zh.svg")

# --8<-- [start:enforce-sorted]
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence

tokens = [  # set-up: the batch from above
    torch.tensor([11, 12, 13]),
    torch.tensor([21, 22, 23, 24, 25]),
    torch.tensor([31, 32]),
    torch.tensor([41, 42, 43, 44]),
]
padded = pad_sequence(tokens, batch_first=True)  # (N, L) = (4, 5)
lengths = torch.tensor([3, 5, 2, 4])
packed = pack_padded_sequence(padded, lengths, batch_first=True, enforce_sorted=False)

# enforce_sorted=True, the default, refuses the lengths 3, 5, 2, 4
try:
    pack_padded_sequence(padded, lengths, batch_first=True)
except RuntimeError as error:
    print("RuntimeError:", error)

# Sorting the batch yourself gives the same data, with no order to undo
order = lengths.argsort(descending=True)  # longest first
by_length = pack_padded_sequence(padded[order], lengths[order], batch_first=True)
print("same data:", torch.equal(by_length.data, packed.data))
print("sorted_indices:", by_length.sorted_indices)
# --8<-- [end:enforce-sorted]

# --8<-- [start:lengths-cpu]
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence

tokens = [  # set-up: the batch from above
    torch.tensor([11, 12, 13]),
    torch.tensor([21, 22, 23, 24, 25]),
    torch.tensor([31, 32]),
    torch.tensor([41, 42, 43, 44]),
]
padded = pad_sequence(tokens, batch_first=True)  # (N, L) = (4, 5)
lengths = torch.tensor([3, 5, 2, 4])

# "meta" stands in for "cuda" here: the check rejects every device but the CPU
lengths_elsewhere = lengths.to("meta")
try:
    pack_padded_sequence(padded, lengths_elsewhere, batch_first=True)
except RuntimeError as error:
    print("RuntimeError:", error)

# Fine: lengths on the CPU (a no-op if they already are), or a plain list
for fine in (lengths.cpu(), [3, 5, 2, 4]):
    again = pack_padded_sequence(padded, fine, batch_first=True, enforce_sorted=False)
    print(type(fine).__name__, "->", again.batch_sizes.tolist())
# --8<-- [end:lengths-cpu]

# --8<-- [start:lengths-rules]
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

tokens = [  # set-up: the batch from above
    torch.tensor([11, 12, 13]),
    torch.tensor([21, 22, 23, 24, 25]),
    torch.tensor([31, 32]),
    torch.tensor([41, 42, 43, 44]),
]
padded = pad_sequence(tokens, batch_first=True)  # (N, L) = (4, 5)
lengths = torch.tensor([3, 5, 2, 4])

# Any integer dtype on the CPU works: PyTorch converts the lengths to int64 itself
as_int32 = pack_padded_sequence(
    padded, lengths.int(), batch_first=True, enforce_sorted=False
)
print("int32 lengths:", as_int32.batch_sizes.tolist())

# What comes back in the batch's order, and what stays sorted by length
torch.manual_seed(0)
gru = nn.GRU(input_size=1, hidden_size=2, batch_first=True)
x = padded.unsqueeze(-1).float()  # (N, L, 1)
out, h_n = gru(pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False))
unpacked, out_lengths = pad_packed_sequence(out, batch_first=True)  # (N, L, 2)
last = unpacked[torch.arange(4), out_lengths - 1]  # each sequence's last output
# each sequence run on its own, without padding
alone = torch.cat([gru(x[i : i + 1, : lengths[i]])[1][0] for i in range(4)])
print("h_n, batch order:                ", torch.allclose(h_n[0], alone))
print("pad_packed_sequence, batch order:", torch.allclose(last, alone))
step0 = out.data[:4]  # the first time step of all four sequences
print(
    "out.data, sorted by length:      ",
    torch.equal(step0, unpacked[out.sorted_indices, 0]),
)

# A sequence of length 0 (say, an empty text after tokenising) is an error
try:
    pack_padded_sequence(
        padded, torch.tensor([3, 5, 0, 4]), batch_first=True, enforce_sorted=False
    )
except RuntimeError as error:
    print("RuntimeError:", error)
# --8<-- [end:lengths-rules]
