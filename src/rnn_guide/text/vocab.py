"""A token ↔ index vocabulary, and encoding of token lists into index lists.

Index 0 is always ``<pad>`` (the value :func:`rnn_guide.text.batching.collate_padded` pads with, and the
``padding_idx`` of the classifier's embedding) and index 1 is always ``<unk>`` (every token that is not in
the vocabulary). The remaining tokens are ordered by descending frequency, ties broken alphabetically, so a
vocabulary built twice from the same texts is identical.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from rnn_guide._validation import check_choice, check_int, describe

__all__ = ["PAD", "PAD_INDEX", "TRUNCATIONS", "UNK", "UNK_INDEX", "Vocab", "encode"]

PAD = "<pad>"
UNK = "<unk>"
PAD_INDEX = 0
UNK_INDEX = 1
TRUNCATIONS: tuple[str, ...] = ("head", "tail", "head+tail")


class Vocab:
    """A fixed mapping between tokens and indices, with ``<pad>`` = 0 and ``<unk>`` = 1.

    Build one from tokenised texts with :meth:`build`; store it in a checkpoint with :meth:`to_dict` and
    restore it with :meth:`from_dict`.

    Args:
        tokens: the tokens after the two special ones, in index order (index 2, 3, ...). They must be unique
            strings and must not repeat ``"<pad>"`` or ``"<unk>"``.

    Raises:
        TypeError: if a token is not a ``str``.
        ValueError: if a token is repeated or is a special token.

    Example::

        >>> vocab = Vocab.build([["a", "good", "film"], ["a", "bad", "film"]], min_freq=2)
        >>> vocab.itos
        ['<pad>', '<unk>', 'a', 'film']
        >>> vocab.lookup_indices(["a", "great", "film"])
        [2, 1, 3]
    """

    def __init__(self, tokens: Iterable[str] = ()) -> None:
        self.itos: list[str] = [PAD, UNK]
        self.stoi: dict[str, int] = {PAD: PAD_INDEX, UNK: UNK_INDEX}
        for token in tokens:
            if not isinstance(token, str):
                raise TypeError(f"tokens must be strings, got {describe(token)}")
            if token in self.stoi:
                raise ValueError(f"tokens must be unique and must not include {PAD!r} or {UNK!r}, got {token!r}")
            self.stoi[token] = len(self.itos)
            self.itos.append(token)

    @classmethod
    def build(cls, token_lists: Iterable[Sequence[str]], *, min_freq: int = 1, max_size: int | None = None) -> Vocab:
        """Count tokens and keep the frequent ones.

        Args:
            token_lists: tokenised texts, e.g. ``[tokenize_en(t) for t in texts]``.
            min_freq: keep tokens seen at least this many times (>= 1).
            max_size: the largest vocabulary size, the two special tokens included (>= 2), or ``None`` for
                no limit. The most frequent tokens are kept.

        Returns:
            The vocabulary.

        Raises:
            TypeError, ValueError: for a ``min_freq`` or ``max_size`` of the wrong type or range, or
                ``token_lists`` that are not lists of strings.
        """
        min_freq = check_int("min_freq", min_freq, minimum=1)
        max_size = check_int("max_size", max_size, minimum=2, allow_none=True)
        if isinstance(token_lists, (str, bytes)):
            raise TypeError(f"token_lists must be an iterable of token lists, got {describe(token_lists)}")
        counts: Counter[str] = Counter()
        for i, tokens in enumerate(token_lists):
            if isinstance(tokens, str) or not isinstance(tokens, Sequence):
                raise TypeError(f"token_lists[{i}] must be a list of str tokens, got {describe(tokens)}")
            counts.update(tokens)
        counts.pop(PAD, None)
        counts.pop(UNK, None)
        kept = sorted((t for t, c in counts.items() if c >= min_freq), key=lambda t: (-counts[t], t))
        if max_size is not None:
            kept = kept[: max_size - 2]
        return cls(kept)

    def __len__(self) -> int:
        return len(self.itos)

    def __contains__(self, token: object) -> bool:
        return token in self.stoi

    def __getitem__(self, token: str) -> int:
        """The index of ``token``; ``1`` (``<unk>``) for a token that is not in the vocabulary."""
        return self.stoi.get(token, UNK_INDEX)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Vocab) and self.itos == other.itos

    def __hash__(self) -> int:  # pragma: no cover - Vocab is mutable in principle, hash by identity
        return id(self)

    def __repr__(self) -> str:
        shown = ", ".join(repr(t) for t in self.itos[:6])
        more = ", ..." if len(self) > 6 else ""
        return f"Vocab(size={len(self)}, itos=[{shown}{more}])"

    def lookup_indices(self, tokens: Iterable[str]) -> list[int]:
        """Map tokens to indices, unknown tokens to ``1`` (``<unk>``)."""
        get = self.stoi.get
        return [get(token, UNK_INDEX) for token in tokens]

    def lookup_tokens(self, indices: Iterable[int]) -> list[str]:
        """Map indices back to tokens.

        Raises:
            IndexError: for an index outside ``[0, len(vocab))``.
        """
        size = len(self.itos)
        out = []
        for index in indices:
            index = int(index)
            if not 0 <= index < size:
                raise IndexError(f"indices must lie in [0, {size}), got {index}")
            out.append(self.itos[index])
        return out

    def to_dict(self) -> dict[str, Any]:
        """The vocabulary as plain data (safe for ``torch.load(weights_only=True)``)."""
        return {"itos": list(self.itos)}

    @classmethod
    def from_dict(cls, state: dict[str, Any]) -> Vocab:
        """Rebuild a vocabulary from :meth:`to_dict`'s output.

        Raises:
            TypeError: if ``state`` is not a dict.
            ValueError: if it does not start with ``<pad>``, ``<unk>``.
        """
        if not isinstance(state, dict) or not isinstance(state.get("itos"), list):
            raise TypeError(f"state must be a dict with an 'itos' list from Vocab.to_dict(), got {describe(state)}")
        itos = state["itos"]
        if itos[:2] != [PAD, UNK]:
            raise ValueError(f"state['itos'] must start with {[PAD, UNK]}, got {itos[:2]}")
        return cls(itos[2:])


def encode(
    tokens: Sequence[str], vocab: Vocab, *, max_length: int | None = None, truncation: str = "head+tail"
) -> list[int]:
    """Turn one token list into a list of vocabulary indices of length ``1 .. max_length``.

    A text without tokens is encoded as ``[1]`` (a single ``<unk>``), so that every text, even an empty one,
    has a length of at least 1 and a model still returns a prediction for it (for an unknown text, close to
    the class frequencies it learned).

    Args:
        tokens: the tokens of one text.
        vocab: the vocabulary.
        max_length: the most tokens kept, or ``None`` to keep all.
        truncation: which tokens a text longer than ``max_length`` keeps: ``"head"`` the first ones,
            ``"tail"`` the last ones, ``"head+tail"`` the first third and the last two thirds (reviews tend to
            sum up their verdict at the end).

    Returns:
        The indices, a list of ``int`` of length L with ``1 <= L <= max_length``.

    Raises:
        TypeError, ValueError: for a ``max_length`` or ``truncation`` of the wrong type or value.
    """
    max_length = check_int("max_length", max_length, minimum=1, allow_none=True)
    check_choice("truncation", truncation, TRUNCATIONS)
    if isinstance(tokens, str):
        raise TypeError(f"tokens must be a list of str tokens (tokenise the text first), got {describe(tokens)}")
    ids = vocab.lookup_indices(tokens)
    if not ids:
        return [UNK_INDEX]
    if max_length is not None and len(ids) > max_length:
        if truncation == "head":
            ids = ids[:max_length]
        elif truncation == "tail":
            ids = ids[-max_length:]
        else:
            head = max_length // 3
            ids = ids[:head] + ids[len(ids) - (max_length - head) :]
    return ids
