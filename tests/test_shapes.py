"""Tests of rnn_guide.shapes against real PyTorch modules."""

from __future__ import annotations

import re
from typing import Any

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from torch import nn

from rnn_guide.shapes import (
    CELL_KINDS,
    LAYER_KINDS,
    ParameterRow,
    expected_shapes,
    expected_shapes_for,
    format_parameter_table,
    format_shapes_table,
    parameter_count,
    parameter_count_for,
    parameter_table,
    parameter_table_for,
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def layer_configs(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(LAYER_KINDS))
    hidden_size = draw(st.integers(1, 8))
    proj_size = draw(st.integers(0, hidden_size - 1)) if kind == "LSTM" else 0
    return {
        "kind": kind,
        "input_size": draw(st.integers(1, 8)),
        "hidden_size": hidden_size,
        "num_layers": draw(st.integers(1, 3)),
        "bias": draw(st.booleans()),
        "batch_first": draw(st.booleans()),
        "bidirectional": draw(st.booleans()),
        "proj_size": proj_size,
    }


def build_layer(config: dict[str, Any]) -> nn.Module:
    kwargs = {k: v for k, v in config.items() if k != "kind"}
    if config["kind"] != "LSTM":
        del kwargs["proj_size"]  # nn.RNN and nn.GRU reject the keyword itself
    return getattr(nn, config["kind"])(**kwargs)


def real_parameters(module: nn.Module) -> list[tuple[str, tuple[int, ...]]]:
    return [(name, tuple(p.shape)) for name, p in module.named_parameters()]


def formula_value(formula: str, symbols: dict[str, int]) -> tuple[int, ...]:
    """Evaluate a symbolic shape such as ``(4·H, 2·P)`` with the given symbol values."""
    assert re.fullmatch(r"\((?:[\w·]+)(?:, [\w·]+)*,?\)", formula), formula
    dims = [d for d in formula[1:-1].split(", ") if d.rstrip(",")]
    values = []
    for dim in dims:
        product = 1
        for factor in dim.rstrip(",").split("·"):
            product *= int(factor) if factor.isdigit() else symbols[factor]
        values.append(product)
    return tuple(values)


# --------------------------------------------------------------------------- layers


@pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN")
@SETTINGS
@given(config=layer_configs(), seq_len=st.integers(1, 5), batch_size=st.none() | st.integers(1, 4))
def test_expected_shapes_match_a_real_forward_pass(
    config: dict[str, Any], seq_len: int, batch_size: int | None
) -> None:
    module = build_layer(config)
    shapes = expected_shapes(module, seq_len, batch_size)
    assert shapes == expected_shapes_for(seq_len=seq_len, batch_size=batch_size, **config)

    is_lstm = config["kind"] == "LSTM"
    tensor_keys = [
        "input",
        "h_0",
        *(["c_0"] if is_lstm else []),
        "output",
        "h_n",
        *(["c_n"] if is_lstm else []),
    ]
    assert list(shapes)[: len(tensor_keys)] == tensor_keys
    assert list(shapes.items())[len(tensor_keys) :] == real_parameters(module)

    x = torch.randn(shapes["input"])
    with torch.no_grad():
        output, state = module(x)
        # PyTorch checks an explicit initial state against its own expected shape.
        h_0 = torch.zeros(shapes["h_0"])
        hx = (h_0, torch.zeros(shapes["c_0"])) if is_lstm else h_0
        output_explicit, _ = module(x, hx)
    torch.testing.assert_close(output, output_explicit)
    h_n, c_n = state if is_lstm else (state, None)
    assert tuple(output.shape) == shapes["output"]
    assert tuple(h_n.shape) == shapes["h_n"] == shapes["h_0"]
    if is_lstm:
        assert tuple(c_n.shape) == shapes["c_n"] == shapes["c_0"]


@SETTINGS
@given(config=layer_configs())
def test_parameter_count_and_table_match_the_module(config: dict[str, Any]) -> None:
    module = build_layer(config)
    plain = {k: v for k, v in config.items() if k != "batch_first"}
    numel = sum(p.numel() for p in module.parameters())
    assert parameter_count(module) == numel == parameter_count_for(**plain)

    rows = parameter_table(module)
    assert rows == parameter_table_for(**plain)
    assert [(r.name, r.shape) for r in rows] == real_parameters(module)
    assert [r.count for r in rows] == [p.numel() for p in module.parameters()]

    symbols = {"H_in": config["input_size"], "H": config["hidden_size"], "P": config["proj_size"]}
    for row in rows:
        assert formula_value(row.formula, symbols) == row.shape, row

    table = format_parameter_table(rows)
    assert table.splitlines()[-1] == f"| **Total** |  | **{numel:,}** |  |"


def test_lstm_with_projection_by_hand() -> None:
    shapes = expected_shapes_for(
        "LSTM",
        input_size=10,
        hidden_size=20,
        num_layers=2,
        bidirectional=True,
        proj_size=5,
        batch_first=True,
        seq_len=7,
        batch_size=3,
    )
    assert shapes["input"] == (3, 7, 10)
    assert shapes["h_0"] == shapes["h_n"] == (4, 3, 5)
    assert shapes["c_0"] == shapes["c_n"] == (4, 3, 20)
    assert shapes["output"] == (3, 7, 10)
    assert shapes["weight_hh_l1_reverse"] == (80, 5)
    assert shapes["weight_hr_l0"] == (5, 20)
    # 2 directions x [layer 0: 4*20*(10+5) + 2*4*20 + 5*20, layer 1: 4*20*(2*5+5) + 2*4*20 + 5*20]
    assert parameter_count_for(
        "LSTM", input_size=10, hidden_size=20, num_layers=2, bidirectional=True, proj_size=5
    ) == (2 * (1200 + 160 + 100) + 2 * (1200 + 160 + 100))
    rows = {r.name: r.formula for r in parameter_table_for("LSTM", input_size=10, hidden_size=20, proj_size=5)}
    assert rows == {
        "weight_ih_l0": "(4·H, H_in)",
        "weight_hh_l0": "(4·H, P)",
        "bias_ih_l0": "(4·H,)",
        "bias_hh_l0": "(4·H,)",
        "weight_hr_l0": "(P, H)",
    }
    deep = parameter_table_for("GRU", input_size=3, hidden_size=4, num_layers=2, bidirectional=True)
    assert deep[-4].name == "weight_ih_l1_reverse" and deep[-4].formula == "(3·H, 2·H)"


def test_results_come_from_hyperparameters_not_from_the_module(monkeypatch: pytest.MonkeyPatch) -> None:
    module = nn.GRU(4, 6, num_layers=2)
    expected = expected_shapes(module, 5, 2)
    expected_count = parameter_count(module)
    module.weight_ih_l0 = nn.Parameter(torch.zeros(1))  # a wrong shape that a formula must ignore

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the module must not be run or inspected")

    monkeypatch.setattr(module, "forward", refuse)
    monkeypatch.setattr(module, "named_parameters", refuse)
    monkeypatch.setattr(module, "parameters", refuse)
    assert expected_shapes(module, 5, 2) == expected
    assert parameter_count(module) == expected_count == 3 * 6 * (4 + 6) + 3 * 6 * (6 + 6) + 4 * 3 * 6


# --------------------------------------------------------------------------- cells


@SETTINGS
@given(
    kind=st.sampled_from(CELL_KINDS),
    input_size=st.integers(1, 8),
    hidden_size=st.integers(1, 8),
    bias=st.booleans(),
    seq_len=st.sampled_from([None, 1]),
    batch_size=st.none() | st.integers(1, 4),
)
def test_cells_match_a_real_step(
    kind: str, input_size: int, hidden_size: int, bias: bool, seq_len: int | None, batch_size: int | None
) -> None:
    module = getattr(nn, kind)(input_size, hidden_size, bias=bias)
    shapes = expected_shapes(module, seq_len, batch_size)
    config = {"input_size": input_size, "hidden_size": hidden_size, "bias": bias}
    assert shapes == expected_shapes_for(kind, seq_len=seq_len, batch_size=batch_size, **config)

    is_lstm = kind == "LSTMCell"
    tensor_keys = ["input", "h_0", *(["c_0"] if is_lstm else []), "h_1", *(["c_1"] if is_lstm else [])]
    assert list(shapes)[: len(tensor_keys)] == tensor_keys
    assert list(shapes.items())[len(tensor_keys) :] == real_parameters(module)

    x = torch.randn(shapes["input"])
    h_0 = torch.zeros(shapes["h_0"])
    with torch.no_grad():
        result = module(x, (h_0, torch.zeros(shapes["c_0"])) if is_lstm else h_0)
    h_1, c_1 = result if is_lstm else (result, None)
    assert tuple(h_1.shape) == shapes["h_1"]
    if is_lstm:
        assert tuple(c_1.shape) == shapes["c_1"]

    numel = sum(p.numel() for p in module.parameters())
    assert parameter_count(module) == numel == parameter_count_for(kind, **config)
    rows = parameter_table(module)
    assert [(r.name, r.shape, r.count) for r in rows] == [
        (n, tuple(p.shape), p.numel()) for n, p in module.named_parameters()
    ]
    for row in rows:
        assert formula_value(row.formula, {"H_in": input_size, "H": hidden_size}) == row.shape


@pytest.mark.parametrize("seq_len", [0, 2, 10])
def test_cells_reject_a_sequence(seq_len: int) -> None:
    with pytest.raises(ValueError, match="seq_len"):
        expected_shapes(nn.LSTMCell(3, 4), seq_len)


@pytest.mark.parametrize(
    ("argument", "value"),
    [("num_layers", 2), ("batch_first", True), ("bidirectional", True), ("proj_size", 1)],
)
def test_cells_reject_layer_only_arguments(argument: str, value: object) -> None:
    with pytest.raises(ValueError, match=f"{argument} is not an argument of nn.GRUCell.*got {value}"):
        expected_shapes_for("GRUCell", input_size=3, hidden_size=4, seq_len=None, **{argument: value})


def test_cells_with_zero_sizes_are_rejected() -> None:
    # PyTorch builds such empty cells without complaint; a shape table of them would be meaningless.
    with pytest.raises(ValueError, match="hidden_size must be greater than zero, got 0"):
        expected_shapes(nn.RNNCell(3, 0), None)


# --------------------------------------------------------------------------- illegal configurations


def torch_error(kind: str, **kwargs: Any) -> Exception | None:
    try:
        getattr(nn, kind)(**kwargs)
    except Exception as error:  # any failure is what we compare against
        return error
    return None


def our_error(kind: str, **kwargs: Any) -> Exception | None:
    try:
        expected_shapes_for(kind, seq_len=3, **kwargs)
    except (TypeError, ValueError) as error:
        return error
    return None


@pytest.mark.parametrize(
    ("kind", "kwargs"),
    [
        ("RNN", {"input_size": 3, "hidden_size": 5, "proj_size": 2}),
        ("GRU", {"input_size": 3, "hidden_size": 5, "proj_size": 2}),
        ("LSTM", {"input_size": 3, "hidden_size": 5, "proj_size": 5}),
        ("LSTM", {"input_size": 3, "hidden_size": 5, "proj_size": 9}),
        ("LSTM", {"input_size": 3, "hidden_size": 5, "proj_size": -1}),
        ("LSTM", {"input_size": 3, "hidden_size": 0}),
        ("GRU", {"input_size": 3, "hidden_size": -2}),
        ("RNN", {"input_size": 0, "hidden_size": 4}),
        ("RNN", {"input_size": 3, "hidden_size": 4, "num_layers": 0}),
        ("GRU", {"input_size": 3, "hidden_size": 4.0}),
        ("LSTM", {"input_size": "3", "hidden_size": 4}),
        ("LSTM", {"input_size": 3, "hidden_size": 4, "bias": 1}),
        ("GRU", {"input_size": 3, "hidden_size": 4, "batch_first": None}),
    ],
)
def test_illegal_configurations_fail_like_pytorch(kind: str, kwargs: dict[str, Any]) -> None:
    theirs, ours = torch_error(kind, **kwargs), our_error(kind, **kwargs)
    assert theirs is not None and ours is not None
    assert type(ours) is type(theirs)
    assert str(ours).startswith(str(theirs)), (str(theirs), str(ours))


@SETTINGS
@given(
    kind=st.sampled_from(LAYER_KINDS),
    input_size=st.integers(-1, 3),
    hidden_size=st.integers(-2, 4),
    num_layers=st.integers(-1, 2),
    proj_size=st.integers(-2, 5),
)
def test_validation_agrees_with_pytorch_on_every_combination(
    kind: str, input_size: int, hidden_size: int, num_layers: int, proj_size: int
) -> None:
    kwargs: dict[str, Any] = {"input_size": input_size, "hidden_size": hidden_size, "num_layers": num_layers}
    if proj_size or kind == "LSTM":
        kwargs["proj_size"] = proj_size
    theirs = torch_error(kind, **kwargs)
    ours = our_error(kind, **kwargs)
    if theirs is None:
        assert ours is None
    else:
        assert ours is not None, theirs
        assert type(ours) is type(theirs)
        assert str(ours).startswith(str(theirs)), (str(theirs), str(ours))


def test_proj_size_zero_is_accepted_for_rnn_and_gru() -> None:
    # PyTorch rejects the keyword itself; zero means "no projection", so it is harmless here.
    assert expected_shapes_for("RNN", input_size=2, hidden_size=3, proj_size=0, seq_len=1) == expected_shapes(
        nn.RNN(2, 3), 1
    )


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("module", ["LSTM", nn.Linear(3, 4), None, nn.LSTM])
def test_module_of_wrong_type(module: object) -> None:
    for function in (lambda m: expected_shapes(m, 3), parameter_count, parameter_table):
        with pytest.raises(TypeError, match=r"^module must be an instance of nn\.RNN"):
            function(module)


@pytest.mark.parametrize(
    ("seq_len", "batch_size", "error", "message"),
    [
        (0, None, ValueError, "Expected sequence length to be larger than 0 in RNN, got seq_len=0"),
        (0, 3, ValueError, "Expected sequence length to be larger than 0 in RNN, got seq_len=0"),
        (-2, 3, ValueError, "seq_len must be a positive integer, got -2"),
        (None, 3, TypeError, "seq_len must be an integer, got None"),
        (2.5, 3, TypeError, "seq_len must be an integer, got 2.5"),
        (True, 3, TypeError, "seq_len must be an integer, got True"),
        (4, -1, ValueError, "batch_size must be an integer >= 0, got -1"),
        (4, "8", TypeError, "batch_size must be an integer, got '8'"),
    ],
)
def test_bad_seq_len_and_batch_size(seq_len: object, batch_size: object, error: type, message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        expected_shapes(nn.LSTM(3, 4), seq_len, batch_size)


def test_bad_kind_and_flags() -> None:
    with pytest.raises(ValueError, match=r"kind must be one of 'RNN', 'LSTM', 'GRU'.*got 'Transformer'"):
        expected_shapes_for("Transformer", input_size=3, hidden_size=4, seq_len=2)
    with pytest.raises(ValueError, match="kind must be one of"):
        parameter_count_for("lstm", input_size=3, hidden_size=4)
    with pytest.raises(TypeError, match="bidirectional should be of type bool, got: int"):
        parameter_table_for("GRU", input_size=3, hidden_size=4, bidirectional=1)
    with pytest.raises(TypeError, match="num_layers should be of type int, got: float"):
        parameter_count_for("GRU", input_size=3, hidden_size=4, num_layers=2.0)
    with pytest.raises(TypeError, match="hidden_size should be of type int, got: bool"):
        parameter_count_for("RNN", input_size=3, hidden_size=True)


# --------------------------------------------------------------------------- Markdown


def test_parameter_table_markdown_in_both_languages() -> None:
    rows = parameter_table(nn.LSTM(10, 20))
    english = format_parameter_table(rows, "en").splitlines()
    chinese = format_parameter_table(rows, language="zh").splitlines()
    assert english[0] == "| Parameter | Shape | Count | Formula |"
    assert chinese[0] == "| 参数 | 形状 | 参数量 | 公式 |"
    assert english[1] == chinese[1] == "| --- | --- | ---: | --- |"
    assert english[2] == "| `weight_ih_l0` | (80, 10) | 800 | (4·H, H_in) |"
    assert english[4] == "| `bias_ih_l0` | (80,) | 80 | (4·H,) |"
    assert english[-1] == "| **Total** |  | **2,560** |  |"
    assert chinese[-1] == "| **合计** |  | **2,560** |  |"
    assert len(english) == len(chinese) == 2 + len(rows) + 1
    assert english[2:-1] == chinese[2:-1]


def test_shapes_table_markdown() -> None:
    shapes = expected_shapes(nn.GRU(3, 4, batch_first=True), seq_len=5, batch_size=2)
    lines = format_shapes_table(shapes, "en").splitlines()
    assert lines[:3] == ["| Tensor | Shape |", "| --- | --- |", "| `input` | (2, 5, 3) |"]
    assert "| `bias_hh_l0` | (12,) |" in lines
    assert len(lines) == 2 + len(shapes)
    assert format_shapes_table(shapes, "zh").splitlines()[0] == "| 张量 | 形状 |"


def test_markdown_bad_input() -> None:
    rows = parameter_table(nn.RNN(2, 3))
    with pytest.raises(ValueError, match="language must be one of 'en', 'zh', got 'fr'"):
        format_parameter_table(rows, "fr")
    with pytest.raises(ValueError, match="language must be one of"):
        format_shapes_table({"input": (1, 2)}, "de")
    with pytest.raises(TypeError, match="rows must be a list of ParameterRow"):
        format_parameter_table([("weight", (1,), 1, "(1,)")])
    with pytest.raises(TypeError, match="shapes must be a mapping"):
        format_shapes_table([("input", (1, 2))])
    with pytest.raises(TypeError, match="shapes must map str to tuple"):
        format_shapes_table({"input": [1, 2]})


def test_parameter_row_is_frozen() -> None:
    row = parameter_table(nn.RNN(2, 3))[0]
    assert row == ParameterRow("weight_ih_l0", (3, 2), 6, "(H, H_in)")
    with pytest.raises(AttributeError):
        row.count = 0  # type: ignore[misc]


@pytest.mark.parametrize("cls", [nn.RNN, nn.LSTM, nn.GRU])
def test_empty_batch_and_empty_sequence_agree_with_pytorch(cls: type) -> None:
    module = cls(3, 4, num_layers=2, batch_first=True)
    shapes = expected_shapes(module, seq_len=5, batch_size=0)
    output, state = module(torch.zeros(shapes["input"]))
    assert tuple(output.shape) == shapes["output"] == (0, 5, 4)
    assert tuple((state[0] if isinstance(state, tuple) else state).shape) == shapes["h_n"]
    with pytest.raises(RuntimeError) as raised:
        module(torch.zeros(2, 0, 3))
    with pytest.raises(ValueError, match=re.escape(str(raised.value))):
        expected_shapes(module, seq_len=0, batch_size=2)
