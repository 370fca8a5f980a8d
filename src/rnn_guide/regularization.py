"""Dropout for recurrent models that ``nn.RNN``/``nn.LSTM``/``nn.GRU`` do not provide themselves.

* :class:`LockedDropout` (variational dropout, Gal and Ghahramani, 2016): one dropout mask per sequence,
  shared by every time step, on the input or output of a recurrent layer.
* :class:`EmbeddingDropout` (Merity, Keskar and Socher, 2018): drops whole rows of an embedding matrix,
  so every occurrence of a dropped token in a batch becomes a zero vector.

Both follow the module's mode: active after ``model.train()``, the identity after ``model.eval()``. Kept
values are scaled by ``1 / (1 - p)`` so that the expected value is unchanged, as in ``nn.Dropout``.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

from rnn_guide._validation import check_number, check_tensor, describe

__all__ = ["EmbeddingDropout", "LockedDropout"]


def _check_probability(p: object) -> float:
    return check_number("p", p, low=0.0, high=1.0, high_inclusive=False)


class LockedDropout(nn.Module):
    """Dropout with the same mask at every time step (variational or "locked" dropout).

    ``nn.Dropout`` draws a fresh mask for every element, so unit ``j`` of sequence ``n`` is dropped at some
    steps and kept at others. ``LockedDropout`` draws one mask of shape ``(1, N, H)`` (or ``(N, 1, H)`` with
    ``batch_first=True``) per call and applies it to all ``L`` steps: a dropped unit stays dropped for the
    whole sequence.

    Args:
        p: probability of dropping a unit, in ``[0, 1)``.
        batch_first: ``True`` if inputs are ``(N, L, H)``, ``False`` (default) for ``(L, N, H)``, as in
            ``nn.LSTM``.

    Shape:
        - Input: ``(L, N, H)``, or ``(N, L, H)`` with ``batch_first=True``.
        - Output: the same shape as the input.

    Raises:
        TypeError: if ``p`` is not a number, ``batch_first`` not a bool, or the input not a tensor.
        ValueError: if ``p`` is outside ``[0, 1)`` or the input is not 3-D.

    Example::

        >>> drop = LockedDropout(0.5)
        >>> drop(torch.ones(7, 2, 4)).shape
        torch.Size([7, 2, 4])
    """

    def __init__(self, p: float = 0.5, batch_first: bool = False) -> None:
        super().__init__()
        if not isinstance(batch_first, bool):
            raise TypeError(f"batch_first must be a bool, got {describe(batch_first)}")
        self.p = _check_probability(p)
        self.batch_first = batch_first

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Drop the same units at every time step of ``x`` (``(L, N, H)`` or ``(N, L, H)``)."""
        check_tensor("x", x, ndim=3)
        if not self.training or self.p == 0.0:
            return x
        time_dim = 1 if self.batch_first else 0
        mask_shape = list(x.shape)
        mask_shape[time_dim] = 1
        keep = 1.0 - self.p
        mask = x.new_empty(mask_shape).bernoulli_(keep) / keep
        return x * mask

    def extra_repr(self) -> str:
        return f"p={self.p}, batch_first={self.batch_first}"


class EmbeddingDropout(nn.Module):
    """An ``nn.Embedding`` that drops whole token types (rows of its weight) in training mode.

    At each call a mask of shape ``(V, 1)`` keeps each row of the ``(V, E)`` weight with probability
    ``1 - p`` (kept rows are scaled by ``1 / (1 - p)``); the lookup then uses the masked weight. A dropped
    token id gives a zero vector *everywhere* it occurs in the batch, unlike ``nn.Dropout`` on the looked-up
    vectors, which zeroes single elements. The row of ``padding_idx`` stays as it is (zeros by default).

    Args:
        embedding: the ``nn.Embedding`` whose weight is used (and trained); it is registered as a submodule.
        p: probability of dropping a token type, in ``[0, 1)``.

    Shape:
        - Input: token ids, a ``LongTensor`` of any shape ``(*)``, e.g. ``(N, L)``.
        - Output: ``(*, E)`` where ``E = embedding.embedding_dim``.

    Raises:
        TypeError: if ``embedding`` is not an ``nn.Embedding`` or ``p`` not a number.
        ValueError: if ``p`` is outside ``[0, 1)``.

    Example::

        >>> layer = EmbeddingDropout(nn.Embedding(100, 8), p=0.1)
        >>> layer(torch.tensor([[1, 2, 3]])).shape
        torch.Size([1, 3, 8])
    """

    def __init__(self, embedding: nn.Embedding, p: float = 0.1) -> None:
        super().__init__()
        if not isinstance(embedding, nn.Embedding):
            raise TypeError(f"embedding must be an nn.Embedding, got {describe(embedding)}")
        self.embedding = embedding
        self.p = _check_probability(p)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """Look up ``tokens`` (``(*)``) in the row-dropped weight: ``(*, E)``."""
        check_tensor("tokens", tokens)
        weight = self.embedding.weight  # (V, E)
        if self.training and self.p > 0.0:
            keep = 1.0 - self.p
            mask = weight.new_empty(weight.shape[0], 1).bernoulli_(keep) / keep  # (V, 1)
            if self.embedding.padding_idx is not None:
                mask[self.embedding.padding_idx] = 1.0
            weight = weight * mask
        e = self.embedding
        return F.embedding(tokens, weight, e.padding_idx, e.max_norm, e.norm_type, e.scale_grad_by_freq, e.sparse)

    def extra_repr(self) -> str:
        return f"p={self.p}"
