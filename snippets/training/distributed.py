"""Beyond one machine: launch, samplers, total_length, unused parameters, metrics."""

# --8<-- [start:launch]
import os
import subprocess
import sys
import tempfile

with tempfile.TemporaryDirectory() as folder:
    torchrun = [sys.executable, "-m", "torch.distributed.run"]  # = torchrun
    command = [
        *torchrun,
        "--standalone",
        "--nproc_per_node=2",
        "snippets/training/ddp_classifier.py",
        f"{folder}/classifier.pt",
    ]
    cpu = {**os.environ, "RNN_GUIDE_DEVICE": "cpu"}  # gloo, even where there are GPUs
    run = subprocess.run(command, capture_output=True, text=True, env=cpu)
if run.returncode != 0:
    raise RuntimeError(run.stderr)
print(run.stdout, end="")
# --8<-- [end:launch]

assert "2 process(es), backend gloo" in run.stdout and "rank 1:" in run.stdout

# --8<-- [start:set-epoch]
import torch
from torch.utils.data import DistributedSampler

data = list(range(10))  # any dataset of 10 items
# what rank 0 of 3 ranks reads; rank 1 and 2 read the others
sampler = DistributedSampler(data, num_replicas=3, rank=0, seed=0)
print("without set_epoch:", [list(sampler) for epoch in range(2)])
orders = []
for epoch in range(2):
    sampler.set_epoch(epoch)
    orders.append(list(sampler))
print("with set_epoch:   ", orders)
print("items per rank:", len(sampler), "(10 items, 3 ranks: 2 are repeated)")
# --8<-- [end:set-epoch]

# --8<-- [start:buckets]
from torch.utils.data import DistributedSampler

from rnn_guide.distributed import DistributedBucketSampler, step_balance
from rnn_guide.text import BucketBatchSampler, Tokenizer
from rnn_guide.text.synthetic import synthetic_reviews

tokenize = Tokenizer("en")
lengths = [len(tokenize(t)) for t in synthetic_reviews(2048, seed=0).texts]
ranks, batch = 4, 16  # 4 processes, 16 texts each per step


def random_batches(rank):  # DistributedSampler, then plain batches
    order = list(DistributedSampler(lengths, ranks, rank, seed=0))
    return [order[i : i + batch] for i in range(0, len(order), batch)]


def bucketed_per_rank(rank):  # DistributedSampler, then bucketing on each rank
    order = list(DistributedSampler(lengths, ranks, rank, seed=0))
    mine = BucketBatchSampler([lengths[i] for i in order], batch, seed=0)
    return [[order[j] for j in b] for b in mine]


def global_buckets(rank):  # the same global buckets, shared out
    return list(DistributedBucketSampler(lengths, batch, num_replicas=ranks, rank=rank))


for way in (random_batches, bucketed_per_rank, global_buckets):
    cost = step_balance(lengths, [way(rank) for rank in range(ranks)])
    padding, waiting = cost["padding"], cost["waiting"]
    print(f"{way.__name__:18} padding {padding:.0%}, waiting {waiting:.0%}")
# --8<-- [end:buckets]

# --8<-- [start:total-length]
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

torch.manual_seed(0)
lstm = nn.LSTM(input_size=3, hidden_size=2, batch_first=True)
MAX_LENGTH = 8  # the longest text the data may hold


def per_token_outputs(x, lengths, total_length=None):
    packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    output, _ = lstm(packed)
    padded, _ = pad_packed_sequence(output, batch_first=True, total_length=total_length)
    return padded  # (N, L', H_out)


# each rank collates its own batch, padded to its own longest text
rank_batches = [
    (torch.randn(2, 6, 3), torch.tensor([6, 4])),  # rank 0: L = 6
    (torch.randn(2, 3, 3), torch.tensor([3, 2])),  # rank 1: L = 3
]
outputs = [per_token_outputs(x, n) for x, n in rank_batches]
print("shapes:", [tuple(o.shape) for o in outputs])
try:
    torch.cat(outputs)  # what all_gather or DataParallel's gather need
except RuntimeError as error:
    print("RuntimeError:", str(error).split(";")[0])
outputs = [per_token_outputs(x, n, total_length=MAX_LENGTH) for x, n in rank_batches]
print("with total_length:", [tuple(o.shape) for o in outputs])
print("concatenated:", tuple(torch.cat(outputs).shape))
# --8<-- [end:total-length]

# --8<-- [start:unused]
import tempfile

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from rnn_guide.text.models import SequenceClassifier


class WithTopicHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.classifier = SequenceClassifier(50, 2, embedding_dim=8, hidden_size=8)
        self.topic_head = nn.Linear(16, 5)  # for a second task, not used yet

    def forward(self, tokens, lengths):
        return self.classifier(tokens, lengths)  # topic_head gets no gradient


def two_steps(model):
    tokens, lengths = torch.randint(1, 50, (4, 7)), torch.tensor([7, 5, 4, 2])
    for step in range(2):
        model(tokens, lengths).sum().backward()
        print(f"step {step}: done")


with tempfile.TemporaryDirectory() as folder:  # a process group of one is enough
    dist.init_process_group(
        "gloo", init_method=f"file://{folder}/store", rank=0, world_size=1
    )
    try:
        two_steps(DistributedDataParallel(WithTopicHead()))
    except RuntimeError as error:
        print("RuntimeError:", str(error).split(". ")[0] + ".")
    two_steps(DistributedDataParallel(WithTopicHead(), find_unused_parameters=True))
    dist.destroy_process_group()
# --8<-- [end:unused]

assert not dist.is_initialized()

# --8<-- [start:metrics]
import torch
from torch.utils.data import DistributedSampler

from rnn_guide.distributed import shard_indices

correct = torch.tensor([1, 1, 1, 1, 0])  # 5 test texts, the last one wrong: 80 %
for name, shard in [
    (
        "DistributedSampler",
        lambda r: list(DistributedSampler(correct, 4, r, shuffle=False)),
    ),
    ("shard_indices", lambda r: shard_indices(len(correct), num_replicas=4, rank=r)),
]:
    parts = [correct[shard(rank)] for rank in range(4)]  # what each of 4 ranks sees
    means = sum(p.float().mean() for p in parts) / 4
    sums = sum(p.sum() for p in parts) / sum(len(p) for p in parts)  # all_reduce sums
    print(f"{name:18} sizes {[len(p) for p in parts]}: ", end="")
    print(f"mean of means {float(means):.3f}, sum / count {float(sums):.3f}")
# --8<-- [end:metrics]
