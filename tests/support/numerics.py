"""Whether this machine's floating-point kernels compute what the machine that produced the committed outputs did.

A training run amplifies a difference in the last bit of one kernel into other printed numbers (an accuracy of 95.6 %
instead of 95.8 %, a loss that overflows one step later). Which kernels a machine runs depends on more than the
package versions that :func:`support.environment.reference_environment` checks: the processor, the instruction set
the math libraries pick and the number of threads all change the last bits. Pinning the instruction set (see
``conftest.py``) and the thread count removes much of that but not all of it, so the suite measures instead of
assuming: a short probe trains small recurrent models with the operations the snippets and notebooks use and hashes
the exact bits of the result. ``--update-golden`` stores the probe's fingerprint next to the outputs it writes;
a machine whose probe gives the same fingerprint compares outputs byte for byte, and any other machine compares
them with every number masked (same lines, same words, same layout) and leaves the figures alone, and says so in
the header of the test report.
"""

from __future__ import annotations

import functools
import json
import os
import platform
import subprocess
import sys

from .paths import ROOT

FINGERPRINT_FILE = ROOT / "tests" / "numerics_fingerprint.json"

#: The number of threads every snippet and notebook runs with in the suite (set in ``conftest.py``): the default
#: would be the machine's core count, and a reduction split over more threads sums in another order.
GOLDEN_THREADS = 2

#: The environment variables that choose kernels or threads, named in the description of a machine.
KERNEL_SETTINGS = ("ATEN_CPU_CAPABILITY", "ONEDNN_MAX_CPU_ISA", "MKL_CBWR", "OMP_NUM_THREADS")

#: Runs in a fresh interpreter with the suite's environment; prints the SHA-256 of the trained parameters' bits.
PROBE = r"""
import hashlib
import torch
from torch import nn

digest = hashlib.sha256()


def train(model, make_inputs, loss_fn, optimizer, steps=15, clip=None):
    for _ in range(steps):
        inputs, target = make_inputs()
        optimizer.zero_grad()
        loss = loss_fn(model(inputs), target)
        loss.backward()
        if clip is not None:
            nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
    for tensor in list(model.parameters()) + [loss.detach()]:
        digest.update(tensor.detach().contiguous().numpy().tobytes())


class Classifier(nn.Module):
    def __init__(self, kind, vocab=500, size=64, **options):
        super().__init__()
        self.embedding = nn.Embedding(vocab, size, padding_idx=0)
        self.rnn = getattr(nn, kind)(size, size, batch_first=True, **options)
        self.dropout = nn.Dropout(0.3)
        self.head = nn.Linear(size * (2 if options.get("bidirectional") else 1), 2)

    def forward(self, tokens):
        output, _ = self.rnn(self.embedding(tokens))
        return self.head(self.dropout(output[:, -1]))


class Regressor(nn.Module):
    def __init__(self, size=32):
        super().__init__()
        self.rnn = nn.RNN(2, size, batch_first=True, nonlinearity="relu")
        self.head = nn.Linear(size, 1)

    def forward(self, x):
        output, _ = self.rnn(x)
        return self.head(output[:, -1]).squeeze(-1)


for threads in (1, 2):
    torch.set_num_threads(threads)
    for kind, options in (("RNN", {}), ("LSTM", {"num_layers": 2, "dropout": 0.2}), ("GRU", {"bidirectional": True})):
        torch.manual_seed(0)
        model = Classifier(kind, **options)
        tokens = lambda: (torch.randint(0, 500, (32, 40)), torch.randint(0, 2, (32,)))
        train(model, tokens, nn.functional.cross_entropy, torch.optim.Adam(model.parameters(), lr=1e-3))
    for optimizer, clip in ((torch.optim.SGD, None), (torch.optim.SGD, 1.0), (torch.optim.AdamW, 0.5)):
        torch.manual_seed(1)
        model = Regressor()
        series = lambda: (torch.rand(64, 50, 2), torch.rand(64))
        train(model, series, nn.functional.mse_loss, optimizer(model.parameters(), lr=0.01), clip=clip)
    torch.manual_seed(2)
    cell = nn.LSTMCell(7, 128)
    head = nn.Linear(128, 7)
    x, h, c = torch.randn(16, 7), torch.zeros(16, 128), torch.zeros(16, 128)
    for _ in range(24):
        h, c = cell(x, (h, c))
        x = torch.tanh(head(h))
    digest.update(x.detach().numpy().tobytes())
print(digest.hexdigest())
"""


def machine() -> str:
    """The processor and the instruction set PyTorch dispatches to, in words (for the report, never compared)."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import torch

    capability = torch.backends.cpu.get_cpu_capability()
    settings = ", ".join(f"{name}={os.environ[name]}" for name in KERNEL_SETTINGS if name in os.environ)
    return f"{model} ({platform.machine()}, {os.cpu_count()} logical CPUs), PyTorch kernels {capability}" + (
        f"; {settings}" if settings else ""
    )


@functools.cache
def fingerprint() -> str:
    """The probe's hash on this machine, in the suite's environment (a fresh interpreter, a few seconds)."""
    completed = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=600, env=dict(os.environ)
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the numerics probe failed ({completed.returncode}):\n{completed.stderr[-3000:]}")
    return completed.stdout.strip()


def record() -> None:
    """Store this machine's fingerprint as the one the committed outputs were produced with."""
    FINGERPRINT_FILE.write_text(
        json.dumps({"fingerprint": fingerprint(), "machine": machine()}, indent=2) + "\n", encoding="utf-8"
    )


@functools.cache
def same_numerics() -> tuple[bool, str]:
    """``(True, "")`` where the probe's hash is the committed one, else ``(False, why not)``."""
    if not FINGERPRINT_FILE.exists():
        return False, f"{FINGERPRINT_FILE.relative_to(ROOT)} is missing: regenerate the outputs"
    stored = json.loads(FINGERPRINT_FILE.read_text(encoding="utf-8"))
    here = fingerprint()
    if here == stored["fingerprint"]:
        return True, ""
    return False, (
        f"this machine's kernels round differently from those of the machine that produced the committed outputs "
        f"({stored['machine']}; here: {machine()})"
    )
