"""Deployment: dynamic int8 quantization, proj_size, the measured result."""

# --8<-- [start:quantize]
import warnings

import torch
from torch import nn

from rnn_guide.deployment import PaddedLSTMClassifier, state_dict_bytes

torch.manual_seed(0)
model = PaddedLSTMClassifier(vocab_size=1000, num_classes=2, hidden_size=128).eval()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    quantized = torch.ao.quantization.quantize_dynamic(
        model, {nn.LSTM, nn.Linear}, dtype=torch.qint8
    )
print("warning:", str(caught[0].message).splitlines()[0][:72], "...")
print("lstm:", type(quantized.lstm).__module__, type(quantized.lstm).__name__)
print("head:", type(quantized.head).__module__, type(quantized.head).__name__)
print("embedding stays:", type(quantized.embedding).__name__)
print(
    f"LSTM weights: {state_dict_bytes(model.lstm):,} -> "
    f"{state_dict_bytes(quantized.lstm):,} bytes"
)

tokens = torch.randint(1, 1000, (8, 40))
lengths = torch.randint(1, 41, (8,))
with torch.no_grad():
    diff = (quantized(tokens, lengths) - model(tokens, lengths)).abs().max()
print(f"max |int8 - float32| of the logits: {diff:.3f}")
# --8<-- [end:quantize]

# --8<-- [start:proj-size]
import warnings

import torch
from torch import nn

warnings.filterwarnings("ignore")
torch.manual_seed(0)
lstm = nn.LSTM(16, 32, batch_first=True, proj_size=8)
quantized = torch.ao.quantization.quantize_dynamic(
    nn.Sequential(lstm), {nn.LSTM}, dtype=torch.qint8
)
print("quantize_dynamic returned:", type(quantized[0]).__name__)
try:
    quantized(torch.randn(2, 5, 16))
except RuntimeError as error:
    print("forward pass: RuntimeError:", error)
# --8<-- [end:proj-size]

# --8<-- [start:load]
from rnn_guide.results import latest_result

result = latest_result("deployment")  # the newest deployment-*.json
hardware, config = result["hardware"], result["config"]
print("command: ", result["command"])
print("date:    ", result["date"])
print("cpu:     ", hardware["cpu"], f"({hardware['cpu_count']} logical cores)")
print("torch:   ", hardware["torch"])
print("threads: ", config["threads"], "| shared machine:", config["shared_machine"])
print("load avg:", config["load_average_before"], "->", config["load_average_after"])
print("trained: ", config["quantization"]["classifier"])
# --8<-- [end:load]

# --8<-- [start:table-en]
from rnn_guide.deployment import median_and_quartiles
from rnn_guide.results import latest_result

m = latest_result("deployment")["metrics"]  # set-up: the committed result


def mb(name):
    return f"{m[name] / 1e6:.2f} MB"


def ms(name):
    median, low, high = median_and_quartiles(m, f"{name}_seconds_per_call")
    return f"{median * 1e3:.0f} ms ({low * 1e3:.0f}–{high * 1e3:.0f})"


speedup = median_and_quartiles(m, "int8_packed_speedup_over_float32_packed")
rows = [
    ("", "float32", "int8"),
    ("---", "---:", "---:"),
    (
        "saved state dict, whole model",
        mb("float32_state_dict_bytes"),
        mb("int8_state_dict_bytes"),
    ),
    (
        "saved state dict, LSTM only",
        mb("float32_lstm_state_dict_bytes"),
        mb("int8_lstm_state_dict_bytes"),
    ),
    (
        "test accuracy",
        f"{m['float32_test_accuracy']:.2%}",
        f"{m['int8_test_accuracy']:.2%}",
    ),
    ("time to classify the test split", ms("float32_packed"), ms("int8_packed")),
    ("speed-up over float32", "1", "{:.2f}× ({:.2f}–{:.2f})".format(*speedup)),
]
for row in rows:
    print("| " + " | ".join(row) + " |")
# --8<-- [end:table-en]

# --8<-- [start:table-zh]
from rnn_guide.deployment import median_and_quartiles
from rnn_guide.results import latest_result

m = latest_result("deployment")["metrics"]  # 准备：已提交的结果


def mb(name):
    return f"{m[name] / 1e6:.2f} MB"


def ms(name):
    median, low, high = median_and_quartiles(m, f"{name}_seconds_per_call")
    return f"{median * 1e3:.0f} ms ({low * 1e3:.0f}–{high * 1e3:.0f})"


speedup = median_and_quartiles(m, "int8_packed_speedup_over_float32_packed")
rows = [
    ("", "float32", "int8"),
    ("---", "---:", "---:"),
    (
        "保存的 `state_dict`（整个模型）",
        mb("float32_state_dict_bytes"),
        mb("int8_state_dict_bytes"),
    ),
    (
        "保存的 `state_dict`（仅 LSTM）",
        mb("float32_lstm_state_dict_bytes"),
        mb("int8_lstm_state_dict_bytes"),
    ),
    (
        "测试集准确率",
        f"{m['float32_test_accuracy']:.2%}",
        f"{m['int8_test_accuracy']:.2%}",
    ),
    ("分类整个测试集的时间", ms("float32_packed"), ms("int8_packed")),
    ("相对 float32 的加速比", "1", "{:.2f}× ({:.2f}–{:.2f})".format(*speedup)),
]
for row in rows:
    print("| " + " | ".join(row) + " |")
# --8<-- [end:table-zh]
