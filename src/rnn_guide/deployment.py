"""Deploying a recurrent classifier: a model that exporters can trace, and the size of saved weights.

* :class:`PaddedLSTMClassifier` — embedding → one-direction ``nn.LSTM`` over the padded batch → maximum over
  the valid steps → linear layer. It never packs the batch and has no Python branch that depends on the
  values of its inputs, so ``torch.onnx.export`` and ``torch.export.export`` can trace it with a dynamic
  batch size and sequence length. Because the LSTM reads one direction only and padding comes after every
  valid step, padding never reaches a valid step: the result is exactly that of a packed batch.
* :func:`state_dict_bytes` — the number of bytes that ``torch.save(model.state_dict())`` writes, the size a
  deployed model takes on disk (used to compare a float model with its int8 quantized copy).

The trained sentiment classifier of :mod:`rnn_guide.classifier` packs its batches (or reverses each sequence
within its length, for the backward direction), which no exporter traces; the deployment page
(``docs/deployment.*.md``) shows what breaks and this module's model as the way around it.
"""

from __future__ import annotations

import io

import torch
from torch import Tensor, nn

from rnn_guide._validation import check_int, describe
from rnn_guide.text.vocab import PAD_INDEX

__all__ = ["PaddedLSTMClassifier", "median_and_quartiles", "state_dict_bytes"]


class PaddedLSTMClassifier(nn.Module):
    r"""Embedding → ``nn.LSTM`` (one direction, ``batch_first``) → max over valid steps → linear.

    Built to be exported: the forward pass takes the padded batch and its lengths as tensors, runs the LSTM
    over the whole padded tensor (no ``pack_padded_sequence``), masks the padded steps with :math:`-\infty`
    and takes the maximum over time. The inputs are *not* validated in ``forward`` (a check such as
    ``lengths.min() >= 1`` depends on the values of a tensor, which an exporter cannot trace); pass lengths
    in ``[1, L]``.

    Args:
        vocab_size: number of token indices, V (>= 2; index ``padding_idx`` is padding).
        num_classes: number of classes, C (>= 2).
        embedding_dim: size E of the token embeddings.
        hidden_size: hidden size H of the LSTM.
        num_layers: number of stacked LSTM layers.
        proj_size: ``nn.LSTM``'s projection size P (0: none); the pooled features have size P if > 0, else H.
        padding_idx: the padding index; its embedding is zero.

    Shape:
        - tokens: (N, L), integer indices in ``[0, V)``, padded at the end of each row.
        - lengths: (N,), integer, the number of valid tokens of each row, each in ``[1, L]``.
        - output: (N, C), logits.

    Raises:
        TypeError, ValueError: for constructor arguments of the wrong type or range.

    Example::

        >>> model = PaddedLSTMClassifier(vocab_size=50, num_classes=2, embedding_dim=8, hidden_size=8)
        >>> model(torch.tensor([[3, 4, 5], [6, 7, 0]]), torch.tensor([3, 2])).shape
        torch.Size([2, 2])
    """

    def __init__(
        self,
        vocab_size: int,
        num_classes: int,
        *,
        embedding_dim: int = 64,
        hidden_size: int = 64,
        num_layers: int = 1,
        proj_size: int = 0,
        padding_idx: int = PAD_INDEX,
    ) -> None:
        super().__init__()
        vocab_size = check_int("vocab_size", vocab_size, minimum=2)
        num_classes = check_int("num_classes", num_classes, minimum=2)
        embedding_dim = check_int("embedding_dim", embedding_dim, minimum=1)
        hidden_size = check_int("hidden_size", hidden_size, minimum=1)
        num_layers = check_int("num_layers", num_layers, minimum=1)
        proj_size = check_int("proj_size", proj_size, minimum=0)
        if proj_size >= hidden_size:
            raise ValueError(f"proj_size must be smaller than hidden_size={hidden_size}, got {proj_size}")
        padding_idx = check_int("padding_idx", padding_idx, minimum=0)
        if padding_idx >= vocab_size:
            raise ValueError(f"padding_idx must be below vocab_size={vocab_size}, got {padding_idx}")
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=padding_idx)
        self.lstm = nn.LSTM(embedding_dim, hidden_size, num_layers=num_layers, batch_first=True, proj_size=proj_size)
        self.head = nn.Linear(proj_size or hidden_size, num_classes)

    def forward(self, tokens: Tensor, lengths: Tensor) -> Tensor:
        """Logits (N, C) for padded tokens (N, L) with valid lengths (N,)."""
        output, _ = self.lstm(self.embedding(tokens))  # (N, L, H_out); padding comes after the valid steps
        steps = torch.arange(tokens.shape[1], device=tokens.device)
        padded = (steps[None, :] >= lengths.to(tokens.device)[:, None]).unsqueeze(-1)  # (N, L, 1)
        pooled = output.masked_fill(padded, float("-inf")).amax(dim=1)  # (N, H_out)
        return self.head(pooled)


def state_dict_bytes(model: nn.Module) -> int:
    """The number of bytes ``torch.save(model.state_dict(), file)`` writes.

    Works for float models and for dynamically quantized ones (whose packed int8 weights are saved in the
    state dict as well).

    Raises:
        TypeError: if ``model`` is not an ``nn.Module``.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be an nn.Module, got {describe(model)}")
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.getbuffer().nbytes


def median_and_quartiles(metrics: dict[str, float], name: str) -> tuple[float, float, float]:
    """``(median, lower quartile, upper quartile)`` of a metric that a benchmark recorded with its quartiles.

    A benchmark result stores the median as ``metrics[name]`` and the quartiles as
    ``metrics[name + "_lower_quartile"]`` and ``metrics[name + "_upper_quartile"]``.

    Raises:
        KeyError: if one of the three is missing, naming the missing key.
    """
    keys = (name, f"{name}_lower_quartile", f"{name}_upper_quartile")
    missing = [key for key in keys if key not in metrics]
    if missing:
        raise KeyError(f"the result has no metric {missing[0]!r}; it records {sorted(metrics)[:5]} ...")
    return metrics[keys[0]], metrics[keys[1]], metrics[keys[2]]
