"""Pitfall: torch.autograd.Variable is a no-op wrapper since PyTorch 0.4."""

# --8<-- [start:wrong]
import torch
from torch.autograd import Variable

x = Variable(torch.randn(100, 32, 20))
w = Variable(torch.randn(3), requires_grad=True)
print(type(x).__module__ + "." + type(x).__name__, x.requires_grad)
print(type(w).__module__ + "." + type(w).__name__, w.requires_grad)
# --8<-- [end:wrong]

assert type(x) is torch.Tensor and type(w) is torch.Tensor

# --8<-- [start:right]
import torch

x = torch.randn(100, 32, 20)  # inputs: plain tensors
w = torch.randn(3, requires_grad=True)  # tracked by autograd
(w * 2).sum().backward()
print(type(x).__name__, x.requires_grad, "|", type(w).__name__, w.grad)
# --8<-- [end:right]
