"""Tests of rnn_guide.training: the fit loop, evaluation, checkpoints and bit-identical resuming."""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence
from torch.utils.data import DataLoader, Dataset, TensorDataset

from rnn_guide.checkpoints import (
    TrainingState,
    capture_rng_state,
    load_checkpoint,
    model_config,
    restore_rng_state,
    save_checkpoint,
)
from rnn_guide.clipping import AutoClip, GradNormTracker, NonFiniteGradientError
from rnn_guide.history import History
from rnn_guide.training import (
    default_forward,
    evaluate,
    fit,
    move_to_device,
    predict,
)


@pytest.fixture(autouse=True)
def one_thread() -> Iterator[None]:
    """Tiny models run fastest, and in a stable time, on one thread (the machine may be shared)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


# ----------------------------------------------------------------------------------------------------
# Tiny models and data
# ----------------------------------------------------------------------------------------------------


class TinyRegressor(nn.Module):
    """LSTM over (N, L, 1) -> dropout -> linear, predicting one number per sequence."""

    def __init__(self, hidden_size: int = 8, dropout: float = 0.0) -> None:
        super().__init__()
        self.hidden_size = hidden_size
        self.lstm = nn.LSTM(1, hidden_size, batch_first=True)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden_size, 1)

    @property
    def config(self) -> dict[str, float]:
        return {"hidden_size": self.hidden_size, "dropout": self.dropout.p}

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        output, _ = self.lstm(x)  # (N, L, H_out)
        return self.head(self.dropout(output[:, -1])).squeeze(-1)  # (N,)


class OtherRegressor(TinyRegressor):
    """Same weights layout as TinyRegressor, another class name."""


class TinyClassifier(nn.Module):
    """Embedding -> packed GRU -> linear; takes (tokens, lengths) with lengths on the CPU."""

    def __init__(self, vocab_size: int = 6, hidden_size: int = 12) -> None:
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, 8, padding_idx=0)
        self.gru = nn.GRU(8, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, 2)

    def forward(self, tokens: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        assert lengths.device.type == "cpu", "lengths must stay on the CPU"
        packed = pack_padded_sequence(self.embedding(tokens), lengths, batch_first=True, enforce_sorted=False)
        _, h_n = self.gru(packed)  # (1, N, H_out)
        return self.head(h_n[-1])  # (N, 2)


def regression_data(n: int = 96, seq_len: int = 6, seed: int = 0) -> TensorDataset:
    """Targets: the mean of the sequence, a task a small LSTM learns in a few epochs."""
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n, seq_len, 1, generator=generator)
    return TensorDataset(x, x.mean(dim=(1, 2)))


class NoisyDataset(Dataset):
    """Adds NumPy and Python ``random`` noise in __getitem__, so their generators matter for resuming."""

    def __init__(self, base: TensorDataset) -> None:
        self.base = base

    def __len__(self) -> int:
        return len(self.base)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        x, y = self.base[index]
        noise = torch.from_numpy(np.random.normal(0.0, 0.05, size=tuple(x.shape)).astype(np.float32))
        return x + noise * random.random(), y


def accuracy(outputs: torch.Tensor, targets: torch.Tensor) -> float:
    return float((outputs.argmax(dim=-1) == targets).float().mean())


def state_equal(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k].cpu(), b[k].cpu()) for k in a)


def snapshot(model: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone().cpu() for k, v in model.state_dict().items()}


# ----------------------------------------------------------------------------------------------------
# Learning, validation, metrics
# ----------------------------------------------------------------------------------------------------


def test_fit_learns_a_tiny_regression_task(device_name: str) -> None:
    torch.manual_seed(0)
    model = TinyRegressor()
    train = DataLoader(regression_data(), batch_size=16, shuffle=True)
    valid = DataLoader(regression_data(n=32, seed=1), batch_size=16)
    rmse = {"rmse": lambda out, y: float((out - y).pow(2).mean().sqrt())}
    history = fit(
        model,
        train,
        epochs=12,
        loss_fn=nn.MSELoss(),
        optimizer=torch.optim.Adam(model.parameters(), lr=0.02),
        valid_data=valid,
        metrics=rmse,
        device=device_name,
        progress=False,
    )
    assert isinstance(history, History)
    assert history.epochs == 12
    assert history.train_loss[-1] < 0.2 * history.train_loss[0]
    assert history.valid_loss[-1] < 0.2 * history.valid_loss[0]
    assert len(history.valid_loss) == len(history.metrics["rmse"]) == len(history.epoch_times) == 12
    assert [len(norms) for norms in history.grad_norms] == [len(train)] * 12
    assert all(t > 0 for t in history.epoch_times)
    assert history.skipped_steps == [0] * 12
    assert history.learning_rates == [0.02] * 12
    assert history.best_epoch == 1 + int(np.argmin(history.valid_loss))
    assert not history.stopped_early
    # The last epoch's validation numbers are those of the final model.
    final = evaluate(model, valid, loss_fn=nn.MSELoss(), metrics=rmse)
    assert final["loss"] == pytest.approx(history.valid_loss[-1], rel=1e-5)
    assert final["rmse"] == pytest.approx(history.metrics["rmse"][-1], rel=1e-5)
    assert final["rmse"] == pytest.approx(math.sqrt(final["loss"]), rel=1e-4)  # exact over the whole set


@pytest.mark.parametrize("max_norm", [None, 0.05])
def test_fit_does_exactly_what_a_hand_written_loop_does(max_norm: float | None) -> None:
    """Same seed, shuffling, dropout and clipping: fit adds bookkeeping, not arithmetic or random draws."""

    def run(use_fit: bool) -> tuple[dict[str, torch.Tensor], list[float]]:
        torch.manual_seed(0)
        model = TinyRegressor(dropout=0.2)
        optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
        loader = DataLoader(regression_data(n=40), batch_size=8, shuffle=True)
        torch.manual_seed(1)
        if use_fit:
            history = fit(
                model,
                loader,
                epochs=2,
                loss_fn=nn.MSELoss(),
                optimizer=optimizer,
                clip=max_norm,
                device="cpu",
                progress=False,
            )
            return snapshot(model), history.train_loss
        losses = []
        for _ in range(2):
            total = 0.0
            for x, y in loader:
                optimizer.zero_grad()
                loss = nn.functional.mse_loss(model(x), y)
                loss.backward()
                if max_norm is not None:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
                optimizer.step()
                total += loss.item() * len(y)
            losses.append(total / 40)
        return snapshot(model), losses

    (fit_weights, fit_losses), (bare_weights, bare_losses) = run(True), run(False)
    assert state_equal(fit_weights, bare_weights)
    assert fit_losses == pytest.approx(bare_losses, rel=1e-12)


def test_fit_trains_a_packed_classifier_with_lengths_on_the_cpu(device_name: str) -> None:
    torch.manual_seed(0)
    n, seq_len = 64, 7
    lengths = torch.randint(2, seq_len + 1, (n,))
    tokens = torch.randint(1, 6, (n, seq_len))
    tokens[torch.arange(seq_len) >= lengths[:, None]] = 0
    labels = (tokens == 5).any(dim=1).long()  # does token 5 occur?
    batches = [(tokens[i : i + 16], lengths[i : i + 16], labels[i : i + 16]) for i in range(0, n, 16)]
    model = TinyClassifier()
    history = fit(
        model,
        batches,
        epochs=25,
        loss_fn=nn.CrossEntropyLoss(),
        optimizer=torch.optim.Adam(model.parameters(), lr=0.03),
        valid_data=batches,
        metrics={"accuracy": accuracy},
        device=device_name,
        batch_to_device=functools.partial(move_to_device, keep_on_cpu=(1,)),
        progress=False,
    )
    assert history.train_loss[-1] < 0.3 * history.train_loss[0]
    assert history.metrics["accuracy"][-1] >= 0.9
    predictions = predict(model, batches, batch_to_device=functools.partial(move_to_device, keep_on_cpu=(1,)))
    assert predictions.shape == (n, 2)
    assert predictions.device.type == "cpu"


def test_dict_batches_and_custom_forward() -> None:
    torch.manual_seed(0)
    data = regression_data(n=32)
    x, y = data.tensors
    model = TinyRegressor()
    as_dicts = [{"x": x[i : i + 8], "target": y[i : i + 8]} for i in range(0, 32, 8)]
    history = fit(model, as_dicts, epochs=2, loss_fn=nn.MSELoss(), device="cpu", progress=False)
    assert history.epochs == 2
    # A caller-defined split: the target first, then the input.
    swapped = [(y[i : i + 8], x[i : i + 8]) for i in range(0, 32, 8)]
    calls = []

    def forward(model: nn.Module, batch: tuple[torch.Tensor, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        calls.append(1)
        target, inputs = batch
        return model(inputs), target

    result = evaluate(model, swapped, loss_fn=nn.MSELoss(), forward_fn=forward)
    assert len(calls) == 4
    assert result["loss"] == pytest.approx(evaluate(model, as_dicts, loss_fn=nn.MSELoss())["loss"], rel=1e-6)


def test_move_to_device_and_default_forward() -> None:
    tokens, lengths = torch.zeros(2, 3, dtype=torch.long), torch.tensor([3, 2])
    moved = move_to_device((tokens, lengths, {"a": [tokens]}), torch.device("meta"), keep_on_cpu=(1,))
    assert moved[0].device.type == "meta"
    assert moved[1] is lengths
    assert moved[2]["a"][0].device.type == "meta"
    moved_dict = move_to_device({"lengths": lengths, "x": tokens}, "meta", keep_on_cpu=("lengths",))
    assert moved_dict["lengths"] is lengths and moved_dict["x"].device.type == "meta"
    with pytest.raises(ValueError, match="'target' key"):
        default_forward(nn.Identity(), {"x": tokens})
    with pytest.raises(TypeError, match="batch must be a tuple"):
        default_forward(nn.Identity(), tokens)


def test_evaluate_restores_training_mode_and_validates() -> None:
    model = TinyRegressor(dropout=0.5)
    model.train()
    data = [tuple(regression_data(n=8).tensors)]
    evaluate(model, data, loss_fn=nn.MSELoss())
    assert model.training
    with pytest.raises(ValueError, match="loss_fn or metrics"):
        evaluate(model, data)
    with pytest.raises(ValueError, match="no batches"):
        evaluate(model, [], loss_fn=nn.MSELoss())


# ----------------------------------------------------------------------------------------------------
# Early stopping
# ----------------------------------------------------------------------------------------------------


def test_early_stopping_stops_and_restores_the_best_epoch_weights() -> None:
    torch.manual_seed(0)
    model = TinyRegressor()
    data = [tuple(regression_data(n=16).tensors)]
    scripted = [5.0, 3.0, 1.0, 2.0, 4.0, 0.5, 0.1]  # best at epoch 3, then two epochs without improvement
    weights_at_epoch: list[dict[str, torch.Tensor]] = []

    def score(outputs: torch.Tensor, targets: torch.Tensor) -> float:
        weights_at_epoch.append(snapshot(model))  # called once per epoch, after that epoch's training
        return scripted[len(weights_at_epoch) - 1]

    history = fit(
        model,
        data,
        epochs=7,
        loss_fn=nn.MSELoss(),
        optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
        valid_data=data,
        metrics={"score": score},
        monitor="score",
        early_stopping=2,
        device="cpu",
        progress=False,
    )
    assert history.stopped_early
    assert history.epochs == 5
    assert history.best_epoch == 3
    assert history.metrics["score"] == scripted[:5]
    assert state_equal(snapshot(model), weights_at_epoch[2])
    assert not state_equal(snapshot(model), weights_at_epoch[4])


def test_restore_best_false_keeps_the_last_weights_and_mode_max() -> None:
    torch.manual_seed(0)
    model = TinyRegressor()
    data = [tuple(regression_data(n=16).tensors)]
    scripted = iter([0.1, 0.9, 0.5, 0.4])
    history = fit(
        model,
        data,
        epochs=6,
        loss_fn=nn.MSELoss(),
        valid_data=data,
        metrics={"accuracy": lambda out, y: next(scripted)},
        monitor="accuracy",
        mode="max",
        early_stopping=2,
        restore_best=False,
        device="cpu",
        progress=False,
    )
    last = snapshot(model)
    assert history.best_epoch == 2 and history.stopped_early and history.epochs == 4
    assert state_equal(last, snapshot(model))
    after_more = evaluate(model, data, loss_fn=nn.MSELoss())["loss"]
    assert after_more == pytest.approx(history.valid_loss[-1], rel=1e-6)  # not the epoch-2 weights


def test_without_validation_there_is_no_best_epoch() -> None:
    model = TinyRegressor()
    data = [tuple(regression_data(n=16).tensors)]
    history = fit(model, data, epochs=2, loss_fn=nn.MSELoss(), device="cpu", progress=False)
    assert history.best_epoch is None and history.valid_loss == []
    history = fit(model, data, epochs=2, loss_fn=nn.MSELoss(), monitor="train_loss", device="cpu")
    assert history.best_epoch in (1, 2)


# ----------------------------------------------------------------------------------------------------
# Clipping and non-finite gradients
# ----------------------------------------------------------------------------------------------------


def _train_sgd(clip: object, *, seed: int = 0, epochs: int = 2, **kwargs: object) -> tuple[nn.Module, History]:
    torch.manual_seed(seed)
    model = TinyRegressor()
    data = [tuple(t[i : i + 8] for t in regression_data(n=32).tensors) for i in range(0, 32, 8)]
    history = fit(
        model,
        data,
        epochs=epochs,
        loss_fn=nn.MSELoss(),
        optimizer=torch.optim.SGD(model.parameters(), lr=0.5),
        clip=clip,
        device="cpu",
        progress=False,
        **kwargs,
    )
    return model, history


def test_clip_max_norm_is_wired() -> None:
    torch.manual_seed(0)
    initial = snapshot(TinyRegressor())
    unclipped, history_none = _train_sgd(None)
    huge, history_huge = _train_sgd(1e9)
    tiny, history_tiny = _train_sgd(1e-3)
    assert state_equal(snapshot(unclipped), snapshot(huge))  # a huge max_norm never scales
    assert history_none.grad_norms == history_huge.grad_norms  # the same pre-clip norms are recorded
    assert not state_equal(snapshot(unclipped), snapshot(tiny))
    # SGD with gradients of norm <= 1e-3 moves the weights by at most steps * lr * 1e-3 in total.
    displacement = torch.sqrt(sum(((snapshot(tiny)[k] - initial[k]) ** 2).sum() for k in initial))
    steps = sum(len(norms) for norms in history_tiny.grad_norms)
    assert float(displacement) <= steps * 0.5 * 1e-3 * (1 + 1e-4)
    assert max(max(norms) for norms in history_tiny.grad_norms) > 1e-3  # so clipping did act


def test_autoclip_and_callable_clip_are_wired() -> None:
    _, history_auto = _train_sgd("autoclip")
    autoclip = AutoClip(percentile=50.0)
    model_instance, history_instance = _train_sgd(autoclip)
    assert len(autoclip) == sum(len(n) for n in history_instance.grad_norms)
    assert autoclip.history == [v for norms in history_instance.grad_norms for v in norms]
    unclipped, _ = _train_sgd(None)
    assert not state_equal(snapshot(unclipped), snapshot(model_instance))
    assert all(math.isfinite(v) for norms in history_auto.grad_norms for v in norms)

    seen: list[list[torch.Tensor]] = []

    def halve(parameters: list[torch.Tensor]) -> None:
        seen.append(parameters)
        for p in parameters:
            p.grad.mul_(0.5)

    halved, history_halved = _train_sgd(halve)
    assert len(seen) == 8 and all(isinstance(p, torch.Tensor) for p in seen[0])
    assert not state_equal(snapshot(unclipped), snapshot(halved))
    assert history_halved.grad_norms[0][0] == pytest.approx(_train_sgd(None)[1].grad_norms[0][0])
    with pytest.raises(ValueError, match="make them agree"):
        _train_sgd(AutoClip(nonfinite="raise"), nonfinite="skip")
    with pytest.raises(ValueError, match="clip must be one of"):
        _train_sgd("sometimes")
    with pytest.raises(TypeError, match="clip must be None"):
        _train_sgd([1.0])
    with pytest.raises(ValueError, match="clip must lie in"):
        _train_sgd(-1.0)


def test_per_parameter_tracker_records_before_clipping() -> None:
    tracker = GradNormTracker(per_parameter=True)
    _, history = _train_sgd(1e-3, grad_tracker=tracker)
    assert tracker.history == [v for norms in history.grad_norms for v in norms]
    assert set(tracker.per_parameter_history) == {
        "lstm.weight_ih_l0",
        "lstm.weight_hh_l0",
        "lstm.bias_ih_l0",
        "lstm.bias_hh_l0",
        "head.weight",
        "head.bias",
    }
    assert max(tracker.history) > 1e-3  # pre-clip norms, not the clipped ones


def _nan_batches() -> list[tuple[torch.Tensor, torch.Tensor]]:
    x, y = regression_data(n=24).tensors
    batches = [(x[i : i + 8].clone(), y[i : i + 8]) for i in range(0, 24, 8)]
    batches[1][0][0, 0, 0] = float("nan")
    return batches


@pytest.mark.parametrize("clip", [None, 1.0, "autoclip"])
def test_nonfinite_raise_and_skip(clip: object) -> None:
    torch.manual_seed(0)
    model = TinyRegressor()
    with pytest.raises(NonFiniteGradientError, match="epoch 1, step 2"):
        fit(model, _nan_batches(), epochs=1, loss_fn=nn.MSELoss(), clip=clip, device="cpu", progress=False)

    torch.manual_seed(0)
    model = TinyRegressor()
    history = fit(
        model,
        _nan_batches(),
        epochs=2,
        loss_fn=nn.MSELoss(),
        clip=clip,
        nonfinite="skip",
        device="cpu",
        progress=False,
    )
    assert history.skipped_steps == [1, 1]
    assert math.isnan(history.grad_norms[0][1]) and math.isfinite(history.grad_norms[0][0])
    assert all(math.isfinite(v) for v in history.train_loss)
    assert all(bool(torch.isfinite(p).all()) for p in model.parameters())


# ----------------------------------------------------------------------------------------------------
# Checkpoints and resuming
# ----------------------------------------------------------------------------------------------------


class SimulatedCrash(RuntimeError):
    pass


def _resume_setup(seed: int, generator: bool) -> tuple[nn.Module, torch.optim.Optimizer, object, DataLoader]:
    """Everything a training script builds before calling fit, built fresh (as in a new process)."""
    torch.manual_seed(seed)  # a different seed gives different initial weights
    model = TinyRegressor(dropout=0.3)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.7)
    loader = DataLoader(
        NoisyDataset(regression_data(n=40)),
        batch_size=8,
        shuffle=True,
        generator=torch.Generator().manual_seed(123) if generator else None,
    )
    return model, optimizer, scheduler, loader


@pytest.mark.parametrize("generator", [False, True], ids=["global-rng", "loader-generator"])
def test_resume_after_a_crash_is_bit_identical(tmp_path: Path, generator: bool) -> None:
    kwargs = {
        "epochs": 4,
        "loss_fn": nn.MSELoss(),
        "valid_data": [tuple(regression_data(n=16, seed=2).tensors)],
        "clip": "autoclip",
        "early_stopping": 3,
        "device": "cpu",
        "progress": False,
        "seed": 7,
    }
    model, optimizer, scheduler, loader = _resume_setup(0, generator)
    reference = fit(model, loader, optimizer=optimizer, scheduler=scheduler, **kwargs)
    expected = snapshot(model)

    # The same run, killed in the middle of epoch 3 (after the epoch-2 checkpoint was written).
    path = tmp_path / "run" / "last.pt"
    model, optimizer, scheduler, loader = _resume_setup(0, generator)
    calls = 0

    def crashing_loss(outputs: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        nonlocal calls
        calls += 1
        if calls == 2 * (len(loader) + 1) + 3:  # (train steps + 1 validation batch) per epoch
            raise SimulatedCrash
        return nn.functional.mse_loss(outputs, targets)

    with pytest.raises(SimulatedCrash):
        fit(
            model,
            loader,
            optimizer=optimizer,
            scheduler=scheduler,
            checkpoint_path=path,
            **(kwargs | {"loss_fn": crashing_loss}),
        )
    assert load_checkpoint(path).epoch == 2

    # A "new process": other weights, fresh objects, every random generator disturbed.
    model, optimizer, scheduler, loader = _resume_setup(99, generator)
    torch.manual_seed(999)
    np.random.seed(5)
    random.seed(3)
    resumed = fit(model, loader, optimizer=optimizer, scheduler=scheduler, checkpoint_path=path, resume=True, **kwargs)
    assert state_equal(snapshot(model), expected)
    assert resumed.train_loss == reference.train_loss
    assert resumed.valid_loss == reference.valid_loss
    assert resumed.grad_norms == reference.grad_norms
    assert resumed.learning_rates == reference.learning_rates
    assert resumed.best_epoch == reference.best_epoch


def test_resume_without_restoring_rng_would_differ(tmp_path: Path) -> None:
    """The resume test above is meaningful: dropout and shuffling make a naive resume differ."""
    model, optimizer, scheduler, loader = _resume_setup(0, False)
    kwargs = {"loss_fn": nn.MSELoss(), "device": "cpu", "progress": False, "seed": 7}
    fit(model, loader, epochs=4, optimizer=optimizer, scheduler=scheduler, **kwargs)
    expected = snapshot(model)
    path = tmp_path / "ck.pt"
    model, optimizer, scheduler, loader = _resume_setup(0, False)
    fit(model, loader, epochs=2, optimizer=optimizer, scheduler=scheduler, checkpoint_path=path, **kwargs)
    model, optimizer, scheduler, loader = _resume_setup(0, False)
    load_checkpoint(path, model=model, optimizer=optimizer, scheduler=scheduler)
    fit(model, loader, epochs=2, optimizer=optimizer, scheduler=scheduler, **kwargs)  # fresh RNG, same seed
    assert not state_equal(snapshot(model), expected)


def test_resume_edge_cases(tmp_path: Path) -> None:
    data = [tuple(regression_data(n=16).tensors)]
    path = tmp_path / "ck.pt"
    torch.manual_seed(0)
    model = TinyRegressor()
    history = fit(model, data, epochs=2, loss_fn=nn.MSELoss(), device="cpu", checkpoint_path=path, resume=True)
    assert history.epochs == 2 and path.exists()  # no file yet: trained from scratch
    weights = snapshot(model)
    again = fit(model, data, epochs=2, loss_fn=nn.MSELoss(), device="cpu", checkpoint_path=path, resume=True)
    assert again.train_loss == history.train_loss and state_equal(snapshot(model), weights)  # nothing to do
    with pytest.raises(ValueError, match="at least the 2 epochs"):
        fit(model, data, epochs=1, loss_fn=nn.MSELoss(), device="cpu", checkpoint_path=path, resume=True)
    with pytest.raises(ValueError, match="same metrics"):
        fit(
            model,
            data,
            epochs=3,
            loss_fn=nn.MSELoss(),
            device="cpu",
            checkpoint_path=path,
            resume=True,
            valid_data=data,
            metrics={"mae": lambda o, y: float((o - y).abs().mean())},
        )
    with pytest.raises(ValueError, match="needs checkpoint_path"):
        fit(model, data, epochs=1, loss_fn=nn.MSELoss(), resume=True)


def test_checkpoint_round_trip_with_weights_only(tmp_path: Path) -> None:
    torch.manual_seed(0)
    model = TinyRegressor(hidden_size=5)
    path = tmp_path / "ck.pt"
    fit(
        model, [tuple(regression_data(n=8).tensors)], epochs=1, loss_fn=nn.MSELoss(), device="cpu", checkpoint_path=path
    )
    raw = torch.load(path, weights_only=True)  # must not need pickle's arbitrary objects
    assert raw["config"] == {"class_name": "TinyRegressor", "hidden_size": 5, "dropout": 0.0}
    assert isinstance(raw["rng_state"]["numpy"]["keys"], torch.Tensor)

    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    save_checkpoint(path, model=model, optimizer=optimizer, epoch=3, extra={"note": "hi", "t": torch.ones(2)})
    fresh = TinyRegressor(hidden_size=5)
    fresh_optimizer = torch.optim.SGD(fresh.parameters(), lr=0.5)
    checkpoint = load_checkpoint(path, model=fresh, optimizer=fresh_optimizer)
    assert checkpoint.epoch == 3 and checkpoint.extra["note"] == "hi"
    assert torch.equal(checkpoint.extra["t"], torch.ones(2))
    assert checkpoint.config == model_config(model)
    assert state_equal(snapshot(fresh), snapshot(model))
    assert fresh_optimizer.param_groups[0]["lr"] == 0.1
    with pytest.raises(TypeError, match=r"extra\['bad'\] must hold only"):
        save_checkpoint(path, model=model, epoch=1, extra={"bad": object()})
    with pytest.raises(ValueError, match="epoch must be an integer >= 0"):
        save_checkpoint(path, model=model, epoch=-1)


def test_rng_state_capture_and_restore() -> None:
    generator = torch.Generator().manual_seed(0)
    loader = DataLoader(list(range(10)), shuffle=True, generator=generator)
    state = capture_rng_state(loader)
    first = (torch.rand(3), np.random.rand(3), random.random(), torch.rand(2, generator=generator))
    restore_rng_state(state, loader)
    second = (torch.rand(3), np.random.rand(3), random.random(), torch.rand(2, generator=generator))
    assert torch.equal(first[0], second[0]) and np.array_equal(first[1], second[1])
    assert first[2] == second[2] and torch.equal(first[3], second[3])
    with pytest.raises(ValueError, match=r"torch\.Generator"):
        restore_rng_state(state)  # the loader's generator is missing


def test_checkpoint_from_another_model_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "ck.pt"
    save_checkpoint(path, model=TinyRegressor(hidden_size=8), epoch=0)
    with pytest.raises(ValueError, match=r"shape mismatches .*lstm\.weight_ih_l0"):
        load_checkpoint(path, model=TinyRegressor(hidden_size=4))
    with pytest.raises(ValueError, match="holds a TinyRegressor, got model of class OtherRegressor"):
        load_checkpoint(path, model=OtherRegressor(hidden_size=8))
    # Same class name, other layout: only the state dict check can tell.
    save_checkpoint(path, model=nn.Linear(2, 2), epoch=0, config={"class_name": "Sequential"})
    with pytest.raises(ValueError, match=r"missing keys \['0.weight', '0.bias'\]; unexpected keys"):
        load_checkpoint(path, model=nn.Sequential(nn.Linear(2, 2)))
    path.write_bytes(b"not a zip archive")
    with pytest.raises(ValueError, match="not a checkpoint that torch.load"):
        load_checkpoint(path)
    torch.save({"weights": torch.ones(1)}, path)
    with pytest.raises(ValueError, match="not an rnn_guide checkpoint"):
        load_checkpoint(path)
    with pytest.raises(FileNotFoundError):
        load_checkpoint(tmp_path / "missing.pt")


def test_checkpoint_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "ck.pt"
    model = TinyRegressor()
    save_checkpoint(path, model=model, epoch=1)
    before = path.read_bytes()
    original_save = torch.save

    def crash_midway(obj: object, handle: object, *args: object, **kwargs: object) -> None:
        original_save(obj, handle, *args, **kwargs)
        handle.seek(len(before) // 2)
        handle.truncate()
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(torch, "save", crash_midway)
    with torch.no_grad():
        for p in model.parameters():
            p.add_(1.0)
    with pytest.raises(OSError, match="simulated"):
        save_checkpoint(path, model=model, epoch=2)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert load_checkpoint(path).epoch == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ck.pt"]  # no temporary file left behind


# ----------------------------------------------------------------------------------------------------
# Progress bar, schedulers and argument checking
# ----------------------------------------------------------------------------------------------------


def test_progress_bar_on_off_and_automatic(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    data = [tuple(regression_data(n=8).tensors)]
    fit(TinyRegressor(), data, epochs=2, loss_fn=nn.MSELoss(), device="cpu", progress=False)
    assert capsys.readouterr().err == ""
    fit(TinyRegressor(), data, epochs=2, loss_fn=nn.MSELoss(), device="cpu", progress=True)
    assert "epoch 2/2" in capsys.readouterr().err
    fit(TinyRegressor(), data, epochs=2, loss_fn=nn.MSELoss(), device="cpu")  # stderr is not a terminal here
    assert capsys.readouterr().err == ""
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)  # as if in a terminal
    monkeypatch.delenv("CI", raising=False)
    fit(TinyRegressor(), data, epochs=1, loss_fn=nn.MSELoss(), device="cpu")
    assert "epoch 1/1" in capsys.readouterr().err
    monkeypatch.setenv("CI", "true")  # a terminal on a CI runner stays quiet
    fit(TinyRegressor(), data, epochs=1, loss_fn=nn.MSELoss(), device="cpu")
    assert capsys.readouterr().err == ""
    with pytest.raises(TypeError, match="progress must be True, False or None"):
        fit(TinyRegressor(), data, epochs=1, loss_fn=nn.MSELoss(), progress="yes")


def test_schedulers_per_epoch_per_step_and_on_plateau() -> None:
    data = [tuple(t[i : i + 4] for t in regression_data(n=12).tensors) for i in range(0, 12, 4)]
    model = TinyRegressor()
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    history = fit(model, data, epochs=3, loss_fn=nn.MSELoss(), optimizer=optimizer, scheduler=scheduler, device="cpu")
    assert history.learning_rates == [1.0, 0.5, 0.25]
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.5)
    history = fit(
        model,
        data,
        epochs=2,
        loss_fn=nn.MSELoss(),
        optimizer=optimizer,
        scheduler=scheduler,
        scheduler_interval="step",
        device="cpu",
    )
    assert history.learning_rates == [1.0, 0.125]  # three steps per epoch
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    plateau = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience=0, factor=0.1)
    flat = iter([1.0, 1.0, 1.0])
    history = fit(
        model,
        data,
        epochs=3,
        loss_fn=nn.MSELoss(),
        optimizer=optimizer,
        scheduler=plateau,
        valid_data=data,
        metrics={"flat": lambda o, y: next(flat)},
        monitor="flat",
        device="cpu",
    )
    assert history.learning_rates == pytest.approx([1.0, 1.0, 0.1])  # the first epoch sets the best


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"epochs": 0}, ValueError, "epochs must be a positive integer"),
        ({"metrics": {"acc": accuracy}}, ValueError, "metrics are computed on valid_data"),
        ({"monitor": "acc"}, ValueError, "monitor must be one of"),
        ({"mode": "lowest"}, ValueError, "mode must be one of"),
        ({"early_stopping": 2}, ValueError, "need; got valid_data=None"),
        ({"early_stopping": 0}, ValueError, "early_stopping must be a positive integer"),
        ({"nonfinite": "ignore"}, ValueError, "nonfinite must be one of"),
        ({"optimizer": "adam"}, TypeError, "optimizer must be a torch.optim.Optimizer"),
        ({"loss_fn": "mse"}, TypeError, "loss_fn must be callable"),
        ({"train_data": iter([])}, TypeError, "train_data must be re-iterable"),
        ({"train_data": []}, ValueError, "train_data yielded no batches"),
        ({"model": "lstm"}, TypeError, "model must be an nn.Module"),
        ({"valid_data": [], "metrics": {"loss": accuracy}}, ValueError, "metrics keys must be"),
    ],
)
def test_fit_rejects_bad_arguments(kwargs: dict, error: type[Exception], match: str) -> None:
    arguments = {
        "model": TinyRegressor(),
        "train_data": [tuple(regression_data(n=4).tensors)],
        "epochs": 1,
        "loss_fn": nn.MSELoss(),
        "device": "cpu",
    } | kwargs
    model, train_data = arguments.pop("model"), arguments.pop("train_data")
    with pytest.raises(error, match=match):
        fit(model, train_data, **arguments)


# ----------------------------------------------------------------------------------------------------
# The loop's public pieces: the training state in checkpoints, set_epoch, NumPy scalars
# ----------------------------------------------------------------------------------------------------


def test_training_state_round_trip_and_in_fit_checkpoints(tmp_path: Path) -> None:
    state = TrainingState(
        monitor="valid_loss", mode="min", best_value=0.5, best_epoch=2, bad_epochs=1, autoclip_history=[1.0, 2.0]
    )
    assert TrainingState.from_dict(state.to_dict()) == state
    with pytest.raises(ValueError, match="TrainingState.to_dict"):
        TrainingState.from_dict({"monitor": "valid_loss"})
    path = tmp_path / "ck.pt"
    data = [tuple(regression_data(n=8).tensors)]
    fit(TinyRegressor(), data, epochs=2, loss_fn=nn.MSELoss(), valid_data=data, early_stopping=3, checkpoint_path=path)
    written = load_checkpoint(path).training_state
    assert isinstance(written, TrainingState) and written.monitor == "valid_loss" and written.best_weights is not None
    save_checkpoint(path, model=TinyRegressor(), epoch=0, training_state=written)
    again = load_checkpoint(path).training_state
    assert again is not None and again.best_epoch == written.best_epoch and again.best_value == written.best_value
    assert state_equal(again.best_weights, written.best_weights)
    with pytest.raises(TypeError, match="training_state must be a TrainingState"):
        save_checkpoint(path, model=TinyRegressor(), epoch=0, training_state={"monitor": "valid_loss"})


class EpochRecordingSampler(torch.utils.data.Sampler[int]):
    """A sampler with ``set_epoch``, as ``DistributedSampler`` has, that records the calls."""

    def __init__(self, n: int) -> None:
        self.n, self.epochs = n, []

    def set_epoch(self, epoch: int) -> None:
        self.epochs.append(epoch)

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.n))

    def __len__(self) -> int:
        return self.n


def test_fit_calls_set_epoch_on_samplers_before_every_epoch(tmp_path: Path) -> None:
    dataset = regression_data(n=16)
    sampler = EpochRecordingSampler(16)
    fit(TinyRegressor(), DataLoader(dataset, batch_size=8, sampler=sampler), epochs=3, loss_fn=nn.MSELoss())
    assert sampler.epochs == [0, 1, 2]
    batches = torch.utils.data.BatchSampler(EpochRecordingSampler(16), batch_size=8, drop_last=False)
    fit(TinyRegressor(), DataLoader(dataset, batch_sampler=batches), epochs=2, loss_fn=nn.MSELoss())
    assert batches.sampler.epochs == [0, 1]
    path = tmp_path / "ck.pt"
    resumed = EpochRecordingSampler(16)
    fit(TinyRegressor(), DataLoader(dataset, sampler=resumed), epochs=1, loss_fn=nn.MSELoss(), checkpoint_path=path)
    kwargs = {"loss_fn": nn.MSELoss(), "checkpoint_path": path, "resume": True}
    fit(TinyRegressor(), DataLoader(dataset, sampler=resumed), epochs=3, **kwargs)
    assert resumed.epochs == [0, 1, 2]  # the resumed run goes on with the epochs it had not done


def test_fit_accepts_numpy_scalars() -> None:
    data = [tuple(regression_data(n=8).tensors)]
    history = fit(
        TinyRegressor(), data, epochs=np.int64(2), loss_fn=nn.MSELoss(), clip=np.float32(1.0), seed=np.int32(0)
    )
    assert history.epochs == 2
    with pytest.raises(TypeError, match="epochs must be an integer"):
        fit(TinyRegressor(), data, epochs=np.bool_(True), loss_fn=nn.MSELoss())
