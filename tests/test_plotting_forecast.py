"""Forecast-against-actual figures and the page-language display of the tutorials."""

from __future__ import annotations

import numpy as np
import pytest
from support.figures import CJK, figure_text

from rnn_guide.plotting import Table, in_page_language, plot_forecast


@pytest.mark.parametrize("language", ["en", "zh", None])
def test_forecast_lines_start_at_the_origin(language) -> None:
    observed = np.arange(30.0)
    fig = plot_forecast(
        observed,
        {"LSTM": np.full(6, 25.0), "seasonal_naive": np.zeros((6, 1))},
        start=24,
        context=12,
        language=language,
    )
    (ax,) = fig.axes
    observed_line, lstm = ax.get_lines()[:2]
    assert observed_line.get_xdata()[0] == 12 and len(observed_line.get_xdata()) == 18
    assert list(lstm.get_xdata()) == list(range(24, 30))
    texts = figure_text(fig)
    assert "LSTM" in texts  # kept as given
    assert bool(CJK.search(texts)) == (language == "zh")
    if language == "en":
        assert "seasonal naive" in texts and "forecast origin" in texts
    if language == "zh":
        assert "季节性朴素预测" in texts and "预测起点" in texts


def test_index_labels_the_ticks() -> None:
    index = [f"{1949 + m // 12}" for m in range(36)]
    fig = plot_forecast(np.ones(36), {"x": np.ones(12)}, start=24, index=index, tick_every=12, x_label="forecast_year")
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == ["1949", "1950", "1951"]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"forecasts": {"x": np.ones(8)}}, ValueError),  # runs past the observed values
        ({"forecasts": {}}, TypeError),
        ({"forecasts": {"x": "abc"}}, TypeError),
        ({"forecasts": {"x": np.ones(2)}, "start": 10}, ValueError),
        ({"forecasts": {"x": np.ones(2)}, "index": ["a"]}, ValueError),
        ({"forecasts": {"x": np.ones(2)}, "y_label": "unknown"}, ValueError),
        ({"forecasts": {"x": np.ones((2, 3))}}, ValueError),
    ],
)
def test_bad_input_is_refused(kwargs, error) -> None:
    arguments = {"start": 5, **kwargs}
    with pytest.raises(error):
        plot_forecast(np.ones(10), **arguments)


def test_in_page_language_renders_each_language_and_closes_figures() -> None:
    import matplotlib.pyplot as plt

    shown = in_page_language(lambda language: plot_forecast(np.ones(10), {"x": np.ones(2)}, start=5, language=language))
    html = shown._repr_html_()
    assert html.count("data:image/png;base64,") == 2
    assert 'lang="en"' in html and 'lang="zh"' in html
    assert 'html[lang|="zh"]' in html  # the rule that picks the page's language
    assert 'alt="上面的代码单元格画出的图"' in html
    assert plt.get_fignums() == []  # Jupyter must not show the figures a second time


def test_in_page_language_tables() -> None:
    table = in_page_language(
        lambda language: Table({"en": ["model", "RMSE"], "zh": ["模型", "RMSE"]}[language], [("<LSTM>", 1.5)])
    )
    html = table._repr_html_()
    assert 'text-align:left">模型</th>' in html and "&lt;LSTM&gt;" in html
    assert 'text-align:right">1.5</td>' in html
    assert repr(table).splitlines()[0].split() == ["model", "RMSE"]


def test_table_and_in_page_language_check_their_input() -> None:
    with pytest.raises(ValueError):
        Table(["a", "b"], [("only one",)])
    with pytest.raises(ValueError):
        Table(["a"], [], align="x")
    with pytest.raises(TypeError):
        in_page_language(lambda language: "not a figure")
    with pytest.raises(ValueError):
        in_page_language(lambda language: Table(["a"], []), languages=["fr"])
