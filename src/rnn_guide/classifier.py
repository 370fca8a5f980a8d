"""Sentiment classification from raw text: training, the :class:`TextClassifier` wrapper, and its file.

The network itself, :class:`~rnn_guide.text.models.SequenceClassifier` (embedding → recurrent layers →
pooling over time → linear layer), lives in :mod:`rnn_guide.text.models`.

* :func:`train_text_classifier` — raw strings and labels in, a trained :class:`TextClassifier` out: it
  tokenises, builds the vocabulary, trains with :func:`rnn_guide.training.fit` and keeps the tokeniser,
  vocabulary and label names with the weights.
* :class:`TextClassifier` — ``predict``, ``predict_proba``, ``score``, ``save`` and ``load``.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn
from torch.utils.data import DataLoader

from rnn_guide._validation import check_choice, check_int, check_number, describe
from rnn_guide.checkpoints import load_checkpoint, save_checkpoint
from rnn_guide.devices import seed_everything
from rnn_guide.history import History
from rnn_guide.text.batching import BucketBatchSampler, EncodedTexts, collate_padded
from rnn_guide.text.linear import NgramLogisticRegression
from rnn_guide.text.models import SequenceClassifier
from rnn_guide.text.tokenize import Tokenizer
from rnn_guide.text.vocab import TRUNCATIONS, Vocab, encode
from rnn_guide.training import fit, move_to_device, predict

__all__ = [
    "LANGUAGE_DEFAULTS",
    "TextClassifier",
    "train_text_classifier",
]

#: Defaults of :func:`train_text_classifier` that depend on ``language`` (see its docstring for how they
#: were chosen).
LANGUAGE_DEFAULTS: dict[str, dict[str, Any]] = {
    "en": {"epochs": 4, "lr_decay": 0.5, "dropout": 0.4, "linear_penalty": "holdout"},
    "zh": {"epochs": 6, "lr_decay": 0.5, "dropout": 0.5, "linear_penalty": "cv"},
}


# ---------------------------------------------------------------------------------------------------------
# From raw text: input checks
# ---------------------------------------------------------------------------------------------------------

Label = int | str
_FILE_KIND = "rnn_guide.TextClassifier"
_FILE_VERSION = 1


def _check_texts(name: str, texts: Any, *, allow_empty: bool = False) -> list[str]:
    if isinstance(texts, (str, bytes)):
        raise TypeError(f"{name} must be a list of strings, got a single {type(texts).__name__}; wrap it: [text]")
    if isinstance(texts, np.ndarray):
        texts = texts.tolist()
    if not isinstance(texts, Sequence):
        raise TypeError(f"{name} must be a list of strings, got {describe(texts)}")
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise TypeError(f"{name}[{i}] must be a str, got {describe(text)}")
    if not texts and not allow_empty:
        raise ValueError(f"{name} must hold at least one text, got an empty sequence")
    return list(texts)


def _check_labels(name: str, labels: Any, count: int, texts_name: str) -> list[Label]:
    if isinstance(labels, (np.ndarray, Tensor)):
        labels = labels.tolist()
    if isinstance(labels, (str, bytes)) or not isinstance(labels, Sequence):
        raise TypeError(f"{name} must be a list of integers or strings, got {describe(labels)}")
    if len(labels) != count:
        raise ValueError(f"{name} must have one label per text: {texts_name} has {count}, {name} has {len(labels)}")
    kinds = set()
    checked: list[Label] = []
    for i, label in enumerate(labels):
        if isinstance(label, (bool, np.bool_)) or not isinstance(label, (int, np.integer, str)):
            raise TypeError(f"{name}[{i}] must be an integer or a string, got {describe(label)}")
        kinds.add(str if isinstance(label, str) else int)
        checked.append(str(label) if isinstance(label, str) else int(label))
    if len(kinds) > 1:
        raise TypeError(f"{name} must be all integers or all strings, got a mix of both")
    return checked


def _accuracy(logits: Tensor, targets: Tensor) -> float:
    return float((logits.argmax(dim=1) == targets).float().mean())


# ---------------------------------------------------------------------------------------------------------
# TextClassifier
# ---------------------------------------------------------------------------------------------------------


class TextClassifier:
    """A trained :class:`~rnn_guide.text.models.SequenceClassifier` together with what turns raw text into its input.

    It holds the tokeniser, the vocabulary, the truncation rule and the class labels, so that
    ``predict(["a text", ...])`` works on raw strings and returns labels as they were given to
    :func:`train_text_classifier` (integers or strings). Make one with :func:`train_text_classifier` or
    :meth:`load`.

    Texts without any token (an empty string, only spaces) and texts made of unknown tokens only are
    encoded as ``<unk>`` tokens; the classifier still returns a prediction for them (it carries no
    information from the text, so expect roughly the class frequencies it learned).

    Args:
        model: the trained network; its ``num_classes`` must equal ``len(classes)`` and its ``vocab_size``
            ``len(vocab)``.
        vocab: the vocabulary it was trained with.
        tokenizer: the tokeniser it was trained with.
        classes: the labels, in the order of the model's outputs.
        max_length: the most tokens per text (longer texts are truncated), or ``None``.
        truncation: ``"head"``, ``"tail"`` or ``"head+tail"`` (see :func:`rnn_guide.text.vocab.encode`).
        history: the training :class:`~rnn_guide.history.History`, if known.
        linear: a fitted :class:`~rnn_guide.text.linear.NgramLogisticRegression` whose logits are added to
            the network's (``train_text_classifier(linear_ngrams=True)``), or ``None``.

    Attributes:
        classes: the labels, column ``j`` of :meth:`predict_proba` belongs to ``classes[j]``.
    """

    def __init__(
        self,
        model: SequenceClassifier,
        vocab: Vocab,
        tokenizer: Tokenizer,
        classes: Sequence[Label],
        *,
        max_length: int | None = 400,
        truncation: str = "head+tail",
        history: History | None = None,
        linear: NgramLogisticRegression | None = None,
    ) -> None:
        if not isinstance(model, SequenceClassifier):
            raise TypeError(f"model must be a SequenceClassifier, got {describe(model)}")
        if not isinstance(vocab, Vocab):
            raise TypeError(f"vocab must be a Vocab, got {describe(vocab)}")
        if not isinstance(tokenizer, Tokenizer):
            raise TypeError(f"tokenizer must be a Tokenizer, got {describe(tokenizer)}")
        classes = list(classes)
        if len(set(classes)) != len(classes) or len(classes) != model.config["num_classes"]:
            raise ValueError(
                f"classes must be {model.config['num_classes']} distinct labels (the model's num_classes), "
                f"got {classes!r}"
            )
        if len(vocab) != model.config["vocab_size"]:
            raise ValueError(f"vocab must have the model's vocab_size={model.config['vocab_size']}, got {len(vocab)}")
        max_length = check_int("max_length", max_length, minimum=1, allow_none=True)
        check_choice("truncation", truncation, TRUNCATIONS)
        if linear is not None and (
            not isinstance(linear, NgramLogisticRegression) or linear.config["num_classes"] != len(classes)
        ):
            raise ValueError(f"linear must be an NgramLogisticRegression with {len(classes)} classes, got {linear!r}")
        self.linear = linear
        self.model = model
        self.vocab = vocab
        self.tokenizer = tokenizer
        self.classes: list[Label] = classes
        self.max_length = max_length
        self.truncation = truncation
        self.history = history

    def __repr__(self) -> str:
        c = self.model.config
        return (
            f"TextClassifier(language={self.tokenizer.language!r}, classes={self.classes!r}, "
            f"vocab_size={len(self.vocab)}, rnn_type={c['rnn_type']!r}, hidden_size={c['hidden_size']}, "
            f"bidirectional={c['bidirectional']}, pooling={c['pooling']!r}, linear_ngrams={self.linear is not None})"
        )

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        """Tokenise and encode raw texts: one list of 1 .. ``max_length`` vocabulary indices per text."""
        texts = _check_texts("texts", texts, allow_empty=True)
        return [
            encode(self.tokenizer(t), self.vocab, max_length=self.max_length, truncation=self.truncation) for t in texts
        ]

    def predict_proba(self, texts: Sequence[str], *, batch_size: int = 256) -> np.ndarray:
        """Class probabilities for each text.

        Args:
            texts: N raw strings (a list; a single string must be wrapped: ``[text]``).
            batch_size: texts per forward pass (they are batched by length, then put back in order).

        Returns:
            A float32 array of shape (N, C); row ``i`` sums to 1 and column ``j`` belongs to
            ``classes[j]``. An empty list gives shape (0, C).

        Raises:
            TypeError: if ``texts`` is not a list of strings.
        """
        batch_size = check_int("batch_size", batch_size, minimum=1)
        sequences = self.encode(texts)
        if not sequences:
            return np.zeros((0, len(self.classes)), dtype=np.float32)
        data = EncodedTexts(sequences)
        sampler = BucketBatchSampler(data.lengths, batch_size, shuffle=False)
        loader = DataLoader(data, batch_sampler=sampler, collate_fn=collate_padded)
        logits = predict(self.model, loader, batch_to_device=functools.partial(move_to_device, keep_on_cpu=(1,)))
        order = torch.tensor([i for batch in sampler for i in batch])
        in_order = torch.empty_like(logits, dtype=torch.float32)
        in_order[order] = logits.float()
        if self.linear is not None:
            with torch.no_grad():
                in_order += self.linear(texts).float().cpu()
        return torch.softmax(in_order, dim=1).numpy()

    def predict(self, texts: Sequence[str], *, batch_size: int = 256) -> list[Label]:
        """The most probable label of each text, as given in training (integers or strings).

        Args:
            texts: N raw strings.
            batch_size: texts per forward pass.

        Returns:
            A list of N labels.
        """
        probabilities = self.predict_proba(texts, batch_size=batch_size)
        return [self.classes[j] for j in probabilities.argmax(axis=1).tolist()]

    def score(self, texts: Sequence[str], labels: Sequence[Label], *, batch_size: int = 256) -> float:
        """Accuracy on labelled texts: the fraction of texts whose predicted label equals the given one.

        Raises:
            TypeError, ValueError: for texts or labels of the wrong type or length.
        """
        texts = _check_texts("texts", texts)
        labels = _check_labels("labels", labels, len(texts), "texts")
        predicted = self.predict(texts, batch_size=batch_size)
        return sum(p == y for p, y in zip(predicted, labels, strict=True)) / len(labels)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the classifier to one file, atomically (see :func:`rnn_guide.checkpoints.save_checkpoint`).

        The file holds only tensors, numbers, strings, lists and dicts and is read with
        ``torch.load(..., weights_only=True)``.

        Returns:
            ``path`` as a ``Path``.
        """
        extra = {
            "kind": _FILE_KIND,
            "version": _FILE_VERSION,
            "tokenizer": self.tokenizer.to_dict(),
            "vocab": self.vocab.to_dict(),
            "classes": list(self.classes),
            "max_length": self.max_length,
            "truncation": self.truncation,
        }
        if self.linear is not None:
            extra["linear"] = {"config": dict(self.linear.config), "state": self.linear.compact_state()}
        epochs = self.history.epochs if self.history is not None else 0
        return save_checkpoint(
            path, model=self.model, epoch=epochs, config=dict(self.model.config), history=self.history, extra=extra
        )

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, device: str | torch.device = "cpu") -> TextClassifier:
        """Read a classifier written by :meth:`save`; it predicts exactly as the saved one.

        Args:
            path: the file.
            device: where to put the model's weights.

        Raises:
            FileNotFoundError: if ``path`` does not exist.
            ValueError: if the file is not a saved :class:`TextClassifier` (another model's checkpoint, a
                plain ``state_dict``, a damaged file) or its weights do not fit its configuration.
        """
        checkpoint = load_checkpoint(path, map_location=device)
        extra, config = checkpoint.extra, dict(checkpoint.config)
        if extra.get("kind") != _FILE_KIND or config.get("class_name") != SequenceClassifier.__name__:
            holds = config.get("class_name", "an unknown model")
            raise ValueError(f"{str(path)!r} is not a saved TextClassifier: it holds a checkpoint of {holds}")
        if extra.get("version") != _FILE_VERSION:
            raise ValueError(
                f"{str(path)!r} is a TextClassifier file of version {extra.get('version')!r}; "
                f"this version of rnn_guide reads version {_FILE_VERSION}"
            )
        config.pop("class_name")
        model = SequenceClassifier(**config)
        try:
            model.load_state_dict(checkpoint.model_state)
        except RuntimeError as error:
            raise ValueError(f"the weights in {str(path)!r} do not fit its configuration: {error}") from None
        model.to(device).eval()
        linear = None
        if "linear" in extra:
            linear = NgramLogisticRegression.from_compact_state(extra["linear"]["config"], extra["linear"]["state"])
            linear.to(device)
        return cls(
            model,
            Vocab.from_dict(extra["vocab"]),
            Tokenizer.from_dict(extra["tokenizer"]),
            extra["classes"],
            max_length=extra["max_length"],
            truncation=extra["truncation"],
            history=checkpoint.history,
            linear=linear,
        )


# ---------------------------------------------------------------------------------------------------------
# Training from raw text
# ---------------------------------------------------------------------------------------------------------


def _check_valid(valid: Any) -> tuple[list[str], list[Label]] | None:
    if valid is None:
        return None
    if isinstance(valid, Mapping) or not hasattr(valid, "__len__"):
        raise TypeError(f"valid must be a pair (texts, labels) or None, got {describe(valid)}")
    if hasattr(valid, "texts") and hasattr(valid, "labels"):
        valid = (valid.texts, valid.labels)
    if len(valid) != 2:
        raise TypeError(f"valid must be a pair (texts, labels) or None, got a sequence of length {len(valid)}")
    texts = _check_texts("valid texts", valid[0])
    return texts, _check_labels("valid labels", valid[1], len(texts), "valid texts")


def _language_settings(
    language: str, epochs: Any, lr_decay: Any, dropout: Any, linear_penalty: Any
) -> tuple[Any, Any, Any, str | float]:
    """The settings left at ``None`` taken from :data:`LANGUAGE_DEFAULTS`; ``linear_penalty`` checked."""
    defaults = LANGUAGE_DEFAULTS[language]
    epochs = defaults["epochs"] if epochs is None else epochs
    lr_decay = defaults["lr_decay"] if lr_decay is None else lr_decay
    dropout = defaults["dropout"] if dropout is None else dropout
    linear_penalty = defaults["linear_penalty"] if linear_penalty is None else linear_penalty
    return epochs, lr_decay, dropout, _check_linear_penalty(linear_penalty)


def _check_linear_penalty(penalty: Any) -> str | float:
    """``"holdout"``, ``"cv"`` or a positive L2 penalty of the linear n-gram part."""
    if isinstance(penalty, str):
        check_choice("linear_penalty", penalty, LINEAR_PENALTY_CHOICES)
        return penalty
    if isinstance(penalty, bool) or not isinstance(penalty, int | float):
        raise TypeError(
            f"linear_penalty must be one of {LINEAR_PENALTY_CHOICES} or a positive number, got {describe(penalty)}"
        )
    return check_number("linear_penalty", penalty, low=0.0, low_inclusive=False)


def _check_training_settings(
    epochs: object,
    batch_size: object,
    patience: object,
    seed: object,
    lr: object,
    lr_decay: object,
    weight_decay: object,
    clip: object,
) -> tuple[int, float, float, float, float | None]:
    """Check the optimisation settings of :func:`train_text_classifier`; return seed, lr, lr_decay,
    weight_decay and clip as numbers."""
    for name, value in (("epochs", epochs), ("batch_size", batch_size), ("patience", patience)):
        check_int(name, value, minimum=1)
    return (
        check_int("seed", seed, minimum=0),
        check_number("lr", lr, low=0.0, low_inclusive=False),
        check_number("lr_decay", lr_decay, low=0.0, high=1.0, low_inclusive=False),
        check_number("weight_decay", weight_decay, low=0.0),
        None if clip is None else check_number("clip", clip, low=0.0, low_inclusive=False),
    )


def _hold_out(
    texts: list[str], labels: list[Label], fraction: float, seed: object, progress: bool | None
) -> tuple[list[str], list[Label], tuple[list[str], list[Label]] | None]:
    """Split ``fraction`` of the texts of every class off as validation data, drawn with ``seed``.

    Returns the training texts and labels and the held-out pair, or everything and ``None`` when some class
    has a single text (nothing can be held out from it).
    """
    seed = check_int("seed", seed, minimum=0)
    by_class: dict[Label, list[int]] = {}
    for i, label in enumerate(labels):
        by_class.setdefault(label, []).append(i)
    if min(len(rows) for rows in by_class.values()) < 2:
        _say(progress, "train_text_classifier: a class has a single text, so no validation texts are held out")
        return texts, labels, None
    generator = torch.Generator().manual_seed(seed)
    held: list[int] = []
    for label in sorted(by_class):  # type: ignore[type-var]
        rows = by_class[label]
        count = min(len(rows) - 1, max(1, round(fraction * len(rows))))
        order = torch.randperm(len(rows), generator=generator).tolist()
        held += [rows[j] for j in order[:count]]
    chosen = set(held)
    kept = [i for i in range(len(texts)) if i not in chosen]
    held.sort()
    _say(
        progress,
        f"train_text_classifier: {len(held):,} of {len(texts):,} texts ({fraction:.0%}, stratified) held out "
        "to choose the epoch; pass valid=(texts, labels), or valid_fraction=0 to train on all",
    )
    return (
        [texts[i] for i in kept],
        [labels[i] for i in kept],
        ([texts[i] for i in held], [labels[i] for i in held]),
    )


def _say(progress: bool | None, message: str) -> None:
    """A line on stderr where the progress bar is shown (``progress=True``, or ``None`` on a terminal)."""
    if progress or (progress is None and sys.stderr.isatty()):
        print(message, file=sys.stderr)


#: The L2 penalties of the linear n-gram part tried on the validation texts (the first on a tie).
LINEAR_L2_GRID: tuple[float, ...] = (1e-4, 3e-5, 1e-5, 3e-6)
#: The penalty used when there are no validation texts to choose one (with ``linear_penalty="holdout"``).
LINEAR_L2_DEFAULT = 3e-5
#: How the linear part's penalty can be chosen (``train_text_classifier(linear_penalty=...)``), besides a number.
LINEAR_PENALTY_CHOICES = ("holdout", "cv")
_LINEAR_FOLDS = 5


def _fit_linear_part(
    texts: list[str],
    targets: list[int],
    valid: tuple[list[str], list[int]] | None,
    num_classes: int,
    language: str,
    seed: int,
    progress: bool | None,
    penalty: str | float = "holdout",
) -> tuple[NgramLogisticRegression, Tensor, Tensor | None]:
    """Fit the n-gram logistic regression; return it, out-of-fold logits (N, C) of the training texts and
    its logits of the validation texts.

    The penalty (``penalty``) is chosen from :data:`LINEAR_L2_GRID` on the validation texts (``"holdout"``;
    without them :data:`LINEAR_L2_DEFAULT`), by 5-fold cross-validation on the training texts (``"cv"``),
    or given as a number. Each training text's logits come from a model fitted on the other folds, so they
    are as confident as the logits of a new text, and the network learns to correct them, not to trust
    over-fitted ones. Once the penalty is chosen, the returned model is fitted on the training and validation
    texts together.
    """
    linear = NgramLogisticRegression(num_classes, language).fit_idf(texts)
    x, y = linear.features(texts), torch.tensor(targets)
    valid_x, valid_y = (None, None) if valid is None else (linear.features(valid[0]), torch.tensor(valid[1]))
    folds = torch.randperm(len(texts), generator=torch.Generator().manual_seed(seed)) % _LINEAR_FOLDS
    if penalty == "cv":
        return _fit_linear_part_cv(linear, x, y, valid_x, valid_y, folds, progress)
    valid_logits, scores = None, {}
    chosen = LINEAR_L2_DEFAULT if penalty == "holdout" else float(penalty)
    if valid is not None and penalty == "holdout":
        fitted = {}
        for i, l2 in enumerate(LINEAR_L2_GRID):  # a path of falling penalties, each fit starting from the last
            linear.fit(x, y, l2=l2, warm_start=i > 0)
            with torch.no_grad():
                scores[l2] = float((linear.logits_of(valid_x).argmax(1) == valid_y).float().mean())
            fitted[l2] = {k: v.clone() for k, v in linear.state_dict().items()}
        chosen = max(LINEAR_L2_GRID, key=lambda l2: scores[l2])
        linear.load_state_dict(fitted[chosen])
        with torch.no_grad():
            valid_logits = linear.logits_of(valid_x)
    else:
        linear.fit(x, y, l2=chosen)
        if valid_x is not None:
            with torch.no_grad():
                valid_logits = linear.logits_of(valid_x)
    final = {k: v.clone() for k, v in linear.state_dict().items()}
    out_of_fold = torch.zeros(len(texts), num_classes)
    for fold in range(_LINEAR_FOLDS):
        held = folds == fold
        linear.load_state_dict(final)
        linear.fit(_sparse_rows(x, ~held), y[~held], l2=chosen, warm_start=True)
        with torch.no_grad():
            out_of_fold[held] = linear.logits_of(_sparse_rows(x, held)).cpu()
    linear.load_state_dict(final)
    if valid_x is not None:  # the penalty is chosen: fit the linear part once more, on every text
        linear.fit(_sparse_stack(x, valid_x), torch.cat([y, valid_y]), l2=chosen, warm_start=True)
    accuracy = ", ".join(f"{l2:g}: {a:.1%}" for l2, a in scores.items())
    how = f" (validation accuracy {accuracy})" if scores else (" (given)" if penalty != "holdout" else "")
    _say(progress, f"train_text_classifier: linear n-gram part fitted, L2 {chosen:g}{how}")
    return linear, out_of_fold, valid_logits


def _fit_linear_part_cv(
    linear: NgramLogisticRegression,
    x: Tensor,
    y: Tensor,
    valid_x: Tensor | None,
    valid_y: Tensor | None,
    folds: Tensor,
    progress: bool | None,
) -> tuple[NgramLogisticRegression, Tensor, Tensor | None]:
    """:func:`_fit_linear_part` with the penalty chosen by cross-validation on the training texts (``folds``).

    On each fold the penalties of :data:`LINEAR_L2_GRID` are fitted as a path (each fit starting from the last)
    and scored on the held-out texts; the penalty with the most texts right over all folds wins (the first on
    a tie), and its held-out logits are the out-of-fold logits. The validation texts take no part in the choice.
    """
    num_classes = linear.weight.shape[1]
    out_of_fold = {l2: torch.zeros(len(y), num_classes) for l2 in LINEAR_L2_GRID}
    right = dict.fromkeys(LINEAR_L2_GRID, 0)
    for fold in range(_LINEAR_FOLDS):
        held = folds == fold
        held_x = _sparse_rows(x, held)
        for i, l2 in enumerate(LINEAR_L2_GRID):
            linear.fit(_sparse_rows(x, ~held), y[~held], l2=l2, warm_start=i > 0)
            with torch.no_grad():
                logits = linear.logits_of(held_x).cpu()
            out_of_fold[l2][held] = logits
            right[l2] += int((logits.argmax(1) == y[held]).sum())
    chosen = max(LINEAR_L2_GRID, key=lambda l2: right[l2])
    for i, l2 in enumerate(LINEAR_L2_GRID[: LINEAR_L2_GRID.index(chosen) + 1]):  # the path down to the choice
        linear.fit(x, y, l2=l2, warm_start=i > 0)
    valid_logits = None
    if valid_x is not None and valid_y is not None:
        with torch.no_grad():
            valid_logits = linear.logits_of(valid_x)
        linear.fit(_sparse_stack(x, valid_x), torch.cat([y, valid_y]), l2=chosen, warm_start=True)
    accuracy = ", ".join(f"{l2:g}: {right[l2] / len(y):.1%}" for l2 in LINEAR_L2_GRID)
    _say(
        progress,
        f"train_text_classifier: linear n-gram part fitted, L2 {chosen:g} "
        f"({_LINEAR_FOLDS}-fold cross-validation accuracy {accuracy})",
    )
    return linear, out_of_fold[chosen], valid_logits


def _zero_output_layer(model: SequenceClassifier) -> None:
    with torch.no_grad():
        model.head.weight.zero_()
        model.head.bias.zero_()


def _keep_the_better_start(
    classifier: TextClassifier, valid_offsets: Tensor, valid_targets: list[int], progress: bool | None
) -> None:
    """Epoch 0 of early stopping: if the linear part alone is at least as accurate on the validation texts as
    the best epoch, set the network's output layer back to zero (the classifier is then the linear part)."""
    linear_only = float((valid_offsets.argmax(1) == torch.tensor(valid_targets)).float().mean())
    history = classifier.history
    best = max(history.metrics["accuracy"]) if history is not None and history.metrics.get("accuracy") else None
    if best is not None and linear_only >= best:
        _zero_output_layer(classifier.model)
        _say(progress, f"train_text_classifier: the linear part alone ({linear_only:.1%}) is kept, no epoch beat it")


def _sparse_stack(top: Tensor, bottom: Tensor) -> Tensor:
    """Two coalesced sparse matrices with the same columns, one above the other."""
    index = torch.cat([top.indices(), bottom.indices() + torch.tensor([[top.shape[0]], [0]])], dim=1)
    shape = (top.shape[0] + bottom.shape[0], top.shape[1])
    values = torch.cat([top.values(), bottom.values()])
    return torch.sparse_coo_tensor(index, values, shape, is_coalesced=True, check_invariants=False)


def _sparse_rows(x: Tensor, mask: Tensor) -> Tensor:
    """The rows of a coalesced sparse (N, F) matrix where ``mask`` (N,) is true, in order."""
    rows, columns = x.indices()
    keep = mask[rows]
    new_row = torch.cumsum(mask, 0) - 1
    index = torch.stack([new_row[rows[keep]], columns[keep]])
    shape = (int(mask.sum()), x.shape[1])
    return torch.sparse_coo_tensor(index, x.values()[keep], shape, is_coalesced=True, check_invariants=False)


class _TextsWithOffsets(EncodedTexts):
    """Encoded texts with fixed logits (the linear part's) to add to the network's; items (seq, label, offset)."""

    def __init__(self, sequences: Sequence[Sequence[int]], labels: Sequence[int], offsets: Tensor) -> None:
        super().__init__(sequences, labels)
        self.offsets = offsets

    def __getitem__(self, index: int) -> tuple[Tensor, int, Tensor]:  # type: ignore[override]
        sequence, label = super().__getitem__(index)
        return sequence, label, self.offsets[index]


def _collate_with_offsets(batch: Sequence[tuple[Tensor, int, Tensor]]) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    tokens, lengths, labels = collate_padded([(item[0], item[1]) for item in batch])
    return tokens, lengths, torch.stack([item[2] for item in batch]), labels


def _forward_with_offsets(model: nn.Module, batch: tuple[Tensor, Tensor, Tensor, Tensor]) -> tuple[Tensor, Tensor]:
    tokens, lengths, offsets, labels = batch
    return model(tokens, lengths) + offsets, labels


def _loader(
    sequences: list[list[int]],
    targets: list[int],
    batch_size: int,
    *,
    shuffle: bool,
    seed: int,
    offsets: Tensor | None = None,
) -> DataLoader:
    if offsets is None:
        data = EncodedTexts(sequences, targets)
        collate: Any = collate_padded
    else:
        data, collate = _TextsWithOffsets(sequences, targets, offsets), _collate_with_offsets
    sampler = BucketBatchSampler(data.lengths, batch_size, shuffle=shuffle, seed=seed)
    return DataLoader(data, batch_sampler=sampler, collate_fn=collate)


def _validation_texts(
    texts: list[str],
    labels: list[Label],
    classes: list[Label],
    valid: Any,
    valid_fraction: Any,
    seed: Any,
    progress: bool | None,
) -> tuple[list[str], list[Label], tuple[list[str], list[Label]] | None]:
    """The training texts and labels, and the validation pair: ``valid`` checked, or a held-out share."""
    valid_fraction = check_number("valid_fraction", valid_fraction, low=0.0, high=1.0, high_inclusive=False)
    checked_valid = _check_valid(valid)
    if checked_valid is None and valid_fraction > 0:
        texts, labels, checked_valid = _hold_out(texts, labels, valid_fraction, seed, progress)
    if checked_valid is not None:
        unseen = sorted(set(checked_valid[1]) - set(classes))  # type: ignore[type-var]
        if unseen:
            raise ValueError(f"valid labels must be classes seen in training {classes!r}, got also {unseen!r}")
    return texts, labels, checked_valid


def _build_vocab(token_lists: list[list[str]], min_freq: int, max_vocab_size: int | None) -> Vocab:
    vocab = Vocab.build(token_lists, min_freq=min_freq, max_size=max_vocab_size)
    if len(vocab) == 2:
        raise ValueError(
            f"the vocabulary is empty: no token occurs min_freq={min_freq} times in texts (are they all empty?); "
            "lower min_freq or give more texts"
        )
    return vocab


def _fit_network(
    model: SequenceClassifier,
    train_loader: DataLoader,
    valid_loader: DataLoader | None,
    optimizer: torch.optim.Optimizer,
    *,
    epochs: int,
    lr_decay: float,
    clip: float | None,
    patience: int,
    device: str | torch.device | None,
    progress: bool | None,
    offsets: bool,
) -> History:
    """:func:`rnn_guide.training.fit` with the classifier's settings: accuracy on the validation texts picks
    the epoch (else the last one is kept), the learning rate falls by ``lr_decay`` per epoch."""
    with_valid = valid_loader is not None
    return fit(
        model,
        train_loader,
        epochs=epochs,
        loss_fn=nn.CrossEntropyLoss(),
        optimizer=optimizer,
        valid_data=valid_loader,
        metrics={"accuracy": _accuracy} if with_valid else None,
        device=device,
        clip=clip,
        scheduler=torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=lr_decay),
        early_stopping=patience if with_valid else None,
        monitor="accuracy" if with_valid else "train_loss",
        mode="max" if with_valid else "min",
        progress=progress,
        batch_to_device=functools.partial(move_to_device, keep_on_cpu=(1,)),
        forward_fn=_forward_with_offsets if offsets else None,
    )


def train_text_classifier(
    texts: Sequence[str],
    labels: Sequence[Label],
    *,
    language: str = "en",
    valid: tuple[Sequence[str], Sequence[Label]] | None = None,
    valid_fraction: float = 0.1,
    linear_ngrams: bool = True,
    linear_penalty: str | float | None = None,
    zh_tokenizer: str = "word",
    rnn_type: str = "lstm",
    embedding_dim: int = 128,
    hidden_size: int = 128,
    num_layers: int = 1,
    bidirectional: bool = True,
    dropout: float | None = None,
    pooling: str = "max",
    max_length: int | None = 400,
    truncation: str = "head+tail",
    min_freq: int = 2,
    max_vocab_size: int | None = 50_000,
    epochs: int | None = None,
    batch_size: int = 64,
    lr: float = 2e-3,
    lr_decay: float | None = None,
    weight_decay: float = 0.0,
    clip: float | None = 1.0,
    patience: int = 2,
    seed: int = 0,
    device: str | torch.device | None = None,
    progress: bool | None = None,
) -> TextClassifier:
    """Train a recurrent text classifier on raw strings, from scratch (no pretrained embeddings).

    The defaults — a one-layer bidirectional LSTM with 128 units per direction over 128-dimensional
    embeddings, max pooling, texts cut to 400 tokens (the first third and the last two thirds), Adam with
    learning rate 2e-3 — are those of the guide's benchmarks (``benchmarks/classifier_accuracy.py``), with
    four settings that depend on the language (:data:`LANGUAGE_DEFAULTS`), each chosen on validation data:

    * English (IMDB: trained on 22,500 training reviews, the best epoch on the other 2,500 kept): 4 epochs,
      the learning rate halved after every epoch, dropout 0.4. With a constant learning rate the network fits
      IMDB's training reviews within two epochs and its validation accuracy falls after that. The linear
      part's penalty is chosen on the held-out texts.
    * Chinese (ChnSentiCorp: the best epoch on the dev split kept): jieba words, 6 epochs (its 9,600 shorter
      reviews take far fewer steps per epoch), the learning rate halved after every epoch, dropout 0.5, the
      linear part's penalty chosen by cross-validation. The halving (replacing a constant rate), then the
      dropout (replacing 0.4), then the cross-validated penalty (replacing the choice on the held-out texts)
      each had the higher mean accuracy over the five cross-validation folds of ChnSentiCorp's training split,
      the rule ``benchmarks/classifier_vs_linear.py`` writes down for changing a default (result files
      ``classifier_vs_linear_chnsenticorp_cv_fold*_lr_decay_0.5``, ``..._dropout_0.5`` and ``..._linear_cv``).

    By default the network is trained on top of a TF-IDF n-gram logistic regression (``linear_ngrams``):
    the linear model is fitted first, and the network learns what its logits miss. Without ``valid``,
    10 % of the texts are held out (``valid_fraction``) to choose the epoch (and, in English, the linear
    model's penalty).
    ``benchmarks/classifier_vs_linear.py`` compares these defaults with scikit-learn's TF-IDF + logistic
    regression on the official test splits and on cross-validation folds.

    Args:
        texts: N raw training texts.
        labels: N labels, all integers or all strings, with at least two distinct values.
        language: ``"en"`` (English tokeniser) or ``"zh"`` (Chinese, see ``zh_tokenizer``).
        valid: ``(texts, labels)`` (or a :class:`~rnn_guide.text.datasets.LabelledTexts`) to measure accuracy
            on after every epoch. The weights of the epoch with the best validation accuracy are kept and
            training stops after ``patience`` epochs without improvement.
        valid_fraction: without ``valid``, hold out this share of ``texts`` (default 10 %) as validation data,
            stratified by label and drawn with ``seed`` (at least one text of each class, at least one left for
            training), and train on the rest: the epoch (and, with ``linear_penalty="holdout"``, the linear part's
            penalty) is then chosen, and training stops early, on texts the model never trained on, as with
            ``valid``. The vocabulary is built from the training part only, and the progress output says how many
            texts were held out. ``0`` trains on every text and keeps the weights after the last epoch; so does a
            data set with a class of a single text. Ignored when ``valid`` is given.
        linear_ngrams: first fit a TF-IDF n-gram logistic regression
            (:class:`~rnn_guide.text.linear.NgramLogisticRegression`), then train the network to add to its
            logits (its output layer starts at zero, so training starts from the linear model). The network
            learns from the logits each training text gets from a linear model fitted without it (5 folds),
            the linear part's L2 penalty is chosen as ``linear_penalty`` says, and the linear part alone competes
            as "epoch 0" of early stopping. ``benchmarks/classifier_vs_linear.py`` measures the defaults
            against scikit-learn's TF-IDF + logistic regression.
        linear_penalty: how the linear part's L2 penalty is chosen from :data:`LINEAR_L2_GRID`: ``"holdout"``
            (the most accurate on the validation texts; without them :data:`LINEAR_L2_DEFAULT`), ``"cv"``
            (the most accurate in 5-fold cross-validation on the training texts: steadier on small data, and
            slower, as the linear part is fitted more than twice as often), or a positive number, the penalty
            itself (default: by language, :data:`LANGUAGE_DEFAULTS`).
        zh_tokenizer: ``"word"`` (jieba words, default) or ``"char"`` (one token per character), for ``"zh"`` only.
        rnn_type: ``"rnn"``, ``"lstm"`` or ``"gru"``, see :class:`~rnn_guide.text.models.SequenceClassifier`
            (as are the next six).
        embedding_dim: size E of the token embeddings.
        hidden_size: hidden size of each direction.
        num_layers: number of stacked recurrent layers.
        bidirectional: read the texts in both directions.
        dropout: dropout probability on the embeddings, between layers and before the linear layer
            (default: by language, :data:`LANGUAGE_DEFAULTS`).
        pooling: ``"last"``, ``"mean"`` or ``"max"`` over the valid time steps.
        max_length: the most tokens per text, or ``None`` for no limit.
        truncation: which tokens of a longer text are kept: ``"head"``, ``"tail"`` or ``"head+tail"``.
        min_freq: a token must occur this often in ``texts`` to enter the vocabulary.
        max_vocab_size: the largest vocabulary (the most frequent tokens), or ``None``.
        epochs: passes over the training data (default: by language, :data:`LANGUAGE_DEFAULTS`).
        batch_size: texts per step; batches hold texts of similar length (length bucketing).
        lr: Adam's learning rate in the first epoch.
        lr_decay: the learning rate is multiplied by this after every epoch (``1.0`` keeps it constant;
            default: by language, :data:`LANGUAGE_DEFAULTS`).
        weight_decay: Adam's weight decay.
        clip: clip the total gradient norm to this value, or ``None``.
        patience: with ``valid``, stop after this many epochs without a better validation accuracy.
        seed: seeds the weights, dropout and batch order, so a run can be repeated exactly (on the CPU).
        device: where to train (``fit`` moves the model there), default
            :func:`rnn_guide.devices.pick_device` (CUDA if available).
        progress: show a progress bar (``None``, default: when stderr is a terminal).

    Returns:
        The trained :class:`TextClassifier` (its ``history`` holds the losses and accuracies per epoch).

    Raises:
        TypeError: if ``texts`` is not a list of strings, or the labels are not all integers or all strings
            (floats and booleans are refused, as they are ambiguous class labels).
        ValueError: if ``texts`` and ``labels`` differ in length, the labels hold a single class, ``valid``
            holds a label not seen in training, no token occurs ``min_freq`` times, or a hyperparameter is
            out of range.
    """
    texts = _check_texts("texts", texts)
    labels = _check_labels("labels", labels, len(texts), "texts")
    tokenizer = Tokenizer(language, zh_tokenizer)
    epochs, lr_decay, dropout, linear_penalty = _language_settings(language, epochs, lr_decay, dropout, linear_penalty)
    classes = sorted(set(labels))  # type: ignore[type-var]
    if len(classes) < 2:
        raise ValueError(f"labels must hold at least two classes, got only {classes[0]!r}")
    texts, labels, checked_valid = _validation_texts(texts, labels, classes, valid, valid_fraction, seed, progress)
    seed, lr, lr_decay, weight_decay, clip = _check_training_settings(
        epochs, batch_size, patience, seed, lr, lr_decay, weight_decay, clip
    )

    token_lists = [tokenizer(t) for t in texts]
    vocab = _build_vocab(token_lists, min_freq, max_vocab_size)
    index = {label: j for j, label in enumerate(classes)}
    targets = [index[y] for y in labels]
    valid_pair = None if checked_valid is None else (checked_valid[0], [index[y] for y in checked_valid[1]])
    linear, train_offsets, valid_offsets = None, None, None
    if linear_ngrams:
        linear, train_offsets, valid_offsets = _fit_linear_part(
            texts, targets, valid_pair, len(classes), language, seed, progress, linear_penalty
        )
    seed_everything(seed)
    model = SequenceClassifier(
        len(vocab),
        len(classes),
        embedding_dim=embedding_dim,
        hidden_size=hidden_size,
        num_layers=num_layers,
        rnn_type=rnn_type,
        bidirectional=bidirectional,
        dropout=dropout,
        pooling=pooling,
    )
    if linear is not None:  # start from the linear part alone: the network's output layer at zero
        _zero_output_layer(model)
    classifier = TextClassifier(
        model, vocab, tokenizer, classes, max_length=max_length, truncation=truncation, linear=linear
    )
    sequences = [encode(t, vocab, max_length=max_length, truncation=truncation) for t in token_lists]
    train_loader = _loader(sequences, targets, batch_size, shuffle=True, seed=seed, offsets=train_offsets)
    valid_loader = None
    if valid_pair is not None:
        valid_sequences = classifier.encode(valid_pair[0])
        valid_loader = _loader(valid_sequences, valid_pair[1], 256, shuffle=False, seed=seed, offsets=valid_offsets)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    classifier.history = _fit_network(
        model,
        train_loader,
        valid_loader,
        optimizer,
        epochs=epochs,
        lr_decay=lr_decay,
        clip=clip,
        patience=patience,
        device=device,
        progress=progress,
        offsets=linear is not None,
    )
    if valid_offsets is not None and valid_pair is not None:
        _keep_the_better_start(classifier, valid_offsets, valid_pair[1], progress)
    model.eval()
    return classifier
