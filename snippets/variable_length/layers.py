"""A recurrent layer on a packed batch, and back to a padded tensor."""

# --8<-- [start:run-packed]
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence

torch.manual_seed(0)
lengths = torch.tensor([3, 5, 2, 4])
features = [torch.randn(int(n), 4) for n in lengths]  # each (L_i, H_in)
x = pad_sequence(features, batch_first=True)  # (N, L, H_in) = (4, 5, 4)
lstm = nn.LSTM(input_size=4, hidden_size=6, batch_first=True)

packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
packed_output, (h_n, c_n) = lstm(packed)
print(type(packed_output).__name__, "data", tuple(packed_output.data.shape))
print("h_n", tuple(h_n.shape), " # (num_layers * D, N, H), batch order kept")

for i, sequence in enumerate(features):  # each sequence alone, no padding
    _, (h_alone, _) = lstm(sequence.unsqueeze(0))
    assert torch.allclose(h_n[:, i], h_alone[:, 0], atol=1e-6)
print("h_n[:, i] equals sequence i run alone, for every i")
# --8<-- [end:run-packed]

# --8<-- [start:pad-packed]
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

torch.manual_seed(0)  # set-up: the batch and the layer from above
lengths = torch.tensor([3, 5, 2, 4])
features = [torch.randn(int(n), 4) for n in lengths]  # each (L_i, H_in)
x = pad_sequence(features, batch_first=True)  # (N, L, H_in) = (4, 5, 4)
lstm = nn.LSTM(input_size=4, hidden_size=6, batch_first=True)
packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
packed_output, _ = lstm(packed)

output, output_lengths = pad_packed_sequence(packed_output, batch_first=True)
print("output", tuple(output.shape), "lengths", output_lengths.tolist())
print(
    "steps past each length are padding_value (0):",
    all(bool((output[i, n:] == 0).all()) for i, n in enumerate(lengths)),
)
# --8<-- [end:pad-packed]


# --8<-- [start:total-length]
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

torch.manual_seed(0)  # set-up: the batch and the layer from above
lengths = torch.tensor([3, 5, 2, 4])
features = [torch.randn(int(n), 4) for n in lengths]  # each (L_i, H_in)
x = pad_sequence(features, batch_first=True)  # (N, L, H_in) = (4, 5, 4)
lstm = nn.LSTM(input_size=4, hidden_size=6, batch_first=True)
packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
output, _ = pad_packed_sequence(lstm(packed)[0], batch_first=True)


def replica(chunk, chunk_lengths, total_length=None):
    """What one GPU does under nn.DataParallel: its slice of the batch."""
    packed = pack_padded_sequence(
        chunk, chunk_lengths, batch_first=True, enforce_sorted=False
    )
    out, _ = pad_packed_sequence(
        lstm(packed)[0], batch_first=True, total_length=total_length
    )
    return out


# DataParallel splits the batch along dim 0, then concatenates the outputs
halves = [(x[:2], lengths[:2]), (x[2:], lengths[2:])]  # longest: 5 and 4
print("without total_length:", [tuple(replica(*h).shape) for h in halves])
try:
    torch.cat([replica(*half) for half in halves])
except RuntimeError as error:
    print("RuntimeError:", error)

gathered = torch.cat([replica(*h, total_length=x.size(1)) for h in halves])
print("total_length=5:", tuple(gathered.shape))
assert torch.allclose(gathered, output, atol=1e-6)
# --8<-- [end:total-length]

# --8<-- [start:pack-sequence]
import torch
from torch.nn.utils.rnn import (
    pack_padded_sequence,
    pack_sequence,
    pad_sequence,
    unpack_sequence,
    unpad_sequence,
)

torch.manual_seed(0)  # set-up: the batch from above
lengths = torch.tensor([3, 5, 2, 4])
features = [torch.randn(int(n), 4) for n in lengths]  # each (L_i, H_in)
x = pad_sequence(features, batch_first=True)  # (N, L, H_in) = (4, 5, 4)
packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)

# From a list of tensors straight to a PackedSequence (no padded tensor)
direct = pack_sequence(features, enforce_sorted=False)
print(
    "same as padding, then packing:",
    torch.equal(direct.data, packed.data)
    and torch.equal(direct.batch_sizes, packed.batch_sizes),
)

# And back to a list: from a padded tensor, or from a PackedSequence
from_padded = unpad_sequence(x, lengths, batch_first=True)
from_packed = unpack_sequence(direct)
print("shapes:", [tuple(t.shape) for t in from_padded])
for original, a, b in zip(features, from_padded, from_packed, strict=True):
    assert torch.equal(original, a) and torch.equal(original, b)
# --8<-- [end:pack-sequence]
