"""Text pipeline for sentiment classification: tokenise → vocabulary → encode → pad and bucket.

* :mod:`rnn_guide.text.tokenize` — :func:`tokenize_en`, :func:`tokenize_zh`, :class:`Tokenizer`.
* :mod:`rnn_guide.text.vocab` — :class:`Vocab` (``<pad>`` = 0, ``<unk>`` = 1) and :func:`encode`.
* :mod:`rnn_guide.text.batching` — :class:`EncodedTexts`, :func:`collate_padded`, :class:`BucketBatchSampler`.
* :mod:`rnn_guide.text.datasets` — :func:`load_imdb`, :func:`load_chnsenticorp`.
"""

from __future__ import annotations

from rnn_guide.text.batching import BucketBatchSampler, EncodedTexts, collate_padded, pad_sequences
from rnn_guide.text.datasets import LabelledTexts, load_chnsenticorp, load_imdb
from rnn_guide.text.tokenize import Tokenizer, tokenize_en, tokenize_zh
from rnn_guide.text.vocab import PAD, PAD_INDEX, UNK, UNK_INDEX, Vocab, encode

__all__ = [
    "PAD",
    "PAD_INDEX",
    "UNK",
    "UNK_INDEX",
    "BucketBatchSampler",
    "EncodedTexts",
    "LabelledTexts",
    "Tokenizer",
    "Vocab",
    "collate_padded",
    "encode",
    "load_chnsenticorp",
    "load_imdb",
    "pad_sequences",
    "tokenize_en",
    "tokenize_zh",
]
