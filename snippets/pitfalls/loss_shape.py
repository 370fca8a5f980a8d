"""Pitfall: one logit per text, (N, 1), against labels of shape (N,)."""

# --8<-- [start:wrong]
import torch
from torch import nn

torch.manual_seed(0)

rnn = nn.RNN(input_size=100, hidden_size=256)
fc = nn.Linear(256, 1)  # output_dim = 1: one logit per text
criterion = nn.BCEWithLogitsLoss()

embedded = torch.randn(12, 4, 100)  # (L, N, embedding_dim)
labels = torch.tensor([1.0, 0.0, 1.0, 1.0])  # (N,) float labels
_, hidden = rnn(embedded)
logits = fc(hidden[-1])  # (N, 1)
try:
    loss = criterion(logits, labels)
except ValueError as e:
    print(f"{type(e).__name__}: {e}")
# --8<-- [end:wrong]

from rnn_guide.errors import raised

assert "must be the same as input size" in str(
    raised(lambda: criterion(logits, labels))
)

# --8<-- [start:right]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the layers, the loss and the batch from above
rnn = nn.RNN(input_size=100, hidden_size=256)
fc = nn.Linear(256, 1)  # output_dim = 1: one logit per text
criterion = nn.BCEWithLogitsLoss()
embedded = torch.randn(12, 4, 100)  # (L, N, embedding_dim)
labels = torch.tensor([1.0, 0.0, 1.0, 1.0])  # (N,) float labels
_, hidden = rnn(embedded)
logits = fc(hidden[-1])  # (N, 1)

loss = criterion(logits.squeeze(1), labels)  # (N,) against (N,)
print(f"BCEWithLogitsLoss: {loss.item():.4f}")

# or two logits per text and class indices
fc2 = nn.Linear(256, 2)
loss2 = nn.CrossEntropyLoss()(fc2(hidden[-1]), labels.long())  # (N, 2) vs (N,)
print(f"CrossEntropyLoss:  {loss2.item():.4f}")
# --8<-- [end:right]
