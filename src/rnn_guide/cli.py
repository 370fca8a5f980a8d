"""Command line: ``python -m rnn_guide <command> ...`` (also installed as ``rnn-guide``).

Commands:
    shapes     every tensor and parameter shape of a recurrent layer, and its parameter count
    classify   train, evaluate and use sentiment classifiers (``classify --help``)
    forecast   train, evaluate and use time-series forecasters (``forecast --help``)

Every command fails the same way: a bad input (a missing, unreadable or empty file, a wrong column, a
non-numeric cell, a file that is not a model or is a model of the other kind, an output path that cannot be
written) prints one line ``error: ...`` on stderr and exits with status 2. ``--debug`` (or the environment
variable ``RNN_GUIDE_DEBUG=1``) shows the full traceback instead.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from rnn_guide import __version__

__all__ = ["USER_ERRORS", "add_debug_argument", "build_parser", "main", "positive_int", "run_command", "writable_path"]

#: Exceptions that mean a bad input rather than a bug (``DownloadError`` is an ``OSError``, ``ChecksumError``
#: and ``UnicodeDecodeError`` are ``ValueError``\ s): :func:`run_command` prints them as one line.
USER_ERRORS: tuple[type[Exception], ...] = (OSError, ValueError, TypeError, csv.Error)


def positive_int(text: str) -> int:
    """``argparse`` type of a whole number ``>= 1``."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a positive integer (expected a positive integer, got {text!r})"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer (expected a positive integer, got {value})")
    return value


def writable_path(path: Path, option: str) -> Path:
    """Raise ``ValueError`` naming ``option`` unless a file can be written at ``path`` (checked before a long
    run, so that it does not fail at its end); missing folders are created when the file is written."""
    if path.is_dir():
        raise ValueError(f"{option} {path} is a folder; give a file name")
    existing = path.parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise ValueError(f"{option} {path} cannot be written: {existing} is a file, not a folder")
    if not os.access(existing, os.W_OK):
        raise ValueError(f"{option} {path} cannot be written: no permission to write in {existing}")
    return path


def add_debug_argument(parser: argparse.ArgumentParser, *, top_level: bool = False) -> None:
    """Add ``--debug`` (show the traceback of an error) to ``parser``; on a sub-command it only overrides
    the top-level flag when given."""
    parser.add_argument(
        "--debug",
        action="store_true",
        default=False if top_level else argparse.SUPPRESS,
        help="on an error, show the full traceback instead of one line (also: RNN_GUIDE_DEBUG=1)",
    )


def _debug(args: argparse.Namespace) -> bool:
    flag = os.environ.get("RNN_GUIDE_DEBUG", "").strip().lower() not in ("", "0", "false", "no")
    return flag or bool(getattr(args, "debug", False))


def _one_line(error: Exception) -> str:
    if isinstance(error, OSError) and error.filename is not None and error.strerror:
        return f"{error.filename}: {error.strerror}"
    return " ".join(str(error).split()) or type(error).__name__


def run_command(args: argparse.Namespace) -> int:
    """Run the command chosen on the command line (``args.func(args)``) and return its exit status.

    A bad input (any of :data:`USER_ERRORS`) prints one line ``error: ...`` on stderr and gives status 2,
    unless ``--debug`` or ``RNN_GUIDE_DEBUG=1`` asks for the traceback, which is then raised.
    """
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except USER_ERRORS as error:
        if _debug(args):
            raise
        print(f"error: {_one_line(error)}", file=sys.stderr)
        return 2


def _shapes(args: argparse.Namespace) -> int:
    from rnn_guide.shapes import expected_shapes_for, format_shapes_table, parameter_count_for

    settings = {
        "input_size": args.input_size,
        "hidden_size": args.hidden_size,
        "num_layers": args.num_layers,
        "bias": not args.no_bias,
        "bidirectional": args.bidirectional,
        "proj_size": args.proj_size,
    }
    shapes = expected_shapes_for(
        args.kind, **settings, batch_first=args.batch_first, seq_len=args.seq_len, batch_size=args.batch_size
    )
    count = parameter_count_for(args.kind, **settings)
    print(format_shapes_table(shapes, language=args.language))
    print()
    print(("parameters: " if args.language == "en" else "参数量：") + f"{count:,}")
    return 0


def _add_shapes_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "shapes",
        help="shapes of every tensor and parameter of a recurrent layer",
        description="Print the shape of the input, states, output and every parameter of nn.RNN, nn.LSTM or "
        "nn.GRU for the given settings, computed from PyTorch's formulas, and the parameter count.",
    )
    parser.add_argument("kind", choices=("RNN", "LSTM", "GRU"))
    parser.add_argument("--input-size", type=positive_int, required=True)
    parser.add_argument("--hidden-size", type=positive_int, required=True)
    parser.add_argument("--num-layers", type=positive_int, default=1)
    parser.add_argument("--no-bias", action="store_true", help="bias=False")
    parser.add_argument("--batch-first", action="store_true")
    parser.add_argument("--bidirectional", action="store_true")
    parser.add_argument("--proj-size", type=int, default=0, help="LSTM only")
    parser.add_argument("--seq-len", type=positive_int, default=10)
    parser.add_argument("--batch-size", type=positive_int, default=None, help="omit for unbatched input")
    parser.add_argument("--language", choices=("en", "zh"), default="en")
    add_debug_argument(parser)
    parser.set_defaults(func=_shapes)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command registered."""
    from rnn_guide import cli_classify, cli_forecast

    parser = argparse.ArgumentParser(prog="rnn-guide", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"rnn-guide {__version__}")
    add_debug_argument(parser, top_level=True)
    subparsers = parser.add_subparsers(dest="command", required=True)
    _add_shapes_parser(subparsers)
    cli_classify.add_parser(subparsers)
    cli_forecast.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    return run_command(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
