"""Tests of rnn_guide.plotting.packing: the packed layout is PyTorch's, the figure shows it."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pytest
import torch
from matplotlib.figure import Figure
from torch.nn.utils.rnn import pack_sequence

from rnn_guide.plotting import save_figure
from rnn_guide.plotting.packing import PackedLayout, packed_layout, plot_packing


def test_packed_layout_of_a_small_batch() -> None:
    assert packed_layout([2, 3]) == PackedLayout(
        lengths=(2, 3),
        batch_sizes=(2, 2, 1),
        sorted_indices=(1, 0),
        elements=((1, 0), (0, 0), (1, 1), (0, 1), (1, 2)),
    )


@pytest.mark.parametrize("lengths", [[1], [4, 4, 4], [3, 5, 2, 4], [1, 7, 1, 2, 6]])
def test_packed_layout_matches_pytorch(lengths: list[int]) -> None:
    # Sequence i holds the values 100 * i + t, so each packed value names its origin.
    sequences = [torch.tensor([100.0 * i + t for t in range(n)]) for i, n in enumerate(lengths)]
    packed = pack_sequence(sequences, enforce_sorted=False)
    layout = packed_layout(torch.tensor(lengths))
    assert layout.lengths == tuple(lengths)
    assert list(layout.batch_sizes) == packed.batch_sizes.tolist()
    assert list(layout.sorted_indices) == packed.sorted_indices.tolist()
    assert [100 * i + t for i, t in layout.elements] == [int(v) for v in packed.data.tolist()]
    assert sum(layout.batch_sizes) == len(layout.elements) == sum(lengths)


@pytest.mark.parametrize(
    ("lengths", "error", "message"),
    [
        ([], ValueError, "at least one sequence"),
        ([3, 0], ValueError, "at least 1"),
        ([2, 1.5], TypeError, "must hold integers"),
        ([True, 2], TypeError, "must hold integers"),
        ("12", TypeError, "list, tuple or 1-D tensor"),
        (torch.tensor([[1, 2]]), ValueError, "1-D integer tensor"),
        (torch.tensor([1.0, 2.0]), ValueError, "1-D integer tensor"),
    ],
)
def test_packed_layout_rejects_bad_lengths(lengths: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        packed_layout(lengths)  # type: ignore[arg-type]


def _texts(fig: Figure) -> list[str]:
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    return texts + [ax.get_title(loc="left") for ax in fig.axes]


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", ["sequence 0", "padding", "Padded batch"]), ("zh", ["序列 0", "填充", "填充后的批量"])],
)
def test_figure_labels_and_batch_sizes(language: str, words: list[str]) -> None:
    fig = plot_packing([3, 5, 2, 4], language=language)
    texts = _texts(fig)
    for word in words:
        assert any(word in text for text in texts), f"{word!r} missing from {texts}"
    # One label per time step over the packed strip: batch_sizes = 4, 4, 3, 2, 1.
    assert [t.get_text() for t in fig.axes[1].texts if t.get_text().isdigit()] == ["4", "4", "3", "2", "1"]
    # Every real step is drawn twice (padded grid and packed strip), padding once.
    cells = [t for t in texts if t.startswith("$x^")]
    assert len(cells) == 2 * 14
    plt.close(fig)


def test_symbols_only_figure_has_no_words() -> None:
    fig = plot_packing([2, 1], language=None)
    texts = " ".join(_texts(fig))
    assert "sequence" not in texts and "序列" not in texts
    plt.close(fig)


def test_too_large_batches_and_unknown_languages_are_rejected() -> None:
    with pytest.raises(ValueError, match="at most 8 sequences"):
        plot_packing([1] * 9)
    with pytest.raises(ValueError, match="at most"):
        plot_packing([13])
    with pytest.raises(ValueError, match="at most"):
        plot_packing([12, 12, 12])
    with pytest.raises(ValueError, match="language"):
        plot_packing([2, 1], language="fr")


def test_saved_svg_is_reproducible(tmp_path: Path) -> None:
    first = save_figure(plot_packing([3, 1, 2], language="zh"), tmp_path / "a.svg")
    second = save_figure(plot_packing([3, 1, 2], language="zh"), tmp_path / "b.svg")
    assert first.read_bytes() == second.read_bytes()
    assert first.stat().st_size < 150_000
