"""The figures of the recurrent-layer pages: gate activations and the unrolled layer."""

from __future__ import annotations

import re

import matplotlib
import pytest
import torch
from matplotlib.figure import Figure

from rnn_guide.plotting import gates as gates_module
from rnn_guide.plotting import unrolled as unrolled_module
from rnn_guide.plotting.gates import GATE_NAMES, plot_gates
from rnn_guide.plotting.style import LABELS
from rnn_guide.plotting.unrolled import plot_unrolled

matplotlib.use("Agg")

CJK = re.compile("[\u4e00-\u9fff]")


def _texts(fig: Figure) -> list[str]:
    found = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    return [t for t in found if t]


def _lstm_gates(seq_len: int = 5, hidden: int = 3) -> dict[str, torch.Tensor]:
    torch.manual_seed(0)
    return {
        "i": torch.rand(seq_len, hidden),
        "f": torch.rand(seq_len, hidden),
        "g": torch.rand(seq_len, hidden) * 2 - 1,
        "o": torch.rand(seq_len, hidden),
    }


# --- plot_gates ---------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh", None])
def test_plot_gates_returns_one_panel_per_gate_and_one_for_the_input(language: str | None) -> None:
    fig = plot_gates(_lstm_gates(), inputs=torch.randn(5, 1), kind="LSTM", language=language)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 5
    texts = " ".join(_texts(fig))
    if language == "zh":
        assert "遗忘门" in texts and "nn.LSTM" in texts
    elif language == "en":
        assert "forget gate" in texts and "nn.LSTM" in texts
    else:
        assert not CJK.search(texts) and "forget" not in texts


def test_plot_gates_draws_the_mean_over_units() -> None:
    values = torch.tensor([[0.0, 1.0], [0.2, 0.4], [0.5, 0.5]])
    fig = plot_gates({"z": values}, kind="GRU")
    line = fig.axes[0].get_lines()[0]
    assert list(line.get_xdata()) == [0, 1, 2]
    assert [round(v, 6) for v in line.get_ydata()] == [0.5, 0.3, 0.5]


def test_plot_gates_accepts_gru_gates_and_tanh_candidates() -> None:
    gates = {"r": torch.full((4, 2), 0.3), "z": torch.full((4, 2), 0.9), "n": torch.full((4, 2), -0.8)}
    fig = plot_gates(gates, kind="GRU", language="zh")
    assert len(fig.axes) == 3
    assert fig.axes[2].get_ylim()[0] < -1  # the tanh panel spans (-1, 1)


@pytest.mark.parametrize(
    ("gates", "error", "message"),
    [
        ({}, TypeError, "non-empty mapping"),
        ([torch.zeros(2, 2)], TypeError, "mapping"),
        ({"x": torch.zeros(2, 2)}, ValueError, "gate name must be one of"),
        ({"i": [[0.5]]}, TypeError, "torch.Tensor"),
        ({"i": torch.zeros(3)}, ValueError, "2-D"),
        ({"i": torch.zeros(3, 2), "f": torch.zeros(4, 2)}, ValueError, "same shape"),
        ({"i": torch.full((3, 2), 1.5)}, ValueError, "sigmoid activations in \\[0, 1\\]"),
        ({"n": torch.full((3, 2), -2.0)}, ValueError, "tanh activations in \\[-1, 1\\]"),
        ({"o": torch.full((3, 2), float("nan"))}, ValueError, "finite"),
        ({"f": torch.zeros(0, 2)}, ValueError, "at least one step"),
    ],
)
def test_plot_gates_rejects_bad_gates(gates: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        plot_gates(gates)  # type: ignore[arg-type]


def test_plot_gates_rejects_bad_inputs_kind_and_language() -> None:
    gates = _lstm_gates(seq_len=5)
    with pytest.raises(ValueError, match="L = 5 steps"):
        plot_gates(gates, inputs=torch.zeros(4))
    with pytest.raises(TypeError, match="inputs must be a torch.Tensor"):
        plot_gates(gates, inputs=[0.0] * 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="kind must be one of"):
        plot_gates(gates, kind="RNN")
    with pytest.raises(ValueError, match="language must be one of"):
        plot_gates(gates, language="fr")


# --- plot_unrolled ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("language", ["en", "zh", None])
def test_plot_unrolled_labels_every_step(kind: str, language: str | None) -> None:
    fig = plot_unrolled(3, kind=kind, language=language)
    assert isinstance(fig, Figure)
    texts = _texts(fig)
    for t in range(3):
        assert f"$x_{{{t}}}$" in texts
        assert f"$h_{{{t}}}$" in texts
    cell_state = any("c_{0}" in t for t in texts)
    assert cell_state == (kind == "LSTM")
    joined = " ".join(texts)
    if language == "zh":
        assert "每个时间步共用同一组权重" in joined and f"nn.{kind}" in joined
    elif language == "en":
        assert "same weights" in joined
    else:
        assert not CJK.search(joined)


@pytest.mark.parametrize(
    ("steps", "kind", "error", "message"),
    [
        (0, "RNN", ValueError, "positive integer"),
        (9, "RNN", ValueError, "at most 8"),
        (2.0, "RNN", TypeError, "integer"),
        (3, "Transformer", ValueError, "kind must be one of"),
    ],
)
def test_plot_unrolled_rejects_bad_arguments(steps: object, kind: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        plot_unrolled(steps, kind=kind)  # type: ignore[arg-type]


# --- labels -------------------------------------------------------------------------------

NEW_LABELS = [key for key in LABELS if key.startswith(("gate_", "gates_", "unrolled_"))]


def test_the_figure_modules_register_their_labels() -> None:
    assert gates_module.__name__ and unrolled_module.__name__
    assert {f"gate_{name}" for name in GATE_NAMES} <= set(NEW_LABELS)
    assert {"gates_title", "unrolled_title", "unrolled_shared"} <= set(NEW_LABELS)


@pytest.mark.parametrize("key", NEW_LABELS)
def test_labels_exist_in_both_languages(key: str) -> None:
    texts = LABELS[key]
    assert texts["en"] and texts["zh"], f"label {key!r} needs English and Chinese text"
    assert not CJK.search(texts["en"]), f"label {key!r}: Chinese characters in the English text"
    assert not CJK.search(texts[None]), f"label {key!r}: Chinese characters in the symbols-only text"
    assert CJK.search(texts["zh"]), f"label {key!r}: the Chinese text holds no Chinese"
