"""The figures of the training pages: gradient norms through time, norm histograms, loss curves."""

from __future__ import annotations

import math

import pytest
import torch
from matplotlib.figure import Figure
from support.figures import CJK, figure_text

from rnn_guide.plotting.gradients import plot_grad_norm_histogram, plot_gradient_norms
from rnn_guide.plotting.training_curves import plot_loss_curves


@pytest.mark.parametrize("language", ["en", "zh", None])
def test_gradient_norms_log_scale_one_line_per_model(language) -> None:
    norms = {"nn.RNN": torch.logspace(-8, 0, 10), "nn.LSTM": torch.logspace(-4, 0, 12)}
    fig = plot_gradient_norms(norms, language=language)
    (ax,) = fig.axes
    assert ax.get_yscale() == "log" and len(ax.get_lines()) == 2
    assert len(ax.get_lines()[1].get_xdata()) == 12
    texts = figure_text(fig)
    assert "nn.LSTM" in texts
    assert bool(CJK.search(texts)) == (language == "zh")


@pytest.mark.parametrize(
    "norms",
    [{}, {"a": torch.tensor([1.0, 0.0])}, {"a": torch.tensor([1.0, float("nan")])}, {"a": torch.ones(2, 2)}],
)
def test_gradient_norms_rejects_bad_input(norms) -> None:
    with pytest.raises((TypeError, ValueError)):
        plot_gradient_norms(norms)


@pytest.mark.parametrize("language", ["en", "zh", None])
def test_histogram_draws_thresholds_and_skips_nonfinite(language) -> None:
    norms = [0.1, 0.5, 1.0, 2.0, float("nan"), float("inf"), 3.0]
    fig = plot_grad_norm_histogram(norms, thresholds={"p90": 2.5}, bins=5, language=language)
    (ax,) = fig.axes
    assert ax.get_xscale() == "log"
    assert sum(p.get_height() for p in ax.patches) == 5
    assert ("第 90 百分位数 = 2.5" if language == "zh" else "p90 = 2.5") in figure_text(fig)
    assert bool(CJK.search(figure_text(fig))) == (language == "zh")


def test_histogram_of_a_single_value_and_bad_input() -> None:
    assert isinstance(plot_grad_norm_histogram([1.0, 1.0]), Figure)
    with pytest.raises(ValueError):
        plot_grad_norm_histogram([float("nan"), 0.0])
    with pytest.raises(ValueError):
        plot_grad_norm_histogram([1.0], thresholds={"bad": -1.0})
    with pytest.raises(ValueError):
        plot_grad_norm_histogram([1.0], bins=0)
    with pytest.raises(TypeError):
        plot_grad_norm_histogram("1.0")


@pytest.mark.parametrize("language", ["en", "zh", None])
def test_loss_curves_mark_divergence(language) -> None:
    curves = {"clipped": [2.0, 1.0, 0.5, 0.4], "not clipped": [2.0, 50.0, math.nan, math.nan]}
    fig = plot_loss_curves(curves, baseline=0.3, title="curves_title_clipping", language=language)
    (ax,) = fig.axes
    assert ax.get_yscale() == "log"
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert list(lines["not clipped"].get_xdata()) == [0.0, 1.0]  # stops before the first nan
    texts = figure_text(fig)
    assert "nan" in texts
    if language == "en":
        assert "from step 2" in texts and "Training loss" in texts
    assert bool(CJK.search(texts)) == (language == "zh")


def test_loss_curves_with_steps_and_spread() -> None:
    fig = plot_loss_curves(
        {"a": [1.0, 0.5, 0.2]}, steps=[50, 100, 150], spread={"a": ([0.9, 0.4, 0.1], [1.1, 0.6, 0.3])}, log_y=False
    )
    (ax,) = fig.axes
    assert ax.get_yscale() == "linear" and len(ax.collections) == 1
    assert list(ax.get_lines()[0].get_xdata()) == [50, 100, 150]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"curves": {}}, TypeError),
        ({"curves": {"a": [1.0], "b": [1.0, 2.0]}}, ValueError),
        ({"curves": {"a": [math.nan]}}, ValueError),
        ({"curves": {"a": [1.0]}, "steps": [1, 2]}, ValueError),
        ({"curves": {"a": [1.0]}, "spread": {"b": ([1.0], [1.0])}}, ValueError),
        ({"curves": {"a": [1.0]}, "spread": {"a": [1.0]}}, TypeError),
        ({"curves": {"a": "abc"}}, TypeError),
        ({"curves": {"a": [1.0]}, "y_label": "nope"}, ValueError),
        ({"curves": {"a": [1.0]}, "title": "nope"}, ValueError),
    ],
)
def test_loss_curves_reject_bad_input(kwargs, error) -> None:
    with pytest.raises(error):
        plot_loss_curves(**kwargs)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_known_run_names_are_drawn_in_the_figure_language(language) -> None:
    from rnn_guide.plotting.training_curves import plot_loss_curves

    fig = plot_loss_curves({"no clipping": [1.0, 2.0], "AGC(0.1)": [1.0, 0.5]}, language=language)
    text = figure_text(fig)
    assert ("不裁剪" if language == "zh" else "no clipping") in text and "AGC(0.1)" in text
