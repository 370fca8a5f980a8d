"""Pitfalls about layouts: batch_first, output[:, -1], h_0."""

# --8<-- [start:last-sample-wrong]
import torch
from torch import nn

torch.manual_seed(0)

rnn = nn.RNN(input_size=4, hidden_size=8)  # batch_first=False: (L, N, H_in)
x = torch.randn(6, 3, 4)  # 6 time steps, 3 sequences
output, h_n = rnn(x)  # output: (6, 3, 8)

last = output[:, -1, :]  # meant: the last step of every sequence
print("output[:, -1, :]", tuple(last.shape))
print("equals every step of sequence 2:", torch.equal(last, output[:, 2]))
# --8<-- [end:last-sample-wrong]

assert last.shape == (6, 8) and torch.equal(last, output[:, 2])

# --8<-- [start:last-sample-right]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: the layer and the batch from above
rnn = nn.RNN(input_size=4, hidden_size=8)  # batch_first=False: (L, N, H_in)
x = torch.randn(6, 3, 4)  # 6 time steps, 3 sequences
output, h_n = rnn(x)  # output: (6, 3, 8)

last = output[-1]  # (N, H_out): step L-1 of every sequence
print("output[-1]", tuple(last.shape), "== h_n[-1]", torch.equal(last, h_n[-1]))

rnn_bf = nn.RNN(input_size=4, hidden_size=8, batch_first=True)
output_bf, h_n_bf = rnn_bf(x.transpose(0, 1))  # input (N, L, H_in)
last_bf = output_bf[:, -1, :]  # correct only with batch_first=True
print("batch_first output[:, -1, :]", tuple(last_bf.shape))
# --8<-- [end:last-sample-right]

assert torch.equal(last_bf, h_n_bf[-1])

# --8<-- [start:mixing-wrong]
import torch
from torch import nn

torch.manual_seed(0)
embedding = nn.Embedding(50, 4)
fc = nn.Linear(8, 2)
rnn = nn.RNN(4, 8)  # batch_first=False


def predict(tokens):  # tokens: (N, L), as a DataLoader yields them
    output, _ = rnn(embedding(tokens))  # read as (L=N, N=L, 4)!
    return fc(output[:, -1, :])


tokens = torch.randint(0, 50, (3, 6))  # 3 texts of 6 tokens
edit_0 = tokens.clone()
edit_0[0] = (tokens[0] + 1) % 50  # other words in text 0
edit_1 = tokens.clone()
edit_1[1, :5] = (tokens[1, :5] + 1) % 50  # other words in text 1, but its last


@torch.no_grad()
def moves(edited):  # does the prediction for text 1 change?
    return not torch.equal(predict(tokens)[1], predict(edited)[1])


print("prediction shape:", tuple(predict(tokens).shape))
print("text 1 moves when text 0 is edited:      ", moves(edit_0))
print("text 1 moves when text 1 is edited (t<5):", moves(edit_1))
# --8<-- [end:mixing-wrong]

assert moves(edit_0) and not moves(edit_1)

# --8<-- [start:mixing-right]
import torch
from torch import nn

torch.manual_seed(0)  # set-up: embedding, head, texts and moves() from above
embedding = nn.Embedding(50, 4)
fc = nn.Linear(8, 2)
tokens = torch.randint(0, 50, (3, 6))  # 3 texts of 6 tokens
edit_0 = tokens.clone()
edit_0[0] = (tokens[0] + 1) % 50  # other words in text 0
edit_1 = tokens.clone()
edit_1[1, :5] = (tokens[1, :5] + 1) % 50  # other words in text 1, but its last


@torch.no_grad()
def moves(edited):  # does the prediction for text 1 change?
    return not torch.equal(predict(tokens)[1], predict(edited)[1])


rnn = nn.RNN(4, 8, batch_first=True)  # tokens are (N, L): say so


def predict(tokens):
    _, h_n = rnn(embedding(tokens))  # h_n: (num_layers * D, N, H_out)
    return fc(h_n[-1])  # last layer's final state of every text


print("prediction shape:", tuple(predict(tokens).shape))
print("text 1 moves when text 0 is edited:      ", moves(edit_0))
print("text 1 moves when text 1 is edited (t<5):", moves(edit_1))
# --8<-- [end:mixing-right]

assert not moves(edit_0) and moves(edit_1)

# --8<-- [start:output-size-wrong]
import torch
from torch import nn

lstm = nn.LSTM(input_size=50, hidden_size=20, batch_first=True)
x = torch.randn(32, 10, 50)  # (N, L, H_in)
output, (h_n, c_n) = lstm(x)
head = nn.Linear(50, 1)  # sized for an output of "(N, L, input_size)"
try:
    head(output)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")
# --8<-- [end:output-size-wrong]

from rnn_guide.errors import raised

assert "cannot be multiplied" in str(raised(lambda: head(output)))

# --8<-- [start:output-size-right]
import torch
from torch import nn

x = torch.randn(32, 10, 50)  # set-up: (N, L, H_in) as above

for bidirectional in (False, True):
    lstm = nn.LSTM(50, 20, batch_first=True, bidirectional=bidirectional)
    output, (h_n, c_n) = lstm(x)  # output: (N, L, D * hidden_size)
    head = nn.Linear(output.shape[-1], 1)
    print(
        f"bidirectional={bidirectional!s:5} input {tuple(x.shape)} "
        f"output {tuple(output.shape)} head {tuple(head(output).shape)}"
    )
# --8<-- [end:output-size-right]

# --8<-- [start:h0-wrong]
import torch
from torch import nn

gru = nn.GRU(input_size=4, hidden_size=6, num_layers=2, batch_first=True)
x = torch.randn(3, 5, 4)  # (N=3, L=5, H_in=4)
h_0 = torch.zeros(3, 2, 6)  # batch first, "like x"
try:
    gru(x, h_0)
except RuntimeError as e:
    print(f"{type(e).__name__}: {e}")

# Worse: with N == num_layers * D the shape fits and nothing complains
x2 = torch.randn(2, 5, 4)  # N=2
h_0 = torch.randn(2, 2, 6)  # meant as (N, num_layers, H_out)
out_wrong, _ = gru(x2, h_0)  # read as (num_layers, N, H_out)
out_right, _ = gru(x2, h_0.transpose(0, 1).contiguous())
print("no error; same as the intended h_0:", torch.equal(out_wrong, out_right))
# --8<-- [end:h0-wrong]

assert "Expected hidden size (2, 3, 6)" in str(
    raised(lambda: gru(x, torch.zeros(3, 2, 6)))
)
assert not torch.equal(out_wrong, out_right)

# --8<-- [start:h0-right]
import torch
from torch import nn

gru = nn.GRU(input_size=4, hidden_size=6, num_layers=2, batch_first=True)  # set-up
x = torch.randn(3, 5, 4)  # set-up: (N=3, L=5, H_in=4) as above

h_0 = torch.zeros(2, 3, 6)  # (num_layers * D, N, H_out), batch_first or not
output, h_n = gru(x, h_0)
print("input", tuple(x.shape), " h_0", tuple(h_0.shape))
print("output", tuple(output.shape), " h_n", tuple(h_n.shape))
# --8<-- [end:h0-right]
