"""Masking a loss over padded time steps."""

# --8<-- [start:mask]
import torch

torch.set_printoptions(precision=4, sci_mode=False)
torch.manual_seed(0)
lengths = torch.tensor([3, 5, 2])
steps = int(lengths.max())
mask = torch.arange(steps)[None, :] < lengths[:, None]  # (N, L): real steps
print(mask.int())
# --8<-- [end:mask]

# --8<-- [start:masked-mse]
import torch
from torch.nn.utils.rnn import pad_sequence

torch.manual_seed(0)  # set-up: the lengths and the mask from above
lengths = torch.tensor([3, 5, 2])
steps = int(lengths.max())
mask = torch.arange(steps)[None, :] < lengths[:, None]  # (N, L): real steps

predictions = torch.randn(3, steps)  # one value per step, (N, L)
targets = [torch.randn(n) for n in lengths.tolist()]  # one per real step
targets = pad_sequence(targets, batch_first=True)  # (N, L)

squared = (predictions - targets) ** 2  # MSELoss(reduction="none")
naive = squared.mean()  # also averages the 5 padded steps
masked = (squared * mask).sum() / mask.sum()  # real steps only
real_steps = torch.cat([squared[i, :n] for i, n in enumerate(lengths)])
print(f"mean over all N * L = {mask.numel()} steps: {naive:.4f}")
print(f"mean over the {int(mask.sum())} real steps:  {masked:.4f}")
assert torch.allclose(masked, real_steps.mean())
assert not torch.allclose(naive, masked)
# --8<-- [end:masked-mse]

# --8<-- [start:ignore-index]
import torch
from torch.nn import functional as F
from torch.nn.utils.rnn import pad_sequence

torch.manual_seed(0)  # set-up: the lengths and the mask from above
lengths = torch.tensor([3, 5, 2])
steps = int(lengths.max())
mask = torch.arange(steps)[None, :] < lengths[:, None]  # (N, L): real steps
torch.randn(3, steps), [torch.randn(n) for n in lengths.tolist()]  # the draws above

logits = torch.randn(3, 4, steps)  # (N, classes, L): one label per step
labels = pad_sequence(
    [torch.randint(0, 4, (int(n),)) for n in lengths],
    batch_first=True,
    padding_value=-100,  # cross_entropy's default ignore_index
)
print(labels)
loss = F.cross_entropy(logits, labels)  # skips the -100 steps
per_step = F.cross_entropy(logits, labels, reduction="none")  # (N, L)
print(f"cross_entropy: {loss:.4f}, masked mean: {per_step[mask].mean():.4f}")
assert torch.allclose(loss, per_step[mask].mean())
# --8<-- [end:ignore-index]
