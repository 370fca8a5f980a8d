"""Training throughput of the same classifier with five ways of batching variable-length texts, on the CPU.

Batches are either bucketed (``BucketBatchSampler``: texts of similar lengths together, little padding) or
random (any lengths together, much padding). The recurrent layer then sees them in one of three ways:

* ``packed``: ``pack_padded_sequence`` (``implementation="packed"``): padding is never computed;
* ``padded``: :func:`rnn_guide.text.models.run_padded` (``implementation="padded"``, the CPU default): the
  fused kernels over the padded batch, each direction made exact by reversing every text within its length;
  same result as ``packed``;
* ``naive``: the padded batch as it is (``lengths=None``), the way many tutorials do it: the LSTM also steps
  through padding, and its backward direction starts in it (a different, worse model, timed for reference).

Five settings: ``bucketed_packed``, ``bucketed_padded``, ``random_packed``, ``random_padded``,
``random_naive``. Each trains the default model (BiLSTM, 128-dimensional embeddings, 128 hidden units per
direction, max pooling) for one epoch over the same IMDB reviews, encoded as in ``train_text_classifier``
(at most 400 tokens). Time is the CPU time of this process (``time.process_time``) with one PyTorch thread,
so that other programs on a shared machine disturb the comparison less; ``samples_per_second`` is texts per
CPU second. After one untimed warm-up batch per setting, the settings run in turn, ``--repeats`` times, and the
median is reported. The result is written
with ``rnn_guide.results.write_result`` as ``classifier_throughput``.

Usage::

    python benchmarks/classifier_throughput.py                     # 640 reviews, 3 repeats
    python benchmarks/classifier_throughput.py --texts 128 --repeats 1 --no-write
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import torch
from torch import nn
from torch.utils.data import DataLoader

from rnn_guide.devices import seed_everything
from rnn_guide.results import write_result
from rnn_guide.text import BucketBatchSampler, EncodedTexts, Tokenizer, Vocab, collate_padded, encode, load_imdb
from rnn_guide.text.models import SequenceClassifier

SETTINGS = ("bucketed_packed", "bucketed_padded", "random_packed", "random_padded", "random_naive")


def one_epoch(setting: str, data: EncodedTexts, vocab_size: int, batch_size: int) -> tuple[float, float]:
    """CPU seconds for one training epoch, and the fraction of padded positions in the batches."""
    seed_everything(0)
    batching, implementation = setting.split("_")
    model = SequenceClassifier(vocab_size, 2, implementation="packed" if implementation == "packed" else "padded")
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    if batching == "bucketed":
        loader = DataLoader(
            data, batch_sampler=BucketBatchSampler(data.lengths, batch_size, seed=0), collate_fn=collate_padded
        )
    else:
        generator = torch.Generator().manual_seed(0)
        loader = DataLoader(data, batch_size=batch_size, shuffle=True, generator=generator, collate_fn=collate_padded)
    model.train()
    padded = total = 0
    started = time.process_time()
    for tokens, lengths, labels in loader:
        padded += tokens.numel() - int(lengths.sum())
        total += tokens.numel()
        logits = model(tokens, None if implementation == "naive" else lengths)
        loss = loss_fn(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return time.process_time() - started, padded / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=640, help="training texts (half negative, half positive)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(1)
    started = time.perf_counter()

    train = load_imdb()["train"]
    half = args.texts // 2
    texts = train.texts[:half] + train.texts[-half:]
    labels = [0] * half + [1] * half
    tokenizer = Tokenizer("en")
    token_lists = [tokenizer(t) for t in texts]
    vocab = Vocab.build(token_lists, min_freq=2, max_size=50_000)
    data = EncodedTexts([encode(t, vocab, max_length=400) for t in token_lists], labels)

    warm_up = EncodedTexts(data.sequences[: args.batch_size], data.labels[: args.batch_size])
    for setting in SETTINGS:  # first calls pay for one-time set-up; keep it out of the timings
        one_epoch(setting, warm_up, len(vocab), args.batch_size)
    seconds: dict[str, list[float]] = {s: [] for s in SETTINGS}
    padding: dict[str, float] = {}
    for _ in range(args.repeats):
        for setting in SETTINGS:
            cpu_s, padding[setting] = one_epoch(setting, data, len(vocab), args.batch_size)
            seconds[setting].append(cpu_s)
    metrics: dict[str, float] = {}
    for setting in SETTINGS:
        median = statistics.median(seconds[setting])
        metrics[f"{setting}_samples_per_second"] = len(data) / median
        metrics[f"{setting}_padding_fraction"] = padding[setting]
    for setting in SETTINGS[1:]:
        metrics[f"{setting}_speedup_vs_bucketed_packed"] = (
            metrics[f"{setting}_samples_per_second"] / metrics["bucketed_packed_samples_per_second"]
        )
    config = {
        "texts": len(data),
        "batch_size": args.batch_size,
        "repeats": args.repeats,
        "max_length": 400,
        "mean_tokens_per_text": sum(data.lengths) / len(data),
        "model": "SequenceClassifier defaults (BiLSTM, embedding 128, hidden 128 per direction, max pooling)",
        "threads": 1,
        "timer": "time.process_time",
        "cpu_seconds": seconds,
    }
    print(json.dumps({"metrics": metrics, "config": config}, indent=2))
    if not args.no_write:
        path = write_result(
            "classifier_throughput", metrics=metrics, config=config, duration_s=time.perf_counter() - started
        )
        print("wrote", path)


if __name__ == "__main__":
    main()
