"""Dropout in recurrent models: between layers, locked, embedding; weight decay."""

import warnings

# --8<-- [start:between-layers]
import torch
from torch import nn

torch.manual_seed(0)
stacked = nn.LSTM(4, 6, num_layers=2, dropout=1.0)  # p = 1: drop everything
x = torch.randn(5, 2, 4)  # (L, N, H_in)
output, (h_n, c_n) = stacked(x)  # training mode: dropout is active

# The same weights as two separate one-layer LSTMs
layer0, layer1 = nn.LSTM(4, 6), nn.LSTM(6, 6)
weights = stacked.state_dict()
layer0.load_state_dict({k: v for k, v in weights.items() if k.endswith("_l0")})
layer1.load_state_dict(
    {k.replace("_l1", "_l0"): v for k, v in weights.items() if k.endswith("_l1")}
)
out0, (h0, _) = layer0(x)
out1, (h1, _) = layer1(torch.zeros_like(out0))  # layer 1 is fed zeros

print("layer 0 ran without dropout:     ", torch.allclose(h_n[0], h0[0]))
print("layer 1 received only zeros:     ", torch.allclose(output, out1))
print("zeros in the last layer's output:", (output == 0).sum().item())
# --8<-- [end:between-layers]

assert torch.allclose(h_n[0], h0[0]) and torch.allclose(output, out1)
assert (output != 0).all()

# --8<-- [start:one-layer]
import warnings

from torch import nn

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    nn.LSTM(4, 6, num_layers=1, dropout=0.3)
print(f"{caught[0].category.__name__}: {caught[0].message}")
# --8<-- [end:one-layer]

assert "num_layers greater than 1" in str(caught[0].message)

# --8<-- [start:locked]
import torch
from torch import nn

from rnn_guide.regularization import LockedDropout

torch.manual_seed(0)
ones = torch.ones(6, 1, 10)  # (L, N, H): 6 steps of one sequence
print("nn.Dropout: a new mask at every step")
print((nn.Dropout(0.5)(ones)[:, 0] > 0).int())
print("LockedDropout: one mask for the whole sequence")
print((LockedDropout(0.5)(ones)[:, 0] > 0).int())
# --8<-- [end:locked]

locked = LockedDropout(0.5)(ones)
assert all(torch.equal(locked[t], locked[0]) for t in range(6))

# --8<-- [start:embedding]
import torch
from torch import nn

from rnn_guide.regularization import EmbeddingDropout

torch.manual_seed(3)
words = ["<pad>", "the", "cat", "saw", "dog"]
tokens = torch.tensor([[1, 2, 3, 1, 4]])  # "the cat saw the dog", (N, L)
embed = EmbeddingDropout(nn.Embedding(len(words), 8, padding_idx=0), p=0.4)
vectors = embed(tokens)  # (1, 5, 8)
for token, vector in zip(tokens[0].tolist(), vectors[0], strict=True):
    state = "dropped" if (vector == 0).all() else "kept"
    print(f"{words[token]:4} {state}")
# --8<-- [end:embedding]

dropped = (vectors[0] == 0).all(dim=-1)
assert dropped[0] == dropped[3] and 0 < dropped.sum() < 5


# --8<-- [start:model]
from torch import nn

from rnn_guide.regularization import LockedDropout


class RegularisedClassifier(nn.Module):
    """(N, L, H_in) -> one logit per sequence (N,), with locked dropout."""

    def __init__(self, input_size, hidden_size, p):
        super().__init__()
        self.drop_input = LockedDropout(p, batch_first=True)
        self.lstm = nn.LSTM(input_size, hidden_size, batch_first=True)
        self.drop_output = LockedDropout(p, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x):
        output, _ = self.lstm(self.drop_input(x))  # (N, L, H)
        return self.head(self.drop_output(output)[:, -1]).squeeze(-1)


# --8<-- [end:model]


# --8<-- [start:measure-en]
import torch
from torch import nn

from rnn_guide.regularization import LockedDropout


class RegularisedClassifier(nn.Module):  # set-up: the model from above
    """(N, L, H_in) -> one logit per sequence (N,), with locked dropout."""

    def __init__(self, input_size, hidden_size, p):
        super().__init__()
        self.drop_input = LockedDropout(p, batch_first=True)
        self.lstm = nn.LSTM(input_size, hidden_size, batch_first=True)
        self.drop_output = LockedDropout(p, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x):
        output, _ = self.lstm(self.drop_input(x))  # (N, L, H)
        return self.head(self.drop_output(output)[:, -1]).squeeze(-1)


def make_data(n, generator):
    """Label: is the sum of feature 0 over the first 4 steps (plus noise) > 0?"""
    x = torch.randn(n, 12, 4, generator=generator)
    noise = 0.5 * torch.randn(n, generator=generator)
    return x, (x[:, :4, 0].sum(dim=1) + noise > 0).float()


generator = torch.Generator().manual_seed(0)
x_train, y_train = make_data(48, generator)  # few samples: easy to overfit
x_valid, y_valid = make_data(500, generator)
bce = nn.functional.binary_cross_entropy_with_logits

results = {}
for p in (0.0, 0.2, 0.4):
    torch.manual_seed(0)
    model = RegularisedClassifier(4, 48, p)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    model.train()
    for _ in range(150):  # full batch
        loss = bce(model(x_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()  # dropout off for measuring
    with torch.no_grad():
        train_loss = bce(model(x_train), y_train).item()
        valid_logits = model(x_valid)
        valid_loss = bce(valid_logits, y_valid).item()
        accuracy = ((valid_logits > 0).float() == y_valid).float().mean().item()
    results[p] = (train_loss, valid_loss, accuracy)

print("| dropout p | train loss | valid loss | gap | valid accuracy |")
print("|--:|--:|--:|--:|--:|")
for p, (train_loss, valid_loss, accuracy) in results.items():
    gap = valid_loss - train_loss
    print(f"| {p} | {train_loss:.4f} | {valid_loss:.4f} | {gap:.4f} | {accuracy:.3f} |")
# --8<-- [end:measure-en]

assert results[0.2][1] < results[0.0][1]  # dropout narrows the gap here

# --8<-- [start:measure-zh]
import torch
from torch import nn

from rnn_guide.regularization import LockedDropout


class RegularisedClassifier(nn.Module):  # set-up: the model from above
    """(N, L, H_in) -> one logit per sequence (N,), with locked dropout."""

    def __init__(self, input_size, hidden_size, p):
        super().__init__()
        self.drop_input = LockedDropout(p, batch_first=True)
        self.lstm = nn.LSTM(input_size, hidden_size, batch_first=True)
        self.drop_output = LockedDropout(p, batch_first=True)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x):
        output, _ = self.lstm(self.drop_input(x))  # (N, L, H)
        return self.head(self.drop_output(output)[:, -1]).squeeze(-1)


def make_data(n, generator):
    """Label: is the sum of feature 0 over the first 4 steps (plus noise) > 0?"""
    x = torch.randn(n, 12, 4, generator=generator)
    noise = 0.5 * torch.randn(n, generator=generator)
    return x, (x[:, :4, 0].sum(dim=1) + noise > 0).float()


generator = torch.Generator().manual_seed(0)
x_train, y_train = make_data(48, generator)  # few samples: easy to overfit
x_valid, y_valid = make_data(500, generator)
bce = nn.functional.binary_cross_entropy_with_logits

results = {}
for p in (0.0, 0.2, 0.4):
    torch.manual_seed(0)
    model = RegularisedClassifier(4, 48, p)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    model.train()
    for _ in range(150):  # full batch
        loss = bce(model(x_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()  # dropout off for measuring
    with torch.no_grad():
        train_loss = bce(model(x_train), y_train).item()
        valid_logits = model(x_valid)
        valid_loss = bce(valid_logits, y_valid).item()
        accuracy = ((valid_logits > 0).float() == y_valid).float().mean().item()
    results[p] = (train_loss, valid_loss, accuracy)

print("| dropout 概率 p | 训练损失 | 验证损失 | 差距 | 验证准确率 |")
print("|--:|--:|--:|--:|--:|")
for p, (train_loss, valid_loss, accuracy) in results.items():
    gap = valid_loss - train_loss
    print(f"| {p} | {train_loss:.4f} | {valid_loss:.4f} | {gap:.4f} | {accuracy:.3f} |")
# --8<-- [end:measure-zh]

# --8<-- [start:weight-decay]
import torch

torch.set_printoptions(precision=4, sci_mode=False)
for optimizer_class in (torch.optim.Adam, torch.optim.AdamW):
    weights = torch.tensor([0.01, 1.0, 100.0], requires_grad=True)
    optimizer = optimizer_class([weights], lr=0.1, weight_decay=0.1)
    weights.grad = torch.zeros(3)  # the loss has no gradient: only decay acts
    optimizer.step()
    print(f"{optimizer_class.__name__:5} {weights.detach()}")
# --8<-- [end:weight-decay]

# --8<-- [start:no-decay-groups]
import torch
from torch import nn

# the LSTM and the head of the model above; any model works the same way
model = nn.ModuleDict(
    {"lstm": nn.LSTM(4, 48, batch_first=True), "head": nn.Linear(48, 1)}
)
decay = [p for name, p in model.named_parameters() if "bias" not in name]
no_decay = [p for name, p in model.named_parameters() if "bias" in name]
optimizer = torch.optim.AdamW(
    [
        {"params": decay, "weight_decay": 0.01},
        {"params": no_decay, "weight_decay": 0.0},  # biases are not decayed
    ],
    lr=1e-3,
)
print([len(group["params"]) for group in optimizer.param_groups])
# --8<-- [end:no-decay-groups]
