"""Pitfalls with padded batches: output[:, -1], lengths on the GPU, unsorted lengths."""

# --8<-- [start:padded-wrong]
import torch
from torch import nn
from torch.nn.utils.rnn import (
    pack_padded_sequence,
    pad_packed_sequence,
    pad_sequence,
)

torch.manual_seed(0)
torch.set_printoptions(precision=4, sci_mode=False)

gru = nn.GRU(input_size=2, hidden_size=3, batch_first=True)
seqs = [torch.randn(5, 2), torch.randn(3, 2), torch.randn(2, 2)]
lengths = torch.tensor([5, 3, 2])
padded = pad_sequence(seqs, batch_first=True)  # (3, 5, 2), zeros after each end

with torch.no_grad():
    # the state at each sequence's true end: run each one alone
    alone = torch.stack([gru(s.unsqueeze(0))[1][0, 0] for s in seqs])

    output, _ = gru(padded)  # padded steps are read like real ones
    print("padded input, |output[:, -1] - true final state| per sequence:")
    print((output[:, -1] - alone).abs().amax(dim=1))

    packed_out, _ = gru(pack_padded_sequence(padded, lengths, batch_first=True))
    unpacked, _ = pad_packed_sequence(packed_out, batch_first=True)
    print("packed, then padded again: output[:, -1] =")
    print(unpacked[:, -1])
# --8<-- [end:padded-wrong]

assert torch.allclose(output[0, -1], alone[0])
assert not torch.allclose(output[1:, -1], alone[1:], atol=1e-3)
assert torch.equal(unpacked[1:, -1], torch.zeros(2, 3))

# --8<-- [start:padded-right]
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

torch.manual_seed(0)  # set-up: the layer and the padded batch from above
gru = nn.GRU(input_size=2, hidden_size=3, batch_first=True)
seqs = [torch.randn(5, 2), torch.randn(3, 2), torch.randn(2, 2)]
lengths = torch.tensor([5, 3, 2])
padded = pad_sequence(seqs, batch_first=True)  # (3, 5, 2), zeros after each end
with torch.no_grad():  # set-up: each sequence's true final state, as above
    alone = torch.stack([gru(s.unsqueeze(0))[1][0, 0] for s in seqs])

with torch.no_grad():
    packed = pack_padded_sequence(
        padded, lengths, batch_first=True, enforce_sorted=False
    )
    packed_out, h_n = gru(packed)
    print("h_n[-1] == true final states:", torch.allclose(h_n[-1], alone))

    # or pick each sequence's own last step out of the padded output
    unpacked, _ = pad_packed_sequence(packed_out, batch_first=True)
    picked = unpacked[torch.arange(len(seqs)), lengths - 1]
    print(
        "output[i, length_i - 1] == true final states:",
        torch.allclose(picked, alone, atol=1e-6),
    )
# --8<-- [end:padded-right]

assert torch.allclose(h_n[-1], alone, atol=1e-6)
assert torch.allclose(picked, alone, atol=1e-6)

# --8<-- [start:lengths-wrong]
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

torch.manual_seed(0)  # set-up: the layer and the padded batch from above
gru = nn.GRU(input_size=2, hidden_size=3, batch_first=True)
seqs = [torch.randn(5, 2), torch.randn(3, 2), torch.randn(2, 2)]
lengths = torch.tensor([5, 3, 2])
padded = pad_sequence(seqs, batch_first=True)  # (3, 5, 2), zeros after each end

# lengths computed on the accelerator, e.g. (tokens != 0).sum(1) on a GPU.
# PyTorch's "meta" device stands in for the GPU here: same check, same message.
lengths_on_device = lengths.to("meta")
try:
    pack_padded_sequence(padded, lengths_on_device, batch_first=True)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
# --8<-- [end:lengths-wrong]

from rnn_guide.errors import raised

assert "should be a 1D CPU int64 tensor" in str(
    raised(lambda: pack_padded_sequence(padded, lengths_on_device, batch_first=True))
)
if torch.cuda.is_available():  # on a GPU machine, check the real thing (silently)
    error = raised(
        lambda: pack_padded_sequence(padded.cuda(), lengths.cuda(), batch_first=True)
    )
    assert isinstance(error, RuntimeError) and "1D CPU int64 tensor" in str(error)

# --8<-- [start:lengths-right]
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

torch.manual_seed(0)  # set-up: the layer and the padded batch from above
gru = nn.GRU(input_size=2, hidden_size=3, batch_first=True)
seqs = [torch.randn(5, 2), torch.randn(3, 2), torch.randn(2, 2)]
lengths = torch.tensor([5, 3, 2])
padded = pad_sequence(seqs, batch_first=True)  # (3, 5, 2), zeros after each end

# the padded data may live on the GPU; the lengths go to the CPU
packed = pack_padded_sequence(padded, lengths.cpu(), batch_first=True)
print("batch_sizes", packed.batch_sizes)

lengths_list = lengths.tolist()  # a Python list works too
packed = pack_padded_sequence(padded, lengths_list, batch_first=True)
print("batch_sizes", packed.batch_sizes)
# --8<-- [end:lengths-right]

# --8<-- [start:unsorted-wrong]
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

torch.manual_seed(0)  # set-up: the layer and the padded batch from above
gru = nn.GRU(input_size=2, hidden_size=3, batch_first=True)
seqs = [torch.randn(5, 2), torch.randn(3, 2), torch.randn(2, 2)]
lengths = torch.tensor([5, 3, 2])
padded = pad_sequence(seqs, batch_first=True)  # (3, 5, 2), zeros after each end

order = [2, 0, 1]  # a batch as it comes from a shuffled DataLoader
batch, batch_lengths = padded[order], lengths[order]  # lengths [2, 5, 3]
try:
    pack_padded_sequence(batch, batch_lengths, batch_first=True)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
# --8<-- [end:unsorted-wrong]

assert "must be sorted in decreasing order" in str(
    raised(lambda: pack_padded_sequence(batch, batch_lengths, batch_first=True))
)

# --8<-- [start:unsorted-right]
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence, pad_sequence

torch.manual_seed(0)  # set-up: the layer and the padded batch from above
gru = nn.GRU(input_size=2, hidden_size=3, batch_first=True)
seqs = [torch.randn(5, 2), torch.randn(3, 2), torch.randn(2, 2)]
lengths = torch.tensor([5, 3, 2])
padded = pad_sequence(seqs, batch_first=True)  # (3, 5, 2), zeros after each end
with torch.no_grad():  # set-up: each sequence's true final state, as above
    alone = torch.stack([gru(s.unsqueeze(0))[1][0, 0] for s in seqs])
order = [2, 0, 1]  # set-up: the shuffled batch from above
batch, batch_lengths = padded[order], lengths[order]  # lengths [2, 5, 3]

packed = pack_padded_sequence(
    batch, batch_lengths, batch_first=True, enforce_sorted=False
)
with torch.no_grad():
    _, h_n = gru(packed)
print("lengths", batch_lengths.tolist())
print(
    "h_n[-1] in the batch's own order:",
    torch.allclose(h_n[-1], alone[order], atol=1e-6),
)
# --8<-- [end:unsorted-right]

assert torch.allclose(h_n[-1], alone[order], atol=1e-6)
