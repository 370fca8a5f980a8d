"""Sequence classification with a recurrent network, from token indices or from raw text.

* :class:`SequenceClassifier` — the ``nn.Module``: embedding → ``nn.RNN``/``nn.LSTM``/``nn.GRU`` over a packed
  batch → pooling over time → linear layer giving class scores (logits).
* :func:`train_text_classifier` — raw strings and labels in, a trained :class:`TextClassifier` out: it
  tokenises, builds the vocabulary, trains with :func:`rnn_guide.training.fit` and keeps the tokeniser,
  vocabulary and label names with the weights.
* :class:`TextClassifier` — ``predict``, ``predict_proba``, ``score``, ``save`` and ``load``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn
from torch.func import functional_call
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence
from torch.utils.data import DataLoader

from rnn_guide._validation import check_choice, check_int, check_number, check_tensor, describe
from rnn_guide.checkpoints import load_checkpoint, save_checkpoint
from rnn_guide.devices import pick_device, seed_everything
from rnn_guide.history import History
from rnn_guide.text.batching import BucketBatchSampler, EncodedTexts, collate_padded
from rnn_guide.text.tokenize import Tokenizer
from rnn_guide.text.vocab import PAD_INDEX, TRUNCATIONS, Vocab, encode
from rnn_guide.training import fit, move_to_device, predict

__all__ = [
    "IMPLEMENTATIONS",
    "LANGUAGE_DEFAULTS",
    "POOLINGS",
    "RNN_TYPES",
    "SequenceClassifier",
    "TextClassifier",
    "run_padded",
    "train_text_classifier",
]

RNN_TYPES: dict[str, type[nn.Module]] = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}
POOLINGS: tuple[str, ...] = ("last", "mean", "max")
IMPLEMENTATIONS: tuple[str, ...] = ("auto", "packed", "padded")
EMBEDDING_INIT_STD = 0.1
#: Defaults of :func:`train_text_classifier` that depend on ``language`` (see its docstring for how they
#: were chosen).
LANGUAGE_DEFAULTS: dict[str, dict[str, Any]] = {
    "en": {"epochs": 4, "lr_decay": 0.5},
    "zh": {"epochs": 6, "lr_decay": 1.0},
}


def _reverse_within_lengths(lengths: Tensor, length: int) -> Callable[[Tensor], Tensor]:
    """A function that reverses the first ``lengths[i]`` steps of row ``i`` of an (N, L, *) tensor in place of
    them and leaves the padding after them where it is. It is its own inverse."""
    steps = torch.arange(length, device=lengths.device)
    valid = steps[None, :] < lengths[:, None]
    index = torch.where(valid, lengths[:, None] - 1 - steps[None, :], steps[None, :])  # (N, L)

    def reverse(x: Tensor) -> Tensor:
        return x.gather(1, index.unsqueeze(-1).expand(-1, -1, x.shape[-1]))

    return reverse


def _one_direction_template(rnn: nn.Module, input_size: int) -> nn.Module:
    """A one-layer, one-direction module of ``rnn``'s type on the meta device, to call with other weights."""
    options: dict[str, Any] = {"bias": rnn.bias, "batch_first": True, "device": "meta"}
    if isinstance(rnn, nn.RNN):
        options["nonlinearity"] = rnn.nonlinearity
    return type(rnn)(input_size, rnn.hidden_size, **options)


def run_padded(rnn: nn.Module, x: Tensor, lengths: Tensor) -> tuple[Tensor, Tensor]:
    """Run a ``batch_first`` ``nn.RNN``/``nn.LSTM``/``nn.GRU`` over a right-padded batch with the result of a
    packed batch, using the fused kernels for whole padded tensors.

    Each layer and direction runs on its own, with the module's own weights: the forward direction over the
    padded batch as it is (padding comes after every valid step, so it cannot reach one), the backward
    direction over every sequence reversed *within its own length* (so padding again comes last), its output
    reversed back. The outputs at valid steps and the final states are those of
    ``rnn(pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False))`` up to floating-point
    rounding; dropout between layers draws other random masks.

    Why: on the CPU, PyTorch runs a packed batch one time step at a time, and the backward pass of that loop
    costs time proportional to L² (each step's slice of the packed input gets its own full-size gradient
    buffer). For 300-token reviews it is about 20 times slower than this function.

    Args:
        rnn: the recurrent module, built with ``batch_first=True`` (``proj_size`` is not supported).
        x: the padded input, shape (N, L, H_in).
        lengths: (N,) valid lengths in ``[1, L]``.

    Returns:
        ``(output, last)``: the last layer's outputs, (N, L, D * H_out), with arbitrary values at padded
        steps; and its final states (forward after the last valid step, backward after the first step,
        concatenated), (N, D * H_out).
    """
    if not getattr(rnn, "batch_first", False) or getattr(rnn, "proj_size", 0):
        raise ValueError("rnn must be built with batch_first=True and without proj_size")
    n, length, _ = x.shape
    lengths = lengths.to(x.device)
    reverse = _reverse_within_lengths(lengths, length)
    names = ["weight_ih", "weight_hh"] + (["bias_ih", "bias_hh"] if rnn.bias else [])
    directions = 2 if rnn.bidirectional else 1
    layer_input = x
    outputs: list[Tensor] = []
    for layer in range(rnn.num_layers):
        template = _one_direction_template(rnn, layer_input.shape[-1])
        outputs = []
        for direction in range(directions):
            suffix = f"_l{layer}" + ("_reverse" if direction else "")
            weights = {f"{name}_l0": getattr(rnn, name + suffix) for name in names}
            source = layer_input if direction == 0 else reverse(layer_input)
            output, _ = functional_call(template, weights, (source,))
            outputs.append(output if direction == 0 else reverse(output))
        layer_input = torch.cat(outputs, dim=2) if directions == 2 else outputs[0]
        if layer < rnn.num_layers - 1 and rnn.dropout > 0 and rnn.training:
            layer_input = nn.functional.dropout(layer_input, rnn.dropout, training=True)
    last_forward = outputs[0][torch.arange(n, device=x.device), lengths - 1]  # (N, H_out)
    last = torch.cat([last_forward, outputs[1][:, 0]], dim=1) if directions == 2 else last_forward
    return layer_input, last


class SequenceClassifier(nn.Module):
    r"""Embedding → recurrent layers → pooling over time → linear, for padded batches of token indices.

    The padded batch is packed (``pack_padded_sequence(..., enforce_sorted=False)``, lengths on the CPU)
    before the recurrent layer — or, on the CPU by default, run by :func:`run_padded`, which gives the same
    result much faster there — so padding never enters the recurrence, and pooling only looks at the valid
    time steps:

    * ``"last"`` — the final hidden state of the last layer, taken from ``h_n`` (for an LSTM, ``h_n`` and not
      ``c_n``). For a bidirectional network this is the forward direction's state after the last *valid*
      token concatenated with the backward direction's state after the *first* token. (``output[:, -1]``
      would be wrong twice: it reads padding for every shorter sequence, and for the backward direction it
      is the state after reading one token only.)
    * ``"mean"`` — the mean of the last layer's outputs over the valid steps ``t < length``.
    * ``"max"`` — the element-wise maximum of those outputs over the valid steps.

    The embeddings start from N(0, 0.1²) rather than ``nn.Embedding``'s N(0, 1): Adam moves every weight by
    steps of about the learning rate, so small initial vectors let the embeddings of a model trained from
    scratch change much more, relative to their size, in the same number of steps, and training reaches a
    given accuracy in fewer epochs.

    Args:
        vocab_size: number of token indices, V (>= 2; index 0 is padding).
        num_classes: number of classes, C (>= 2).
        embedding_dim: size E of the token embeddings.
        hidden_size: hidden size H_out of each direction of the recurrent layers.
        num_layers: number of stacked recurrent layers.
        rnn_type: ``"rnn"`` (``nn.RNN``, tanh), ``"lstm"`` (``nn.LSTM``) or ``"gru"`` (``nn.GRU``).
        bidirectional: run a second set of layers from the end to the start; D = 2 if ``True`` else 1.
        dropout: dropout probability on the embeddings, between stacked layers and before the linear layer.
        pooling: ``"last"``, ``"mean"`` or ``"max"``, as above.
        implementation: how the padded batch goes through the recurrent layer; both give the same result.
            ``"packed"``: ``pack_padded_sequence`` and ``pad_packed_sequence``. ``"padded"``: :func:`run_padded`,
            the fused kernels on the padded batch, each direction made exact by reversing every sequence
            within its length — much faster on the CPU, where PyTorch runs a packed batch step by step.
            ``"auto"`` (default): ``"packed"`` on CUDA (cuDNN handles packed batches natively), ``"padded"``
            elsewhere.
        padding_idx: the padding index; its embedding is zero and receives no gradient.

    Shape:
        - tokens: (N, L), integer indices in ``[0, V)``.
        - lengths: (N,), the number of valid tokens of each row, each in ``[1, L]``; any integer tensor or
          list (it is moved to the CPU, as ``pack_padded_sequence`` requires). ``None`` means every row has
          length L.
        - output: (N, C), unnormalised class scores (logits).

    Raises:
        TypeError, ValueError: for arguments of the wrong type or range (see ``forward`` for inputs).

    Example::

        >>> model = SequenceClassifier(vocab_size=100, num_classes=2, hidden_size=8)
        >>> tokens = torch.tensor([[5, 6, 7], [8, 9, 0]])
        >>> model(tokens, torch.tensor([3, 2])).shape
        torch.Size([2, 2])
    """

    def __init__(
        self,
        vocab_size: int,
        num_classes: int,
        *,
        embedding_dim: int = 128,
        hidden_size: int = 128,
        num_layers: int = 1,
        rnn_type: str = "lstm",
        bidirectional: bool = True,
        dropout: float = 0.3,
        pooling: str = "max",
        padding_idx: int = PAD_INDEX,
        implementation: str = "auto",
    ) -> None:
        super().__init__()
        vocab_size = check_int("vocab_size", vocab_size, minimum=2)
        num_classes = check_int("num_classes", num_classes, minimum=2)
        embedding_dim = check_int("embedding_dim", embedding_dim, minimum=1)
        hidden_size = check_int("hidden_size", hidden_size, minimum=1)
        num_layers = check_int("num_layers", num_layers, minimum=1)
        check_choice("rnn_type", rnn_type, tuple(RNN_TYPES))
        if not isinstance(bidirectional, bool):
            raise TypeError(f"bidirectional must be a bool, got {bidirectional!r}")
        dropout = check_number("dropout", dropout, low=0.0, high=1.0, high_inclusive=False)
        check_choice("pooling", pooling, POOLINGS)
        check_choice("implementation", implementation, IMPLEMENTATIONS)
        padding_idx = check_int("padding_idx", padding_idx, minimum=0)
        if padding_idx >= vocab_size:
            raise ValueError(f"padding_idx must be below vocab_size={vocab_size}, got {padding_idx}")
        self.config: dict[str, Any] = {
            "vocab_size": vocab_size,
            "num_classes": num_classes,
            "embedding_dim": embedding_dim,
            "hidden_size": hidden_size,
            "num_layers": num_layers,
            "rnn_type": rnn_type,
            "bidirectional": bidirectional,
            "dropout": dropout,
            "pooling": pooling,
            "padding_idx": padding_idx,
            "implementation": implementation,
        }
        self.pooling = pooling
        self.implementation = implementation
        self.num_directions = 2 if bidirectional else 1
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=padding_idx)
        with torch.no_grad():  # N(0, 0.1²) instead of N(0, 1), see the class docstring
            self.embedding.weight.normal_(0.0, EMBEDDING_INIT_STD)
            self.embedding.weight[padding_idx].zero_()
        self.rnn = RNN_TYPES[rnn_type](
            embedding_dim,
            hidden_size,
            num_layers=num_layers,
            batch_first=True,
            bidirectional=bidirectional,
            dropout=dropout if num_layers > 1 else 0.0,
        )
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(self.num_directions * hidden_size, num_classes)

    @property
    def output_features(self) -> int:
        """Size of the pooled representation fed to the linear layer: D * H_out."""
        return self.head.in_features

    def _check_inputs(self, tokens: Tensor, lengths: Tensor | list[int] | None) -> Tensor:
        check_tensor("tokens", tokens, ndim=2)
        if tokens.dtype not in (torch.int64, torch.int32, torch.int16, torch.uint8):
            raise TypeError(f"tokens must hold integer indices, got dtype {tokens.dtype}")
        n, length = tokens.shape
        if n == 0 or length == 0:
            raise ValueError(f"tokens must have at least one row and one column, got shape {(n, length)}")
        if lengths is None:
            return torch.full((n,), length, dtype=torch.int64)
        lengths = torch.as_tensor(lengths).detach().to("cpu", torch.int64)
        if lengths.shape != (n,):
            raise ValueError(f"lengths must have shape ({n},) to match tokens, got {tuple(lengths.shape)}")
        low, high = int(lengths.min()), int(lengths.max())
        if low < 1 or high > length:
            raise ValueError(
                f"lengths must lie in [1, {length}] (tokens has {length} columns), got values from {low} to {high}"
            )
        return lengths

    def encode(self, tokens: Tensor, lengths: Tensor | list[int] | None = None) -> Tensor:
        """The pooled representation of each sequence, before the linear layer.

        Args:
            tokens: (N, L) token indices.
            lengths: (N,) valid lengths, or ``None`` for all L.

        Returns:
            A tensor of shape (N, D * H_out).
        """
        lengths = self._check_inputs(tokens, lengths)
        embedded = self.dropout(self.embedding(tokens))  # (N, L, E)
        implementation = self.implementation
        if implementation == "auto":
            implementation = "packed" if tokens.is_cuda else "padded"
        if implementation == "padded":
            padded, last = run_padded(self.rnn, embedded, lengths)  # (N, L, D * H_out), (N, D * H_out)
            if self.pooling == "last":
                return last
        else:
            packed = pack_padded_sequence(embedded, lengths, batch_first=True, enforce_sorted=False)
            output, hidden = self.rnn(packed)
            if self.pooling == "last":
                h_n = hidden[0] if isinstance(hidden, tuple) else hidden  # (num_layers * D, N, H_out)
                last_layer = h_n.view(-1, self.num_directions, h_n.shape[1], h_n.shape[2])[-1]  # (D, N, H_out)
                return torch.cat(list(last_layer), dim=1)  # (N, D * H_out): forward, then backward
            padded, _ = pad_packed_sequence(output, batch_first=True)  # (N, max(lengths), D * H_out)
        steps = torch.arange(padded.shape[1], device=padded.device)
        valid = (steps[None, :] < lengths.to(padded.device)[:, None]).unsqueeze(-1)  # (N, L', 1)
        if self.pooling == "mean":
            total = padded.masked_fill(~valid, 0.0).sum(dim=1)
            return total / lengths.to(padded.device, padded.dtype)[:, None]
        return padded.masked_fill(~valid, float("-inf")).amax(dim=1)

    def forward(self, tokens: Tensor, lengths: Tensor | list[int] | None = None) -> Tensor:
        """Class scores for a padded batch.

        Args:
            tokens: (N, L) token indices, padded at the end of each row.
            lengths: (N,) valid lengths in ``[1, L]``, or ``None`` for all L.

        Returns:
            Logits of shape (N, C).

        Raises:
            TypeError: if ``tokens`` is not an integer tensor.
            ValueError: if ``tokens`` is not 2-D or ``lengths`` has the wrong shape or values.
        """
        return self.head(self.dropout(self.encode(tokens, lengths)))


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
    """A trained :class:`SequenceClassifier` together with what turns raw text into its input.

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
            f"bidirectional={c['bidirectional']}, pooling={c['pooling']!r})"
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
        probabilities = torch.empty_like(logits)
        probabilities[order] = torch.softmax(logits.float(), dim=1)
        return probabilities.numpy()

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
        return cls(
            model,
            Vocab.from_dict(extra["vocab"]),
            Tokenizer.from_dict(extra["tokenizer"]),
            extra["classes"],
            max_length=extra["max_length"],
            truncation=extra["truncation"],
            history=checkpoint.history,
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


def _loader(sequences: list[list[int]], targets: list[int], batch_size: int, *, shuffle: bool, seed: int) -> DataLoader:
    data = EncodedTexts(sequences, targets)
    sampler = BucketBatchSampler(data.lengths, batch_size, shuffle=shuffle, seed=seed)
    return DataLoader(data, batch_sampler=sampler, collate_fn=collate_padded)


def train_text_classifier(
    texts: Sequence[str],
    labels: Sequence[Label],
    *,
    language: str = "en",
    valid: tuple[Sequence[str], Sequence[Label]] | None = None,
    zh_tokenizer: str = "word",
    rnn_type: str = "lstm",
    embedding_dim: int = 128,
    hidden_size: int = 128,
    num_layers: int = 1,
    bidirectional: bool = True,
    dropout: float = 0.4,
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
    two settings that depend on the language (:data:`LANGUAGE_DEFAULTS`), each chosen on validation data:

    * English (IMDB: trained on 22,500 training reviews, the best epoch on the other 2,500 kept): 4 epochs,
      the learning rate halved after every epoch. With a constant learning rate the network fits IMDB's
      training reviews within two epochs and its validation accuracy falls after that.
    * Chinese (ChnSentiCorp: the best epoch on the dev split kept): jieba words, 6 epochs, a constant
      learning rate. Its 9,600 shorter reviews take far fewer steps per epoch.

    Args:
        texts: N raw training texts.
        labels: N labels, all integers or all strings, with at least two distinct values.
        language: ``"en"`` (English tokeniser) or ``"zh"`` (Chinese, see ``zh_tokenizer``).
        valid: ``(texts, labels)`` (or a :class:`~rnn_guide.text.datasets.LabelledTexts`) to measure accuracy
            on after every epoch. With it, the weights of the epoch with the best validation accuracy are
            kept and training stops after ``patience`` epochs without improvement; without it, the weights
            after the last epoch are kept.
        zh_tokenizer: ``"word"`` (jieba words, default) or ``"char"`` (one token per character), for ``"zh"`` only.
        rnn_type: ``"rnn"``, ``"lstm"`` or ``"gru"``, see :class:`SequenceClassifier` (as are the next six).
        embedding_dim: size E of the token embeddings.
        hidden_size: hidden size of each direction.
        num_layers: number of stacked recurrent layers.
        bidirectional: read the texts in both directions.
        dropout: dropout probability on the embeddings, between layers and before the linear layer.
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
        device: where to train, default :func:`rnn_guide.devices.pick_device` (CUDA if available).
        progress: show a progress bar (``None``: only in a terminal).

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
    defaults = LANGUAGE_DEFAULTS[language]
    epochs = defaults["epochs"] if epochs is None else epochs
    lr_decay = defaults["lr_decay"] if lr_decay is None else lr_decay
    classes = sorted(set(labels))  # type: ignore[type-var]
    if len(classes) < 2:
        raise ValueError(f"labels must hold at least two classes, got only {classes[0]!r}")
    checked_valid = _check_valid(valid)
    if checked_valid is not None:
        unseen = sorted(set(checked_valid[1]) - set(classes))  # type: ignore[type-var]
        if unseen:
            raise ValueError(f"valid labels must be classes seen in training {classes!r}, got also {unseen!r}")
    for name, value in (("epochs", epochs), ("batch_size", batch_size), ("patience", patience)):
        check_int(name, value, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    lr = check_number("lr", lr, low=0.0, low_inclusive=False)
    lr_decay = check_number("lr_decay", lr_decay, low=0.0, high=1.0, low_inclusive=False)
    weight_decay = check_number("weight_decay", weight_decay, low=0.0)
    if clip is not None:
        clip = check_number("clip", clip, low=0.0, low_inclusive=False)

    token_lists = [tokenizer(t) for t in texts]
    vocab = Vocab.build(token_lists, min_freq=min_freq, max_size=max_vocab_size)
    if len(vocab) == 2:
        raise ValueError(
            f"the vocabulary is empty: no token occurs min_freq={min_freq} times in texts (are they all empty?); "
            "lower min_freq or give more texts"
        )
    index = {label: j for j, label in enumerate(classes)}
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
    classifier = TextClassifier(model, vocab, tokenizer, classes, max_length=max_length, truncation=truncation)
    sequences = [encode(t, vocab, max_length=max_length, truncation=truncation) for t in token_lists]
    train_loader = _loader(sequences, [index[y] for y in labels], batch_size, shuffle=True, seed=seed)
    valid_loader = None
    if checked_valid is not None:
        valid_sequences = classifier.encode(checked_valid[0])
        valid_loader = _loader(valid_sequences, [index[y] for y in checked_valid[1]], 256, shuffle=False, seed=seed)
    target = pick_device(device)
    model.to(target)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=lr_decay)
    classifier.history = fit(
        model,
        train_loader,
        epochs=epochs,
        loss_fn=nn.CrossEntropyLoss(),
        optimizer=optimizer,
        valid_data=valid_loader,
        metrics={"accuracy": _accuracy} if valid_loader is not None else None,
        device=target,
        clip=clip,
        scheduler=scheduler,
        early_stopping=patience if valid_loader is not None else None,
        monitor="accuracy" if valid_loader is not None else "train_loss",
        mode="max" if valid_loader is not None else "min",
        progress=progress,
        batch_to_device=functools.partial(move_to_device, keep_on_cpu=(1,)),
    )
    model.eval()
    return classifier
