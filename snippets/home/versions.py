"""The versions that produced the outputs on these pages (read by a hook)."""

# --8<-- [start:versions]
import platform

import numpy
import torch

print("PyTorch", torch.__version__.split("+")[0])  # no build tag (+cpu)
print("NumPy", numpy.__version__)
print("Python", ".".join(platform.python_version_tuple()[:2]))
# --8<-- [end:versions]
