"""rnn_guide.plotting.classifier_sweep: the table and figure of benchmarks/classifier_comparison.py results."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.figure import Figure

from rnn_guide.plotting import save_figure
from rnn_guide.plotting.classifier_sweep import format_sweep_table, plot_classifier_sweep, sweep_rows


def _row(table: str, rnn_type: str = "lstm", hidden: int = 128, embedding: int = 128, layers: int = 1) -> dict:
    accuracy = 0.8 + hidden / 10_000 + embedding / 20_000 - (0.05 if rnn_type == "rnn" else 0.0)
    return {
        "table": table,
        "rnn_type": rnn_type,
        "hidden_size": hidden,
        "embedding_dim": embedding,
        "num_layers": layers,
        "test_accuracy": accuracy,
        "training_seconds": hidden * layers / 2,
        "training_cpu_seconds": hidden * layers / 3,
        "parameters": 1000 * hidden,
    }


def _result() -> dict:
    rows = [_row("cell", t) for t in ("rnn", "lstm", "gru")]
    rows += [_row("size", hidden=h, embedding=e) for h in (64, 128, 256) for e in (64, 128)]
    rows += [{**_row("depth"), "same_run_as": "cell"}, _row("depth", layers=2)]
    return {"name": "classifier_comparison_chnsenticorp", "metrics": {}, "config": {"rows": rows}}


def test_rows_come_in_table_order_with_percent_and_seconds() -> None:
    rows = sweep_rows(_result(), "en")
    assert len(rows) == 3 + 6 + 2
    assert rows[0] == ("RNN, embedding 128, hidden 128", "76.9 %", "43", "128,000")
    assert sweep_rows(_result(), "zh")[0][1] == "76.9%"  # no space before % in Chinese
    assert rows[3][0] == "LSTM, embedding 64, hidden 64"
    assert rows[-1][0] == "LSTM, 2 layer(s)"
    assert sweep_rows(_result(), "en", time="wall")[0][2] == "64"


def test_tables_in_both_languages() -> None:
    english = format_sweep_table(_result(), "en")
    chinese = format_sweep_table(_result(), "zh")
    assert english.splitlines()[0] == "| setting | test accuracy | training time (CPU s) | parameters |"
    assert "测试集准确率" in chinese and "LSTM，2 层" in chinese
    assert len(english.splitlines()) == len(chinese.splitlines()) == 2 + 11


@pytest.mark.parametrize("language", ["en", "zh", None])
def test_figure_has_accuracy_and_time_for_each_table(language: str | None, tmp_path: Path) -> None:
    fig = plot_classifier_sweep(_result(), language)
    assert isinstance(fig, Figure)
    axes = fig.get_axes()
    assert len(axes) == 6  # 2 rows x (cell, size, depth)
    size_time = axes[4]  # bottom row, second column
    assert len(size_time.get_lines()) == 2  # one line per embedding size
    assert [int(x) for x in size_time.get_lines()[0].get_xdata()] == [64, 128, 256]
    assert save_figure(fig, tmp_path / "sweep.svg").stat().st_size > 0


def test_only_the_tables_present_are_drawn() -> None:
    result = _result()
    result["config"]["rows"] = [r for r in result["config"]["rows"] if r["table"] == "size"]
    assert len(plot_classifier_sweep(result, "en").get_axes()) == 2


def test_bad_results_are_named() -> None:
    with pytest.raises(TypeError, match="config\\['rows'\\]"):
        plot_classifier_sweep({"metrics": {}}, "en")
    with pytest.raises(ValueError, match="no rows"):
        plot_classifier_sweep({"config": {"rows": []}}, "en")
    with pytest.raises(ValueError, match="lacks the keys \\['test_accuracy'\\]"):
        sweep_rows({"config": {"rows": [{"table": "cell", "rnn_type": "rnn", "hidden_size": 1, "embedding_dim": 1}]}})
    old = _result()
    for row in old["config"]["rows"]:
        del row["training_cpu_seconds"]
    with pytest.raises(ValueError, match="training_cpu_seconds"):
        plot_classifier_sweep(old, "en")
    assert plot_classifier_sweep(old, "en", time="wall") is not None
    with pytest.raises(ValueError, match="time"):
        sweep_rows(_result(), "en", time="gpu")
    with pytest.raises(ValueError, match="language"):
        sweep_rows(_result(), "fr")


def _with_baselines() -> dict:
    result = _result()
    result["config"]["rows"] += [
        {
            "table": "baseline",
            "model": "defaults",
            "test_accuracy": 0.9,
            "training_seconds": 9.0,
            "training_cpu_seconds": 12.0,
        },
        {
            "table": "baseline",
            "model": "tfidf_logistic_regression",
            "test_accuracy": 0.85,
            "training_seconds": 2.0,
            "training_cpu_seconds": 3.0,
        },
    ]
    return result


def test_baselines_come_last_in_their_own_order() -> None:
    rows = sweep_rows(_with_baselines(), "en")
    assert len(rows) == 11 + 2
    assert rows[-2] == ("baseline: TF-IDF + logistic regression", "85.0 %", "3", "")
    assert rows[-1][0].startswith("train_text_classifier defaults") and rows[-1][1] == "90.0 %"
    assert sweep_rows(_with_baselines(), "zh")[-2][0] == "基线：TF-IDF + 逻辑回归"


def test_baselines_are_lines_in_every_accuracy_panel() -> None:
    fig = plot_classifier_sweep(_with_baselines(), "en")
    for axes in fig.get_axes()[:3]:  # the top row: accuracy
        levels = sorted(
            round(line.get_ydata()[0], 6)
            for line in axes.get_lines()
            if len(set(line.get_ydata())) == 1 and line.get_linestyle() in ("--", ":")
        )
        assert levels == [85.0, 90.0]
        low, high = axes.get_ylim()
        assert low < 85.0 and high > 90.0  # both lines are inside the panel
    (legend,) = fig.legends  # one legend for the whole figure
    assert [t.get_text() for t in legend.get_texts()] == [
        "baseline: TF-IDF + logistic regression",
        "train_text_classifier defaults (n-grams + BiLSTM, early stopping)",
    ]


def test_unknown_baseline_is_named() -> None:
    result = _with_baselines()
    result["config"]["rows"][-1]["model"] = "svm"
    with pytest.raises(ValueError, match="svm"):
        sweep_rows(result, "en")
    del result["config"]["rows"][-1]["model"]
    with pytest.raises(ValueError, match="lacks the keys \\['model'\\]"):
        sweep_rows(result, "en")
