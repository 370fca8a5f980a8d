"""A small data-parallel training run, shared by the worker processes and the single-process reference.

``tests/test_distributed.py`` starts :func:`train_worker` in two processes (gloo, CPU) and compares what they
wrote with :func:`train_reference`, one process trained on the same global batches.
"""

from __future__ import annotations

import datetime
import functools
import os
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, Subset

from rnn_guide.distributed import (
    DistributedBucketSampler,
    all_reduce_sums,
    classification_sums,
    save_checkpoint_on_main,
    setup_distributed,
    shard_indices,
    teardown_distributed,
    unwrap_model,
)
from rnn_guide.text import EncodedTexts, Tokenizer, Vocab, collate_padded, encode
from rnn_guide.text.models import SequenceClassifier
from rnn_guide.text.synthetic import synthetic_reviews
from rnn_guide.training import fit, move_to_device

GLOBAL_BATCH = 16
EPOCHS = 2
WORLD_SIZE = 2
VALID_TEXTS = 37  # odd: the ranks hold 19 and 18 texts
CHECKPOINT_NAME = "model.pt"
TO_DEVICE = functools.partial(move_to_device, keep_on_cpu=(1,))


def build_data() -> tuple[EncodedTexts, EncodedTexts, int]:
    tokenize = Tokenizer("en")
    train = synthetic_reviews(160, seed=1, max_words=30)
    valid = synthetic_reviews(VALID_TEXTS, seed=2, max_words=30)
    vocab = Vocab.build([tokenize(t) for t in train.texts])

    def encoded(split: Any) -> EncodedTexts:
        return EncodedTexts([encode(tokenize(t), vocab) for t in split.texts], [int(y == "pos") for y in split.labels])

    return encoded(train), encoded(valid), len(vocab)


def build_model(vocab_size: int, seed: int) -> SequenceClassifier:
    torch.manual_seed(seed)
    return SequenceClassifier(vocab_size, 2, embedding_dim=8, hidden_size=8, dropout=0.0)


def sampler_for(lengths: list[int], *, rank: int) -> DistributedBucketSampler:
    return DistributedBucketSampler(
        lengths, batch_size=GLOBAL_BATCH // WORLD_SIZE, num_replicas=WORLD_SIZE, rank=rank, pool_batches=2, seed=3
    )


def _fit(model: nn.Module, data: Any, optimizer: torch.optim.Optimizer, epochs: int) -> None:
    fit(
        model,
        data,
        epochs=epochs,
        loss_fn=nn.CrossEntropyLoss(),
        optimizer=optimizer,
        device="cpu",
        batch_to_device=TO_DEVICE,
        progress=False,
    )


def train_worker(rank: int, port: int, folder: str) -> None:
    """One rank: DDP training from a rank-dependent initialisation, metrics, a checkpoint, its own weights."""
    os.environ.update(
        MASTER_ADDR="127.0.0.1",
        MASTER_PORT=str(port),
        RANK=str(rank),
        LOCAL_RANK=str(rank),
        WORLD_SIZE=str(WORLD_SIZE),
    )
    torch.set_num_threads(1)
    context = setup_distributed("gloo", device="cpu", timeout=datetime.timedelta(seconds=60))
    try:
        train_set, valid_set, vocab_size = build_data()
        # Each rank starts from other weights on purpose: DDP must copy rank 0's to every rank.
        model = DistributedDataParallel(build_model(vocab_size, seed=100 + rank))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        sampler = DistributedBucketSampler(
            train_set.lengths, batch_size=GLOBAL_BATCH // WORLD_SIZE, pool_batches=2, seed=3
        )
        loader = DataLoader(train_set, batch_sampler=sampler, collate_fn=collate_padded)
        steps = [[len(b) for b in sampler.global_batches(epoch)] for epoch in range(EPOCHS)]
        _fit(model, loader, optimizer, EPOCHS)  # fit calls sampler.set_epoch(0), (1), ... itself
        mine = Subset(valid_set, shard_indices(len(valid_set)))
        local = classification_sums(model, DataLoader(mine, batch_size=8, collate_fn=collate_padded), device="cpu")
        total = all_reduce_sums(local)
        written = save_checkpoint_on_main(Path(folder) / CHECKPOINT_NAME, model=model, epoch=EPOCHS)
        result = {
            "context": (context.rank, context.local_rank, context.world_size, context.backend),
            "state": unwrap_model(model).state_dict(),
            "local": local,
            "total": total,
            "written": None if written is None else str(written),
            "steps": steps,
        }
        torch.save(result, Path(folder) / f"rank{rank}.result")
    finally:
        teardown_distributed()


def train_reference() -> tuple[SequenceClassifier, SequenceClassifier]:
    """One process, rank 0's initial weights, the same global batches: ``(initial, trained)`` models."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # as the workers
    try:
        train_set, _, vocab_size = build_data()
        model = build_model(vocab_size, seed=100)
        initial = build_model(vocab_size, seed=100)
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
        sampler = sampler_for(train_set.lengths, rank=0)
        for epoch in range(EPOCHS):
            batches = [collate_padded([train_set[i] for i in batch]) for batch in sampler.global_batches(epoch)]
            _fit(model, batches, optimizer, 1)
    finally:
        torch.set_num_threads(threads)
    return initial, model
