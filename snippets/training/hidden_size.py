"""Hidden size and depth: the classifier comparison result as a table and a figure."""

import os
from pathlib import Path

FIGURES = Path(os.environ.get("RNN_GUIDE_FIGURE_DIR", "docs/assets/figures"))

# --8<-- [start:load]
from rnn_guide.results import latest_result

result = latest_result("classifier_comparison_chnsenticorp")  # the newest result file
config, hardware = result["config"], result["hardware"]
print("command:", result["command"])
print("date:   ", result["date"])
print("cpu:    ", hardware["cpu"], f"({hardware['cpu_count']} logical cores)")
print("budget: ", config["budget"])
print("texts:  ", config["train_texts"], "to train,", config["test_texts"], "to test")
# --8<-- [end:load]

# --8<-- [start:facts]
from rnn_guide.results import latest_result

result = latest_result("classifier_comparison_chnsenticorp")  # set-up: as above
config = result["config"]

rows = config["rows"]


def accuracy(row):
    return 100 * row["test_accuracy"]


for table in ("cell", "size", "depth"):
    part = [r for r in rows if r["table"] == table]
    low, high = min(part, key=accuracy), max(part, key=accuracy)
    seconds = [r["training_cpu_seconds"] for r in part]
    slow = max(seconds) / min(seconds)
    print(
        f"{table:5}: accuracy {accuracy(low):.1f} % to {accuracy(high):.1f} %, "
        f"slowest run {slow:.1f}x the CPU time of the fastest"
    )
for row in rows:
    if row["table"] == "baseline":  # trained on the same texts in the same run
        print(f"baseline {row['model']}: accuracy {accuracy(row):.1f} %")
# --8<-- [end:facts]

# --8<-- [start:table-en]
from rnn_guide.results import latest_result

result = latest_result("classifier_comparison_chnsenticorp")  # set-up: as above

from rnn_guide.plotting.classifier_sweep import format_sweep_table

print(format_sweep_table(result, language="en"))
# --8<-- [end:table-en]

# --8<-- [start:table-zh]
from rnn_guide.results import latest_result

result = latest_result("classifier_comparison_chnsenticorp")  # set-up: as above

from rnn_guide.plotting.classifier_sweep import format_sweep_table

print(format_sweep_table(result, language="zh"))
# --8<-- [end:table-zh]

# --8<-- [start:plot-en]
from rnn_guide.results import latest_result

result = latest_result("classifier_comparison_chnsenticorp")  # set-up: as above

from rnn_guide.plotting.classifier_sweep import plot_classifier_sweep

fig = plot_classifier_sweep(result, language="en")
# --8<-- [end:plot-en]

figure_en = fig

# --8<-- [start:plot-zh]
from rnn_guide.results import latest_result

result = latest_result("classifier_comparison_chnsenticorp")  # set-up: as above

from rnn_guide.plotting.classifier_sweep import plot_classifier_sweep

fig = plot_classifier_sweep(result, language="zh")
# --8<-- [end:plot-zh]

from rnn_guide.plotting import save_figure

save_figure(figure_en, FIGURES / "training-hidden-size-en.svg")
save_figure(fig, FIGURES / "training-hidden-size-zh.svg")
