"""Tests of rnn_guide.text.batching: padding, lengths, the dataset and the length-bucketing sampler."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch.utils.data import DataLoader

from rnn_guide.text.batching import BucketBatchSampler, EncodedTexts, collate_padded, pad_sequences


def test_pad_sequences_pads_with_zero_and_returns_cpu_int64_lengths() -> None:
    tokens, lengths = pad_sequences([[5, 6, 7], [8], torch.tensor([9, 10])])
    assert tokens.tolist() == [[5, 6, 7], [8, 0, 0], [9, 10, 0]]
    assert lengths.tolist() == [3, 1, 2]
    assert tokens.dtype == lengths.dtype == torch.int64
    assert lengths.device.type == "cpu"


def test_pad_sequences_rejects_empty_input() -> None:
    with pytest.raises(ValueError, match="empty batch"):
        pad_sequences([])
    with pytest.raises(ValueError, match="empty sequence at position 1"):
        pad_sequences([[1], []])


def test_collate_through_a_dataloader() -> None:
    data = EncodedTexts([[2, 3, 4], [5], [6, 7]], [1, 0, 1])
    tokens, lengths, labels = next(iter(DataLoader(data, batch_size=3, collate_fn=collate_padded)))
    assert tokens.shape == (3, 3)
    assert lengths.tolist() == [3, 1, 2]
    assert labels.tolist() == [1, 0, 1] and labels.dtype == torch.int64


def test_encoded_texts_checks_its_input() -> None:
    with pytest.raises(ValueError, match="labels must have one entry per sequence"):
        EncodedTexts([[1], [2]], [0])
    with pytest.raises(ValueError, match=r"sequences\[1\] must be a non-empty"):
        EncodedTexts([[1], []])
    assert EncodedTexts([[1, 2], [3]]).lengths == [2, 1]


def test_bucketing_groups_similar_lengths() -> None:
    lengths = [int(x) for x in torch.randint(1, 500, (2000,), generator=torch.Generator().manual_seed(0))]
    sampler = BucketBatchSampler(lengths, batch_size=32, seed=0)
    bucketed_padding = sum(32 * max(lengths[i] for i in b) - sum(lengths[i] for i in b) for b in sampler)
    random_order = torch.randperm(2000, generator=torch.Generator().manual_seed(1)).tolist()
    random_batches = [random_order[i : i + 32] for i in range(0, 2000, 32)]
    random_padding = sum(32 * max(lengths[i] for i in b) - sum(lengths[i] for i in b) for b in random_batches)
    assert bucketed_padding < 0.1 * random_padding


def test_sampler_is_reproducible_and_changes_between_epochs() -> None:
    lengths = list(range(1, 101))
    first = list(BucketBatchSampler(lengths, 8, seed=3))
    again = BucketBatchSampler(lengths, 8, seed=3)
    assert list(again) == first
    assert list(again) != first  # the second epoch has another order
    again.set_epoch(0)
    assert list(again) == first


def test_sampler_without_shuffle_sorts_longest_first() -> None:
    batches = list(BucketBatchSampler([3, 1, 4, 1, 5], batch_size=2, shuffle=False))
    assert batches == [[4, 2], [0, 1], [3]]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(1, 50), min_size=1, max_size=120),
    st.integers(1, 10),
    st.integers(1, 4),
    st.booleans(),
    st.booleans(),
)
def test_sampler_yields_each_index_once_and_len_matches(lengths, batch_size, pool, shuffle, drop_last) -> None:
    sampler = BucketBatchSampler(lengths, batch_size, pool_batches=pool, shuffle=shuffle, drop_last=drop_last, seed=0)
    batches = list(sampler)
    assert len(batches) == len(sampler)
    flat = [i for b in batches for i in b]
    assert len(flat) == len(set(flat))
    assert all(1 <= len(b) <= batch_size for b in batches)
    if not drop_last:
        assert sorted(flat) == list(range(len(lengths)))


def test_sampler_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        BucketBatchSampler([1, 2], 0)
    with pytest.raises(TypeError, match="lengths must be a sequence of integers"):
        BucketBatchSampler(5, 2)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="lengths must be a non-empty"):
        BucketBatchSampler([], 2)
