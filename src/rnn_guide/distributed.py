"""Data-parallel training on several processes with ``DistributedDataParallel`` (DDP).

One process per device (a GPU, or a share of the CPU cores) runs the same script; ``torchrun`` starts them and
tells each its ``RANK``, ``LOCAL_RANK`` and ``WORLD_SIZE``. Every process holds a full copy of the model, reads
its own part of each batch, and DDP averages the gradients over the processes during ``backward()``, so every
copy takes the same optimizer step. This module holds what the script around the model needs:

* :func:`setup_distributed` / :func:`teardown_distributed` — join and leave the process group (``gloo`` on the
  CPU, ``nccl`` on CUDA GPUs) and choose this process's device (:func:`rank_device`: ``cuda:LOCAL_RANK``).
  Started without ``torchrun``, the same script runs as a single process without a process group.
* :class:`DistributedBucketSampler` — length bucketing for every rank: all ranks cut the same *global* batches
  of similar lengths and each takes its share of every one, so the ranks process batches of similar length
  at every step and have the same number of steps.
* :func:`shard_indices` — each rank's part of an evaluation set, every item exactly once (no padding).
* :func:`classification_sums`, :func:`all_reduce_sums`, :func:`gather_objects` — metrics over all ranks:
  sum the numerators and the counts over the ranks, then divide.
* :func:`save_checkpoint_on_main` — rank 0 writes the checkpoint (the unwrapped model, so its keys carry no
  ``module.`` prefix) while the other ranks wait; :func:`unwrap_model` removes the DDP wrapper.

Every function also works without a process group (one process), where the collectives do nothing.
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.distributed as dist
from torch import Tensor, nn
from torch.utils.data import Sampler

from rnn_guide._validation import check_choice, check_int, describe
from rnn_guide.checkpoints import save_checkpoint
from rnn_guide.devices import DEVICE_ENV_VAR
from rnn_guide.history import History

__all__ = [
    "BACKENDS",
    "DistributedBucketSampler",
    "DistributedContext",
    "all_reduce_sums",
    "classification_sums",
    "default_backend",
    "gather_objects",
    "is_distributed",
    "rank_device",
    "save_checkpoint_on_main",
    "setup_distributed",
    "shard_indices",
    "step_balance",
    "teardown_distributed",
    "unwrap_model",
]

BACKENDS: tuple[str, ...] = ("gloo", "nccl")


# ----------------------------------------------------------------------------------------------------
# Process group and devices
# ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DistributedContext:
    """Where this process stands: its rank among all processes, its device and the backend.

    Attributes:
        rank: this process's index among all processes, ``0 .. world_size - 1`` (``RANK``).
        local_rank: its index among the processes on this machine (``LOCAL_RANK``); picks the GPU.
        world_size: the number of processes (``WORLD_SIZE``).
        device: where this process computes: ``cuda:<local_rank>`` or ``cpu``.
        backend: ``"gloo"`` or ``"nccl"``; ``None`` for a single process without a process group.
    """

    rank: int
    local_rank: int
    world_size: int
    device: torch.device
    backend: str | None

    @property
    def distributed(self) -> bool:
        """Whether a process group is running (even of one process)."""
        return self.backend is not None

    @property
    def is_main(self) -> bool:
        """Whether this is rank 0, the process that prints and writes files."""
        return self.rank == 0


def is_distributed() -> bool:
    """Whether ``torch.distributed`` is available and a process group is initialised."""
    return dist.is_available() and dist.is_initialized()


def default_backend(device: torch.device | str) -> str:
    """``"nccl"`` for a CUDA device, ``"gloo"`` for anything else (the CPU)."""
    return "nccl" if torch.device(device).type == "cuda" else "gloo"


def rank_device(local_rank: int, preferred: str | torch.device | None = None) -> torch.device:
    """The device of the process with local rank ``local_rank``: its own GPU, or the CPU.

    Args:
        local_rank: the process's index on this machine, ``>= 0``.
        preferred: ``"auto"``: ``cuda:<local_rank>`` if CUDA is available, else the CPU; ``"cuda"``:
            ``cuda:<local_rank>`` (an error without CUDA); ``"cpu"``: the CPU. ``None``: the environment
            variable ``RNN_GUIDE_DEVICE`` if set (``"cpu"``, ``"cuda"``, ``"auto"``), else ``"auto"`` — so
            ``RNN_GUIDE_DEVICE=cpu`` keeps a script on the CPU (gloo) on a machine with GPUs.

    Returns:
        The ``torch.device``.

    Raises:
        ValueError: if ``preferred`` is not one of those, or if there are fewer GPUs than local ranks.
        RuntimeError: if ``"cuda"`` is asked for and CUDA is not available.
    """
    local_rank = check_int("local_rank", local_rank, minimum=0)
    source, name = "preferred", "auto" if preferred is None else str(preferred)
    if preferred is None and os.environ.get(DEVICE_ENV_VAR, "").strip():
        source, name = f"the environment variable {DEVICE_ENV_VAR}", os.environ[DEVICE_ENV_VAR].strip()
        name = "cuda" if name.startswith("cuda") else name  # the GPU comes from the local rank
    check_choice(source, name, ("auto", "cpu", "cuda"))
    if name == "cpu" or (name == "auto" and not torch.cuda.is_available()):
        return torch.device("cpu")
    if not torch.cuda.is_available():
        raise RuntimeError("preferred='cuda' but CUDA is not available on this machine; use 'cpu' (gloo)")
    count = torch.cuda.device_count()
    if local_rank >= count:
        raise ValueError(
            f"local rank {local_rank} needs GPU {local_rank}, but this machine has {count} GPU(s); "
            f"start at most {count} processes per machine (torchrun --nproc_per_node={count})"
        )
    return torch.device("cuda", local_rank)


def _env_int(name: str, default: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        if default is None:
            raise ValueError(f"the environment variable {name} must be set (torchrun sets it), got nothing")
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"the environment variable {name} must be an integer, got {value!r}") from None


def setup_distributed(
    backend: str | None = None,
    *,
    device: str | torch.device | None = None,
    timeout: datetime.timedelta | None = None,
) -> DistributedContext:
    """Join the process group that ``torchrun`` set up, or run as a single process without one.

    Reads ``RANK``, ``LOCAL_RANK`` and ``WORLD_SIZE`` (and, through ``init_process_group``, ``MASTER_ADDR`` and
    ``MASTER_PORT``) from the environment, as ``torchrun`` sets them. Without ``WORLD_SIZE`` (the script was
    started with plain ``python``) it returns a context of one process and starts no process group. On a GPU
    it also calls ``torch.cuda.set_device``, so that NCCL and ``.cuda()`` use this process's GPU.

    Args:
        backend: ``"gloo"`` (CPU tensors) or ``"nccl"`` (CUDA tensors); default :func:`default_backend` of
            the device.
        device: see :func:`rank_device`.
        timeout: how long a collective waits for the other ranks before failing (PyTorch's default if
            ``None``).

    Returns:
        The :class:`DistributedContext` of this process.

    Raises:
        ValueError: for a malformed environment (e.g. ``RANK`` not below ``WORLD_SIZE``), an unknown backend,
            or ``"nccl"`` with a CPU device.
    """
    if "WORLD_SIZE" not in os.environ:
        return DistributedContext(0, 0, 1, rank_device(0, device), None)
    world_size = _env_int("WORLD_SIZE")
    rank = _env_int("RANK")
    local_rank = _env_int("LOCAL_RANK", default=rank)
    if world_size < 1 or not 0 <= rank < world_size or local_rank < 0:
        raise ValueError(
            f"RANK must lie in [0, WORLD_SIZE) and LOCAL_RANK be >= 0, got RANK={rank}, "
            f"LOCAL_RANK={local_rank}, WORLD_SIZE={world_size}"
        )
    target = rank_device(local_rank, device)
    chosen = default_backend(target) if backend is None else backend
    check_choice("backend", chosen, BACKENDS)
    if chosen == "nccl" and target.type != "cuda":
        raise ValueError(f"backend 'nccl' needs CUDA devices, got device {str(target)!r}; use 'gloo' on the CPU")
    if target.type == "cuda":
        torch.cuda.set_device(target)
    if not is_distributed():
        options: dict[str, Any] = {} if timeout is None else {"timeout": timeout}
        dist.init_process_group(chosen, rank=rank, world_size=world_size, **options)
    return DistributedContext(rank, local_rank, world_size, target, chosen)


def teardown_distributed() -> None:
    """Leave the process group (``destroy_process_group``); does nothing without one."""
    if is_distributed():
        dist.destroy_process_group()


def _replicas(num_replicas: int | None, rank: int | None) -> tuple[int, int]:
    """``(num_replicas, rank)``, the missing ones taken from the process group (1 and 0 without one)."""
    num_replicas = check_int("num_replicas", num_replicas, minimum=1, allow_none=True)
    rank = check_int("rank", rank, minimum=0, allow_none=True)
    grouped = is_distributed()
    world = num_replicas if num_replicas is not None else (dist.get_world_size() if grouped else 1)
    own = rank if rank is not None else (dist.get_rank() if grouped else 0)
    if own >= world:
        raise ValueError(f"rank must lie in [0, num_replicas={world}), got {own}")
    return world, own


# ----------------------------------------------------------------------------------------------------
# Samplers
# ----------------------------------------------------------------------------------------------------


class DistributedBucketSampler(Sampler[list[int]]):
    """Length bucketing for data-parallel training: every rank gets its share of the same global batches.

    Each epoch, every rank draws the same random permutation (``seed + epoch``), pads it by repeating its
    first items (or, with ``drop_last``, cuts it) to a multiple of ``num_replicas``, cuts it into pools of
    ``batch_size * num_replicas * pool_batches`` items, sorts each pool by length and cuts it into *global*
    batches of ``batch_size * num_replicas`` items, and shuffles the order of the global batches. Rank ``r``
    then yields items ``r, r + num_replicas, ...`` of each global batch (sorted by length, so every rank gets
    a similar mix of lengths). Hence:

    * all ranks yield the same number of batches, of equal size at each step — a rank that ran out of
      batches while the others still call ``backward()`` would make them wait forever;
    * at each step the ranks hold texts of similar length, so none waits long for the slowest;
    * DDP's average of the ranks' mean losses is the mean loss of the global batch, so training equals
      single-process training on :meth:`global_batches` (up to floating-point rounding).

    With ``shuffle=False`` the items are sorted longest first once and cut in that order.

    Args:
        lengths: the length of each of the dataset's N sequences.
        batch_size: items per rank and step (the ``DataLoader`` batch size of one process), ``>= 1``.
        num_replicas: the number of ranks; default the process group's world size (1 without one).
        rank: this process's rank; default the process group's rank (0 without one).
        shuffle: draw a new order every epoch.
        pool_batches: global batches per sorting pool (>= 1): larger pools, tighter buckets, less randomness.
        drop_last: cut the epoch to a multiple of ``num_replicas`` items and leave out global batches
            smaller than ``batch_size * num_replicas``, instead of repeating items to fill them.
        seed: the seed of the order; must be the same on every rank. Epoch ``e`` uses ``seed + e``.

    Raises:
        TypeError, ValueError: for arguments of the wrong type or range.

    Example::

        >>> sampler = DistributedBucketSampler([5, 3, 8, 1], batch_size=1, num_replicas=2, rank=0)
        >>> len(sampler)
        2
    """

    def __init__(
        self,
        lengths: Sequence[int] | Tensor,
        batch_size: int,
        *,
        num_replicas: int | None = None,
        rank: int | None = None,
        shuffle: bool = True,
        pool_batches: int = 50,
        drop_last: bool = False,
        seed: int = 0,
    ) -> None:
        batch_size = check_int("batch_size", batch_size, minimum=1)
        pool_batches = check_int("pool_batches", pool_batches, minimum=1)
        seed = check_int("seed", seed, minimum=0)
        if isinstance(lengths, (str, bytes)) or not isinstance(lengths, (Sequence, Tensor)):
            raise TypeError(f"lengths must be a sequence of integers, got {describe(lengths)}")
        self.lengths = torch.as_tensor(list(lengths), dtype=torch.int64)
        if self.lengths.dim() != 1 or len(self.lengths) == 0:
            raise ValueError(f"lengths must be a non-empty 1-D sequence, got shape {tuple(self.lengths.shape)}")
        self.num_replicas, self.rank = _replicas(num_replicas, rank)
        if drop_last and len(self.lengths) < self.num_replicas:
            raise ValueError(
                f"drop_last=True leaves nothing of {len(self.lengths)} items for num_replicas={self.num_replicas}"
            )
        self.batch_size = batch_size
        self.shuffle = bool(shuffle)
        self.pool_batches = pool_batches
        self.drop_last = bool(drop_last)
        self.seed = seed
        self.epoch = 0

    @property
    def global_batch_size(self) -> int:
        """Items per step over all ranks: ``batch_size * num_replicas``."""
        return self.batch_size * self.num_replicas

    def set_epoch(self, epoch: int) -> None:
        """Choose the epoch whose order the next iteration yields. Call it with the same value on every rank
        before every epoch (iterating also advances it by one, as :class:`~rnn_guide.text.BucketBatchSampler`
        does)."""
        epoch = check_int("epoch", epoch, minimum=0)
        self.epoch = epoch

    def _order(self, generator: torch.Generator) -> Tensor:
        """The epoch's item order, padded or cut to a multiple of ``num_replicas``."""
        n = len(self.lengths)
        if self.shuffle:
            order = torch.randperm(n, generator=generator)
        else:
            order = torch.argsort(self.lengths, descending=True, stable=True)
        remainder = n % self.num_replicas
        if remainder and self.drop_last:
            return order[: n - remainder]
        if remainder:
            missing = self.num_replicas - remainder
            return torch.cat([order, order.repeat(-(-missing // n))[:missing]])
        return order

    def global_batches(self, epoch: int | None = None) -> list[list[int]]:
        """The global batches of an epoch, in the order the ranks step through them.

        Args:
            epoch: the epoch, default the current one (:meth:`set_epoch`). Does not advance the epoch.

        Returns:
            One list of dataset indices per step, each of ``batch_size * num_replicas`` items at most (and a
            multiple of ``num_replicas``), sorted by length, shortest first (longest first without shuffle).
        """
        epoch = self.epoch if epoch is None else epoch
        epoch = check_int("epoch", epoch, minimum=0)
        generator = torch.Generator().manual_seed(self.seed + epoch)  # the same on every rank
        order = self._order(generator)
        size = self.global_batch_size
        if not self.shuffle:
            pools = [order]
        else:
            pool = size * self.pool_batches
            pools = [order[s : s + pool] for s in range(0, len(order), pool)]
            pools = [chunk[torch.argsort(self.lengths[chunk], stable=True)] for chunk in pools]
        batches = [
            chunk[s : s + size].tolist()
            for chunk in pools
            for s in range(0, len(chunk), size)
            if not (self.drop_last and len(chunk) - s < size)
        ]
        if self.shuffle:
            batches = [batches[i] for i in torch.randperm(len(batches), generator=generator).tolist()]
        return batches

    def __iter__(self) -> Iterator[list[int]]:
        batches = self.global_batches(self.epoch)
        if self.shuffle:
            self.epoch += 1
        for batch in batches:
            yield batch[self.rank :: self.num_replicas]

    def __len__(self) -> int:
        n = len(self.lengths)
        total = n - n % self.num_replicas if self.drop_last else -(-n // self.num_replicas) * self.num_replicas
        size = self.global_batch_size
        pool = size * self.pool_batches if self.shuffle else total
        sizes = [min(pool, total - start) for start in range(0, total, pool)]
        if self.drop_last:
            return sum(s // size for s in sizes)
        return sum(-(-s // size) for s in sizes)

    def __repr__(self) -> str:
        return (
            f"DistributedBucketSampler(n={len(self.lengths)}, batch_size={self.batch_size}, "
            f"num_replicas={self.num_replicas}, rank={self.rank}, shuffle={self.shuffle}, "
            f"pool_batches={self.pool_batches}, drop_last={self.drop_last}, seed={self.seed})"
        )


def shard_indices(num_items: int, *, num_replicas: int | None = None, rank: int | None = None) -> list[int]:
    """This rank's items of an evaluation set: ``rank, rank + num_replicas, ...``, without padding.

    Every item belongs to exactly one rank, so sums over the ranks count each item once (``DistributedSampler``
    instead repeats items so that every rank gets as many, which counts them twice in a metric). The ranks
    may get one item more or less, so they may run a different number of batches: evaluate the unwrapped
    model (:func:`unwrap_model`), which runs no collective per batch.

    Args:
        num_items: the size N of the evaluation set, ``>= 0``.
        num_replicas: the number of ranks; default the process group's world size (1 without one).
        rank: this process's rank; default the process group's rank (0 without one).

    Returns:
        The indices, ``ceil((N - rank) / num_replicas)`` of them.
    """
    num_items = check_int("num_items", num_items, minimum=0)
    world, own = _replicas(num_replicas, rank)
    return list(range(own, num_items, world))


def step_balance(
    lengths: Sequence[int] | Tensor, batches_by_rank: Sequence[Sequence[Sequence[int]]]
) -> dict[str, float]:
    """How much of a data-parallel epoch of padded batches goes to padding, and to waiting for other ranks.

    A padded batch costs time in proportion to its slots, ``len(batch) * max length``. At every step the
    ranks wait for each other (the gradient all-reduce), so a step lasts as long as its most expensive batch.

    Args:
        lengths: the length of each of the dataset's N sequences.
        batches_by_rank: for each rank, its batches (lists of dataset indices) in step order; every rank
            must have the same number of batches.

    Returns:
        ``{"padding": 1 - real tokens / slots, "waiting": 1 - Σ_steps mean_ranks slots / Σ_steps max_ranks
        slots}``: the share of computed slots that are padding, and the share of the ranks' time spent
        waiting for the slowest rank of each step.

    Raises:
        ValueError: if the ranks have different numbers of batches (real training would hang) or a batch is
            empty.
    """
    sizes = torch.as_tensor(list(lengths), dtype=torch.int64)
    counts = [len(batches) for batches in batches_by_rank]
    if not counts or len(set(counts)) != 1 or counts[0] == 0:
        raise ValueError(
            f"every rank must have the same, non-zero number of batches (else one rank waits forever), got {counts}"
        )
    real = slots = longest = 0
    for step in zip(*batches_by_rank, strict=True):
        costs = []
        for batch in step:
            if len(batch) == 0:
                raise ValueError("batches must not be empty, got an empty batch")
            chosen = sizes[list(batch)]
            real += int(chosen.sum())
            costs.append(len(batch) * int(chosen.max()))
        slots += sum(costs)
        longest += max(costs) * len(costs)
    return {"padding": 1 - real / slots, "waiting": 1 - slots / longest}


# ----------------------------------------------------------------------------------------------------
# Metrics over all ranks
# ----------------------------------------------------------------------------------------------------


def _collective_device() -> torch.device:
    if is_distributed() and dist.get_backend() == "nccl":
        return torch.device("cuda", torch.cuda.current_device())
    return torch.device("cpu")


def all_reduce_sums(values: Mapping[str, float | int | Tensor]) -> dict[str, float]:
    """Sum every value over all ranks, in one ``all_reduce``; every rank gets the same sums.

    Sum numerators and counts, then divide: ``correct / count`` from summed ``correct`` and ``count`` is the
    accuracy over all items, while the mean of the ranks' accuracies is not when the ranks hold different
    numbers of items.

    Args:
        values: name -> a number or a one-element tensor (a sum over this rank's items).

    Returns:
        name -> the sum over all ranks, as a float (computed in float64). Without a process group, the values
        themselves.

    Raises:
        TypeError: if a value is not a number or a one-element tensor.
    """
    if not isinstance(values, Mapping):
        raise TypeError(f"values must be a dict of name -> number, got {describe(values)}")
    numbers = []
    for name, value in values.items():
        if isinstance(value, Tensor) and value.numel() == 1:
            numbers.append(float(value.detach().item()))
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            numbers.append(float(value))
        else:
            raise TypeError(f"values[{name!r}] must be a number or a one-element tensor, got {describe(value)}")
    if not is_distributed():
        return dict(zip(values, numbers, strict=True))
    tensor = torch.tensor(numbers, dtype=torch.float64, device=_collective_device())
    dist.all_reduce(tensor, op=dist.ReduceOp.SUM)
    return dict(zip(values, tensor.tolist(), strict=True))


def gather_objects(value: Any) -> list[Any]:
    """Every rank's ``value`` (picklable), in rank order, on every rank (``all_gather_object``).

    For printing what each rank holds; sum numbers with :func:`all_reduce_sums`. Without a process group,
    ``[value]``.
    """
    if not is_distributed():
        return [value]
    gathered: list[Any] = [None] * dist.get_world_size()
    dist.all_gather_object(gathered, value)
    return gathered


def unwrap_model(model: nn.Module) -> nn.Module:
    """The model inside a ``DistributedDataParallel`` or ``DataParallel`` wrapper; other models as they are."""
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be an nn.Module, got {describe(model)}")
    if isinstance(model, (nn.parallel.DistributedDataParallel, nn.DataParallel)):
        return model.module
    return model


def classification_sums(
    model: nn.Module, data: Iterable[tuple[Tensor, Tensor, Tensor]], *, device: torch.device | str
) -> dict[str, float]:
    """Summed loss, correct predictions and item count of a classifier on this rank's batches.

    Runs the unwrapped model (:func:`unwrap_model`) in eval mode without gradients, so ranks with different
    numbers of batches never wait for each other; its train/eval mode is restored afterwards. Sum the result
    over the ranks with :func:`all_reduce_sums`, then divide by ``"count"``.

    Args:
        model: a classifier called as ``model(tokens, lengths)`` giving logits (N, C), possibly wrapped.
        data: batches ``(tokens, lengths, labels)``: tokens (N, L), lengths (N,) on the CPU, labels (N,), as
            :func:`~rnn_guide.text.collate_padded` makes them.
        device: where the model's weights are; tokens and labels are moved there, lengths stay on the CPU.

    Returns:
        ``{"loss": Σ cross-entropy, "correct": Σ [argmax = label], "count": N}`` over this rank's items.
    """
    module = unwrap_model(model)
    was_training = module.training
    module.eval()
    loss, correct, count = 0.0, 0, 0
    try:
        with torch.no_grad():
            for tokens, lengths, labels in data:
                logits = module(tokens.to(device), lengths)  # (N, C)
                target = labels.to(device)
                loss += float(nn.functional.cross_entropy(logits, target, reduction="sum"))
                correct += int((logits.argmax(dim=1) == target).sum())
                count += int(target.numel())
    finally:
        module.train(was_training)
    return {"loss": loss, "correct": float(correct), "count": float(count)}


# ----------------------------------------------------------------------------------------------------
# Checkpoints
# ----------------------------------------------------------------------------------------------------


def save_checkpoint_on_main(
    path: str | os.PathLike[str],
    *,
    model: nn.Module,
    optimizer: torch.optim.Optimizer | None = None,
    epoch: int,
    history: History | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Path | None:
    """Rank 0 writes the checkpoint; every rank then waits at a barrier until it is complete.

    All ranks hold the same weights, so one copy is enough, and ranks writing the same file at once could
    leave a broken one. The unwrapped model is saved (:func:`unwrap_model`), so the keys are those of the
    plain model (``embedding.weight``, not ``module.embedding.weight``) and the file loads without DDP. Load
    it with :func:`rnn_guide.checkpoints.load_checkpoint` and ``map_location=context.device``, so that each rank
    puts the tensors on its own device. The write is atomic (:func:`rnn_guide.checkpoints.save_checkpoint`).

    Args:
        path: the file to write.
        model: the model, possibly wrapped in DDP.
        optimizer: its state is stored too (to resume).
        epoch: number of completed epochs.
        history: the training history so far.
        extra: more plain values to store.

    Returns:
        The path on rank 0, ``None`` on the other ranks.
    """
    written = None
    if not is_distributed() or dist.get_rank() == 0:
        written = save_checkpoint(
            path, model=unwrap_model(model), optimizer=optimizer, epoch=epoch, history=history, extra=extra
        )
    if is_distributed():
        dist.barrier()
    return written
