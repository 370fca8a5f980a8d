"""rnn_guide: the tested library behind the rnn-guide documentation site.

Every equation, shape, parameter count and training practice shown on the site is
computed by this package and checked against PyTorch by its test suite.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
