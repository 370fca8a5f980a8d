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
