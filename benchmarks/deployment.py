"""Deployment measurements on the CPU: int8 dynamic quantization, torch.compile, lower precision, ONNX Runtime.

What is measured (every timing is inference only, under ``torch.inference_mode()``, with 1 PyTorch thread):

* **quantization** — a sentiment classifier (``rnn_guide.classifier.train_text_classifier``: bidirectional
  LSTM, 128 units per direction, jieba words) trained for ``--epochs`` epochs on ``--train-texts`` reviews of
  ChnSentiCorp's training split (a seeded sample), then
  ``torch.ao.quantization.quantize_dynamic(model, {nn.LSTM, nn.Linear}, dtype=torch.qint8)``. Recorded: the
  bytes of the saved state dict of each, test-split accuracy of each, and the time to classify the encoded
  test split (batches of 64 texts of similar length) by the float model and the int8 model, both on packed
  batches (the quantized LSTM has no fused padded path), and by the float model on the package's default
  CPU path (padded, :func:`rnn_guide.text.models.run_padded`).
* **torch.compile** — ``nn.LSTM(32, 128)`` and the same LSTM written as a Python loop over ``nn.LSTMCell``,
  batch 32, 64 steps: the seconds the first two calls of the compiled module take (compilation), bounded by
  ``--compile-timeout``, and the steady-state time against eager.
* **lower precision** — ``nn.LSTM(32, 128)`` (batch 32, 64 steps) cast to bfloat16 and to float16 with
  ``.to(dtype)`` (autocast of the fused LSTM fails on the CPU, see the page), and an LSTM with
  ``proj_size=64`` (not fused, so autocast runs it) under ``torch.autocast("cpu", dtype=...)``, against
  float32.
* **ONNX Runtime** — :class:`rnn_guide.deployment.PaddedLSTMClassifier` exported with ``torch.onnx.export``
  and run by onnxruntime (1 intra-op thread) against eager PyTorch, batch 64 of length 100.

The machine may be shared: the variants of a group are measured in ``--repeats`` rounds, interleaved in a
new seeded order every round. For each variant the file holds the median and quartiles of the seconds per
call; for each comparison the median and quartiles of the per-round ratio (baseline time / variant time:
above 1 means the variant is faster).

Usage::

    python benchmarks/deployment.py                 # about 5 minutes on a busy 2-core machine
    python benchmarks/deployment.py --repeats 3 --epochs 1 --train-texts 500 --no-write   # a quick look
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import signal
import statistics
import tempfile
import time
import traceback
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from rnn_guide.classifier import TextClassifier, train_text_classifier
from rnn_guide.deployment import PaddedLSTMClassifier, state_dict_bytes
from rnn_guide.results import write_result
from rnn_guide.text import load_chnsenticorp
from rnn_guide.text.vocab import PAD_INDEX

SEED = 0
BATCH = 64


class LSTMCellLoop(nn.Module):
    """An LSTM as a Python loop over ``nn.LSTMCell``: ``(N, L, H_in)`` -> ``(N, L, H)``."""

    def __init__(self, input_size: int, hidden_size: int) -> None:
        super().__init__()
        self.cell = nn.LSTMCell(input_size, hidden_size)
        self.hidden_size = hidden_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x.new_zeros(x.shape[0], self.hidden_size)
        c = h
        outputs = []
        for t in range(x.shape[1]):
            h, c = self.cell(x[:, t], (h, c))
            outputs.append(h)
        return torch.stack(outputs, dim=1)


def quartiles(values: list[float]) -> tuple[float, float, float]:
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, median, q3


def calibrate(call: Callable[[], Any], target_s: float) -> int:
    call()
    started, runs = time.perf_counter(), 0
    while time.perf_counter() - started < target_s / 3 or runs < 1:
        call()
        runs += 1
    return max(1, round(target_s / ((time.perf_counter() - started) / runs)))


def interleaved(
    calls: dict[str, Callable[[], Any]], repeats: int, target_s: float, seed: int
) -> dict[str, list[float]]:
    """Seconds per call of every variant, one value per round, variants in a new order every round."""
    counts = {name: calibrate(call, target_s) for name, call in calls.items()}
    seconds: dict[str, list[float]] = {name: [] for name in calls}
    order, shuffler = list(calls), random.Random(seed)
    for _ in range(repeats):
        shuffler.shuffle(order)
        for name in order:
            call, count = calls[name], counts[name]
            started = time.perf_counter()
            for _ in range(count):
                call()
            seconds[name].append((time.perf_counter() - started) / count)
    return seconds


def record(metrics: dict[str, float], seconds: dict[str, list[float]], baseline: str) -> None:
    """Median/quartile seconds per call of each variant and per-round ratios against ``baseline``."""
    for name, values in seconds.items():
        q1, median, q3 = quartiles(values)
        metrics[f"{name}_seconds_per_call"] = median
        metrics[f"{name}_seconds_per_call_lower_quartile"] = q1
        metrics[f"{name}_seconds_per_call_upper_quartile"] = q3
        if name != baseline:
            ratios = [b / v for b, v in zip(seconds[baseline], values, strict=True)]
            q1, median, q3 = quartiles(ratios)
            metrics[f"{name}_speedup_over_{baseline}"] = median
            metrics[f"{name}_speedup_over_{baseline}_lower_quartile"] = q1
            metrics[f"{name}_speedup_over_{baseline}_upper_quartile"] = q3
        print(f"  {name:32} {statistics.median(values) * 1e3:9.2f} ms per call", flush=True)


class CompileTimeout(Exception):
    pass


def _on_alarm(signum: int, frame: Any) -> None:
    raise CompileTimeout


def try_compile(module: nn.Module, x: torch.Tensor, timeout_s: int) -> tuple[Callable[[], Any] | None, str, float]:
    """Compile ``module`` and call it twice on ``x`` within ``timeout_s``: (call or None, status, seconds)."""
    started = time.perf_counter()
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(timeout_s)
    try:
        compiled = torch.compile(module)
        with torch.inference_mode():
            compiled(x)
            compiled(x)
        call, status = (lambda: compiled(x)), "ok"
    except CompileTimeout:
        call, status = None, f"did not finish within {timeout_s} s"
    except Exception as error:  # a compiler failure is a result to record
        last = traceback.format_exception_only(type(error), error)[0].strip()
        call = None
        status = f"did not finish within {timeout_s} s" if "CompileTimeout" in last else f"failed: {last[:300]}"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return call, status, time.perf_counter() - started


def encoded_batches(classifier: TextClassifier, texts: list[str]) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """The texts encoded, sorted by length and cut into padded batches of ``BATCH``: [(tokens, lengths)]."""
    sequences = sorted(classifier.encode(texts), key=len)
    batches = []
    for start in range(0, len(sequences), BATCH):
        chunk = sequences[start : start + BATCH]
        lengths = torch.tensor([len(s) for s in chunk])
        tokens = torch.full((len(chunk), int(lengths.max())), PAD_INDEX, dtype=torch.long)
        for row, sequence in enumerate(chunk):
            tokens[row, : len(sequence)] = torch.tensor(sequence)
        batches.append((tokens, lengths))
    return batches


def quantization(args: argparse.Namespace, metrics: dict[str, float], config: dict[str, Any]) -> None:
    data = load_chnsenticorp()
    train, test = data["train"], data["test"]
    picked = random.Random(SEED).sample(range(len(train.texts)), args.train_texts)
    texts, labels = [train.texts[i] for i in picked], [train.labels[i] for i in picked]
    started = time.perf_counter()
    classifier = train_text_classifier(
        texts,
        labels,
        language="zh",
        epochs=args.epochs,
        seed=SEED,
        device="cpu",
        progress=False,
        linear_ngrams=False,  # the quantized network is measured alone
        valid_fraction=0.0,
    )
    metrics["training_seconds"] = time.perf_counter() - started
    model = classifier.model.eval()
    model.implementation = "packed"  # the quantized LSTM runs packed batches only
    quantized = torch.ao.quantization.quantize_dynamic(model, {nn.LSTM, nn.Linear}, dtype=torch.qint8)
    padded_model = copy.deepcopy(model)
    padded_model.implementation = "padded"

    def rebuilt(network: nn.Module) -> TextClassifier:
        return TextClassifier(
            network,
            classifier.vocab,
            classifier.tokenizer,
            classifier.classes,
            max_length=classifier.max_length,
            truncation=classifier.truncation,
        )

    metrics["float32_test_accuracy"] = rebuilt(model).score(test.texts, test.labels)
    metrics["int8_test_accuracy"] = rebuilt(quantized).score(test.texts, test.labels)
    metrics["float32_state_dict_bytes"] = state_dict_bytes(model)
    metrics["int8_state_dict_bytes"] = state_dict_bytes(quantized)
    metrics["float32_lstm_state_dict_bytes"] = state_dict_bytes(model.rnn)
    metrics["int8_lstm_state_dict_bytes"] = state_dict_bytes(quantized.rnn)
    print(
        f"accuracy float32 {metrics['float32_test_accuracy']:.4f} int8 {metrics['int8_test_accuracy']:.4f}; "
        f"bytes {metrics['float32_state_dict_bytes']} -> {metrics['int8_state_dict_bytes']}",
        flush=True,
    )
    batches = encoded_batches(classifier, test.texts)

    def classify(network: nn.Module) -> Callable[[], None]:
        def call() -> None:
            with torch.inference_mode():
                for tokens, lengths in batches:
                    network(tokens, lengths)

        return call

    seconds = interleaved(
        {
            "float32_packed": classify(model),
            "int8_packed": classify(quantized),
            "float32_padded": classify(padded_model),
        },
        args.repeats,
        args.target_seconds * 3,
        SEED,
    )
    record(metrics, seconds, "float32_packed")
    config["quantization"] = {
        "train_texts": args.train_texts,
        "epochs": args.epochs,
        "test_texts": len(test.texts),
        "batch_size": BATCH,
        "classifier": repr(classifier),
        "vocab_size": len(classifier.vocab),
        "timed_call": "classify the whole encoded test split (batches sorted by length), inference mode",
        "quantize_call": "torch.ao.quantization.quantize_dynamic(model, {nn.LSTM, nn.Linear}, dtype=torch.qint8)",
    }


def compiled(args: argparse.Namespace, metrics: dict[str, float], config: dict[str, Any]) -> None:
    import torch._inductor.config

    torch._inductor.config.force_disable_caches = True  # a cold compile, as on a fresh machine
    torch.manual_seed(SEED)
    lstm, loop = nn.LSTM(32, 128, batch_first=True).eval(), LSTMCellLoop(32, 128).eval()
    x = torch.randn(32, 64, 32)
    calls: dict[str, Callable[[], Any]] = {"eager_lstm": lambda: lstm(x), "eager_lstm_cell_loop": lambda: loop(x)}
    status: dict[str, Any] = {}
    for name, module in (("compiled_lstm", lstm), ("compiled_lstm_cell_loop", loop)):
        torch._dynamo.reset()
        call, text, spent = try_compile(module, x, args.compile_timeout)
        status[name] = {"status": text, "compile_seconds": round(spent, 1)}
        print(f"{name}: {text} ({spent:.1f} s)", flush=True)
        if call is not None:
            calls[name] = call
            metrics[f"{name}_compile_seconds"] = spent
    with torch.inference_mode():
        seconds = interleaved(calls, args.repeats, args.target_seconds, SEED + 1)
    record(metrics, {k: v for k, v in seconds.items() if "cell_loop" not in k}, "eager_lstm")
    record(metrics, {k: v for k, v in seconds.items() if "cell_loop" in k}, "eager_lstm_cell_loop")
    if "compiled_lstm_cell_loop" in seconds:
        ratios = [b / v for b, v in zip(seconds["eager_lstm"], seconds["compiled_lstm_cell_loop"], strict=True)]
        q1, median, q3 = quartiles(ratios)
        metrics["compiled_lstm_cell_loop_speedup_over_eager_lstm"] = median
        metrics["compiled_lstm_cell_loop_speedup_over_eager_lstm_lower_quartile"] = q1
        metrics["compiled_lstm_cell_loop_speedup_over_eager_lstm_upper_quartile"] = q3
    config["compile"] = {
        "modules": "nn.LSTM(32, 128, batch_first=True); the same as a Python loop over nn.LSTMCell(32, 128)",
        "input_shape": [32, 64, 32],
        "compile_seconds": "wall clock of torch.compile plus the first two calls, compiler caches disabled",
        "timeout_seconds": args.compile_timeout,
        "status": status,
    }


def precision(args: argparse.Namespace, metrics: dict[str, float], config: dict[str, Any]) -> None:
    torch.manual_seed(SEED)
    lstm = nn.LSTM(32, 128, batch_first=True).eval()
    projected = nn.LSTM(32, 128, batch_first=True, proj_size=64).eval()
    x = torch.randn(32, 64, 32)
    casts = {dtype: copy.deepcopy(lstm).to(dtype) for dtype in (torch.bfloat16, torch.float16)}

    def autocast(dtype: torch.dtype) -> Callable[[], Any]:
        def call() -> Any:
            with torch.autocast("cpu", dtype=dtype):
                return projected(x)

        return call

    calls = {
        "lstm_float32": lambda: lstm(x),
        "lstm_cast_bfloat16": lambda: casts[torch.bfloat16](x.bfloat16()),
        "lstm_cast_float16": lambda: casts[torch.float16](x.half()),
        "projected_lstm_float32": lambda: projected(x),
        "projected_lstm_autocast_bfloat16": autocast(torch.bfloat16),
        "projected_lstm_autocast_float16": autocast(torch.float16),
    }
    with torch.inference_mode():
        seconds = interleaved(calls, args.repeats, args.target_seconds, SEED + 2)
    record(metrics, {k: v for k, v in seconds.items() if k.startswith("lstm_")}, "lstm_float32")
    record(metrics, {k: v for k, v in seconds.items() if k.startswith("projected")}, "projected_lstm_float32")
    config["precision"] = {
        "modules": "nn.LSTM(32, 128, batch_first=True), cast with .to(dtype); "
        "nn.LSTM(32, 128, batch_first=True, proj_size=64) under torch.autocast('cpu', dtype)",
        "input_shape": [32, 64, 32],
    }


def onnx_runtime(args: argparse.Namespace, metrics: dict[str, float], config: dict[str, Any]) -> None:
    import onnxruntime

    torch.manual_seed(SEED)
    model = PaddedLSTMClassifier(5000, 2, embedding_dim=128, hidden_size=128).eval()
    tokens = torch.randint(1, 5000, (BATCH, 100))
    lengths = torch.randint(10, 101, (BATCH,))
    batch, length = torch.export.Dim("batch"), torch.export.Dim("length")
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "classifier.onnx")
        torch.onnx.export(
            model,
            (tokens, lengths),
            path,
            dynamo=True,
            verbose=False,
            input_names=["tokens", "lengths"],
            output_names=["logits"],
            dynamic_shapes=({0: batch, 1: length}, {0: batch}),
        )
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        session = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    feed = {"tokens": tokens.numpy(), "lengths": lengths.numpy()}
    with torch.inference_mode():
        difference = (torch.from_numpy(session.run(None, feed)[0]) - model(tokens, lengths)).abs().max().item()
        metrics["onnx_runtime_max_abs_difference"] = difference
        seconds = interleaved(
            {"pytorch_eager": lambda: model(tokens, lengths), "onnx_runtime": lambda: session.run(None, feed)},
            args.repeats,
            args.target_seconds,
            SEED + 3,
        )
    record(metrics, seconds, "pytorch_eager")
    config["onnx_runtime"] = {
        "model": "PaddedLSTMClassifier(5000, 2, embedding_dim=128, hidden_size=128)",
        "input_shape": [BATCH, 100],
        "providers": ["CPUExecutionProvider"],
        "intra_op_num_threads": 1,
        "onnxruntime_version": onnxruntime.__version__,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=9, help="rounds; each variant is measured once per round")
    parser.add_argument("--target-seconds", type=float, default=0.25, help="length of one measurement")
    parser.add_argument("--train-texts", type=int, default=3000, help="training reviews sampled from ChnSentiCorp")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--compile-timeout", type=int, default=120, help="seconds allowed per torch.compile")
    parser.add_argument("--directory", default="benchmarks/results")
    parser.add_argument("--no-write", action="store_true", help="print only, write no result file")
    args = parser.parse_args()

    started = time.perf_counter()
    load_before = round(os.getloadavg()[0], 2)
    torch.set_num_threads(1)
    metrics: dict[str, float] = {}
    config: dict[str, Any] = {
        "repeats": args.repeats,
        "target_seconds": args.target_seconds,
        "threads": 1,
        "device": "cpu",
        "timer": "time.perf_counter (wall clock), inference mode",
        "statistic": "median over rounds with quartiles; ratios per round (baseline seconds / variant seconds)",
        "shared_machine": True,
        "machine_note": "2 logical cores shared with other programs while the benchmark ran",
    }
    for part in (quantization, compiled, precision, onnx_runtime):
        print(f"{part.__name__} ...", flush=True)
        part(args, metrics, config)
    torch.set_num_threads(1)
    config["load_average_before"] = load_before
    config["load_average_after"] = round(os.getloadavg()[0], 2)
    if not args.no_write:
        path = write_result(
            "deployment",
            metrics=metrics,
            config=config,
            duration_s=time.perf_counter() - started,
            directory=args.directory,
        )
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
