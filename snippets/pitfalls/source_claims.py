"""Smaller claims of the source posts: names, bias, parameter sharing, GRU size."""

# --8<-- [start:name-error]
import torch
from torch import nn

Rnn = nn.RNN(input_size=20, hidden_size=50, num_layers=2)  # the post's name: Rnn
input = torch.randn(5, 3, 20)  # the post's names (input shadows a built-in)
h0 = torch.zeros(2, 3, 50)
try:
    output, hn = RNN(input, h0)  # the post calls RNN, which it never defined
except NameError as error:
    print("NameError:", error)
output, hn = Rnn(input, h0)  # the layer it did build
print("Rnn(input, h0):", tuple(output.shape), tuple(hn.shape))
# --8<-- [end:name-error]

# --8<-- [start:undefined-loop]
import torch
from torch import nn

seed_loop = """
for epoch in range(num_epochs):
    for inputs, labels in dataloader:
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, labels)
"""
model = nn.Linear(3, 2)  # the post defines a model and an optimizer ...
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
defined = {"model": model, "optimizer": optimizer}
missing = {  # ... and uses three names it never defines
    "num_epochs": 1,
    "dataloader": [(torch.randn(4, 3), torch.tensor([0, 1, 1, 0]))],
    "criterion": nn.CrossEntropyLoss(),
}
undefined = []
while True:
    try:
        exec(seed_loop, {}, dict(defined))
        break
    except NameError as error:  # define the missing name and run again
        name = str(error).split("'")[1]
        undefined.append(name)
        defined[name] = missing[name]
print("names the post uses but never defines:", undefined)
# --8<-- [end:undefined-loop]

# --8<-- [start:bias-default]
import torch
from torch import nn

for layer in (nn.RNN, nn.LSTM, nn.GRU, nn.RNNCell, nn.LSTMCell, nn.GRUCell):
    built = layer(4, 8)  # no bias argument
    biases = [name for name, _ in built.named_parameters() if name.startswith("bias")]
    print(f"{layer.__name__:8} bias={built.bias}: {biases}")
# --8<-- [end:bias-default]


# --8<-- [start:sharing]
import torch
from torch import nn


def saved_bytes(run):
    """Bytes of the tensors autograd keeps for the backward pass of run()."""
    sizes = {}

    def pack(tensor):
        sizes[tensor.untyped_storage().data_ptr()] = tensor.untyped_storage().nbytes()
        return tensor

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda tensor: tensor):
        run()
    return sum(sizes.values())


torch.manual_seed(0)
rnn = nn.RNN(input_size=8, hidden_size=16)
count = sum(p.numel() for p in rnn.parameters())
for length in (10, 100, 1000):
    x = torch.randn(length, 4, 8)
    kept = saved_bytes(lambda x=x: rnn(x)[0].sum())
    print(f"L = {length:4}: {count} parameters, {kept:9,} bytes kept for backward")
# --8<-- [end:sharing]

# --8<-- [start:gru-size]
import torch
from torch import nn

for layer in (nn.RNN, nn.GRU, nn.LSTM):
    count = sum(p.numel() for p in layer(input_size=100, hidden_size=256).parameters())
    print(f"{layer.__name__:4}: {count:7,} parameters")
# --8<-- [end:gru-size]

# --8<-- [start:seed-classifier]
import torch
from torch import nn

from rnn_guide.text.batching import pad_sequences
from rnn_guide.text.synthetic import synthetic_reviews
from rnn_guide.text.tokenize import tokenize_en

train = synthetic_reviews(1500, seed=1, max_words=40)  # no download; half positive
test = synthetic_reviews(500, seed=2, max_words=40)
vocab = {
    w: i + 1
    for i, w in enumerate(sorted({w for t in train.texts for w in tokenize_en(t)}))
}


def encode(data):  # padded (N, L) token indices, 0 for padding; labels (N,)
    tokens, _ = pad_sequences([[vocab[w] for w in tokenize_en(t)] for t in data.texts])
    return tokens, torch.tensor([int(label == "pos") for label in data.labels])


class SeedRNN(nn.Module):  # the post's model, as printed
    def __init__(self, input_size, hidden_size, batch_first=False):
        super().__init__()
        self.embedding = nn.Embedding(input_size, hidden_size)
        self.rnn = nn.RNN(hidden_size, hidden_size, batch_first=batch_first)
        self.fc = nn.Linear(hidden_size, 2)

    def forward(self, x):
        output, _ = self.rnn(self.embedding(x))
        if not self.rnn.batch_first:  # the post: output[:, -1, :] of a (L, N, H) layer
            return self.fc(output[:, -1, :])
        last = (x != 0).sum(dim=1) - 1  # fixed: each text's last real step
        return self.fc(output[torch.arange(len(x)), last])


def test_accuracy(batch_first, make_optimizer, epochs=4):
    torch.manual_seed(0)
    (x, y), (x_test, y_test) = encode(train), encode(test)
    model = SeedRNN(len(vocab) + 1, 64, batch_first)
    optimizer, criterion = make_optimizer(model.parameters()), nn.CrossEntropyLoss()
    for _ in range(epochs):
        for batch in torch.randperm(len(y)).split(32):
            optimizer.zero_grad()
            criterion(model(x[batch]), y[batch]).backward()
            optimizer.step()
    with torch.no_grad():
        return (model(x_test).argmax(dim=1) == y_test).float().mean().item()


def sgd(params):
    return torch.optim.SGD(params, lr=0.01)


def adam(params):
    return torch.optim.Adam(params, lr=1e-3)


print(f"as printed (output[:, -1, :], SGD 0.01): {test_accuracy(False, sgd):.1%}")
print(f"layout fixed, SGD 0.01:                 {test_accuracy(True, sgd):.1%}")
print(f"layout fixed, Adam 1e-3:                {test_accuracy(True, adam):.1%}")
# --8<-- [end:seed-classifier]
