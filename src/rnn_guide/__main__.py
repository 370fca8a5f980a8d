"""``python -m rnn_guide``: see :mod:`rnn_guide.cli`."""

import sys

from rnn_guide.cli import main

sys.exit(main())
