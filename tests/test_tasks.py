"""The synthetic long-dependency tasks: shapes, targets, determinism, validation."""

from __future__ import annotations

import math

import pytest
import torch

from rnn_guide.tasks import ADDING_BASELINE_MSE, adding_problem, copy_task, copy_task_baseline_loss


def test_adding_problem_shapes_and_target() -> None:
    x, y = adding_problem(16, 20, seed=3)
    assert x.shape == (16, 20, 2) and y.shape == (16,)
    assert x.dtype == torch.float32 and y.dtype == torch.float32
    markers = x[..., 1]
    assert torch.equal(markers.sum(dim=1), torch.full((16,), 2.0))
    assert torch.allclose((x[..., 0] * markers).sum(dim=1), y)


def test_adding_problem_marks_lie_in_the_first_half() -> None:
    x, _ = adding_problem(500, 40, seed=0)
    positions = x[..., 1].nonzero()[:, 1].reshape(500, 2)
    assert int(positions[:, 0].max()) < 4  # first tenth
    assert int(positions[:, 1].min()) >= 4 and int(positions[:, 1].max()) < 20


def test_adding_problem_is_deterministic_and_leaves_global_rng_alone() -> None:
    torch.manual_seed(0)
    before = torch.random.get_rng_state()
    a = adding_problem(4, 10, seed=7)
    assert torch.equal(torch.random.get_rng_state(), before)
    b = adding_problem(4, 10, seed=7)
    assert all(torch.equal(u, v) for u, v in zip(a, b, strict=True))
    generator = torch.Generator().manual_seed(7)
    first, second = adding_problem(4, 10, generator=generator), adding_problem(4, 10, generator=generator)
    assert torch.equal(first[0], a[0]) and not torch.equal(second[0], a[0])


def test_adding_baseline_is_the_variance_of_the_target() -> None:
    _, y = adding_problem(200_000, 10, seed=1)
    assert abs(float(((y - 1.0) ** 2).mean()) - ADDING_BASELINE_MSE) < 3e-3


def test_copy_task_layout() -> None:
    x, y = copy_task(5, delay=6, num_symbols=4, copy_len=3, seed=0)
    assert x.shape == y.shape == (5, 12) and x.dtype == torch.long
    blank, delimiter = 4, 5
    assert torch.equal(y[:, -3:], x[:, :3])
    assert (x[:, :3] < 4).all() and (x[:, 3:8] == blank).all() and (x[:, 8] == delimiter).all()
    assert (x[:, 9:] == blank).all() and (y[:, :-3] == blank).all()


def test_copy_task_baseline() -> None:
    assert copy_task_baseline_loss(8, 10, 1) == pytest.approx(10 * math.log(8) / 21)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: adding_problem(0, 10), ValueError),
        (lambda: adding_problem(2, 3), ValueError),
        (lambda: adding_problem(2, 10.0), TypeError),
        (lambda: adding_problem(2, 10, seed=1, generator=torch.Generator()), ValueError),
        (lambda: adding_problem(2, 10, generator="g"), TypeError),
        (lambda: copy_task(2, delay=0), ValueError),
        (lambda: copy_task(2, delay=3, num_symbols=1), ValueError),
        (lambda: copy_task_baseline_loss(8, 0), ValueError),
    ],
)
def test_bad_arguments_are_rejected(call, error) -> None:
    with pytest.raises(error):
        call()


def test_adding_rnn_maps_batches_to_one_prediction_each_and_sets_the_recurrent_gain() -> None:
    from rnn_guide.tasks import AddingRNN

    x, _ = adding_problem(5, 12, seed=0)
    assert AddingRNN(hidden_size=7)(x).shape == (5,)
    singular = torch.linalg.svdvals(AddingRNN(hidden_size=7, recurrent_gain=1.4).rnn.weight_hh_l0.detach())
    assert torch.allclose(singular, torch.full((7,), 1.4), atol=1e-5)
    default = torch.linalg.svdvals(AddingRNN(hidden_size=7).rnn.weight_hh_l0.detach())
    assert not torch.allclose(default, torch.full((7,), 1.4), atol=1e-2)
    with pytest.raises(ValueError, match="recurrent_gain"):
        AddingRNN(recurrent_gain=0)


def test_train_on_adding_problem_is_the_plain_loop_and_calls_clip_between_backward_and_step() -> None:
    from rnn_guide.tasks import AddingRNN, train_on_adding_problem

    def hand_loop(model: torch.nn.Module, steps: int) -> list[float]:
        optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
        batches = torch.Generator().manual_seed(1)
        losses = []
        for _ in range(steps):
            x, y = adding_problem(32, 40, generator=batches)
            loss = torch.nn.functional.mse_loss(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
            optimizer.step()
            losses.append(loss.item())
        return losses

    torch.manual_seed(0)
    expected = hand_loop(AddingRNN(recurrent_gain=1.4), 5)
    torch.manual_seed(0)
    seen = []

    def clip(parameters):
        parameters = list(parameters)
        seen.append(all(p.grad is not None for p in parameters))
        torch.nn.utils.clip_grad_norm_(parameters, max_norm=1.0)

    assert train_on_adding_problem(AddingRNN(recurrent_gain=1.4), clip, steps=5) == expected
    assert seen == [True] * 5
    with pytest.raises(TypeError, match="clip"):
        train_on_adding_problem(AddingRNN(), clip="yes")
    with pytest.raises(ValueError, match="steps"):
        train_on_adding_problem(AddingRNN(), steps=0)
