"""Command line: ``python -m rnn_guide <command> ...`` (also installed as ``rnn-guide``).

Commands:
    shapes     every tensor and parameter shape of a recurrent layer, and its parameter count
    classify   train, evaluate and use sentiment classifiers (``classify --help``)
    forecast   train, evaluate and use time-series forecasters (``forecast --help``)
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from rnn_guide import __version__


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


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
    try:
        shapes = expected_shapes_for(
            args.kind, **settings, batch_first=args.batch_first, seq_len=args.seq_len, batch_size=args.batch_size
        )
        count = parameter_count_for(args.kind, **settings)
    except (TypeError, ValueError) as error:
        print(f"rnn-guide shapes: {error}", file=sys.stderr)
        return 2
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
    parser.add_argument("--input-size", type=_positive_int, required=True)
    parser.add_argument("--hidden-size", type=_positive_int, required=True)
    parser.add_argument("--num-layers", type=_positive_int, default=1)
    parser.add_argument("--no-bias", action="store_true", help="bias=False")
    parser.add_argument("--batch-first", action="store_true")
    parser.add_argument("--bidirectional", action="store_true")
    parser.add_argument("--proj-size", type=int, default=0, help="LSTM only")
    parser.add_argument("--seq-len", type=_positive_int, default=10)
    parser.add_argument("--batch-size", type=_positive_int, default=None, help="omit for unbatched input")
    parser.add_argument("--language", choices=("en", "zh"), default="en")
    parser.set_defaults(func=_shapes)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command registered."""
    from rnn_guide import cli_classify, cli_forecast

    parser = argparse.ArgumentParser(prog="rnn-guide", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"rnn-guide {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True)
    _add_shapes_parser(subparsers)
    cli_classify.add_parser(subparsers)
    cli_forecast.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
