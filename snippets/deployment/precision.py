"""Deployment: lower precision, torch.compile and ONNX Runtime (measured), streaming."""

# --8<-- [start:autocast]
import copy
import warnings

import torch
from torch import nn

warnings.filterwarnings(
    "ignore"
)  # "LSTM with projections is not supported with oneDNN"
torch.manual_seed(0)
layers = {
    "nn.LSTM": nn.LSTM(16, 32, batch_first=True),
    "nn.LSTM(proj_size=8)": nn.LSTM(16, 32, batch_first=True, proj_size=8),
    "nn.GRU": nn.GRU(16, 32, batch_first=True),
}
x = torch.randn(4, 10, 16)
with torch.no_grad():
    for name, layer in layers.items():
        reference, _ = layer(x)  # float32
        for dtype in (torch.bfloat16, torch.float16):
            for how in ("autocast", ".to(dtype)"):
                try:
                    if how == "autocast":
                        with torch.autocast("cpu", dtype=dtype):
                            output, _ = layer(x)
                    else:
                        output, _ = copy.deepcopy(layer).to(dtype)(x.to(dtype))
                    error = (output.float() - reference).abs().max().item()
                    got = f"{output.dtype!s:15} max error {error:.1e}"
                except RuntimeError as failure:
                    got = "RuntimeError: " + str(failure)[:42] + "..."
                print(f"{name:21} {str(dtype)[6:]:8} {how:10} {got}")
# --8<-- [end:autocast]

# --8<-- [start:speed]
from rnn_guide.deployment import median_and_quartiles
from rnn_guide.results import latest_result

result = latest_result("deployment")  # set-up: the committed result
m = result["metrics"]
for name, info in result["config"]["compile"]["status"].items():
    print(f"{name}: {info['status']}, {info['compile_seconds']} s to compile")
comparisons = [
    ("compiled_lstm", "eager_lstm"),
    ("compiled_lstm_cell_loop", "eager_lstm_cell_loop"),
    ("compiled_lstm_cell_loop", "eager_lstm"),
    ("lstm_cast_bfloat16", "lstm_float32"),
    ("lstm_cast_float16", "lstm_float32"),
    ("projected_lstm_autocast_bfloat16", "projected_lstm_float32"),
    ("projected_lstm_autocast_float16", "projected_lstm_float32"),
    ("onnx_runtime", "pytorch_eager"),
]
print("speed-up (median over rounds, quartiles):")
for variant, baseline in comparisons:
    ratio = median_and_quartiles(m, f"{variant}_speedup_over_{baseline}")
    print(f"  {variant} / {baseline}: {ratio[0]:.2f}x ({ratio[1]:.2f}-{ratio[2]:.2f})")
difference = m["onnx_runtime_max_abs_difference"]
print(f"ONNX Runtime vs PyTorch, max abs difference: {difference:.1e}")
# --8<-- [end:speed]

# --8<-- [start:streaming]
import torch
from torch import nn

torch.manual_seed(0)
lstm = nn.LSTM(8, 16, num_layers=2, batch_first=True).eval()
x = torch.randn(3, 50, 8)  # (N, L, H_in): 3 streams, 50 steps

with torch.no_grad():
    full, (h_full, c_full) = lstm(x)  # the whole sequence at once

    state = None  # zeros at the start of each stream
    steps = []
    for t in range(x.shape[1]):  # one step at a time, as data arrives
        out_t, state = lstm(x[:, t : t + 1], state)  # (N, 1, H_out)
        steps.append(out_t)
    streamed = torch.cat(steps, dim=1)

h_n, c_n = state
print("output:", tuple(streamed.shape), "state:", tuple(h_n.shape), tuple(c_n.shape))
print(f"max |streamed - full| output: {(streamed - full).abs().max():.1e}")
print(f"max |streamed - full| h_n:    {(h_n - h_full).abs().max():.1e}")
print(f"max |streamed - full| c_n:    {(c_n - c_full).abs().max():.1e}")
# --8<-- [end:streaming]
