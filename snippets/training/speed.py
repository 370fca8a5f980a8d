"""Speed: the committed result of benchmarks/speed.py as a table and a figure."""

import os
from pathlib import Path

FIGURES = Path(os.environ.get("RNN_GUIDE_FIGURE_DIR", "docs/assets/figures"))

# --8<-- [start:load]
from rnn_guide.results import latest_result

result = latest_result("speed")  # the newest benchmarks/results/speed-*.json
hardware, config = result["hardware"], result["config"]
print("command: ", result["command"])
print("date:    ", result["date"])
print("cpu:     ", hardware["cpu"], f"({hardware['cpu_count']} logical cores)")
print("gpu:     ", hardware["gpu"])
print("torch:   ", hardware["torch"])
print("load avg:", config["load_average_before"], "->", config["load_average_after"])
for name, info in config["compile"].items():
    print(f"{name}: {info['status']}")
# --8<-- [end:load]

# --8<-- [start:ratios]
from rnn_guide.results import latest_result

result = latest_result("speed")  # set-up: the committed result, as above
config = result["config"]

m = result["metrics"]


def speed(name):
    return m[f"{name}_samples_per_second"]


print(f"nn.LSTM / LSTMCell loop: {speed('fused_lstm') / speed('lstm_cell_loop'):.2f}x")
print(f"packed / padded:         {speed('packed') / speed('padded'):.2f}x")
# --8<-- [end:ratios]

# --8<-- [start:table-en]
from rnn_guide.results import latest_result

result = latest_result("speed")  # set-up: the committed result, as above

from rnn_guide.plotting.speed import format_speed_table

print(format_speed_table(result, language="en", threads=[1]))
# --8<-- [end:table-en]

# --8<-- [start:table-zh]
from rnn_guide.results import latest_result

result = latest_result("speed")  # set-up: the committed result, as above

from rnn_guide.plotting.speed import format_speed_table

print(format_speed_table(result, language="zh", threads=[1]))
# --8<-- [end:table-zh]

# --8<-- [start:plot-en]
from rnn_guide.results import latest_result

result = latest_result("speed")  # set-up: the committed result, as above

from rnn_guide.plotting.speed import plot_speed

fig = plot_speed(result, language="en", threads=[1])
# --8<-- [end:plot-en]

figure_en = fig

# --8<-- [start:plot-zh]
from rnn_guide.results import latest_result

result = latest_result("speed")  # set-up: the committed result, as above

from rnn_guide.plotting.speed import plot_speed

fig = plot_speed(result, language="zh", threads=[1])
# --8<-- [end:plot-zh]

from rnn_guide.plotting import save_figure

save_figure(figure_en, FIGURES / "training-speed-throughput-en.svg")
save_figure(fig, FIGURES / "training-speed-throughput-zh.svg")

# --8<-- [start:recompile]
import torch
from torch import nn


def compilations(dynamic):
    """How often torch.compile compiles an LSTMCell called with four batch sizes."""
    torch._dynamo.reset()
    graphs = []

    def counting_backend(graph, example_inputs):  # records each compilation
        graphs.append(graph)
        return graph.forward

    cell = torch.compile(nn.LSTMCell(8, 16), backend=counting_backend, dynamic=dynamic)
    counts = []
    for batch in (4, 8, 16, 32):
        cell(torch.randn(batch, 8))
        counts.append(len(graphs))
    return counts


print("dynamic=None (default):", compilations(None))
print("dynamic=False:         ", compilations(False))
# --8<-- [end:recompile]

# --8<-- [start:packing]
from rnn_guide.results import latest_result

packing = latest_result("packing_backward")  # benchmarks/packing_backward.py
m = packing["metrics"]


def ms(setting, length, phase):
    return m[f"{setting}_length_{length}_{phase}_milliseconds"]


print("  L   forward: packed / padded   backward: packed / padded   (equal lengths)")
for length in packing["config"]["lengths"]:
    forward = ms("packed", length, "forward") / ms("padded", length, "forward")
    backward = ms("packed", length, "backward") / ms("padded", length, "backward")
    equal = ms("packed_equal", length, "backward") / ms("padded", length, "backward")
    print(f"{length:4}   {forward:24.2f}x   {backward:24.2f}x   ({equal:.2f}x)")
# --8<-- [end:packing]

# --8<-- [start:two-jobs]
from rnn_guide.results import latest_result, load_results

timing = latest_result("etth1_epoch_time")  # written by benchmarks/etth1_epoch_time.py
m, config = timing["metrics"], timing["config"]
print(
    "cpu:",
    timing["hardware"]["cpu"],
    f"({timing['hardware']['cpu_count']} cores),",
    config["threads"],
    "threads per job,",
    config["repeats"],
    "interleaved repeats",
)
for condition in ("alone", "two_jobs", "bfloat16"):
    key = f"{condition}_train_seconds_per_epoch"
    print(
        f"{condition:9} {m[key + '_median']:6.0f} s per epoch"
        f"  ({m[key + '_min']:.0f} to {m[key + '_max']:.0f} s)"
    )
for condition in ("two_jobs", "bfloat16"):
    key = f"{condition}_over_alone_ratio"
    print(
        f"{condition} / alone: {m[key + '_median']:.2f}x"
        f"  ({m[key + '_min']:.2f}x to {m[key + '_max']:.2f}x)"
    )
first = load_results("forecast_etth1_M_96")[0]  # the benchmark's first run
seconds = first["metrics"]["seconds_per_epoch"]
print(f"first ETTh1 run ({first['date'][:10]}): {seconds:.0f} s per epoch")
# --8<-- [end:two-jobs]
