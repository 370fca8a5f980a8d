"""Tests of the SequenceClassifier module (rnn_guide.text.models) and the raw-text TextClassifier API."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn

from rnn_guide.checkpoints import save_checkpoint
from rnn_guide.classifier import TextClassifier, train_text_classifier
from rnn_guide.text.models import SequenceClassifier

# ------------------------------------------------------------------------------------------ the module


def _batch(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    lengths = torch.tensor([5, 2, 7, 1])
    tokens = torch.randint(2, 30, (4, 7), generator=generator)
    tokens[torch.arange(7)[None, :] >= lengths[:, None]] = 0
    return tokens, lengths


def _model(**kwargs) -> SequenceClassifier:
    torch.manual_seed(0)
    kwargs = {"embedding_dim": 6, "hidden_size": 5, "dropout": 0.0} | kwargs
    return SequenceClassifier(30, 3, **kwargs).eval()


@pytest.mark.parametrize("rnn_type", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("pooling", ["last", "mean", "max"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_output_shape_and_pooled_size(rnn_type: str, pooling: str, bidirectional: bool) -> None:
    model = _model(rnn_type=rnn_type, pooling=pooling, bidirectional=bidirectional, num_layers=2)
    tokens, lengths = _batch()
    assert model(tokens, lengths).shape == (4, 3)
    assert model.encode(tokens, lengths).shape == (4, (2 if bidirectional else 1) * 5)
    assert model.output_features == (2 if bidirectional else 1) * 5


def _unpadded_outputs(model: SequenceClassifier, tokens: torch.Tensor, lengths: torch.Tensor) -> list[torch.Tensor]:
    """The last layer's outputs of each sequence run on its own, without any padding: (L_i, D * H_out)."""
    outputs = []
    for row, length in zip(tokens, lengths, strict=True):
        out, _ = model.rnn(model.embedding(row[: int(length)]).unsqueeze(0))
        outputs.append(out[0])
    return outputs


@pytest.mark.parametrize("implementation", ["packed", "padded"])
@pytest.mark.parametrize("rnn_type", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_last_pooling_is_the_final_state_of_each_direction(
    rnn_type: str, bidirectional: bool, implementation: str
) -> None:
    model = _model(
        rnn_type=rnn_type, pooling="last", bidirectional=bidirectional, num_layers=2, implementation=implementation
    )
    tokens, lengths = _batch()
    with torch.no_grad():
        pooled = model.encode(tokens, lengths)
        for i, out in enumerate(_unpadded_outputs(model, tokens, lengths)):
            forward_final = out[-1, :5]  # forward direction after the last valid token
            expected = torch.cat([forward_final, out[0, 5:]]) if bidirectional else forward_final
            torch.testing.assert_close(pooled[i], expected, rtol=1e-5, atol=1e-6)
        # output[:, -1] is NOT that state for padded rows: the classic mistake gives another answer
        naive, _ = model.rnn(model.embedding(tokens))
        assert not torch.allclose(naive[:, -1], pooled, atol=1e-4)


@pytest.mark.parametrize("implementation", ["packed", "padded"])
@pytest.mark.parametrize("pooling", ["mean", "max"])
def test_mean_and_max_pool_over_valid_steps_only(pooling: str, implementation: str) -> None:
    model = _model(pooling=pooling, bidirectional=True, num_layers=2, implementation=implementation)
    tokens, lengths = _batch()
    with torch.no_grad():
        pooled = model.encode(tokens, lengths)
        for i, out in enumerate(_unpadded_outputs(model, tokens, lengths)):
            expected = out.mean(0) if pooling == "mean" else out.amax(0)
            torch.testing.assert_close(pooled[i], expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("implementation", ["packed", "padded"])
@pytest.mark.parametrize("pooling", ["last", "mean", "max"])
def test_extra_padding_and_batch_order_do_not_change_the_output(pooling: str, implementation: str) -> None:
    model = _model(pooling=pooling, implementation=implementation)
    tokens, lengths = _batch()
    with torch.no_grad():
        reference = model(tokens, lengths)
        padded = torch.cat([tokens, torch.zeros(4, 5, dtype=torch.int64)], dim=1)
        torch.testing.assert_close(model(padded, lengths), reference)
        order = torch.tensor([2, 0, 3, 1])
        torch.testing.assert_close(model(tokens[order], lengths[order]), reference[order])
        torch.testing.assert_close(model(tokens[2:3], None), model(tokens[2:3], lengths[2:3]))  # full length 7


@pytest.mark.parametrize("rnn_type", ["rnn", "lstm", "gru"])
@pytest.mark.parametrize("pooling", ["last", "mean", "max"])
def test_padded_and_packed_implementations_agree_in_outputs_and_gradients(rnn_type: str, pooling: str) -> None:
    tokens, lengths = _batch(seed=1)
    results = []
    for implementation in ("packed", "padded"):
        model = _model(rnn_type=rnn_type, pooling=pooling, num_layers=2, implementation=implementation).train()
        output = model(tokens, lengths)  # dropout=0, so train mode is deterministic
        output.square().sum().backward()
        results.append((output, {name: p.grad for name, p in model.named_parameters()}))
    (packed, packed_grads), (padded, padded_grads) = results
    torch.testing.assert_close(padded, packed, rtol=1e-5, atol=1e-6)
    for name, grad in packed_grads.items():
        torch.testing.assert_close(padded_grads[name], grad, rtol=1e-4, atol=1e-6, msg=name)


def test_auto_implementation_uses_packing_only_on_cuda(monkeypatch) -> None:
    import rnn_guide.text.models as models_module

    calls = []
    original = models_module.run_padded
    monkeypatch.setattr(models_module, "run_padded", lambda *a: calls.append(1) or original(*a))
    model = _model()
    assert model.implementation == "auto"
    model(*_batch())
    assert calls == [1]  # on the CPU
    with pytest.raises(ValueError, match="batch_first=True"):
        original(nn.LSTM(3, 2), torch.zeros(1, 2, 3), torch.tensor([2]))


def test_padding_embedding_is_zero_and_gets_no_gradient() -> None:
    model = _model()
    assert torch.count_nonzero(model.embedding.weight[0]) == 0
    tokens, lengths = _batch()
    model.train()(tokens, lengths).sum().backward()
    assert torch.count_nonzero(model.embedding.weight.grad[0]) == 0


def test_module_rejects_bad_arguments_and_inputs() -> None:
    with pytest.raises(ValueError, match="rnn_type must be one of 'rnn', 'lstm', 'gru', got 'transformer'"):
        SequenceClassifier(10, 2, rnn_type="transformer")
    with pytest.raises(ValueError, match="pooling must be one of"):
        SequenceClassifier(10, 2, pooling="first")
    with pytest.raises(ValueError, match="num_classes must be an integer >= 2, got 1"):
        SequenceClassifier(10, 1)
    with pytest.raises(ValueError, match=r"dropout must lie in \[0.0, 1.0\), got 1.0"):
        SequenceClassifier(10, 2, dropout=1.0)
    model = _model()
    tokens, lengths = _batch()
    with pytest.raises(TypeError, match="tokens must hold integer indices, got dtype torch.float32"):
        model(tokens.float(), lengths)
    with pytest.raises(ValueError, match="tokens must be 2-D, got 1-D"):
        model(tokens[0], lengths[:1])
    with pytest.raises(ValueError, match=r"lengths must have shape \(4,\)"):
        model(tokens, lengths[:3])
    with pytest.raises(ValueError, match=r"lengths must lie in \[1, 7\].*from 0 to 7"):
        model(tokens, torch.tensor([0, 2, 7, 1]))
    with pytest.raises(ValueError, match=r"lengths must lie in \[1, 7\].*from 1 to 8"):
        model(tokens, torch.tensor([8, 2, 7, 1]))


# ------------------------------------------------------------------------------- training from raw text

POSITIVE = ["great", "wonderful", "superb", "loved", "brilliant", "excellent"]
NEGATIVE = ["awful", "boring", "terrible", "hated", "dull", "worst"]
FILLER = ["the", "film", "was", "plot", "actors", "really", "quite", "story", "and", "a"]
FAST = {
    "embedding_dim": 16,
    "hidden_size": 16,
    "epochs": 8,
    "batch_size": 32,
    "lr": 2e-2,
    "min_freq": 1,
    "lr_decay": 1.0,
}


def _reviews(n: int, seed: int) -> tuple[list[str], list[str]]:
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for i in range(n):
        label = "pos" if i % 2 == 0 else "neg"
        words = list(rng.choice(FILLER, size=int(rng.integers(3, 12))))
        keyword = rng.choice(POSITIVE if label == "pos" else NEGATIVE)
        words.insert(int(rng.integers(0, len(words) + 1)), str(keyword))
        texts.append(" ".join(words) + rng.choice([".", "!", "<br />"]))
        labels.append(label)
    return texts, labels


@pytest.fixture(scope="module")
def trained() -> TextClassifier:
    texts, labels = _reviews(160, seed=0)
    return train_text_classifier(texts, labels, valid=_reviews(40, seed=1), progress=False, **FAST)


def test_learns_a_separable_task_and_maps_string_labels_back(trained: TextClassifier) -> None:
    texts, labels = _reviews(60, seed=2)
    assert trained.classes == ["neg", "pos"]
    assert trained.score(texts, labels) >= 0.95
    assert trained.predict(["superb acting, loved it", "dull and boring"]) == ["pos", "neg"]
    history = trained.history
    assert history is not None and history.best_epoch is not None
    assert max(history.metrics["accuracy"]) == history.metrics["accuracy"][history.best_epoch - 1]


def test_predict_proba_rows_are_probabilities_in_input_order(trained: TextClassifier) -> None:
    texts, _ = _reviews(12, seed=3)
    texts[5] = " ".join(["the film"] * 40) + " awful"  # a long one among short ones
    batched = trained.predict_proba(texts, batch_size=4)
    assert batched.shape == (12, 2) and batched.dtype == np.float32
    np.testing.assert_allclose(batched.sum(axis=1), 1.0, rtol=1e-6)
    one_by_one = np.concatenate([trained.predict_proba([t]) for t in texts])
    np.testing.assert_allclose(batched, one_by_one, rtol=1e-5, atol=1e-6)
    assert trained.predict_proba([]).shape == (0, 2)
    assert trained.predict([]) == []


def test_empty_and_unknown_only_texts_get_a_defined_prediction(trained: TextClassifier) -> None:
    assert trained.encode(["", "   ", "zzz qqq"]) == [[1], [1], [1, 1]]
    probabilities = trained.predict_proba(["", "zzz qqq"])
    assert np.isfinite(probabilities).all()
    assert trained.predict(["", "<br />"])[0] in ("neg", "pos")


@pytest.mark.slow  # a fresh Python process
def test_save_and_load_in_a_fresh_process_predicts_identically(trained: TextClassifier, tmp_path: Path) -> None:
    path = trained.save(tmp_path / "clf.pt")
    texts, _ = _reviews(30, seed=4)
    texts += ["", "unknown words only"]
    script = (
        "import json, sys\n"
        "from rnn_guide.classifier import TextClassifier\n"
        "clf = TextClassifier.load(sys.argv[1])\n"
        "texts = json.loads(sys.stdin.read())\n"
        "print(json.dumps({'labels': clf.predict(texts), 'proba': clf.predict_proba(texts).tolist()}))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(path)], input=json.dumps(texts), capture_output=True, text=True, check=True
    )
    loaded = json.loads(run.stdout)
    assert loaded["labels"] == trained.predict(texts)
    np.testing.assert_allclose(np.array(loaded["proba"]), trained.predict_proba(texts), rtol=0, atol=1e-6)
    again = TextClassifier.load(path)
    assert again.classes == trained.classes and again.vocab == trained.vocab
    assert again.history is not None and again.history.epochs == trained.history.epochs


def test_load_rejects_files_that_are_not_text_classifiers(tmp_path: Path) -> None:
    other = save_checkpoint(tmp_path / "other.pt", model=nn.Linear(3, 2), epoch=1)
    with pytest.raises(ValueError, match="is not a saved TextClassifier: it holds a checkpoint of Linear"):
        TextClassifier.load(other)
    torch.save(nn.Linear(3, 2).state_dict(), tmp_path / "plain.pt")
    with pytest.raises(ValueError, match="not an rnn_guide checkpoint"):
        TextClassifier.load(tmp_path / "plain.pt")
    with pytest.raises(FileNotFoundError):
        TextClassifier.load(tmp_path / "missing.pt")


def test_integer_labels_and_chinese_text() -> None:
    texts = ["这部电影很好看", "非常好，推荐", "太差了，浪费时间", "很差，不推荐", "演员很好", "剧情很差"] * 6
    labels = [7, 7, 3, 3, 7, 3] * 6
    clf = train_text_classifier(texts, labels, language="zh", progress=False, **(FAST | {"batch_size": 8}))
    assert clf.classes == [3, 7]
    predicted = clf.predict(["很好，推荐", "太差了"])
    assert predicted == [7, 3] and all(type(p) is int for p in predicted)


def test_chinese_words_with_jieba_are_used_for_training_and_prediction() -> None:
    pytest.importorskip("jieba")
    texts = ["这部电影很好看", "非常好，推荐", "太差了，浪费时间", "很差，不推荐"] * 4
    clf = train_text_classifier(texts, [1, 1, 0, 0] * 4, language="zh", zh_tokenizer="word", progress=False, **FAST)
    assert clf.tokenizer.zh_mode == "word"
    assert "推荐" in clf.vocab and "浪费时间" in clf.vocab  # words, not characters
    assert clf.encode(["推荐"]) == [[clf.vocab["推荐"]]]


def test_learning_rate_decays_after_every_epoch(monkeypatch) -> None:
    seen: list[float] = []
    original = torch.optim.Adam.step

    def step(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(self.param_groups[0]["lr"])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(torch.optim.Adam, "step", step)
    texts, labels = _reviews(8, seed=7)
    train_text_classifier(texts, labels, progress=False, **(FAST | {"epochs": 3, "lr": 1e-2, "lr_decay": 0.5}))
    assert sorted(set(seen), reverse=True) == pytest.approx([1e-2, 5e-3, 2.5e-3])
    assert seen == sorted(seen, reverse=True)


def test_training_is_reproducible_with_a_seed() -> None:
    texts, labels = _reviews(40, seed=5)
    settings = FAST | {"epochs": 2}
    first = train_text_classifier(texts, labels, seed=3, progress=False, **settings)
    second = train_text_classifier(texts, labels, seed=3, progress=False, **settings)
    np.testing.assert_array_equal(first.predict_proba(texts), second.predict_proba(texts))


@pytest.mark.parametrize(
    ("texts", "labels", "error", "message"),
    [
        ("a text", ["pos"], TypeError, "texts must be a list of strings, got a single str; wrap it"),
        (["a", 3], ["pos", "neg"], TypeError, r"texts\[1\] must be a str, got 3 \(int\)"),
        ([], [], ValueError, "texts must hold at least one text"),
        (["a", "b", "c"], ["pos", "neg"], ValueError, "one label per text: texts has 3, labels has 2"),
        (["a", "b"], ["pos", "pos"], ValueError, "at least two classes, got only 'pos'"),
        (["a", "b"], [1.0, 0.0], TypeError, r"labels\[0\] must be an integer or a string, got 1.0 \(float\)"),
        (["a", "b"], [True, False], TypeError, r"labels\[0\] must be an integer or a string, got True"),
        (["a", "b"], [1, "neg"], TypeError, "all integers or all strings, got a mix"),
        (["a", "b"], None, TypeError, "labels must be a list of integers or strings"),
        (["", "  "], [0, 1], ValueError, "the vocabulary is empty"),
    ],
)
def test_bad_training_input_is_named(texts, labels, error, message) -> None:
    with pytest.raises(error, match=message):
        train_text_classifier(texts, labels, progress=False, **FAST)


def test_bad_validation_data_and_hyperparameters_are_named() -> None:
    texts, labels = _reviews(10, seed=6)
    with pytest.raises(ValueError, match=r"valid labels must be classes seen in training \['neg', 'pos'\]"):
        train_text_classifier(texts, labels, valid=(["x"], ["meh"]), progress=False, **FAST)
    with pytest.raises(TypeError, match="valid must be a pair"):
        train_text_classifier(texts, labels, valid=(["x"], ["pos"], ["extra"]), progress=False, **FAST)
    with pytest.raises(ValueError, match="language must be one of 'en', 'zh', got 'fr'"):
        train_text_classifier(texts, labels, language="fr")
    with pytest.raises(ValueError, match="lr must lie in"):
        train_text_classifier(texts, labels, lr=0)
    with pytest.raises(ValueError, match=r"lr_decay must lie in \(0.0, 1.0\]"):
        train_text_classifier(texts, labels, lr_decay=1.5)
    with pytest.raises(TypeError, match="unexpected keyword argument 'hidden'"):
        train_text_classifier(texts, labels, hidden=3)  # type: ignore[call-arg]


def test_predict_rejects_a_single_string(trained: TextClassifier) -> None:
    with pytest.raises(TypeError, match="wrap it"):
        trained.predict("a single review")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"texts\[0\] must be a str"):
        trained.predict([None])  # type: ignore[list-item]


# ------------------------------------------------------------------------------------------ command line


def test_command_line_train_evaluate_predict(tmp_path: Path, capsys) -> None:
    from rnn_guide.cli_classify import main

    texts, labels = _reviews(40, seed=7)
    data = tmp_path / "reviews.csv"
    with open(data, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows(zip(texts, labels, strict=True))
    model = tmp_path / "model.pt"
    settings = [f"--{k.replace('_', '-')}={v}" for k, v in (FAST | {"epochs": 2}).items()]
    alone = ["--valid-fraction=0", "--no-linear-ngrams"]
    assert main(["train", "--data", str(data), "--out", str(model), "--no-progress", *alone, *settings]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1]) == {"model": str(model), "epochs": 2}
    held = tmp_path / "held.pt"
    assert main(["train", "--data", str(data), "--out", str(held), "--no-progress", *settings]) == 0
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["best_epoch"] in (1, 2) and 0 <= summary["best_valid_accuracy"] <= 1  # chosen on 10 % held out
    assert TextClassifier.load(held).linear is not None  # the defaults: holdout and the linear n-gram part
    saved = TextClassifier.load(model)
    assert saved.linear is None
    assert main(["evaluate", "--model", str(model), "--data", str(data)]) == 0
    assert json.loads(capsys.readouterr().out) == {"accuracy": saved.score(texts, labels), "texts": 40}
    assert main(["predict", "--model", str(model), "loved it, superb", "dull", "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["label"] for r in records] == saved.predict(["loved it, superb", "dull"])
    assert set(records[0]["probabilities"]) == {"neg", "pos"}
    assert main(["evaluate", "--model", str(model), "--data", str(data), "--label-column", "stars"]) == 2
    assert "has no column 'stars'" in capsys.readouterr().err


def test_without_valid_a_stratified_share_is_held_out_and_never_trained_on(capsys) -> None:
    """``valid_fraction=0.1`` without ``valid``: 10 % of each class is held out (drawn with the seed), the
    vocabulary comes from the rest, the epoch is chosen on the held-out texts, and the progress output says so."""
    texts, labels = _reviews(60, seed=5)
    texts = [*texts, "zzzuniqueword zzzuniqueword", "zzzuniqueword zzzuniqueword"]
    labels = [*labels, "pos", "pos"]
    settings = FAST | {"epochs": 3, "min_freq": 1, "valid_fraction": 0.1}
    clf = train_text_classifier(texts, labels, progress=True, **settings)
    said = capsys.readouterr().err
    counts = {label: labels.count(label) for label in set(labels)}
    held = sum(max(1, round(0.1 * n)) for n in counts.values())
    assert f"{held:,} of {len(texts):,} texts (10%, stratified) held out" in said
    assert clf.history is not None and len(clf.history.metrics["accuracy"]) == clf.history.epochs
    same = train_text_classifier(texts, labels, progress=False, **settings)
    assert same.predict(texts) == clf.predict(texts)  # the same seed holds out the same texts


def test_held_out_texts_do_not_enter_the_vocabulary() -> None:
    """Each text has a word of its own: those of the held-out texts are unknown to the model, those of the
    training texts are in its vocabulary (the split is made before the vocabulary is built)."""
    from rnn_guide.classifier import _hold_out

    texts = [f"common words word{i}" for i in range(20)]
    labels = ["a", "b"] * 10
    settings = FAST | {"epochs": 1, "min_freq": 1, "valid_fraction": 0.1}
    clf = train_text_classifier(texts, labels, progress=False, **settings)
    kept, _, held = _hold_out(texts, labels, 0.1, 0, False)  # the draw of the default seed
    assert held is not None and sorted(held[1]) == ["a", "b"]  # 10 % of each class of 10
    assert all(text.split()[-1] not in clf.vocab for text in held[0])
    assert all(text.split()[-1] in clf.vocab for text in kept)
    # a class with a single text: nothing can be held out
    assert _hold_out(["x", "y", "z"], ["a", "a", "b"], 0.1, 0, False)[2] is None


def test_by_default_ten_percent_is_held_out_and_zero_trains_on_every_text() -> None:
    texts, labels = _reviews(30, seed=2)
    clf = train_text_classifier(texts, labels, progress=False, **(FAST | {"epochs": 2}))
    assert clf.history is not None and len(clf.history.metrics["accuracy"]) == clf.history.epochs
    every = train_text_classifier(texts, labels, valid_fraction=0, progress=False, **(FAST | {"epochs": 2}))
    assert every.history is not None and every.history.epochs == 2 and not every.history.metrics.get("accuracy")
    with pytest.raises(ValueError, match="valid_fraction"):
        train_text_classifier(texts, labels, valid_fraction=1.0)
