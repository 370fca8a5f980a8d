r"""A bag-of-n-grams logistic regression on raw text, the linear part of the text classifier.

:class:`NgramLogisticRegression` is the classic strong baseline of sentiment classification — TF-IDF
weighted n-grams and a logistic regression — as a small ``nn.Module``, so that the recurrent classifier can
be trained *on top of it*: :func:`~rnn_guide.classifier.train_text_classifier` (``linear_ngrams=True``)
fits it first and then trains the LSTM to add what the n-grams miss, in the way
:class:`~rnn_guide.timeseries.models.SequenceForecaster`'s linear skip works for series.

Features (as scikit-learn's ``TfidfVectorizer(sublinear_tf=True)``, but hashed): English texts give their
words and word bigrams (:func:`~rnn_guide.text.tokenize.tokenize_en`), Chinese texts their characters and
character bigrams and trigrams (spaces removed). Each n-gram is hashed (CRC-32, the same in every process) into
one of ``buckets`` columns; a text's value in a column is :math:`(1 + \log \mathrm{tf})\, \mathrm{idf}`, with
:math:`\mathrm{idf} = \log\frac{1 + N}{1 + \mathrm{df}} + 1` from the training texts, and each row is scaled
to unit length. The model is :math:`\text{logits} = X W + b`, fitted by L-BFGS on the cross-entropy plus
:math:`\tfrac{\lambda}{2}\lVert W\rVert^2`.
"""

from __future__ import annotations

import itertools
import math
import warnings
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from torch import Tensor, nn

from rnn_guide._validation import check_choice, check_int, check_number
from rnn_guide.text.tokenize import LANGUAGES, tokenize_en

__all__ = ["NgramLogisticRegression", "ngrams"]


def ngrams(text: str, language: str) -> list[str]:
    """The n-grams of one text: English words and word bigrams; Chinese characters, 2- and 3-grams."""
    check_choice("language", language, LANGUAGES)
    if language == "en":
        words = tokenize_en(text)
        return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
    chars = "".join(text.split())
    return [chars[i : i + n] for n in (1, 2, 3) for i in range(len(chars) - n + 1)]


_MAX_BUCKETS = 2**20


def _hashes(text: str, language: str) -> np.ndarray:
    """CRC-32 of every n-gram of ``text`` (the same in every process, unlike ``hash``)."""
    return np.fromiter((zlib.crc32(gram.encode("utf-8")) for gram in ngrams(text, language)), np.int64)


class NgramLogisticRegression(nn.Module):
    """TF-IDF weighted, hashed n-grams and a logistic regression; ``forward(texts)`` gives logits (N, C).

    Args:
        num_classes: number of classes C (>= 2).
        language: ``"en"`` or ``"zh"``, which n-grams to read (see :func:`ngrams`).
        buckets: number of hashed feature columns F (a power of two), or ``None``: chosen by :meth:`fit_idf`
            as the power of two at least 4 times the number of distinct n-grams of the training texts,
            between 2**10 and 2**20 (few collisions, and small data gets a small model).

    Attributes:
        weight: (F, C) coefficients; bias: (C,); idf: (F,) inverse document frequencies (a buffer).
    """

    def __init__(self, num_classes: int, language: str = "en", *, buckets: int | None = None) -> None:
        super().__init__()
        num_classes = check_int("num_classes", num_classes, minimum=2)
        check_choice("language", language, LANGUAGES)
        buckets = check_int("buckets", buckets, minimum=2, allow_none=True)
        if buckets is not None and buckets & (buckets - 1):
            raise ValueError(f"buckets must be a power of two, got {buckets}")
        self.config = {"num_classes": num_classes, "language": language, "buckets": buckets}
        self.language = language
        self.bias = nn.Parameter(torch.zeros(num_classes))
        self._size(buckets or _MAX_BUCKETS)

    def _size(self, buckets: int) -> None:
        self.buckets = buckets
        self.weight = nn.Parameter(torch.zeros(buckets, self.config["num_classes"]))
        self.register_buffer("idf", torch.ones(buckets))

    def compact_state(self) -> dict[str, Any]:
        """The fitted model with only the columns that matter, for a small file (see :meth:`from_compact_state`).

        Columns no training text had share one idf (the largest) and, where no text had them, a zero weight;
        only the other columns are kept.
        """
        unseen = float(self.idf.max())
        rows = torch.nonzero((self.weight != 0).any(dim=1) | (self.idf != unseen)).flatten()
        return {
            "buckets": self.buckets,
            "rows": rows,
            "weight": self.weight.detach()[rows].clone(),
            "bias": self.bias.detach().clone(),
            "idf": self.idf[rows].clone(),
            "unseen_idf": unseen,
        }

    @classmethod
    def from_compact_state(cls, config: dict[str, Any], state: dict[str, Any]) -> NgramLogisticRegression:
        """Rebuild a model from its ``config`` and :meth:`compact_state`; it gives the same logits."""
        model = cls(**{**config, "buckets": state["buckets"]})
        with torch.no_grad():
            model.weight[state["rows"]] = state["weight"]
            model.bias.copy_(state["bias"])
            model.idf.fill_(state["unseen_idf"])
            model.idf[state["rows"]] = state["idf"]
        return model

    def _counts(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Rows, columns and counts of the hashed n-grams of ``texts`` (one entry per distinct column)."""
        rows, columns, counts = [], [], []
        for row, text in enumerate(texts):
            hashed = _hashes(text, self.language) % self.buckets
            unique, count = np.unique(hashed, return_counts=True)
            rows.append(np.full(len(unique), row, np.int64))
            columns.append(unique)
            counts.append(count)
        if not rows:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(rows), np.concatenate(columns), np.concatenate(counts)

    def fit_idf(self, texts: Sequence[str]) -> NgramLogisticRegression:
        """Set :attr:`idf` from the document frequencies of the columns in ``texts`` (and, with
        ``buckets=None``, the number of columns); returns ``self``."""
        if self.config["buckets"] is None:
            distinct = len(set().union(*(_hashes(t, self.language).tolist() for t in texts)))
            self._size(int(min(_MAX_BUCKETS, max(2**10, 2 ** math.ceil(math.log2(4 * max(distinct, 1)))))))
        _, columns, _ = self._counts(texts)
        df = np.bincount(columns, minlength=self.buckets)
        idf = np.log((1 + len(texts)) / (1 + df)) + 1.0
        self.idf.copy_(torch.as_tensor(idf, dtype=self.idf.dtype))
        return self

    def features(self, texts: Sequence[str]) -> Tensor:
        """The TF-IDF matrix of ``texts``, a sparse COO tensor (N, F) with rows of unit length."""
        rows, columns, counts = self._counts(texts)
        values = (1.0 + np.log(counts)) * self.idf.cpu().numpy()[columns]
        norms = np.sqrt(np.bincount(rows, weights=values**2, minlength=len(texts)))
        values = values / np.maximum(norms[rows], 1e-12)
        index = torch.as_tensor(np.stack([rows, columns]))
        shape = (len(texts), self.buckets)
        values_tensor = torch.as_tensor(values, dtype=torch.float32)
        return torch.sparse_coo_tensor(index, values_tensor, shape, is_coalesced=True, check_invariants=False)

    def logits_of(self, features: Tensor) -> Tensor:
        """Logits (N, C) from a feature matrix made by :meth:`features`."""
        return torch.sparse.mm(features.to(self.weight.device), self.weight) + self.bias

    def forward(self, texts: Sequence[str]) -> Tensor:
        """Logits (N, C) of raw texts."""
        return self.logits_of(self.features(texts))

    def fit(
        self, features: Tensor, targets: Tensor, *, l2: float, max_iter: int = 100, warm_start: bool = False
    ) -> NgramLogisticRegression:
        """Fit :attr:`weight` and :attr:`bias` by L-BFGS on (N, F) ``features`` and (N,) class indices.

        The loss is the mean cross-entropy plus ``l2 / 2`` times the squared norm of ``weight``; its gradient
        is computed in closed form on sparse matrices. ``warm_start`` starts from the current coefficients
        (faster along a path of ``l2`` values), otherwise from zero.
        """
        l2 = check_number("l2", l2, low=0.0)
        if not warm_start:
            with torch.no_grad():
                self.weight.zero_()
                self.bias.zero_()
        with warnings.catch_warnings():  # "Sparse CSR tensor support is in beta state"
            warnings.simplefilter("ignore", UserWarning)
            x = features.to(self.weight.device).to_sparse_csr()
            x_t = features.to(self.weight.device).t().coalesce().to_sparse_csr()
        targets = targets.to(self.weight.device)
        onehot = nn.functional.one_hot(targets, self.weight.shape[1]).to(self.weight.dtype)
        n = len(targets)
        optimizer = torch.optim.LBFGS(
            [self.weight, self.bias], lr=1.0, max_iter=max_iter, tolerance_grad=1e-7, line_search_fn="strong_wolfe"
        )

        @torch.no_grad()
        def closure() -> Tensor:
            logits = x @ self.weight + self.bias
            log_p = torch.log_softmax(logits, dim=1)
            loss = -(onehot * log_p).sum() / n + 0.5 * l2 * self.weight.pow(2).sum()
            residual = (log_p.exp() - onehot) / n  # d loss / d logits
            self.weight.grad = x_t @ residual + l2 * self.weight
            self.bias.grad = residual.sum(0)
            return loss

        optimizer.step(closure)
        return self
