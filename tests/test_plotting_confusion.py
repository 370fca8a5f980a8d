"""The confusion matrix of the sentiment tutorial: counts, shares, labels in each language."""

from __future__ import annotations

import numpy as np
import pytest
from support.figures import CJK, figure_text

from rnn_guide.plotting import confusion_matrix, plot_confusion_matrix


def test_counts_rows_true_columns_predicted() -> None:
    counts = confusion_matrix(["neg", "neg", "pos", "pos", "pos"], ["neg", "pos", "pos", "pos", "neg"], ["neg", "pos"])
    assert counts.dtype == np.int64
    assert counts.tolist() == [[1, 1], [1, 2]]
    assert counts.sum() == 5


def test_class_order_follows_classes() -> None:
    counts = confusion_matrix([0, 1, 1], [1, 1, 1], classes=[1, 0])
    assert counts.tolist() == [[2, 0], [1, 0]]


@pytest.mark.parametrize(
    ("y_true", "y_pred", "classes", "error"),
    [
        ([0, 1], [0], [0, 1], ValueError),  # lengths differ
        ([], [], [0, 1], ValueError),  # empty
        ([0, 1], [0, 2], [0, 1], ValueError),  # unknown label
        ([0, 1], [0, 1], [0, 0], ValueError),  # repeated class
        ([0, 1], [0, 1], [0], ValueError),  # a single class
        ("01", [0, 1], [0, 1], TypeError),  # a string is not a sequence of labels
    ],
)
def test_bad_input_is_refused(y_true, y_pred, classes, error) -> None:
    with pytest.raises(error):
        confusion_matrix(y_true, y_pred, classes)


@pytest.mark.parametrize("language", ["en", "zh", None])
def test_figure_has_counts_shares_and_labels_in_the_language(language) -> None:
    fig = plot_confusion_matrix(
        [0, 0, 0, 1], [0, 0, 1, 1], classes=[0, 1], class_names={0: "neg", 1: "pos"}, title="Data", language=language
    )
    texts = figure_text(fig)
    assert "2\n66.7%" in texts and "1\n33.3%" in texts and "1\n100.0%" in texts
    assert "neg" in texts and "pos" in texts
    assert bool(CJK.search(texts)) == (language == "zh")
    assert ("75.0%" in texts) == (language is not None)  # the accuracy, in the title only with a language


def test_class_names_as_a_sequence_and_checked() -> None:
    fig = plot_confusion_matrix([0, 1], [0, 1], classes=[0, 1], class_names=["负面", "正面"], language="zh")
    assert "负面" in figure_text(fig)
    with pytest.raises(ValueError, match="class_names"):
        plot_confusion_matrix([0, 1], [0, 1], classes=[0, 1], class_names=["only one"])
    with pytest.raises(ValueError, match="class_names"):
        plot_confusion_matrix([0, 1], [0, 1], classes=[0, 1], class_names={0: "neg"})
    with pytest.raises(ValueError):
        plot_confusion_matrix([0, 1], [0, 1], classes=[0, 1], language="fr")
