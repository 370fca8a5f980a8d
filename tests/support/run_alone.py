"""Run snippet sections one by one, each as if copied alone into a fresh interpreter.

This file is a script, started by ``support.snippets.run_sections_alone`` in a fresh
process whose working directory is an empty folder (holding only a link to the
committed ``benchmarks/``). It reads a JSON list of sections from standard input::

    [{"path": "snippets/x/y.py", "section": "build", "first_line": 12, "source": "..."}, ...]

(an item may add ``"argv"``, the ``sys.argv`` it runs with; by default ``[""]``, as in an interpreter)

(sections of one file or of several) and writes one JSON object per section, in
order, to the file named by its only argument: ``{"path": ..., "section": ...,
"printed": ..., "error": null or a traceback}``.

Before each section it empties the namespace (only ``__name__`` and ``__builtins__``
are left), restores the random states of ``random``, NumPy and torch to what they were
when this interpreter started, and resets the global settings a snippet may change
(print options, gradient mode, default dtype, determinism, thread count, warning
filters, matplotlib figures and settings). Modules stay imported, which a reader
cannot tell apart from a fresh start. It uses only the standard library besides what
the sections import, so that nothing of the test suite leaks into the sections.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import textwrap
import traceback
import warnings

# A script's own folder comes first on sys.path; the sections must not see it.
sys.path.pop(0)


def _random_states() -> dict[str, object]:
    import random

    states: dict[str, object] = {"random": random.getstate()}
    with contextlib.suppress(ImportError):
        import numpy

        states["numpy"] = numpy.random.get_state()
    with contextlib.suppress(ImportError):
        import torch

        states["torch"] = torch.get_rng_state()
        states["torch_settings"] = (
            torch.is_grad_enabled(),
            torch.get_default_dtype(),
            torch.are_deterministic_algorithms_enabled(),
            torch.is_deterministic_algorithms_warn_only_enabled(),
            torch.get_num_threads(),
        )
    with contextlib.suppress(ImportError):
        import matplotlib

        states["matplotlib"] = matplotlib.rcParams.copy()
    return states


def _restore(states: dict[str, object]) -> None:
    import random

    random.setstate(states["random"])
    if "numpy" in states:
        import numpy

        numpy.random.set_state(states["numpy"])
    if "torch" in states:
        import torch

        torch.set_rng_state(states["torch"])
        if torch.cuda.is_available() and torch.cuda.is_initialized():
            torch.cuda.manual_seed_all(torch.initial_seed())
        grad, dtype, deterministic, warn_only, threads = states["torch_settings"]
        torch.set_grad_enabled(grad)
        torch.set_default_dtype(dtype)
        torch.use_deterministic_algorithms(deterministic, warn_only=warn_only)
        torch.set_num_threads(threads)
        torch.set_printoptions(profile="default")
    if "matplotlib" in states:
        import matplotlib
        import matplotlib.pyplot as plt

        plt.close("all")
        matplotlib.rcParams.update(states["matplotlib"])


def main() -> None:
    sections = json.load(sys.stdin)
    states = _random_states()  # before any section runs: the state of a fresh interpreter
    results = []
    for item in sections:
        _restore(states)
        namespace: dict[str, object] = {"__name__": "__main__"}
        # Pad with blank lines so that tracebacks show the line numbers of the snippet file.
        source = "\n" * (item["first_line"] - 1) + textwrap.dedent(item["source"])
        buffer = io.StringIO()
        error = None
        argv = sys.argv
        sys.argv = item.get("argv") or [""]  # a whole file runs as a script without arguments
        try:
            code = compile(source, item["path"], "exec")
            with warnings.catch_warnings(), contextlib.redirect_stdout(buffer):
                exec(code, namespace)
        except BaseException as exc:  # SystemExit too: a reader's run would stop there
            error = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        finally:
            sys.argv = argv
        results.append({"path": item["path"], "section": item["section"], "printed": buffer.getvalue(), "error": error})
        del namespace
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(results, out)


if __name__ == "__main__":
    main()
