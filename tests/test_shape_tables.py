"""The tables of the shape and parameter reference pages (rnn_guide.shape_tables)."""

from __future__ import annotations

import pytest
from torch import nn

from rnn_guide.shape_tables import (
    CELL_TENSORS,
    LAYER_TENSORS,
    LAYOUTS,
    SIZES,
    WEIGHT_COLUMNS,
    cell_shape_rules,
    example_rows,
    layer_shape_rules,
    markdown_table,
    parameter_summary_table,
    symbolic_shape,
    weight_formula_rows,
)


def test_markdown_table_has_a_header_a_rule_and_a_line_per_row() -> None:
    table = markdown_table(["a", "b"], [["1", "2"], ["3", "4"]])
    assert table == "| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |"


def test_markdown_table_rejects_a_row_of_another_width() -> None:
    with pytest.raises(ValueError, match="every row needs 2 cells"):
        markdown_table(["a", "b"], [["1"]])


def test_symbolic_shape_names_each_size_by_its_symbol() -> None:
    L, N, H_in = SIZES["L"], SIZES["N"], SIZES["H_in"]
    assert symbolic_shape((L, N, H_in)) == "(L, N, H_in)"
    assert symbolic_shape((2 * SIZES["num_layers"], 2 * SIZES["H_out"])) == "(D·num_layers, D·H_out)"
    with pytest.raises(ValueError, match="name no symbol"):
        symbolic_shape((L, 999))


def test_layer_shape_rules_follow_pytorchs_documented_shapes() -> None:
    rules = layer_shape_rules()
    assert list(rules) == list(LAYOUTS)
    assert all(list(shapes) == list(LAYER_TENSORS) for shapes in rules.values())
    assert rules["batched"]["input"] == "(L, N, H_in)"
    assert rules["batch_first"]["output"] == "(N, L, D·H_out)"
    assert rules["batch_first"]["h_n"] == "(D·num_layers, N, H_out)"  # never batch-first
    assert rules["batched"]["c_n"] == "(D·num_layers, N, H_cell)"  # c keeps hidden_size
    assert rules["unbatched"]["output"] == "(L, D·H_out)"


def test_cell_shape_rules_have_no_sequence_dimension() -> None:
    rules = cell_shape_rules()
    assert list(rules["batched"]) == list(CELL_TENSORS)
    assert rules["batched"]["input"] == "(N, H_in)"
    assert rules["batched"]["c_1"] == "(N, H_cell)"
    assert rules["unbatched"]["h_1"] == "(H_cell)"


def test_example_rows_show_the_repr_the_batch_size_and_the_shapes() -> None:
    rows = example_rows([(nn.LSTM(10, 20, proj_size=8), 3), (nn.GRU(10, 20, bidirectional=True), None)], seq_len=5)
    assert rows[0] == [
        "`nn.LSTM(10, 20, proj_size=8)`",
        "3",
        "(5, 3, 10)",
        "(5, 3, 8)",
        "(1, 3, 8)",
        "(1, 3, 20)",
    ]
    assert rows[1] == ["`nn.GRU(10, 20, bidirectional=True)`", "—", "(5, 10)", "(5, 40)", "(2, 20)", "—"]


def test_weight_formula_rows_give_one_formula_per_column() -> None:
    rows = {row[0]: row[1:] for row in weight_formula_rows()}
    assert all(len(cells) == len(WEIGHT_COLUMNS) for cells in rows.values())
    assert rows["`weight_ih_l0`"] == ["(H, H_in)", "(3·H, H_in)", "(4·H, H_in)", "(4·H, H_in)"]
    assert rows["`weight_hr_l0`"] == ["—", "—", "—", "(P, H)"]  # only with a projection
    assert rows["`weight_ih_l1` (D = 2)"] == ["(H, 2·H)", "(3·H, 2·H)", "(4·H, 2·H)", "(4·H, 2·P)"]


def test_parameter_summary_table_measures_each_parameter() -> None:
    lines = parameter_summary_table("en").splitlines()
    assert lines[0] == "| Parameter | Default → example | Shapes that change | Parameters |"
    assert lines[1] == "|---|---|---|---|"
    assert len(lines) == 2 + 11
    rows = {line.split(" | ")[0]: line for line in lines[2:]}
    assert rows["| [`proj_size`](#proj-size) (LSTM)"].endswith("| `h_0` `output` `h_n` | 2,560 → 1,760 |")
    assert rows["| [`bias`](#bias)"].endswith("| — | 2,560 → 2,400 |")
    assert "| [`input_size`](#input-size) | 必填 → `16` |" in parameter_summary_table("zh")


def test_parameter_summary_table_rejects_another_language() -> None:
    with pytest.raises(ValueError, match="language must be one of"):
        parameter_summary_table("fr")
