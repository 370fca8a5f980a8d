"""Small synthetic review data sets: no download, the same texts on every machine, lengths that vary a lot.

:func:`synthetic_reviews` writes English "reviews" made of neutral filler words and one or three sentiment
words. A review is positive when most of its sentiment words are positive, so a model has to find those words
anywhere in a text of 3 to a few hundred tokens (and, with three of them, weigh them against each other).
Review lengths follow a log-uniform distribution, as real reviews have many short texts and a long tail: that
is what length bucketing is for. The data are drawn from a private NumPy generator; the global random state
is never touched.
"""

from __future__ import annotations

import math

import numpy as np

from rnn_guide._validation import check_int
from rnn_guide.text.datasets import LabelledTexts

__all__ = ["FILLER_WORDS", "NEGATIVE_WORDS", "POSITIVE_WORDS", "synthetic_reviews"]

POSITIVE_WORDS: tuple[str, ...] = ("great", "wonderful", "superb", "loved", "brilliant", "excellent", "moving")
NEGATIVE_WORDS: tuple[str, ...] = ("awful", "boring", "terrible", "hated", "dull", "worst", "clumsy")
FILLER_WORDS: tuple[str, ...] = (
    "the", "film", "was", "plot", "actors", "really", "quite", "story", "and", "a", "scene", "music",
    "it", "ending", "i", "director", "with", "of", "script", "camera", "long", "first", "but", "this",
)  # fmt: skip


def synthetic_reviews(num_texts: int, *, seed: int = 0, min_words: int = 3, max_words: int = 120) -> LabelledTexts:
    """Labelled synthetic reviews in random order, half ``"pos"`` and half ``"neg"`` (one more ``"pos"`` if odd).

    Each review has a filler length drawn log-uniformly from ``[min_words, max_words]`` and one or three
    sentiment words inserted at random places; with three, two carry the review's label and one the opposite.

    Args:
        num_texts: how many reviews (>= 1).
        seed: seeds the private generator; the same seed gives the same reviews.
        min_words: the fewest filler words of a review (>= 1).
        max_words: the most filler words of a review (>= ``min_words``).

    Returns:
        A :class:`~rnn_guide.text.datasets.LabelledTexts` with ``num_texts`` texts and labels ``"pos"`` /
        ``"neg"``; text ``i`` has ``min_words + 1`` to ``max_words + 3`` words.

    Raises:
        TypeError, ValueError: for arguments of the wrong type or range.

    Example::

        >>> data = synthetic_reviews(4, seed=0)
        >>> sorted(data.labels)
        ['neg', 'neg', 'pos', 'pos']
    """
    num_texts = check_int("num_texts", num_texts, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    min_words = check_int("min_words", min_words, minimum=1)
    max_words = check_int("max_words", max_words, minimum=1)
    if max_words < min_words:
        raise ValueError(f"max_words must be at least min_words={min_words}, got {max_words}")
    rng = np.random.default_rng(seed)
    low, high = math.log(min_words), math.log(max_words + 1)
    texts, labels = [], []
    order = rng.permutation(num_texts)
    for i in range(num_texts):
        label = "pos" if order[i] % 2 == 0 else "neg"
        same, other = (POSITIVE_WORDS, NEGATIVE_WORDS) if label == "pos" else (NEGATIVE_WORDS, POSITIVE_WORDS)
        size = min(max_words, int(math.exp(rng.uniform(low, high))))
        words = [str(w) for w in rng.choice(FILLER_WORDS, size=size)]
        sentiment = [str(rng.choice(same))]
        if rng.random() < 0.5:
            sentiment += [str(rng.choice(same)), str(rng.choice(other))]
        for word in sentiment:
            words.insert(int(rng.integers(0, len(words) + 1)), word)
        texts.append(" ".join(words) + str(rng.choice([".", "!", " <br />"])))
        labels.append(label)
    return LabelledTexts(texts, labels)
