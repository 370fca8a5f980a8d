"""rnn_guide.plotting.speed: the table and figure of benchmarks/speed.py results."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.figure import Figure

from rnn_guide.plotting import save_figure
from rnn_guide.plotting.speed import format_speed_table, plot_speed, speed_rows


def _result() -> dict:
    metrics: dict[str, float] = {}
    for name, value in (
        ("fused_lstm", 1000.0),
        ("lstm_cell_loop", 400.0),
        ("padded", 900.0),
        ("packed", 700.0),
        ("batch_size_1_threads_1", 100.0),
        ("batch_size_16_threads_1", 800.0),
        ("batch_size_1_threads_2", 90.0),
        ("batch_size_16_threads_2", 1200.0),
    ):
        key = f"{name}_samples_per_second"
        metrics[key] = value
        metrics[key + "_lower_quartile"] = value * 0.9
        metrics[key + "_upper_quartile"] = value * 1.1
    config = {
        "compile": {
            "compiled_lstm_cell_loop": {"status": "did not finish within 120 s", "compile_seconds": 120.0},
            "compiled_cell_step": {"status": "failed: RuntimeError: no compiler", "compile_seconds": 1.0},
        }
    }
    return {"metrics": metrics, "config": config}


def test_rows_follow_the_page_order_and_report_failed_compilations() -> None:
    rows = speed_rows(_result(), "en")
    names = [name for name, _, _ in rows]
    assert names[:4] == [
        "nn.LSTM (fused)",
        "LSTMCell in a Python loop",
        "torch.compile(LSTMCell loop)",
        "loop over torch.compile(LSTMCell)",
    ]
    assert rows[0][1:] == ("1,000", "900 – 1,100")
    assert rows[2][1] == "not measured: compilation did not finish within 120 s"
    assert rows[3][1] == "not measured: failed: RuntimeError: no compiler"
    # batch rows: 1 thread first, batch sizes increasing
    assert names[-4:] == [
        "nn.LSTM, batch 1, 1 thread(s)",
        "nn.LSTM, batch 16, 1 thread(s)",
        "nn.LSTM, batch 1, 2 thread(s)",
        "nn.LSTM, batch 16, 2 thread(s)",
    ]


def test_chinese_table() -> None:
    table = format_speed_table(_result(), "zh")
    lines = table.splitlines()
    assert lines[0] == "| 设置 | 每秒样本数（中位数） | 四分位数 |"
    assert lines[1] == "|:--|--:|--:|"
    assert "未测得：编译在 120 秒内未完成" in table
    assert len(lines) == 2 + 4 + 2 + 4


@pytest.mark.parametrize("language", ["en", "zh", None])
def test_plot_speed_draws_both_panels(language: str | None, tmp_path: Path) -> None:
    fig = plot_speed(_result(), language)
    assert isinstance(fig, Figure)
    left, right = fig.axes
    assert len(left.patches) == 4  # the two compiled settings have no bar
    assert right.get_xscale() == "log"
    assert [tick.get_text() for tick in right.get_xticklabels()] == ["1", "16"]
    save_figure(fig, tmp_path / "speed.svg")


def test_bad_results_are_refused() -> None:
    with pytest.raises(TypeError, match="result must be a result record"):
        plot_speed({"no": "metrics"})
    with pytest.raises(ValueError, match="holds no"):
        plot_speed({"metrics": {"other_metric": 1.0}})
    with pytest.raises(ValueError, match="language"):
        speed_rows(_result(), "fr")


def test_threads_selects_the_batch_settings_shown() -> None:
    result = {
        "metrics": {
            "batch_size_4_threads_1_samples_per_second": 10.0,
            "batch_size_4_threads_2_samples_per_second": 3.0,
        }
    }
    assert [row[0] for row in speed_rows(result, "en", threads=[1])] == ["nn.LSTM, batch 4, 1 thread(s)"]
    assert len(speed_rows(result, "en")) == 2
    with pytest.raises(TypeError, match="threads"):
        speed_rows(result, "en", threads=1)
