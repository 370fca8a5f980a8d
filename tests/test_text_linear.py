"""Tests of the n-gram logistic regression (rnn_guide.text.linear) and of the classifier built on top of it."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import torch

from rnn_guide.classifier import TextClassifier, train_text_classifier
from rnn_guide.text.linear import NgramLogisticRegression, ngrams

torch.set_num_threads(1)


def test_ngrams_are_words_and_bigrams_or_characters_up_to_trigrams() -> None:
    assert ngrams("Not good, at all", "en") == ["not", "good", ",", "at", "all", "not good", "good ,", ", at", "at all"]
    assert ngrams("很 好吃", "zh") == ["很", "好", "吃", "很好", "好吃", "很好吃"]
    with pytest.raises(ValueError, match="language must be one of"):
        ngrams("x", "fr")


def test_features_are_sublinear_tf_idf_rows_of_unit_length() -> None:
    model = NgramLogisticRegression(2, "zh", buckets=2**16).fit_idf(["好好", "好"])
    x = model.features(["好好", "好", "差"]).to_dense()
    # "好" is in both training texts: idf = log(3 / 3) + 1 = 1; "好好" is in one: idf = log(3 / 2) + 1
    good, twice = (zlib_bucket(g, model.buckets) for g in ("好", "好好"))
    first = torch.tensor([1 + math.log(2), math.log(1.5) + 1])
    first = first / first.norm()
    torch.testing.assert_close(x[0, [good, twice]], first)
    assert x[1, good] == 1.0 and x[1].count_nonzero() == 1
    torch.testing.assert_close(x.norm(dim=1), torch.ones(3))  # an unseen n-gram has idf log(3) + 1: still a unit row


def zlib_bucket(gram: str, buckets: int) -> int:
    import zlib

    return zlib.crc32(gram.encode("utf-8")) % buckets


def test_fit_matches_a_reference_logistic_regression() -> None:
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(30)]
    texts = [" ".join(rng.choice(words, size=8)) for _ in range(300)]
    labels = torch.tensor([int(sum(int(w[1:]) for w in t.split()) > 116) for t in texts])
    model = NgramLogisticRegression(2, "en", buckets=4096).fit_idf(texts)
    x = model.features(texts)
    model.fit(x, labels, l2=1e-3, max_iter=500)
    # the same problem by autograd and plain gradient descent on the dense matrix
    dense = x.to_dense()
    w = torch.zeros(4096, 2, requires_grad=True)
    b = torch.zeros(2, requires_grad=True)
    optimizer = torch.optim.LBFGS([w, b], max_iter=500, tolerance_grad=1e-9, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = torch.nn.functional.cross_entropy(dense @ w + b, labels) + 0.5e-3 * w.pow(2).sum()
        loss.backward()
        return loss

    optimizer.step(closure)
    torch.testing.assert_close(model(texts), dense @ w.detach() + b.detach(), atol=2e-3, rtol=0)
    assert (model(texts).argmax(1) == labels).float().mean() > 0.9


REVIEWS = {
    "pos": ["great", "wonderful", "loved it", "superb"],
    "neg": ["awful", "boring", "hated it", "terrible"],
}


def _reviews(n: int, seed: int) -> tuple[list[str], list[str]]:
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for i in range(n):
        label = "pos" if i % 2 else "neg"
        filler = list(rng.choice(["the", "film", "was", "a", "plot", "and", "actors"], size=6))
        filler.insert(int(rng.integers(0, 6)), str(rng.choice(REVIEWS[label])))
        texts.append(" ".join(filler))
        labels.append(label)
    return texts, labels


FAST = {"embedding_dim": 8, "hidden_size": 8, "epochs": 2, "batch_size": 16, "progress": False}


def test_the_classifier_adds_the_linear_logits_and_saves_them(tmp_path: Path) -> None:
    texts, labels = _reviews(120, seed=0)
    clf = train_text_classifier(texts, labels, **FAST)
    assert clf.linear is not None and "linear_ngrams=True" in repr(clf)
    test, truth = _reviews(40, seed=1)
    assert clf.score(test, truth) > 0.9
    # predict_proba = softmax(network logits + linear logits)
    network_only = TextClassifier(clf.model, clf.vocab, clf.tokenizer, clf.classes, max_length=clf.max_length)
    with torch.no_grad():
        logits = torch.log(torch.as_tensor(network_only.predict_proba(test))) + clf.linear(test)
    np.testing.assert_allclose(clf.predict_proba(test), torch.softmax(logits, 1).numpy(), atol=1e-5)
    path = tmp_path / "clf.pt"
    clf.save(path)
    np.testing.assert_allclose(TextClassifier.load(path).predict_proba(test), clf.predict_proba(test), atol=1e-6)


def test_without_linear_ngrams_there_is_no_linear_part() -> None:
    texts, labels = _reviews(60, seed=0)
    clf = train_text_classifier(texts, labels, linear_ngrams=False, **FAST)
    assert clf.linear is None


def test_the_linear_part_alone_is_kept_when_no_epoch_beats_it() -> None:
    texts, labels = _reviews(120, seed=0)
    # a learning rate far too high ruins the network, so the output layer goes back to zero
    clf = train_text_classifier(texts, labels, **(FAST | {"lr": 50.0, "clip": None}))
    assert not clf.model.head.weight.any() and not clf.model.head.bias.any()
    test, _ = _reviews(20, seed=2)
    with torch.no_grad():
        expected = torch.softmax(clf.linear(test), 1).numpy()
    np.testing.assert_allclose(clf.predict_proba(test), expected, atol=1e-6)


def test_the_training_texts_get_out_of_fold_logits(monkeypatch: pytest.MonkeyPatch) -> None:
    import rnn_guide.classifier as classifier_module

    captured = {}
    real = classifier_module._fit_linear_part

    def spy(*args, **kwargs):
        captured["result"] = real(*args, **kwargs)
        return captured["result"]

    monkeypatch.setattr(classifier_module, "_fit_linear_part", spy)
    texts, labels = _reviews(200, seed=0)
    clf = train_text_classifier(texts, labels, **FAST)
    linear, out_of_fold, valid_logits = captured["result"]
    assert linear is clf.linear and out_of_fold.shape == (180, 2) and valid_logits.shape == (20, 2)
    # a model fitted on every training text is more confident on them than the models that never saw them
    with torch.no_grad():
        in_sample = torch.softmax(clf.linear.logits_of(clf.linear.features(texts)), 1).max(1).values.mean()
    assert torch.softmax(out_of_fold, 1).max(1).values.mean() < in_sample


def test_the_compact_state_keeps_the_logits_and_drops_the_unused_columns() -> None:
    texts, labels = _reviews(80, seed=3)
    model = NgramLogisticRegression(2, "en").fit_idf(texts)
    model.fit(model.features(texts), torch.tensor([int(y == "pos") for y in labels]), l2=1e-3)
    state = model.compact_state()
    assert 0 < len(state["rows"]) < model.buckets / 2  # buckets are 4x the distinct n-grams: most stay empty
    rebuilt = NgramLogisticRegression.from_compact_state(model.config, state)
    probe = [*texts[:5], "an n-gram never seen", ""]
    with torch.no_grad():
        torch.testing.assert_close(rebuilt(probe), model(probe))
    torch.testing.assert_close(rebuilt.idf, model.idf)


def _fit_part(monkeypatch: pytest.MonkeyPatch, penalty, *, inverted_valid: bool, grid=(10.0, 1e-4)):
    """The linear part of 160 reviews with a two-penalty grid: 10 (all weights near zero, a coin toss) and 1e-4."""
    import rnn_guide.classifier as classifier_module

    monkeypatch.setattr(classifier_module, "LINEAR_L2_GRID", grid)
    texts, labels = _reviews(160, seed=4)
    valid_texts, valid_labels = _reviews(40, seed=5)
    targets = [int(y == "pos") for y in labels]
    valid_targets = [int(y == "pos") != inverted_valid for y in valid_labels]
    return classifier_module._fit_linear_part(
        texts,
        targets,
        (valid_texts, [int(t) for t in valid_targets]),
        num_classes=2,
        language="en",
        seed=0,
        progress=True,
        penalty=penalty,
    )


def test_the_penalty_is_chosen_on_the_held_out_texts_or_by_cross_validation_on_the_training_texts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # validation labels the wrong way round: on them the useless penalty (10) beats the good one
    _fit_part(monkeypatch, "holdout", inverted_valid=True)
    assert "L2 10 (validation accuracy" in capsys.readouterr().err
    # cross-validation never reads the validation texts, so it still finds the penalty that works
    _, out_of_fold, valid_logits = _fit_part(monkeypatch, "cv", inverted_valid=True)
    message = capsys.readouterr().err
    assert "L2 0.0001 (5-fold cross-validation accuracy 10: " in message and "0.0001: 100.0%" in message
    assert out_of_fold.shape == (160, 2) and valid_logits.shape == (40, 2)
    _, labels = _reviews(160, seed=4)
    assert (out_of_fold.argmax(1) == torch.tensor([int(y == "pos") for y in labels])).all()
    # the order of the grid decides ties only: reversed, the same penalty wins
    _fit_part(monkeypatch, "cv", inverted_valid=True, grid=(1e-4, 10.0))
    assert "L2 0.0001 (5-fold" in capsys.readouterr().err


def test_a_given_penalty_is_used_as_it_is(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    weak, _, _ = _fit_part(monkeypatch, 1e-4, inverted_valid=False)
    assert "L2 0.0001 (given)" in capsys.readouterr().err
    strong, _, _ = _fit_part(monkeypatch, 10.0, inverted_valid=False)
    assert strong.weight.abs().max() < 0.05 < weak.weight.abs().max()


def test_train_text_classifier_takes_linear_penalty_and_names_a_bad_one(capsys: pytest.CaptureFixture[str]) -> None:
    texts, labels = _reviews(100, seed=0)
    clf = train_text_classifier(texts, labels, linear_penalty="cv", **(FAST | {"progress": True}))
    assert "5-fold cross-validation accuracy" in capsys.readouterr().err
    test, truth = _reviews(40, seed=1)
    assert clf.score(test, truth) > 0.9
    for bad, error, message in (
        ("CV", ValueError, "linear_penalty must be one of 'holdout', 'cv', got 'CV'"),
        (True, TypeError, r"linear_penalty must be one of \('holdout', 'cv'\) or a positive number, got True"),
        (0.0, ValueError, r"linear_penalty must lie in \(0.0, inf\]"),
    ):
        with pytest.raises(error, match=message):
            train_text_classifier(texts, labels, linear_penalty=bad, **FAST)
