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
for layer in (nn.RNN, nn.LSTM, nn.GRU, nn.RNNCell, nn.LSTMCell, nn.GRUCell):
    built = layer(4, 8)  # no bias argument
    biases = [name for name, _ in built.named_parameters() if name.startswith("bias")]
    print(f"{layer.__name__:8} bias={built.bias}: {biases}")
# --8<-- [end:bias-default]


# --8<-- [start:sharing]
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
for layer in (nn.RNN, nn.GRU, nn.LSTM):
    count = sum(p.numel() for p in layer(input_size=100, hidden_size=256).parameters())
    print(f"{layer.__name__:4}: {count:7,} parameters")
# --8<-- [end:gru-size]
