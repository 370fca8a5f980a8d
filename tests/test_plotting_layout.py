"""rnn_guide.plotting.layout: where final states sit in output, and the two diagrams."""

from __future__ import annotations

import pytest
import torch
from matplotlib.figure import Figure
from torch import nn

from rnn_guide.plotting import save_figure
from rnn_guide.plotting.layout import (
    FinalStatePosition,
    final_state_positions,
    plot_state_layout,
    plot_unrolled_loop,
)


def _run(module: nn.Module, seq_len: int = 5, batch: int = 3) -> tuple[torch.Tensor, torch.Tensor]:
    torch.manual_seed(0)
    shape = (batch, seq_len, module.input_size) if module.batch_first else (seq_len, batch, module.input_size)
    with torch.no_grad():
        output, state = module(torch.randn(shape))
    h_n = state[0] if isinstance(module, nn.LSTM) else state
    return output, h_n


@pytest.mark.parametrize("kind", [nn.RNN, nn.LSTM, nn.GRU])
@pytest.mark.parametrize("num_layers", [1, 2, 3])
def test_bidirectional_final_states_sit_at_the_ends(kind: type[nn.Module], num_layers: int) -> None:
    module = kind(4, 6, num_layers=num_layers, bidirectional=True)
    output, h_n = _run(module)
    for n in range(3):
        positions = final_state_positions(output[:, n], h_n[:, n], num_layers)
        assert [p.index for p in positions] == list(range(2 * num_layers))
        top_forward, top_backward = positions[-2], positions[-1]
        assert top_forward == FinalStatePosition(2 * num_layers - 2, num_layers - 1, 0, 4)
        assert top_backward == FinalStatePosition(2 * num_layers - 1, num_layers - 1, 1, 0)
        assert all(p.step is None for p in positions[:-2])  # lower layers are not in output


def test_one_direction_and_batch_first() -> None:
    module = nn.GRU(4, 6, num_layers=2, batch_first=True)
    output, h_n = _run(module, seq_len=7)
    positions = final_state_positions(output[1], h_n[:, 1], num_layers=2)
    assert positions == [FinalStatePosition(0, 0, 0, None), FinalStatePosition(1, 1, 0, 6)]


@pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN")
def test_projected_lstm() -> None:
    module = nn.LSTM(4, 6, num_layers=2, bidirectional=True, proj_size=3)
    output, h_n = _run(module)
    positions = final_state_positions(output[:, 0], h_n[:, 0], num_layers=2)
    assert [p.step for p in positions] == [None, None, 4, 0]


def test_constant_output_takes_the_step_a_direction_ends_on() -> None:
    # Every step equal: the forward direction ends at the last step, the backward one at t = 0.
    output = torch.ones(4, 6)
    h_n = torch.ones(2, 3)
    positions = final_state_positions(output, h_n, num_layers=1)
    assert [p.step for p in positions] == [3, 0]


@pytest.mark.parametrize(
    ("output", "h_n", "num_layers", "message"),
    [
        (torch.zeros(5, 12), torch.zeros(4, 6), 3, "num_layers \\* D rows"),
        (torch.zeros(5, 12), torch.zeros(6, 6), 1, "D in \\(1, 2\\)"),
        (torch.zeros(5, 10), torch.zeros(4, 6), 2, "D \\* H_out = 12 features"),
        (torch.zeros(0, 12), torch.zeros(4, 6), 2, "at least one time step"),
    ],
)
def test_final_state_positions_rejects_mismatched_shapes(
    output: torch.Tensor, h_n: torch.Tensor, num_layers: int, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        final_state_positions(output, h_n, num_layers)


def test_final_state_positions_rejects_wrong_types() -> None:
    with pytest.raises(TypeError):
        final_state_positions([[0.0]], torch.zeros(1, 1), 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        final_state_positions(torch.zeros(3, 2, 4), torch.zeros(2, 4), 1)  # batched output
    with pytest.raises(TypeError):
        final_state_positions(torch.zeros(3, 4), torch.zeros(1, 4), 1.0)  # type: ignore[arg-type]


@pytest.mark.parametrize("language", ["en", "zh", None])
def test_plot_state_layout_draws_in_every_language(language: str | None, tmp_path) -> None:
    module = nn.LSTM(4, 6, num_layers=2, bidirectional=True)
    output, h_n = _run(module)
    fig = plot_state_layout(output[:, 0], h_n[:, 0], num_layers=2, language=language)
    assert isinstance(fig, Figure)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "t = 4" in texts
    assert sum(t.endswith(f"[{k}]") for t in texts for k in range(4)) == 4
    path = save_figure(fig, tmp_path / f"layout-{language}.svg")
    assert path.stat().st_size < 150_000


def test_plot_state_layout_accepts_tensors_that_require_grad() -> None:
    module = nn.GRU(2, 3, bidirectional=True)
    output, h_n = module(torch.randn(4, 1, 2))
    fig = plot_state_layout(output[:, 0], h_n[:, 0], num_layers=1, language="en")
    assert isinstance(fig, Figure)


def test_plot_state_layout_rejects_a_bad_language() -> None:
    with pytest.raises(ValueError, match="language"):
        plot_state_layout(torch.zeros(3, 4), torch.zeros(1, 4), 1, language="fr")


@pytest.mark.parametrize("cell", ["RNNCell", "LSTMCell", "GRUCell"])
@pytest.mark.parametrize("language", ["en", "zh", None])
def test_plot_unrolled_loop(cell: str, language: str | None, tmp_path) -> None:
    fig = plot_unrolled_loop(steps=3, cell=cell, language=language)
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert cell in texts
    assert ("c_" in texts) == (cell == "LSTMCell")
    path = save_figure(fig, tmp_path / "loop.svg")
    assert path.stat().st_size < 150_000


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"steps": 1}, ValueError),
        ({"steps": 9}, ValueError),
        ({"steps": 3.0}, TypeError),
        ({"cell": "LSTM"}, ValueError),
        ({"language": "de"}, ValueError),
    ],
)
def test_plot_unrolled_loop_rejects_bad_arguments(kwargs: dict, error: type[Exception]) -> None:
    with pytest.raises(error):
        plot_unrolled_loop(**kwargs)
