"""Batches of variable-length token sequences: padding, lengths, and length bucketing.

* :class:`EncodedTexts` — a ``torch.utils.data.Dataset`` of ``(indices, label)`` pairs.
* :func:`pad_sequences` / :func:`collate_padded` — pad a batch to its longest sequence with ``<pad>`` (0) and
  return the true lengths as a CPU ``int64`` tensor, the form ``pack_padded_sequence`` needs.
* :class:`BucketBatchSampler` — a batch sampler that puts sequences of similar length into the same batch, so
  little time is spent on padding, while the order of batches stays random from epoch to epoch.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import torch
from torch import Tensor
from torch.utils.data import Dataset, Sampler

from rnn_guide._validation import check_int, describe
from rnn_guide.text.vocab import PAD_INDEX

__all__ = ["BucketBatchSampler", "EncodedTexts", "collate_padded", "pad_sequences"]


class EncodedTexts(Dataset):
    """Encoded texts and their integer labels; item ``i`` is ``(indices_i, label_i)``.

    Args:
        sequences: one list (or 1-D integer tensor) of vocabulary indices per text, each non-empty.
        labels: one integer class index per text, or ``None`` for unlabelled texts (items are then
            ``(indices_i, -1)``).

    Raises:
        TypeError, ValueError: for sequences that are not lists of integers or are empty, or a ``labels``
            of another length.
    """

    def __init__(self, sequences: Sequence[Sequence[int]], labels: Sequence[int] | None = None) -> None:
        if labels is not None and len(labels) != len(sequences):
            raise ValueError(f"labels must have one entry per sequence ({len(sequences)}), got {len(labels)} labels")
        self.sequences = [torch.as_tensor(s, dtype=torch.int64) for s in sequences]
        for i, s in enumerate(self.sequences):
            if s.dim() != 1 or s.numel() == 0:
                raise ValueError(f"sequences[{i}] must be a non-empty 1-D list of indices, got shape {tuple(s.shape)}")
        self.labels = [-1] * len(sequences) if labels is None else [int(y) for y in labels]

    def __len__(self) -> int:
        return len(self.sequences)

    def __getitem__(self, index: int) -> tuple[Tensor, int]:
        return self.sequences[index], self.labels[index]

    @property
    def lengths(self) -> list[int]:
        """The length of every sequence, for :class:`BucketBatchSampler`."""
        return [len(s) for s in self.sequences]


def pad_sequences(sequences: Sequence[Sequence[int] | Tensor], pad_value: int = PAD_INDEX) -> tuple[Tensor, Tensor]:
    """Pad index sequences to a common length.

    Args:
        sequences: N non-empty sequences of integer indices (lists or 1-D tensors), lengths L_1 .. L_N.
        pad_value: the index written after the end of each shorter sequence (``<pad>`` = 0).

    Returns:
        ``(tokens, lengths)``: ``tokens`` of shape (N, L) with L = max L_i, dtype ``int64``; ``lengths`` of
        shape (N,), dtype ``int64``, on the CPU (as ``pack_padded_sequence`` requires).

    Raises:
        ValueError: for an empty batch or an empty sequence.
    """
    if len(sequences) == 0:
        raise ValueError("sequences must hold at least one sequence, got an empty batch")
    tensors = [torch.as_tensor(s, dtype=torch.int64) for s in sequences]
    lengths = torch.tensor([t.numel() for t in tensors], dtype=torch.int64)
    if bool((lengths == 0).any()):
        first = int((lengths == 0).nonzero()[0])
        raise ValueError(f"sequences must all be non-empty, got an empty sequence at position {first}")
    tokens = torch.full((len(tensors), int(lengths.max())), pad_value, dtype=torch.int64)
    for i, t in enumerate(tensors):
        tokens[i, : t.numel()] = t.reshape(-1)
    return tokens, lengths


def collate_padded(batch: Sequence[tuple[Sequence[int] | Tensor, int]]) -> tuple[Tensor, Tensor, Tensor]:
    """``collate_fn`` for a ``DataLoader`` over :class:`EncodedTexts`.

    Args:
        batch: N pairs ``(indices, label)``.

    Returns:
        ``(tokens, lengths, labels)``: ``tokens`` (N, L) ``int64`` padded with 0, ``lengths`` (N,) ``int64``
        on the CPU, ``labels`` (N,) ``int64``. This is the ``(*inputs, target)`` layout that
        :func:`rnn_guide.training.fit` reads: it calls ``model(tokens, lengths)``.

    Raises:
        ValueError: for an empty batch or an empty sequence.
    """
    if len(batch) == 0:
        raise ValueError("batch must hold at least one item, got an empty batch")
    labels = torch.tensor([int(item[1]) for item in batch], dtype=torch.int64)
    tokens, lengths = pad_sequences([item[0] for item in batch])
    return tokens, lengths, labels


class BucketBatchSampler(Sampler[list[int]]):
    """Yield batches of indices whose sequences have similar lengths.

    Each epoch the indices are shuffled, cut into pools of ``batch_size * pool_batches`` items, each pool is
    sorted by length and cut into batches, and the batches of all pools are shuffled. With ``shuffle=False``
    all indices are sorted by length once (longest first) and batched in that order, which is what
    prediction wants.

    Args:
        lengths: the length of each of the dataset's sequences.
        batch_size: the most items in a batch (>= 1).
        shuffle: draw a new random order every epoch.
        pool_batches: how many batches each sorting pool holds; larger pools give tighter length buckets and
            less randomness (>= 1).
        drop_last: leave out the last, smaller batch of each pool.
        seed: the seed of the random order; epoch ``e`` uses ``seed + e``, so runs repeat exactly. ``None``
            draws the seed from ``torch``'s global generator once.

    Raises:
        TypeError, ValueError: for arguments of the wrong type or range.
    """

    def __init__(
        self,
        lengths: Sequence[int],
        batch_size: int,
        *,
        shuffle: bool = True,
        pool_batches: int = 50,
        drop_last: bool = False,
        seed: int | None = None,
    ) -> None:
        batch_size = check_int("batch_size", batch_size, minimum=1)
        pool_batches = check_int("pool_batches", pool_batches, minimum=1)
        seed = check_int("seed", seed, allow_none=True)
        if isinstance(lengths, (str, bytes)) or not isinstance(lengths, (Sequence, Tensor)):
            raise TypeError(f"lengths must be a sequence of integers, got {describe(lengths)}")
        self.lengths = torch.as_tensor(list(lengths), dtype=torch.int64)
        if self.lengths.dim() != 1 or len(self.lengths) == 0:
            raise ValueError(f"lengths must be a non-empty 1-D sequence, got shape {tuple(self.lengths.shape)}")
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.pool_batches = pool_batches
        self.drop_last = bool(drop_last)
        self.seed = int(torch.randint(0, 2**31 - 1, ()).item()) if seed is None else seed
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        """Choose the epoch whose order the next iteration yields (it also advances by itself)."""
        epoch = check_int("epoch", epoch, minimum=0)
        self.epoch = epoch

    def _batches(self, order: Tensor) -> list[list[int]]:
        batches = []
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            if self.drop_last and len(batch) < self.batch_size:
                continue
            batches.append(batch.tolist())
        return batches

    def __iter__(self) -> Iterator[list[int]]:
        if not self.shuffle:
            order = torch.argsort(self.lengths, descending=True, stable=True)
            yield from self._batches(order)
            return
        generator = torch.Generator().manual_seed(self.seed + self.epoch)
        self.epoch += 1
        permutation = torch.randperm(len(self.lengths), generator=generator)
        pool = self.batch_size * self.pool_batches
        batches: list[list[int]] = []
        for start in range(0, len(permutation), pool):
            chunk = permutation[start : start + pool]
            chunk = chunk[torch.argsort(self.lengths[chunk], stable=True)]
            batches.extend(self._batches(chunk))
        for i in torch.randperm(len(batches), generator=generator).tolist():
            yield batches[i]

    def __len__(self) -> int:
        n = len(self.lengths)
        pool = self.batch_size * self.pool_batches if self.shuffle else n
        sizes = [min(pool, n - start) for start in range(0, n, pool)]
        if self.drop_last:
            return sum(size // self.batch_size for size in sizes)
        return sum(-(-size // self.batch_size) for size in sizes)

    def __repr__(self) -> str:
        return (
            f"BucketBatchSampler(n={len(self.lengths)}, batch_size={self.batch_size}, "
            f"shuffle={self.shuffle}, "
            f"pool_batches={self.pool_batches}, drop_last={self.drop_last}, seed={self.seed})"
        )
