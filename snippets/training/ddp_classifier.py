"""Train the sentiment classifier with DistributedDataParallel.

2 processes on the CPU:  torchrun --standalone --nproc_per_node=2 ddp_classifier.py
4 GPUs:                  torchrun --standalone --nproc_per_node=4 ddp_classifier.py
one process:             python ddp_classifier.py
An optional argument names the checkpoint file.
"""

import sys
import tempfile
from pathlib import Path

import torch

# One thread, as torchrun gives each worker (OMP_NUM_THREADS=1): the same numbers.
torch.set_num_threads(1)

# --8<-- [start:setup]
import torch
from torch.nn.parallel import DistributedDataParallel

from rnn_guide.distributed import setup_distributed

context = setup_distributed()  # gloo on the CPU, nccl on GPUs
device = context.device  # cuda:LOCAL_RANK on GPUs, else the CPU
# --8<-- [end:setup]

# --8<-- [start:data]
from torch.utils.data import DataLoader, Subset

from rnn_guide.distributed import DistributedBucketSampler, shard_indices
from rnn_guide.text import EncodedTexts, Tokenizer, Vocab, collate_padded, encode
from rnn_guide.text.synthetic import synthetic_reviews

tokenize = Tokenizer("en")
train = synthetic_reviews(1200, seed=1, max_words=60)
valid = synthetic_reviews(301, seed=2, max_words=60)
vocab = Vocab.build([tokenize(text) for text in train.texts])  # the same on every rank


def encoded(split):
    sequences = [encode(tokenize(text), vocab) for text in split.texts]
    return EncodedTexts(sequences, [int(y == "pos") for y in split.labels])


train_set, valid_set = encoded(train), encoded(valid)
GLOBAL_BATCH = 64  # texts per optimizer step, over all ranks
sampler = DistributedBucketSampler(
    train_set.lengths, batch_size=GLOBAL_BATCH // context.world_size, seed=0
)
train_loader = DataLoader(train_set, batch_sampler=sampler, collate_fn=collate_padded)
my_valid = Subset(valid_set, shard_indices(len(valid_set)))  # each text on one rank
valid_loader = DataLoader(my_valid, batch_size=128, collate_fn=collate_padded)
# --8<-- [end:data]

# --8<-- [start:model]
import torch

from rnn_guide.text.models import SequenceClassifier

torch.manual_seed(0)  # the same initial weights on every rank
model = SequenceClassifier(
    len(vocab), 2, embedding_dim=16, hidden_size=16, dropout=0.0
).to(device)
if context.distributed:
    ids = [device.index] if device.type == "cuda" else None  # None on the CPU
    model = DistributedDataParallel(model, device_ids=ids)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
torch.manual_seed(1 + context.rank)  # dropout and the like: other draws per rank
# --8<-- [end:model]

# --8<-- [start:train]
import functools

from torch import nn

from rnn_guide.distributed import all_reduce_sums
from rnn_guide.training import fit, move_to_device


def valid_loss(logits, labels):  # over the validation texts of all ranks
    loss = nn.functional.cross_entropy(logits, labels, reduction="sum")
    sums = all_reduce_sums({"loss": loss, "count": len(labels)})
    return sums["loss"] / sums["count"]


def accuracy(logits, labels):  # over the validation texts of all ranks
    correct = (logits.argmax(dim=1) == labels).sum()
    sums = all_reduce_sums({"correct": correct, "count": len(labels)})
    return sums["correct"] / sums["count"]


history = fit(  # calls sampler.set_epoch before every epoch
    model,
    train_loader,
    epochs=3,
    loss_fn=nn.CrossEntropyLoss(),
    optimizer=optimizer,
    valid_data=valid_loader,  # this rank's share
    metrics={"all_valid_loss": valid_loss, "accuracy": accuracy},
    device=device,
    batch_to_device=functools.partial(move_to_device, keep_on_cpu=(1,)),
    progress=False,
)
losses, accuracies = history.metrics["all_valid_loss"], history.metrics["accuracy"]
curve = list(zip(losses, accuracies, strict=True))
# --8<-- [end:train]

# --8<-- [start:evaluate]
from rnn_guide.distributed import classification_sums, gather_objects

mine = classification_sums(model, valid_loader, device=device)  # this rank's texts
total = all_reduce_sums(mine)  # summed over the ranks, on every rank
per_rank = gather_objects(mine)  # every rank's sums, to print them
# --8<-- [end:evaluate]

# --8<-- [start:save]
from rnn_guide.checkpoints import load_checkpoint
from rnn_guide.distributed import save_checkpoint_on_main, unwrap_model

default = Path(tempfile.gettempdir()) / "ddp_classifier.pt"
path = Path(sys.argv[1]) if len(sys.argv) > 1 else default
written = save_checkpoint_on_main(path, model=model, optimizer=optimizer, epoch=3)
writers = [r for r, w in enumerate(gather_objects(written)) if w is not None]

# every rank reads the file onto its own device
copy = SequenceClassifier(len(vocab), 2, embedding_dim=16, hidden_size=16, dropout=0.0)
load_checkpoint(path, model=copy, map_location=device)
trained = unwrap_model(model).state_dict()
same = all(torch.equal(v, trained[k]) for k, v in copy.state_dict().items())
# --8<-- [end:save]

# --8<-- [start:report]
from rnn_guide.distributed import teardown_distributed

if context.is_main:
    print(f"{context.world_size} process(es), backend {context.backend}")
    for epoch, (loss, accuracy) in enumerate(curve, start=1):
        print(f"epoch {epoch}: valid loss {loss:.4f}, accuracy {accuracy:.4f}")
    for rank, part in enumerate(per_rank):
        share = part["correct"] / part["count"]
        print(f"rank {rank}: {part['count']:.0f} texts, accuracy {share:.4f}")
    mean = sum(p["correct"] / p["count"] for p in per_rank) / len(per_rank)
    print(f"mean of the ranks' accuracies: {mean:.4f}")
    overall = total["correct"] / total["count"]
    print(f"accuracy over all {total['count']:.0f} texts: {overall:.4f}")
    print(f"checkpoint written by rank {writers}; loaded with equal weights: {same}")
teardown_distributed()
# --8<-- [end:report]
