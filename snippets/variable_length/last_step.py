"""output[:, -1] on a padded batch, and the right final states."""

# --8<-- [start:wrong-last-step]
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence as pack
from torch.nn.utils.rnn import pad_packed_sequence, pad_sequence

torch.set_printoptions(precision=4, sci_mode=False)
torch.set_grad_enabled(False)  # no training here
torch.manual_seed(0)
lengths = torch.tensor([3, 5, 2, 4])
x = pad_sequence([torch.randn(int(n), 4) for n in lengths], batch_first=True)
lstm = nn.LSTM(input_size=4, hidden_size=6, batch_first=True)

# The right answer: the last real step of each sequence, from a packed run
packed = pack(x, lengths, batch_first=True, enforce_sorted=False)
packed_output, (h_n, _) = lstm(packed)
final = h_n[-1]  # (N, H)

# Mistake 1: run the padded batch and take output[:, -1]
output, _ = lstm(x)  # the layer also reads the padding
print("output[:, -1] of the padded run:\n", output[:, -1, :3])
# Mistake 2: pack, unpack, then take output[:, -1]
unpacked, _ = pad_packed_sequence(packed_output, batch_first=True)
print("output[:, -1] after pad_packed_sequence:\n", unpacked[:, -1, :3])
print("h_n[-1], the real final states:\n", final[:, :3])

longest = lengths == lengths.max()  # only sequence 1 fills all 5 steps
assert torch.allclose(output[longest, -1], final[longest], atol=1e-6)
assert not torch.allclose(output[~longest, -1], final[~longest], atol=1e-3)
assert bool((unpacked[~longest, -1] == 0).all())
# --8<-- [end:wrong-last-step]

# --8<-- [start:right-last-step]
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence as pack
from torch.nn.utils.rnn import pad_packed_sequence, pad_sequence

torch.manual_seed(0)  # set-up: the batch, the layer and both runs from above
lengths = torch.tensor([3, 5, 2, 4])
x = pad_sequence([torch.randn(int(n), 4) for n in lengths], batch_first=True)
lstm = nn.LSTM(input_size=4, hidden_size=6, batch_first=True)
packed_output, (h_n, _) = lstm(pack(x, lengths, batch_first=True, enforce_sorted=False))
final = h_n[-1]  # (N, H)
output, _ = lstm(x)
unpacked, _ = pad_packed_sequence(packed_output, batch_first=True)

rows = torch.arange(len(lengths))
at_length = unpacked[rows, lengths - 1]  # step lengths[i] - 1 of row i
same = torch.allclose(at_length, final, atol=1e-6)
print("gather at lengths - 1 == h_n[-1]:", same)

# One direction only: steps before the padding never see it, so this works
# on the unpacked padded run as well
print(
    "same on the padded run:",
    torch.allclose(output[rows, lengths - 1], final, atol=1e-6),
)
# --8<-- [end:right-last-step]
