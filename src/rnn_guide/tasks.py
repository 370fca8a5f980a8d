r"""Synthetic long-dependency tasks for recurrent networks: the adding problem and the copy task.

Both tasks come from Hochreiter & Schmidhuber (1997) and are the usual tests of whether a recurrent network can
carry information across many time steps. Their data are drawn from a private ``torch.Generator``, so a seed
gives the same batch on every machine and the global random state is never touched.

* :func:`adding_problem`: a sequence of random numbers with two of them marked; the target is their sum.
  Predicting the mean (``1.0``) gives a mean squared error of ``1/6`` (:data:`ADDING_BASELINE_MSE`), so a
  model has learned the task only when its error falls well below that.
* :func:`copy_task`: a few random symbols, a long blank gap, a delimiter; the target is the same symbols,
  after the delimiter. Guessing gives a cross-entropy of ``log(num_symbols)`` on the symbols to recall.
* :class:`AddingRNN` and :func:`train_on_adding_problem`: the small model and the plain SGD loop that the
  training pages use on the adding problem (exploding gradients, clipping), so that every block of those pages
  can build them in one line.

All tensors are ``batch_first``: ``(N, L, ...)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import torch
from torch import nn

from rnn_guide._validation import check_int, check_number

__all__ = [
    "ADDING_BASELINE_MSE",
    "AddingRNN",
    "adding_problem",
    "copy_task",
    "copy_task_baseline_loss",
    "train_on_adding_problem",
]

#: Mean squared error of always predicting 1.0 on the adding problem: the variance of the sum of two
#: independent ``U(0, 1)`` values, ``2 / 12``.
ADDING_BASELINE_MSE: float = 1.0 / 6.0


def _generator(seed: int | None, generator: torch.Generator | None) -> torch.Generator:
    if generator is not None and seed is not None:
        raise ValueError("pass seed or generator, not both")
    if generator is not None:
        if not isinstance(generator, torch.Generator):
            raise TypeError(f"generator must be a torch.Generator, got {type(generator).__name__}")
        return generator
    seed = check_int("seed", seed if seed is not None else 0, minimum=0)
    return torch.Generator().manual_seed(seed if seed is not None else 0)


def adding_problem(
    num_samples: int,
    seq_len: int,
    *,
    seed: int | None = None,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    r"""A batch of the adding problem.

    Each sequence has two features per time step: a value drawn from ``U(0, 1)`` and a marker that is 1 at
    exactly two steps and 0 elsewhere. The first marked step lies in the first tenth of the sequence (the
    first step at least), the second in the rest of the first half, so the model has to remember both values
    for at least ``seq_len - seq_len // 2`` steps before the sequence ends. The
    target is the sum of the two marked values.

    Args:
        num_samples: :math:`N`, the number of sequences, ``>= 1``.
        seq_len: :math:`L`, the number of time steps, ``>= 4``.
        seed: seeds a private generator (default 0). Pass ``seed`` or ``generator``, not both.
        generator: a ``torch.Generator`` to draw from, for a stream of fresh batches.

    Returns:
        ``(x, y)``: ``x`` of shape ``(N, L, 2)`` (value, marker) and ``y`` of shape ``(N,)``, both float32.

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if ``num_samples < 1``, ``seq_len < 4`` or both ``seed`` and ``generator`` are given.
    """
    num_samples = check_int("num_samples", num_samples, minimum=1)
    seq_len = check_int("seq_len", seq_len, minimum=4)
    gen = _generator(seed, generator)
    values = torch.rand(num_samples, seq_len, generator=gen)
    first_span = max(1, seq_len // 10)
    half = seq_len // 2
    first = torch.randint(0, first_span, (num_samples,), generator=gen)
    second = torch.randint(first_span, half, (num_samples,), generator=gen)
    markers = torch.zeros(num_samples, seq_len)
    rows = torch.arange(num_samples)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    x = torch.stack([values, markers], dim=-1)
    y = values[rows, first] + values[rows, second]
    return x, y


def copy_task(
    num_samples: int,
    delay: int,
    *,
    num_symbols: int = 8,
    copy_len: int = 10,
    seed: int | None = None,
    generator: torch.Generator | None = None,
) -> tuple[torch.Tensor, torch.Tensor]:
    r"""A batch of the copy task, as token indices.

    Tokens ``0 … num_symbols - 1`` are the symbols to remember, ``num_symbols`` is the blank and
    ``num_symbols + 1`` the delimiter. A sequence of length :math:`L = 2 \cdot \text{copy\_len} + \text{delay}`
    holds ``copy_len`` random symbols, then ``delay - 1`` blanks, the delimiter, and ``copy_len`` blanks; the
    target is blank everywhere except the last ``copy_len`` steps, which repeat the symbols.

    Args:
        num_samples: :math:`N`, ``>= 1``.
        delay: the number of steps between the last symbol and the delimiter's end, ``>= 1``.
        num_symbols: the size of the alphabet to copy, ``>= 2``.
        copy_len: how many symbols to remember, ``>= 1``.
        seed: seeds a private generator (default 0). Pass ``seed`` or ``generator``, not both.
        generator: a ``torch.Generator`` to draw from.

    Returns:
        ``(x, y)``: two int64 tensors of shape ``(N, L)``; there are ``num_symbols + 2`` token values (embed
        ``x`` with ``nn.Embedding(num_symbols + 2, ...)``, predict ``y`` with ``num_symbols + 2`` classes).

    Raises:
        TypeError: if an argument has the wrong type.
        ValueError: if an argument is out of range.
    """
    num_samples = check_int("num_samples", num_samples, minimum=1)
    delay = check_int("delay", delay, minimum=1)
    num_symbols = check_int("num_symbols", num_symbols, minimum=2)
    copy_len = check_int("copy_len", copy_len, minimum=1)
    gen = _generator(seed, generator)
    blank, delimiter = num_symbols, num_symbols + 1
    seq_len = 2 * copy_len + delay
    symbols = torch.randint(0, num_symbols, (num_samples, copy_len), generator=gen)
    x = torch.full((num_samples, seq_len), blank, dtype=torch.long)
    x[:, :copy_len] = symbols
    x[:, copy_len + delay - 1] = delimiter
    y = torch.full((num_samples, seq_len), blank, dtype=torch.long)
    y[:, -copy_len:] = symbols
    return x, y


def copy_task_baseline_loss(num_symbols: int = 8, copy_len: int = 10, delay: int = 1) -> float:
    r"""Cross-entropy per step of the best memoryless guess on :func:`copy_task`.

    A model that predicts blank where the target is always blank and a uniform guess over the symbols on
    the last ``copy_len`` steps reaches :math:`\text{copy\_len} \cdot \log(\text{num\_symbols}) / L`, averaged
    over all :math:`L = 2 \cdot \text{copy\_len} + \text{delay}` steps.
    """
    num_symbols = check_int("num_symbols", num_symbols, minimum=2)
    copy_len = check_int("copy_len", copy_len, minimum=1)
    delay = check_int("delay", delay, minimum=1)
    seq_len = 2 * copy_len + delay
    return copy_len * float(torch.log(torch.tensor(float(num_symbols)))) / seq_len


class AddingRNN(nn.Module):
    """A ReLU ``nn.RNN`` over ``(N, L, 2)`` and a linear head on the last step: the adding-problem model.

    Args:
        hidden_size: :math:`H`, ``>= 1``.
        recurrent_gain: if given, ``weight_hh_l0`` is drawn by ``nn.init.orthogonal_`` with this gain, so every
            singular value of the recurrent weights equals it (``> 1``: the gradients explode, the training
            pages use ``1.4``). ``None`` keeps PyTorch's default initialisation.

    Shapes:
        ``forward(x)``: ``x`` of shape ``(N, L, 2)`` (batch first) → predictions of shape ``(N,)``.
    """

    def __init__(self, hidden_size: int = 32, *, recurrent_gain: float | None = None) -> None:
        super().__init__()
        hidden_size = check_int("hidden_size", hidden_size, minimum=1)
        self.rnn = nn.RNN(2, hidden_size, nonlinearity="relu", batch_first=True)
        self.head = nn.Linear(hidden_size, 1)
        if recurrent_gain is not None:
            gain = check_number("recurrent_gain", recurrent_gain, low=0.0, low_inclusive=False)
            with torch.no_grad():
                nn.init.orthogonal_(self.rnn.weight_hh_l0, gain=gain)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, L, 2)`` → ``(N,)``: the head applied to the top layer's output at the last step."""
        output, _ = self.rnn(x)  # (N, L, H)
        return self.head(output[:, -1]).squeeze(-1)


def train_on_adding_problem(
    model: nn.Module,
    clip: Callable[[Iterator[nn.Parameter]], object] | None = None,
    *,
    steps: int = 100,
    lr: float = 0.01,
    batch_size: int = 32,
    seq_len: int = 40,
    seed: int = 1,
) -> list[float]:
    """Train ``model`` with plain SGD on fresh batches of the adding problem; return the loss of every step.

    The loop of the clipping page: ``zero_grad``, ``backward``, then ``clip(model.parameters())`` (clip the
    gradients in place, or only record them, e.g. ``GradNormTracker().record``), then ``step``. The batches come
    from a generator seeded with ``seed``, so two runs see the same batches. A step whose loss is ``nan`` is
    still taken, as a plain loop would: the returned list shows where a run was lost.

    Args:
        model: maps ``(N, L, 2)`` to ``(N,)``, e.g. :class:`AddingRNN`.
        clip: called between ``backward()`` and ``step()`` with ``model.parameters()``; ``None``: no clipping.
        steps: number of optimizer steps, ``>= 1``.
        lr: the SGD learning rate, ``> 0``.
        batch_size: :math:`N` of each batch, ``>= 1``.
        seq_len: :math:`L` of each sequence, ``>= 4``.
        seed: seeds the generator of the batches.

    Returns:
        The mean squared error of each step's batch, before that step's update (``steps`` floats).
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be an nn.Module, got {type(model).__name__}")
    if clip is not None and not callable(clip):
        raise TypeError(f"clip must be callable or None, got {type(clip).__name__}")
    steps = check_int("steps", steps, minimum=1)
    lr = check_number("lr", lr, low=0.0, low_inclusive=False)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    seq_len = check_int("seq_len", seq_len, minimum=4)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    batches = _generator(seed, None)
    losses = []
    for _ in range(steps):
        x, y = adding_problem(batch_size, seq_len, generator=batches)
        loss = nn.functional.mse_loss(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        if clip is not None:
            clip(model.parameters())
        optimizer.step()
        losses.append(loss.item())
    return losses
