"""rnn_guide.deployment: the exportable classifier equals a packed run; sizes of saved weights."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from rnn_guide.deployment import PaddedLSTMClassifier, median_and_quartiles, state_dict_bytes


@pytest.mark.parametrize("proj_size", [0, 3])
def test_padded_classifier_equals_a_packed_run(proj_size: int) -> None:
    torch.manual_seed(0)
    model = PaddedLSTMClassifier(30, 3, embedding_dim=5, hidden_size=6, num_layers=2, proj_size=proj_size).eval()
    tokens = torch.randint(1, 30, (4, 7))
    lengths = torch.tensor([7, 2, 5, 1])
    tokens[torch.arange(7)[None, :] >= lengths[:, None]] = 0
    packed = pack_padded_sequence(model.embedding(tokens), lengths, batch_first=True, enforce_sorted=False)
    output, _ = pad_packed_sequence(model.lstm(packed)[0], batch_first=True, padding_value=float("-inf"))
    expected = model.head(output.amax(dim=1))
    torch.testing.assert_close(model(tokens, lengths), expected)
    # what the padding holds does not matter
    noisy = torch.where(tokens == 0, torch.randint(1, 30, tokens.shape), tokens)
    torch.testing.assert_close(model(noisy, lengths), expected)
    assert model(tokens, lengths).shape == (4, 3)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"vocab_size": 1}, "vocab_size"),
        ({"hidden_size": 4, "proj_size": 4}, "proj_size must be smaller than hidden_size=4, got 4"),
        ({"padding_idx": 10}, "padding_idx must be below vocab_size=10, got 10"),
    ],
)
def test_padded_classifier_rejects_bad_arguments(arguments: dict, message: str) -> None:
    options = {"vocab_size": 10, "num_classes": 2, **arguments}
    with pytest.raises(ValueError, match=message):
        PaddedLSTMClassifier(**options)


def test_state_dict_bytes_counts_the_saved_file(tmp_path) -> None:
    model = nn.Linear(100, 50)
    path = tmp_path / "weights.pt"
    torch.save(model.state_dict(), path)
    assert state_dict_bytes(model) == path.stat().st_size
    assert state_dict_bytes(model) > 4 * (100 * 50 + 50)
    quantized = torch.ao.quantization.quantize_dynamic(nn.Sequential(nn.LSTM(64, 64)), {nn.LSTM}, dtype=torch.qint8)
    assert state_dict_bytes(quantized) < state_dict_bytes(nn.Sequential(nn.LSTM(64, 64))) / 2
    with pytest.raises(TypeError, match="model must be an nn.Module"):
        state_dict_bytes({"weight": torch.zeros(1)})


def test_median_and_quartiles_reads_three_metrics() -> None:
    metrics = {"x": 2.0, "x_lower_quartile": 1.0, "x_upper_quartile": 3.0}
    assert median_and_quartiles(metrics, "x") == (2.0, 1.0, 3.0)
    with pytest.raises(KeyError, match="y_lower_quartile"):
        median_and_quartiles({"y": 1.0}, "y")
