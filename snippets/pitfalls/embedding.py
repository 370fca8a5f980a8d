"""Pitfall: nn.Embedding's first argument is the vocabulary size."""

# --8<-- [start:wrong]
import torch
from torch import nn

torch.manual_seed(0)

input_size, hidden_size = 100, 256  # "input size" meant as the vector size
embedding = nn.Embedding(input_size, hidden_size)  # a table of only 100 rows
tokens = torch.tensor([[12, 857, 4031]])  # ids from a 10,000-word vocabulary
print("embedding.weight", tuple(embedding.weight.shape))
try:
    embedding(tokens)
except IndexError as e:
    print(f"{type(e).__name__}: {e}")
# --8<-- [end:wrong]

from rnn_guide.errors import raised

assert "index out of range" in str(raised(lambda: embedding(tokens)))

# --8<-- [start:right]
import torch
from torch import nn

tokens = torch.tensor([[12, 857, 4031]])  # set-up: ids from above

vocab_size = 10_000  # number of distinct tokens (rows of the table)
embedding_dim = 100  # length of each token's vector = the RNN's input_size
hidden_size = 256  # independent of both
embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=0)
rnn = nn.RNN(embedding_dim, hidden_size, batch_first=True)

vectors = embedding(tokens)  # (N, L) -> (N, L, embedding_dim)
output, h_n = rnn(vectors)
print("embedding.weight", tuple(embedding.weight.shape))
print("vectors", tuple(vectors.shape), " output", tuple(output.shape))
# --8<-- [end:right]
