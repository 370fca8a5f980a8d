"""Deployment: ONNX export and ONNX Runtime, what packing breaks, torch.export."""

# --8<-- [start:onnx]
import tempfile
import warnings
from pathlib import Path

import onnxruntime
import torch
from torch.export import Dim

from rnn_guide.deployment import PaddedLSTMClassifier

warnings.filterwarnings("ignore")  # the exporter's deprecation notes
torch.manual_seed(0)
model = PaddedLSTMClassifier(vocab_size=1000, num_classes=2).eval()
tokens = torch.randint(1, 1000, (4, 12))  # (N, L), padded at the end
lengths = torch.tensor([12, 7, 9, 3])  # (N,)

batch, length = Dim("batch"), Dim("length")
program = torch.onnx.export(
    model,
    (tokens, lengths),
    dynamo=True,
    verbose=False,
    input_names=["tokens", "lengths"],
    output_names=["logits"],
    dynamic_shapes=({0: batch, 1: length}, {0: batch}),
)
path = Path(tempfile.mkdtemp()) / "classifier.onnx"
program.save(path)

session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
for arg in session.get_inputs():
    print(f"input {arg.name}: {arg.shape} {arg.type}")
for n, steps in [(4, 12), (7, 30), (1, 200)]:  # other batch sizes and lengths
    tokens = torch.randint(1, 1000, (n, steps))
    lengths = torch.randint(1, steps + 1, (n,))
    feed = {"tokens": tokens.numpy(), "lengths": lengths.numpy()}
    (logits,) = session.run(None, feed)
    with torch.no_grad():
        expected = model(tokens, lengths)
    diff = (torch.from_numpy(logits) - expected).abs().max().item()
    print(f"N={n} L={steps}: logits {logits.shape}, max |diff| < 1e-5: {diff < 1e-5}")
# --8<-- [end:onnx]

# --8<-- [start:packed]
import warnings

import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence

warnings.filterwarnings("ignore")


class PackedLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(8, 16, batch_first=True)

    def forward(self, x, lengths):  # x: (N, L, 8), lengths: (N,)
        packed = pack_padded_sequence(
            x, lengths, batch_first=True, enforce_sorted=False
        )
        _, (h_n, _) = self.lstm(packed)
        return h_n[-1]  # (N, 16), the state after each last valid step


torch.manual_seed(0)
model = PackedLSTM().eval()
x, lengths = torch.randn(3, 5, 8), torch.tensor([5, 2, 3])
attempts = {
    "torch.onnx.export(dynamo=True)": lambda: torch.onnx.export(
        model, (x, lengths), dynamo=True, verbose=False
    ),
    "torch.export.export": lambda: torch.export.export(model, (x, lengths)),
}
for name, attempt in attempts.items():
    try:
        attempt()
        print(f"{name}: exported")
    except Exception as error:
        lines = [line for line in str(error).splitlines() if line.strip()]
        cause = next((line for line in lines if "argument" in line), lines[0])
        print(f"{name}: {type(error).__name__}\n    {cause}")
# --8<-- [end:packed]

# --8<-- [start:torch-export]
import warnings

import torch
from torch.export import Dim

from rnn_guide.deployment import PaddedLSTMClassifier

torch.manual_seed(0)
warnings.filterwarnings("ignore")
model = PaddedLSTMClassifier(vocab_size=1000, num_classes=2).eval()
tokens = torch.randint(1, 1000, (4, 12))
lengths = torch.tensor([12, 7, 9, 3])

batch, length = Dim("batch"), Dim("length")
try:  # a dynamic batch size and a dynamic length, as for ONNX
    torch.export.export(
        model, (tokens, lengths), dynamic_shapes=({0: batch, 1: length}, {0: batch})
    )
except Exception as error:
    reason = str(error).splitlines()[1].strip(" -").split(". ")[0]
    print(f"{type(error).__name__}: {reason}")

exported = torch.export.export(  # the batch size only
    model, (tokens, lengths), dynamic_shapes=({0: batch}, {0: batch})
)
signature = exported.graph_signature
for spec in signature.input_specs:
    print(f"{spec.kind.name:10} {spec.arg.name:24} {spec.target or ''}".rstrip())
print("outputs:", [spec.arg.name for spec in signature.output_specs])
print("ranges:", {str(k): str(v) for k, v in exported.range_constraints.items()})

with torch.no_grad():
    other = torch.randint(1, 1000, (6, 12)), torch.randint(1, 13, (6,))
    same = torch.equal(exported.module()(*other), model(*other))
    print("same logits on a (6, 12) batch:", same)
    try:
        exported.module()(torch.randint(1, 1000, (6, 20)), other[1])
    except AssertionError as error:
        print("a (6, 20) batch: AssertionError:", error)
# --8<-- [end:torch-export]
