"""Pitfall: torchtext's removed legacy API (Field, BucketIterator); what replaces it."""

# --8<-- [start:wrong]
try:
    from torchtext.data import Field

    TEXT = Field(sequential=True, lower=True, include_lengths=True)
except ImportError as e:  # ModuleNotFoundError is an ImportError
    print(f"{type(e).__name__}: {e}")
# --8<-- [end:wrong]

try:  # not installed (the guide does not use it), or >= 0.12: both raise ImportError
    from torchtext.data import Field
except ImportError:
    pass
else:
    raise AssertionError("torchtext.data.Field should not be importable")

# --8<-- [start:right]
import torch
from torch.utils.data import DataLoader

from rnn_guide.text import (
    BucketBatchSampler,
    EncodedTexts,
    Vocab,
    collate_padded,
    encode,
    tokenize_en,
)

texts = [
    "A wonderful, moving film.",
    "Dull. I left early.",
    "The plot makes no sense at all and the acting is wooden.",
    "Great cast, great music, great fun!",
    "Not worth the ticket.",
    "I would watch it again tomorrow.",
]
labels = [1, 0, 0, 1, 0, 1]  # LabelField -> plain integers

tokens = [tokenize_en(t) for t in texts]  # Field(lower=True) -> a tokenizer
vocab = Vocab.build(tokens, max_size=10_000)  # TEXT.build_vocab(max_size=...)
dataset = EncodedTexts([encode(t, vocab) for t in tokens], labels)
sampler = BucketBatchSampler(dataset.lengths, batch_size=2, seed=0)  # buckets
loader = DataLoader(dataset, batch_sampler=sampler, collate_fn=collate_padded)

print(vocab)
for batch, lengths, y in loader:  # tokens (N, L), lengths (N,), labels (N,)
    print(tuple(batch.shape), lengths.tolist(), y.tolist())
# --8<-- [end:right]

# --8<-- [start:plain]
import torch
from torch.nn.utils.rnn import pad_sequence

from rnn_guide.text import EncodedTexts, Vocab, collate_padded, encode, tokenize_en

texts = [  # set-up: the data set from above
    "A wonderful, moving film.",
    "Dull. I left early.",
    "The plot makes no sense at all and the acting is wooden.",
    "Great cast, great music, great fun!",
    "Not worth the ticket.",
    "I would watch it again tomorrow.",
]
labels = [1, 0, 0, 1, 0, 1]
tokens = [tokenize_en(t) for t in texts]
vocab = Vocab.build(tokens, max_size=10_000)
dataset = EncodedTexts([encode(t, vocab) for t in tokens], labels)


def collate(batch):  # the same collate_fn in plain PyTorch
    sequences = [torch.as_tensor(ids) for ids, _ in batch]
    lengths = torch.tensor([len(s) for s in sequences])  # stays on the CPU
    padded = pad_sequence(sequences, batch_first=True, padding_value=0)
    return padded, lengths, torch.tensor([label for _, label in batch])


batch = [dataset[i] for i in range(3)]
same = [
    torch.equal(a, b)
    for a, b in zip(collate(batch), collate_padded(batch), strict=True)
]
print("same tensors as collate_padded:", all(same))
# --8<-- [end:plain]

assert all(same)
