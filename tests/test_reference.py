"""rnn_guide.reference against PyTorch's own recurrent modules.

The property tests draw a module configuration and an input, run the real module and the reference, and
compare every returned tensor (float64, max abs difference <= 1e-6) as well as the structure, shapes, dtypes
and PackedSequence metadata.
"""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import event, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence

from rnn_guide import reference
from rnn_guide.reference import forward, gru_cell, gru_cell_original, lstm_cell, rnn_cell

torch.set_num_threads(1)

TOLERANCE = 1e-6
SIZES = st.integers(1, 6)


def randomize(module: nn.Module, seed: int, scale: float = 1.0) -> nn.Module:
    """Draw every parameter uniformly from [-scale, scale] (larger than PyTorch's default init)."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for parameter in module.parameters():
            parameter.copy_(torch.rand(parameter.shape, generator=generator, dtype=torch.float64) * 2 - 1)
            parameter.mul_(scale)
    return module


def assert_same(expected: object, actual: object, where: str = "result") -> None:
    """Recursively compare structure, shapes, dtypes and values of what a module and the reference return."""
    if isinstance(expected, PackedSequence):
        assert isinstance(actual, PackedSequence), f"{where}: expected a PackedSequence, got {type(actual)}"
        assert torch.equal(expected.batch_sizes, actual.batch_sizes), f"{where}.batch_sizes"
        for field in ("sorted_indices", "unsorted_indices"):
            e, a = getattr(expected, field), getattr(actual, field)
            assert (e is None) == (a is None), f"{where}.{field}: {e} vs {a}"
            assert e is None or torch.equal(e, a), f"{where}.{field}: {e} vs {a}"
        assert_same(expected.data, actual.data, f"{where}.data")
    elif isinstance(expected, tuple):
        assert type(actual) is tuple, f"{where}: expected a tuple, got {type(actual)}"
        assert len(actual) == len(expected), f"{where}: length {len(actual)} != {len(expected)}"
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            assert_same(e, a, f"{where}[{i}]")
    else:
        assert isinstance(expected, torch.Tensor), f"{where}: unexpected {type(expected)}"
        assert isinstance(actual, torch.Tensor), f"{where}: expected a tensor, got {type(actual)}"
        assert actual.shape == expected.shape, f"{where}: shape {tuple(actual.shape)} != {tuple(expected.shape)}"
        assert actual.dtype == expected.dtype, f"{where}: dtype {actual.dtype} != {expected.dtype}"
        difference = (actual - expected).abs().max().item() if expected.numel() else 0.0
        assert difference <= TOLERANCE, f"{where}: max abs difference {difference:.3g}"


@st.composite
def layer_cases(draw: st.DrawFn) -> tuple[nn.Module, object, object]:
    """A random nn.RNN/LSTM/GRU in float64, an input (padded, unbatched or packed) and an optional hx."""
    kind = draw(st.sampled_from(["RNN", "LSTM", "GRU"]))
    input_size, hidden_size = draw(SIZES), draw(SIZES)
    kwargs = {
        "num_layers": draw(st.integers(1, 3)),
        "bias": draw(st.booleans()),
        "batch_first": draw(st.booleans()),
        "bidirectional": draw(st.booleans()),
    }
    if kind == "RNN":
        kwargs["nonlinearity"] = draw(st.sampled_from(["tanh", "relu"]))
    if kind == "LSTM":
        kwargs["proj_size"] = draw(st.integers(0, hidden_size - 1))
    if kwargs["num_layers"] > 1 and draw(st.booleans()):
        kwargs["dropout"] = 0.5  # must be ignored in eval mode
    seed = draw(st.integers(0, 2**31 - 1))
    module = randomize(getattr(nn, kind)(input_size, hidden_size, **kwargs).double(), seed)
    if draw(st.booleans()) or kwargs.get("dropout"):
        module.eval()

    generator = torch.Generator().manual_seed(seed + 1)
    seq_len, batch = draw(st.integers(1, 7)), draw(st.integers(0, 4)) or None  # None: unbatched
    shape = (seq_len, input_size) if batch is None else (seq_len, batch, input_size)
    if batch is not None and kwargs["batch_first"]:
        shape = (batch, seq_len, input_size)
    input = torch.randn(shape, generator=generator, dtype=torch.float64)
    if batch is not None and draw(st.booleans()):
        lengths = draw(st.lists(st.integers(1, seq_len), min_size=batch, max_size=batch))
        enforce_sorted = draw(st.booleans())
        if enforce_sorted:
            lengths.sort(reverse=True)
        input = pack_padded_sequence(input, lengths, kwargs["batch_first"], enforce_sorted)

    hx = None
    if draw(st.booleans()):
        layers = (2 if kwargs["bidirectional"] else 1) * kwargs["num_layers"]
        batch_dims = () if batch is None else (batch,)
        h_size = kwargs.get("proj_size") or hidden_size
        h_0 = torch.randn((layers, *batch_dims, h_size), generator=generator, dtype=torch.float64)
        c_0 = torch.randn((layers, *batch_dims, hidden_size), generator=generator, dtype=torch.float64)
        hx = (h_0, c_0) if kind == "LSTM" else h_0
    return module, input, hx


@st.composite
def cell_cases(draw: st.DrawFn) -> tuple[nn.Module, torch.Tensor, object]:
    """A random nn.RNNCell/LSTMCell/GRUCell in float64, a batched or unbatched input and an optional hx."""
    kind = draw(st.sampled_from(["RNNCell", "LSTMCell", "GRUCell"]))
    input_size, hidden_size = draw(SIZES), draw(SIZES)
    kwargs = {"bias": draw(st.booleans())}
    if kind == "RNNCell":
        kwargs["nonlinearity"] = draw(st.sampled_from(["tanh", "relu"]))
    seed = draw(st.integers(0, 2**31 - 1))
    module = randomize(getattr(nn, kind)(input_size, hidden_size, **kwargs).double(), seed)
    generator = torch.Generator().manual_seed(seed + 1)
    batch_dims = draw(st.sampled_from([(), (1,), (2,), (3,), (4,)]))
    input = torch.randn((*batch_dims, input_size), generator=generator, dtype=torch.float64)
    hx = None
    if draw(st.booleans()):
        h, c = (torch.randn((*batch_dims, hidden_size), generator=generator, dtype=torch.float64) for _ in "hc")
        hx = (h, c) if kind == "LSTMCell" else h
    return module, input, hx


@pytest.mark.slow
@settings(max_examples=4000, deadline=None, derandomize=False)
@given(layer_cases())
def test_forward_matches_recurrent_layers(case: tuple[nn.Module, object, object]) -> None:
    module, input, hx = case
    layout = "packed" if isinstance(input, PackedSequence) else f"{input.dim()}-D"
    sorted_ = "" if not isinstance(input, PackedSequence) else f" enforce_sorted={input.sorted_indices is None}"
    event(f"{type(module).__name__} {layout}{sorted_} hx={'given' if hx is not None else 'default'}")
    with torch.no_grad():
        expected = module(input, hx)
        actual = forward(module, input, hx)
    assert_same(expected, actual)


@settings(max_examples=800, deadline=None, derandomize=False)
@given(cell_cases())
def test_forward_matches_recurrent_cells(case: tuple[nn.Module, torch.Tensor, object]) -> None:
    module, input, hx = case
    with torch.no_grad():
        expected = module(input, hx)
        actual = forward(module, input, hx)
    assert_same(expected, actual)


def test_packed_h_n_is_each_sequences_state_at_its_own_last_step() -> None:
    """h_n of a packed batch equals h_n of each sequence run alone, in the caller's (unsorted) order."""
    module = randomize(nn.GRU(3, 4, bidirectional=True).double(), seed=7)
    lengths = [2, 5, 1, 4]
    padded = torch.randn(5, 4, 3, generator=torch.Generator().manual_seed(8), dtype=torch.float64)
    packed = pack_padded_sequence(padded, lengths, enforce_sorted=False)
    with torch.no_grad():
        _, h_n = forward(module, packed)
        for i, length in enumerate(lengths):
            _, h_alone = forward(module, padded[:length, i])  # unbatched, exactly `length` steps
            assert (h_n[:, i] - h_alone).abs().max() <= TOLERANCE


def gru_original_by_hand(x: list, h: list, w_ih: list, w_hh: list, b_ih: list, b_hh: list) -> list:
    """Cho et al. (2014) GRU step written component by component with Python floats."""
    size = len(h)

    def row(w: list, j: int, v: list) -> float:
        return sum(w[j][k] * v[k] for k in range(len(v)))

    def sigmoid(a: float) -> float:
        return 1 / (1 + math.exp(-a))

    r = [sigmoid(row(w_ih, j, x) + b_ih[j] + row(w_hh, j, h) + b_hh[j]) for j in range(size)]
    z = [
        sigmoid(row(w_ih, size + j, x) + b_ih[size + j] + row(w_hh, size + j, h) + b_hh[size + j]) for j in range(size)
    ]
    reset_h = [r[k] * h[k] for k in range(size)]
    n = [
        math.tanh(
            row(w_ih, 2 * size + j, x) + b_ih[2 * size + j] + row(w_hh, 2 * size + j, reset_h) + b_hh[2 * size + j]
        )
        for j in range(size)
    ]
    return [(1 - z[j]) * n[j] + z[j] * h[j] for j in range(size)]


@settings(max_examples=200, deadline=None, derandomize=False)
@given(input_size=SIZES, hidden_size=SIZES, seed=st.integers(0, 2**31 - 1))
def test_gru_cell_original_matches_its_equations_written_by_hand(input_size: int, hidden_size: int, seed: int) -> None:
    cell = randomize(nn.GRUCell(input_size, hidden_size).double(), seed, scale=2.0)
    generator = torch.Generator().manual_seed(seed + 1)
    x = torch.randn(input_size, generator=generator, dtype=torch.float64)
    h = torch.randn(hidden_size, generator=generator, dtype=torch.float64)
    params = [cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh]
    with torch.no_grad():
        actual = gru_cell_original(x, h, *params)
    expected = gru_original_by_hand(x.tolist(), h.tolist(), *(p.tolist() for p in params))
    assert actual.shape == (hidden_size,)
    assert max(abs(a - e) for a, e in zip(actual.tolist(), expected, strict=True)) <= 1e-12


@pytest.mark.parametrize("seed", range(10))
def test_gru_cell_original_differs_from_pytorchs_gru_cell(seed: int) -> None:
    """With generic weights the two candidate states differ: r * (W_hn h + b_hn) != W_hn (r * h) + b_hn."""
    cell = randomize(nn.GRUCell(4, 5).double(), seed)
    generator = torch.Generator().manual_seed(seed + 100)
    x = torch.randn(3, 4, generator=generator, dtype=torch.float64)
    h = torch.randn(3, 5, generator=generator, dtype=torch.float64)
    params = [cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh]
    with torch.no_grad():
        pytorch_variant, original = cell(x, h), gru_cell_original(x, h, *params)
        assert (gru_cell(x, h, *params) - pytorch_variant).abs().max() <= TOLERANCE
    assert (original - pytorch_variant).abs().max() > 1e-2


@settings(max_examples=100, deadline=None, derandomize=False)
@given(input_size=SIZES, hidden_size=SIZES, seed=st.integers(0, 2**31 - 1))
def test_gru_variants_coincide_when_w_hn_is_diagonal_and_b_hn_zero(
    input_size: int, hidden_size: int, seed: int
) -> None:
    """r * (W_hn h) = W_hn (r * h) holds exactly when W_hn is diagonal: a structural check of both cells."""
    cell = randomize(nn.GRUCell(input_size, hidden_size).double(), seed, scale=2.0)
    with torch.no_grad():
        w_hn = cell.weight_hh[2 * hidden_size :]
        w_hn.copy_(torch.diag(torch.diagonal(w_hn)))
        cell.bias_hh[2 * hidden_size :] = 0
    generator = torch.Generator().manual_seed(seed + 1)
    x = torch.randn(2, input_size, generator=generator, dtype=torch.float64)
    h = torch.randn(2, hidden_size, generator=generator, dtype=torch.float64)
    params = [cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh]
    with torch.no_grad():
        assert (gru_cell_original(x, h, *params) - gru_cell(x, h, *params)).abs().max() <= 1e-12


def test_lstm_cell_with_projection_matches_a_projected_lstm_layer() -> None:
    layer = randomize(nn.LSTM(3, 5, proj_size=2).double(), seed=3)
    x = torch.randn(1, 4, 3, generator=torch.Generator().manual_seed(4), dtype=torch.float64)
    params = [layer.weight_ih_l0, layer.weight_hh_l0, layer.bias_ih_l0, layer.bias_hh_l0, layer.weight_hr_l0]
    with torch.no_grad():
        _, (h_n, c_n) = layer(x)
        h, c = lstm_cell(x[0], torch.zeros(4, 2, dtype=torch.float64), torch.zeros(4, 5, dtype=torch.float64), *params)
    assert h.shape == (4, 2) and c.shape == (4, 5)
    assert (h - h_n[0]).abs().max() <= TOLERANCE and (c - c_n[0]).abs().max() <= TOLERANCE


def test_dropout_in_training_mode_is_refused_and_eval_mode_matches() -> None:
    module = randomize(nn.LSTM(3, 4, num_layers=2, dropout=0.3).double(), seed=0)
    x = torch.randn(5, 2, 3, dtype=torch.float64)
    with pytest.raises(ValueError, match=r"module\.eval\(\)"):
        forward(module, x)
    module.eval()
    with torch.no_grad():
        assert_same(module(x), forward(module, x))


def test_public_names() -> None:
    assert set(reference.__all__) == {
        "forward",
        "gate_activations",
        "rnn_cell",
        "lstm_cell",
        "gru_cell",
        "gru_cell_original",
    }


# ---------------------------------------------------------------------------------------------- bad input

F64 = torch.float64


def zeros(*shape: int) -> torch.Tensor:
    return torch.zeros(shape, dtype=F64)


def _bad_input_cases() -> list:
    gru = nn.GRU(4, 3, num_layers=2).double()
    gru_bf = nn.GRU(4, 3, num_layers=2, batch_first=True).double()
    lstm = nn.LSTM(4, 3, proj_size=2).double()
    cell = nn.GRUCell(4, 3).double()
    lstm_cell_module = nn.LSTMCell(4, 3).double()
    x = zeros(5, 6, 4)
    packed_too_wide = pack_padded_sequence(zeros(3, 2, 5), [3, 2])
    return [
        # (exception, words that must appear in the message, module, input, hx)
        (TypeError, ["module", "Linear"], nn.Linear(4, 3), x, None),
        (TypeError, ["module", "nn.GRU"], "GRU", x, None),
        (TypeError, ["input", "torch.Tensor"], gru, x.tolist(), None),
        (ValueError, ["input", "2-D or 3-D", "1-D"], gru, zeros(4), None),
        (ValueError, ["input", "2-D or 3-D", "4-D"], gru, zeros(1, 5, 6, 4), None),
        (ValueError, ["input", "1-D or 2-D", "3-D"], cell, x, None),
        (ValueError, ["input", "input_size", "4", "7"], gru, zeros(5, 6, 7), None),
        (ValueError, ["input", "input_size", "4", "2"], cell, zeros(6, 2), None),
        (ValueError, ["input.data", "input_size"], gru, packed_too_wide, None),
        (ValueError, ["input", "L >= 1"], gru, zeros(0, 6, 4), None),
        (ValueError, ["input", "dtype", "torch.float64", "torch.float32"], gru, x.float(), None),
        (ValueError, ["input", "dtype"], cell, torch.zeros(6, 4), None),
        (ValueError, ["hx (h_0)", "(2, 6, 3)", "(2, 5, 3)"], gru, x, zeros(2, 5, 3)),
        (ValueError, ["hx (h_0)", "(2, 3)"], gru, zeros(5, 4), zeros(2, 1, 3)),
        (ValueError, ["hx (h_0)", "batch-first", "(2, 6, 3)"], gru_bf, x.transpose(0, 1), zeros(6, 2, 3)),
        (ValueError, ["hx (h_0)", "dtype"], gru, x, torch.zeros(2, 6, 3)),
        (TypeError, ["hx (h_0)", "torch.Tensor"], gru, x, (zeros(2, 6, 3),)),
        (TypeError, ["hx", "(h_0, c_0)", "LSTM"], lstm, x, zeros(1, 6, 2)),
        (ValueError, ["hx[0] (h_0)", "(1, 6, 2)"], lstm, x, (zeros(1, 6, 3), zeros(1, 6, 3))),
        (ValueError, ["hx[1] (c_0)", "(1, 6, 3)"], lstm, x, (zeros(1, 6, 2), zeros(1, 6, 2))),
        (ValueError, ["hx", "(6, 3)", "(3,)"], cell, zeros(6, 4), zeros(3)),
        (ValueError, ["hx", "(3,)"], cell, zeros(4), zeros(1, 3)),
        (ValueError, ["hx[1] (c)", "(6, 3)"], lstm_cell_module, zeros(6, 4), (zeros(6, 3), zeros(6, 2))),
    ]


@pytest.mark.parametrize("error, words, module, input, hx", _bad_input_cases())
def test_forward_rejects_bad_input_with_a_message_that_names_the_argument(
    error: type[Exception], words: list[str], module: object, input: object, hx: object
) -> None:
    with pytest.raises(error) as info:
        forward(module, input, hx)
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


def test_batch_first_h_0_is_also_rejected_by_pytorch() -> None:
    """The batch-first hint describes a real mistake: PyTorch refuses the same h_0."""
    module = nn.GRU(4, 3, num_layers=2, batch_first=True).double()
    x, h_0 = torch.zeros(6, 5, 4, dtype=F64), torch.zeros(6, 2, 3, dtype=F64)
    with pytest.raises(RuntimeError):
        module(x, h_0)
    with pytest.raises(ValueError, match="batch-first"):
        forward(module, x, h_0)


def test_cell_functions_reject_bad_arguments() -> None:
    x, h = torch.zeros(2, 4, dtype=F64), torch.zeros(2, 3, dtype=F64)
    w_ih, w_hh, b = torch.zeros(9, 4, dtype=F64), torch.zeros(9, 3, dtype=F64), torch.zeros(9, dtype=F64)
    with pytest.raises(ValueError, match=r"nonlinearity must be one of 'tanh', 'relu', got 'sigmoid'"):
        rnn_cell(x, h, w_ih[:3], w_hh[:3], b[:3], b[:3], nonlinearity="sigmoid")
    with pytest.raises(ValueError, match=r"x must have w_ih\.shape\[1\] = 4 features, got 5"):
        gru_cell(torch.zeros(2, 5, dtype=F64), h, w_ih, w_hh, b, b)
    with pytest.raises(ValueError, match=r"h must have w_hh\.shape\[1\] = 3 features, got 2"):
        gru_cell_original(x, torch.zeros(2, 2, dtype=F64), w_ih, w_hh, b, b)
    with pytest.raises(ValueError, match="x and h must have the same batch shape"):
        gru_cell(x, torch.zeros(3, 3, dtype=F64), w_ih, w_hh, b, b)
    with pytest.raises(ValueError, match=r"w_ih and w_hh must both have 4 \* hidden_size rows, got 9 and 9"):
        lstm_cell(x, h, h, w_ih, w_hh, b, b)
    with pytest.raises(ValueError, match=r"c must have shape \(2, 3\), got \(3,\)"):
        lstm_cell(x, h, h[0], zeros(12, 4), zeros(12, 3), None, None)
    with pytest.raises(TypeError, match=r"w_hh must be a torch\.Tensor"):
        rnn_cell(x, h, w_ih[:3], w_hh[:3].tolist(), None, None)


@pytest.mark.parametrize("kind", ["LSTM", "GRU"])
@pytest.mark.parametrize("batch_first", [False, True])
def test_gate_activations_rebuild_the_module_output(kind: str, batch_first: bool) -> None:
    """The returned gates, put back into the cell equations, give the module's own output for that sequence."""
    torch.manual_seed(0)
    module = getattr(nn, kind)(3, 5, batch_first=batch_first, dtype=torch.float64)
    x = torch.randn(7, 4, 3, dtype=torch.float64)  # (L, N, H_in)
    output, _ = module(x.transpose(0, 1) if batch_first else x)
    output = output.transpose(0, 1) if batch_first else output  # (L, N, H)
    gates = reference.gate_activations(module, x.transpose(0, 1) if batch_first else x, sample=2)
    assert list(gates) == (["i", "f", "g", "o"] if kind == "LSTM" else ["r", "z", "n"])
    assert all(value.shape == (7, 5) for value in gates.values())
    h = c = torch.zeros(5, dtype=torch.float64)
    for t in range(7):
        if kind == "LSTM":
            c = gates["f"][t] * c + gates["i"][t] * gates["g"][t]
            h = gates["o"][t] * torch.tanh(c)
        else:
            h = (1 - gates["z"][t]) * gates["n"][t] + gates["z"][t] * h
        torch.testing.assert_close(h, output[t, 2])


def test_gate_activations_refuses_what_it_cannot_measure() -> None:
    with pytest.raises(ValueError, match="one-layer"):
        reference.gate_activations(nn.LSTM(3, 5, num_layers=2), torch.randn(4, 1, 3))
    with pytest.raises(ValueError, match="one-layer"):
        reference.gate_activations(nn.LSTM(3, 5, proj_size=2), torch.randn(4, 1, 3))
    with pytest.raises(TypeError):
        reference.gate_activations(nn.RNN(3, 5), torch.randn(4, 1, 3))
    with pytest.raises(ValueError, match="sample"):
        reference.gate_activations(nn.GRU(3, 5), torch.randn(4, 2, 3), sample=2)
    with pytest.raises(ValueError, match="features"):
        reference.gate_activations(nn.GRU(3, 5), torch.randn(4, 2, 4))
