"""How much work padding costs, with and without length bucketing."""

# --8<-- [start:work]
import torch


def padded_steps(batches, lengths):
    """Steps a padded run computes: N * max length, summed over batches."""
    return sum(len(batch) * int(lengths[batch].max()) for batch in batches)


torch.manual_seed(0)
# 512 sequences whose lengths vary a lot, as sentences and reviews do
lengths = torch.randint(5, 40, (512,)) * torch.randint(1, 6, (512,))
packed = int(lengths.sum())  # a packed run computes each real step once
shuffled = torch.randperm(len(lengths)).split(32)  # 16 random batches of 32
padded = padded_steps(shuffled, lengths)

print(f"lengths from {int(lengths.min())} to {int(lengths.max())}")
print(f"packed:                 {packed:7,} steps")
print(f"padded, random batches: {padded:7,} steps, ratio {packed / padded:.2f}")
# --8<-- [end:work]

# --8<-- [start:bucketing]
import torch

from rnn_guide.text import BucketBatchSampler


def padded_steps(batches, lengths):  # set-up: from above
    """Steps a padded run computes: N * max length, summed over batches."""
    return sum(len(batch) * int(lengths[batch].max()) for batch in batches)


torch.manual_seed(0)  # set-up: the lengths from above
lengths = torch.randint(5, 40, (512,)) * torch.randint(1, 6, (512,))
packed = int(lengths.sum())

sampler = BucketBatchSampler(lengths.tolist(), 32, pool_batches=4, seed=0)
buckets = [torch.tensor(batch) for batch in sampler]
bucketed = padded_steps(buckets, lengths)
ratio = packed / bucketed
print(f"padded, bucketed:       {bucketed:7,} steps, ratio {ratio:.2f}")
print("batches:", len(buckets), " sizes:", sorted({len(b) for b in buckets}))
# --8<-- [end:bucketing]
