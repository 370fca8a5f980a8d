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
for batch in config["batch_sizes"]:
    two, one = (
        speed(f"batch_size_{batch}_threads_2"),
        speed(f"batch_size_{batch}_threads_1"),
    )
    print(f"batch {batch:3}: 2 threads / 1 thread = {two / one:.2f}x")
# --8<-- [end:ratios]

# --8<-- [start:table-en]
from rnn_guide.results import latest_result

result = latest_result("speed")  # set-up: the committed result, as above

from rnn_guide.plotting.speed import format_speed_table

print(format_speed_table(result, language="en"))
# --8<-- [end:table-en]

# --8<-- [start:table-zh]
from rnn_guide.results import latest_result

result = latest_result("speed")  # set-up: the committed result, as above

from rnn_guide.plotting.speed import format_speed_table

print(format_speed_table(result, language="zh"))
# --8<-- [end:table-zh]

# --8<-- [start:plot-en]
from rnn_guide.results import latest_result

result = latest_result("speed")  # set-up: the committed result, as above

from rnn_guide.plotting.speed import plot_speed

fig = plot_speed(result, language="en")
# --8<-- [end:plot-en]

figure_en = fig

# --8<-- [start:plot-zh]
from rnn_guide.results import latest_result

result = latest_result("speed")  # set-up: the committed result, as above

from rnn_guide.plotting.speed import plot_speed

fig = plot_speed(result, language="zh")
# --8<-- [end:plot-zh]

from rnn_guide.plotting import save_figure

save_figure(figure_en, FIGURES / "training-speed-throughput-en.svg")
save_figure(fig, FIGURES / "training-speed-throughput-zh.svg")
