"""Tests of rnn_guide.text.vocab: Vocab building, lookups, checkpoint round trip and encode()."""

from __future__ import annotations

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from rnn_guide.text.vocab import PAD, PAD_INDEX, UNK, UNK_INDEX, Vocab, encode

TEXTS = [["a", "good", "film"], ["a", "bad", "film"], ["a", "good", "plot"]]


def test_specials_come_first_then_tokens_by_frequency_then_alphabetically() -> None:
    vocab = Vocab.build(TEXTS)
    assert vocab.itos == [PAD, UNK, "a", "film", "good", "bad", "plot"]
    assert (vocab[PAD], vocab[UNK]) == (PAD_INDEX, UNK_INDEX) == (0, 1)


def test_min_freq_and_max_size() -> None:
    assert Vocab.build(TEXTS, min_freq=2).itos == [PAD, UNK, "a", "film", "good"]
    assert Vocab.build(TEXTS, max_size=4).itos == [PAD, UNK, "a", "film"]
    assert len(Vocab.build(TEXTS, min_freq=10)) == 2


def test_unknown_tokens_map_to_unk_and_lookups_invert() -> None:
    vocab = Vocab.build(TEXTS)
    ids = vocab.lookup_indices(["a", "great", "film"])
    assert ids == [2, UNK_INDEX, 3]
    assert vocab.lookup_tokens(ids) == ["a", UNK, "film"]
    assert "great" not in vocab and "good" in vocab
    with pytest.raises(IndexError, match=r"indices must lie in \[0, 7\), got 7"):
        vocab.lookup_tokens([7])


def test_round_trip_through_a_weights_only_checkpoint(tmp_path) -> None:
    vocab = Vocab.build(TEXTS)
    torch.save({"vocab": vocab.to_dict()}, tmp_path / "v.pt")
    restored = Vocab.from_dict(torch.load(tmp_path / "v.pt", weights_only=True)["vocab"])
    assert restored == vocab and restored.stoi == vocab.stoi


def test_bad_arguments_are_named() -> None:
    with pytest.raises(ValueError, match="min_freq must be a positive integer, got 0"):
        Vocab.build(TEXTS, min_freq=0)
    with pytest.raises(ValueError, match="max_size must be an integer >= 2, got 1"):
        Vocab.build(TEXTS, max_size=1)
    with pytest.raises(TypeError, match="token_lists must be an iterable of token lists"):
        Vocab.build("a good film")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"token_lists\[1\] must be a list of str tokens"):
        Vocab.build([["a"], "b c"])
    with pytest.raises(ValueError, match="tokens must be unique"):
        Vocab(["a", "a"])
    with pytest.raises(ValueError, match="must start with"):
        Vocab.from_dict({"itos": ["a", "b"]})
    with pytest.raises(TypeError, match="state must be a dict"):
        Vocab.from_dict(["<pad>", "<unk>"])  # type: ignore[arg-type]


def test_encode_empty_text_is_a_single_unk() -> None:
    vocab = Vocab.build(TEXTS)
    assert encode([], vocab) == [UNK_INDEX]
    assert encode(["zzz", "yyy"], vocab) == [UNK_INDEX, UNK_INDEX]


@pytest.mark.parametrize(
    ("truncation", "expected"),
    [("head", [0, 1, 2, 3, 4, 5]), ("tail", [4, 5, 6, 7, 8, 9]), ("head+tail", [0, 1, 6, 7, 8, 9])],
)
def test_encode_truncation(truncation: str, expected: list[int]) -> None:
    vocab = Vocab([str(i) for i in range(10)])
    tokens = [str(i) for i in range(10)]
    assert vocab.lookup_tokens(encode(tokens, vocab, max_length=6, truncation=truncation)) == [str(i) for i in expected]


def test_encode_rejects_bad_arguments() -> None:
    vocab = Vocab.build(TEXTS)
    with pytest.raises(ValueError, match="max_length must be a positive integer, got 0"):
        encode(["a"], vocab, max_length=0)
    with pytest.raises(ValueError, match="truncation must be one of"):
        encode(["a"], vocab, truncation="middle")
    with pytest.raises(TypeError, match="tokenise the text first"):
        encode("a good film", vocab)  # type: ignore[arg-type]


@given(
    st.lists(st.lists(st.sampled_from("abcdefg"), max_size=12), max_size=8),
    st.integers(1, 10),
    st.sampled_from(["head", "tail", "head+tail"]),
)
def test_encode_length_is_between_one_and_max_length(token_lists, max_length, truncation) -> None:
    vocab = Vocab.build(token_lists)
    for tokens in token_lists:
        ids = encode(tokens, vocab, max_length=max_length, truncation=truncation)
        assert 1 <= len(ids) <= max_length
        assert len(ids) == max(1, min(len(tokens), max_length))
        assert all(0 < i < len(vocab) for i in ids)
