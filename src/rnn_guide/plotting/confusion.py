"""Confusion matrices of a classifier: counts, with the share of each true class in every cell."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from rnn_guide._validation import describe
from rnn_guide.plotting.style import add_labels, check_language, label, use_style

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["confusion_matrix", "plot_confusion_matrix"]

add_labels(
    {
        "confusion_true": {"en": "true class", "zh": "真实类别", None: "$y$"},
        "confusion_predicted": {"en": "predicted class", "zh": "预测类别", None: r"$\hat{{y}}$"},
        "confusion_title": {"en": "{name}: accuracy {accuracy:.1%}", "zh": "{name}：准确率 {accuracy:.1%}", None: ""},
    }
)


def _labels(name: str, values: Any) -> list[Any]:
    if isinstance(values, np.ndarray) or hasattr(values, "tolist"):
        values = values.tolist()
    if isinstance(values, (str, bytes)) or not isinstance(values, Sequence):
        raise TypeError(f"{name} must be a sequence of class labels, got {describe(values)}")
    return list(values)


def confusion_matrix(y_true: Sequence[Any], y_pred: Sequence[Any], classes: Sequence[Any]) -> np.ndarray:
    """Count how often each true class was predicted as each class.

    Args:
        y_true: the N true labels (integers or strings, any hashable values).
        y_pred: the N predicted labels.
        classes: the C class labels, in the order of the rows and columns.

    Returns:
        An ``int64`` array of shape (C, C): entry ``[i, j]`` counts the texts of true class ``classes[i]``
        predicted as ``classes[j]``. The diagonal holds the correct predictions; each row sums to the number
        of texts of that true class.

    Raises:
        TypeError: if an argument is not a sequence.
        ValueError: if ``y_true`` and ``y_pred`` differ in length or are empty, ``classes`` has repeated or
            fewer than two labels, or a label is not in ``classes``.
    """
    true, pred, classes = _labels("y_true", y_true), _labels("y_pred", y_pred), _labels("classes", classes)
    if len(true) != len(pred):
        raise ValueError(f"y_true and y_pred must have the same length, got {len(true)} and {len(pred)}")
    if not true:
        raise ValueError("y_true must hold at least one label, got an empty sequence")
    if len(classes) < 2 or len(set(classes)) != len(classes):
        raise ValueError(f"classes must be at least two distinct labels, got {classes!r}")
    index = {c: i for i, c in enumerate(classes)}
    unknown = sorted({repr(y) for y in (*true, *pred) if y not in index})
    if unknown:
        raise ValueError(f"every label must be one of classes {classes!r}, got also {', '.join(unknown)}")
    counts = np.zeros((len(classes), len(classes)), dtype=np.int64)
    np.add.at(counts, ([index[y] for y in true], [index[y] for y in pred]), 1)
    return counts


def plot_confusion_matrix(
    y_true: Sequence[Any],
    y_pred: Sequence[Any],
    *,
    classes: Sequence[Any],
    class_names: Mapping[Any, str] | Sequence[str] | None = None,
    title: str | None = None,
    language: str | None = "en",
) -> Figure:
    """Draw the confusion matrix of a classifier as a grid of shaded cells.

    Each cell shows its count and, below it, the share of its row (of the texts of that true class), so a
    row reads as "of all truly negative texts, 88 % were predicted negative". The shade follows that share,
    so classes of different sizes compare fairly.

    Args:
        y_true: the N true labels.
        y_pred: the N predicted labels.
        classes: the C class labels, in the order of the rows and columns.
        class_names: what to write for each class: a mapping from label to name, or C names in the order of
            ``classes``. Default: the labels themselves.
        title: a name for the title (e.g. the data set), which then also gives the accuracy; None for no
            title (always none with ``language=None``).
        language: ``"en"`` or ``"zh"``, the language of the axis labels, or None for symbols only.

    Returns:
        The matplotlib figure.

    Raises:
        TypeError, ValueError: as :func:`confusion_matrix`, or for ``class_names`` that do not name every class.
    """
    import matplotlib.pyplot as plt

    check_language(language)
    counts = confusion_matrix(y_true, y_pred, classes)
    classes = _labels("classes", classes)
    if class_names is None:
        names = [str(c) for c in classes]
    elif isinstance(class_names, Mapping):
        missing = [c for c in classes if c not in class_names]
        if missing:
            raise ValueError(f"class_names must name every class, missing {missing!r}")
        names = [str(class_names[c]) for c in classes]
    else:
        names = [str(n) for n in _labels("class_names", class_names)]
        if len(names) != len(classes):
            raise ValueError(f"class_names must hold one name per class ({len(classes)}), got {len(names)}")
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)

    use_style()
    size = 1.2 + 1.15 * len(classes)
    fig, ax = plt.subplots(figsize=(size + 1.1, size))
    image = ax.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0)
    for i in range(len(classes)):
        for j in range(len(classes)):
            color = "white" if shares[i, j] > 0.55 else "black"
            ax.text(j, i, f"{counts[i, j]:,}\n{shares[i, j]:.1%}", ha="center", va="center", color=color)
    ticks = range(len(classes))
    ax.set_xticks(ticks, names)
    ax.set_yticks(ticks, names)
    ax.set_xlabel(label("confusion_predicted", language))
    ax.set_ylabel(label("confusion_true", language))
    ax.grid(False)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04, format=lambda value, _: f"{value:.0%}")
    if title is not None and language is not None:
        accuracy = float(np.trace(counts) / counts.sum())
        ax.set_title(label("confusion_title", language, name=title, accuracy=accuracy))
    fig.tight_layout()
    return fig
