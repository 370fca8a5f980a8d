"""Error messages about packing and batching sequences of different lengths."""

# --8<-- [start:unsorted]
import torch
from torch.nn.utils.rnn import pack_padded_sequence

from rnn_guide.errors import show_error

torch.manual_seed(0)
x = torch.randn(5, 3, 4)  # padded batch (L=5, N=3, H_in=4)
lengths = torch.tensor([3, 5, 4])  # in the order of the data set
show_error(lambda: pack_padded_sequence(x, lengths))
# --8<-- [end:unsorted]

from rnn_guide.errors import raised

assert "must be sorted in decreasing order" in str(
    raised(lambda: pack_padded_sequence(x, lengths))
)

# --8<-- [start:unsorted-fix]
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.manual_seed(0)
lstm = nn.LSTM(4, 8)
x = torch.randn(5, 3, 4)  # (L=5, N=3, H_in=4)
lengths = torch.tensor([3, 5, 4])
packed = pack_padded_sequence(
    x, lengths, enforce_sorted=False
)  # sorts and unsorts for you
output, (h_n, c_n) = lstm(packed)
padded, out_lengths = pad_packed_sequence(output)
print("lengths back in the batch's order:", out_lengths.tolist())
print("h_n", tuple(h_n.shape))
# --8<-- [end:unsorted-fix]

# --8<-- [start:lengths-tensor]
import torch
from torch.nn.utils.rnn import pack_padded_sequence

from rnn_guide.errors import show_error

torch.manual_seed(0)
x = torch.randn(3, 5, 4)  # (N=3, L=5, H_in=4)
lengths = torch.tensor([[5], [4], [3]])  # one column, as read from a table
show_error(lambda: pack_padded_sequence(x, lengths, batch_first=True))
# --8<-- [end:lengths-tensor]

assert "should be a 1D CPU int64 tensor" in str(
    raised(lambda: pack_padded_sequence(x, lengths, batch_first=True))
)

# --8<-- [start:lengths-tensor-fix]
import torch
from torch.nn.utils.rnn import pack_padded_sequence

torch.manual_seed(0)
x = torch.randn(3, 5, 4)  # (N=3, L=5, H_in=4)
lengths = torch.tensor([[5], [4], [3]])
lengths = lengths.flatten().cpu().long()  # 1-D, on the CPU, int64
packed = pack_padded_sequence(x, lengths, batch_first=True)
print("batch_sizes", packed.batch_sizes.tolist())
# --8<-- [end:lengths-tensor-fix]

# --8<-- [start:zero-length]
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence

from rnn_guide.errors import show_error

torch.manual_seed(0)
texts = [
    torch.randn(4, 2),
    torch.randn(0, 2),
    torch.randn(3, 2),
]  # one text lost all its tokens
x = pad_sequence(texts, batch_first=True)
lengths = torch.tensor([len(t) for t in texts])
show_error(
    lambda: pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
)
# --8<-- [end:zero-length]

assert "greater than 0" in str(
    raised(
        lambda: pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    )
)

# --8<-- [start:zero-length-fix]
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence

torch.manual_seed(0)
texts = [torch.randn(4, 2), torch.randn(0, 2), torch.randn(3, 2)]
texts = [t for t in texts if len(t) > 0]  # drop empty sequences before batching
x = pad_sequence(texts, batch_first=True)
lengths = torch.tensor([len(t) for t in texts])
packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
print("kept", len(texts), "sequences, lengths", lengths.tolist())
# --8<-- [end:zero-length-fix]

# --8<-- [start:collate]
import torch
from torch.utils.data import DataLoader

from rnn_guide.errors import show_error

torch.manual_seed(0)
data = [(torch.randn(3, 4), 0), (torch.randn(2, 4), 1)]  # sequences of 3 and 2 steps
loader = DataLoader(data, batch_size=2)  # the default collate stacks them
show_error(lambda: next(iter(loader)))
# --8<-- [end:collate]

assert "stack expects each tensor to be equal size" in str(
    raised(lambda: next(iter(loader)))
)

# --8<-- [start:collate-fix]
import torch
from torch.nn.utils.rnn import pad_sequence
from torch.utils.data import DataLoader

torch.manual_seed(0)
data = [(torch.randn(3, 4), 0), (torch.randn(2, 4), 1)]


def collate_padded(batch):
    """Pad the sequences of a batch to the longest one; keep their lengths."""
    sequences, labels = zip(*batch, strict=True)
    lengths = torch.tensor([len(s) for s in sequences])
    return pad_sequence(sequences, batch_first=True), lengths, torch.tensor(labels)


loader = DataLoader(data, batch_size=2, collate_fn=collate_padded)
x, lengths, labels = next(iter(loader))
print("x", tuple(x.shape), " lengths", lengths.tolist(), " labels", labels.tolist())
# --8<-- [end:collate-fix]
