"""rnn_guide.distributed: samplers, metrics over ranks, rank-0 checkpoints, and a real 2-process DDP run."""

from __future__ import annotations

import re
import socket
import time
from pathlib import Path

import pytest
import torch
import torch.multiprocessing as mp
from support import ddp_worker
from support.paths import ROOT
from torch import nn
from torch.utils.data import DataLoader, DistributedSampler

from rnn_guide.checkpoints import load_checkpoint
from rnn_guide.distributed import (
    DistributedBucketSampler,
    DistributedContext,
    all_reduce_sums,
    classification_sums,
    default_backend,
    gather_objects,
    rank_device,
    save_checkpoint_on_main,
    setup_distributed,
    shard_indices,
    step_balance,
    teardown_distributed,
    unwrap_model,
)
from rnn_guide.text import collate_padded
from rnn_guide.text.models import SequenceClassifier
from rnn_guide.text.synthetic import synthetic_reviews

LENGTHS = [int(x) for x in torch.randint(1, 200, (203,), generator=torch.Generator().manual_seed(0))]


def _samplers(world: int, **options) -> list[DistributedBucketSampler]:
    return [DistributedBucketSampler(LENGTHS, 8, num_replicas=world, rank=r, **options) for r in range(world)]


# ------------------------------------------------------------------------------------------- samplers


@pytest.mark.parametrize("world", [1, 2, 3, 4])
def test_bucket_sampler_shares_out_the_same_global_batches(world: int) -> None:
    samplers = _samplers(world, pool_batches=3, seed=5)
    per_rank = [list(s) for s in samplers]
    assert len({len(b) for b in per_rank}) == 1 and len(per_rank[0]) == len(samplers[0])
    for step, global_batch in enumerate(samplers[0].global_batches(0)):
        parts = [batches[step] for batches in per_rank]
        assert len({len(p) for p in parts}) == 1, "every rank gets as many items at each step"
        assert sorted(i for p in parts for i in p) == sorted(global_batch)
        assert [LENGTHS[i] for i in global_batch] == sorted(LENGTHS[i] for i in global_batch)
    seen = [i for batches in per_rank for b in batches for i in b]
    assert set(seen) == set(range(len(LENGTHS)))
    padded = -(-len(LENGTHS) // world) * world
    assert len(seen) == padded, "only the padding to a multiple of the world size repeats items"


def test_bucket_sampler_epochs_and_drop_last() -> None:
    sampler = _samplers(2, seed=1)[0]
    first = sampler.global_batches(0)
    assert first == sampler.global_batches(0) and first != sampler.global_batches(1)
    list(sampler)
    assert sampler.epoch == 1, "iterating advances the epoch"
    sampler.set_epoch(0)
    assert next(iter(sampler)) == first[0][0::2]
    dropped = _samplers(3, drop_last=True)
    for s in dropped:
        batches = list(s)
        assert len(batches) == len(s) and all(len(b) == 8 for b in batches)
    ordered = _samplers(2, shuffle=False)[0].global_batches()
    flat = [LENGTHS[i] for b in ordered for i in b]
    assert flat[: len(LENGTHS)] == sorted(LENGTHS, reverse=True), "longest first (then one repeated item)"
    assert len(set(map(len, ordered[:-1]))) == 1


def test_bucket_sampler_defaults_and_errors() -> None:
    sampler = DistributedBucketSampler([3, 1, 2], 2)
    assert (sampler.num_replicas, sampler.rank) == (1, 0), "without a process group: one rank"
    assert "num_replicas=1" in repr(sampler)
    with pytest.raises(ValueError, match=r"rank must lie in \[0, num_replicas=2\), got 2"):
        DistributedBucketSampler([1, 2], 1, num_replicas=2, rank=2)
    with pytest.raises(TypeError, match="lengths must be a sequence"):
        DistributedBucketSampler("abc", 1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="batch_size"):
        DistributedBucketSampler([1], 0)
    with pytest.raises(ValueError, match="drop_last=True leaves nothing"):
        DistributedBucketSampler([1], 1, num_replicas=2, rank=0, drop_last=True)
    tiny = DistributedBucketSampler([4], 1, num_replicas=3, rank=2)
    assert list(tiny) == [[0]], "a data set smaller than the world is repeated"


def test_shard_indices_cover_every_item_once() -> None:
    shards = [shard_indices(11, num_replicas=4, rank=r) for r in range(4)]
    assert sorted(i for s in shards for i in s) == list(range(11))
    assert [len(s) for s in shards] == [3, 3, 3, 2]
    assert shard_indices(3) == [0, 1, 2]


def test_step_balance_measures_padding_and_waiting() -> None:
    lengths = [1, 3, 2, 2]
    # step 0: rank 0 [1, 3] -> 2 * 3 = 6 slots, rank 1 [2, 2] -> 4 slots
    cost = step_balance(lengths, [[[0, 1]], [[2, 3]]])
    assert cost["padding"] == pytest.approx(1 - 8 / 10)
    assert cost["waiting"] == pytest.approx(1 - 10 / 12)
    with pytest.raises(ValueError, match="same, non-zero number of batches"):
        step_balance(lengths, [[[0]], [[1], [2]]])


def test_global_buckets_balance_better_than_per_rank_bucketing() -> None:
    from rnn_guide.text import BucketBatchSampler

    world, batch = 4, 8

    def per_rank(rank: int) -> list[list[int]]:
        order = list(DistributedSampler(LENGTHS, world, rank, seed=0))
        return [[order[j] for j in b] for b in BucketBatchSampler([LENGTHS[i] for i in order], batch, seed=0)]

    naive = step_balance(LENGTHS, [per_rank(r) for r in range(world)])
    shared = step_balance(LENGTHS, [list(s) for s in _samplers(world, seed=0)])
    assert shared["waiting"] < naive["waiting"]


# --------------------------------------------------------------------------- without a process group


def test_setup_without_torchrun_is_a_single_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WORLD_SIZE", raising=False)
    context = setup_distributed(device="cpu")
    assert context == DistributedContext(0, 0, 1, torch.device("cpu"), None)
    assert context.is_main and not context.distributed
    teardown_distributed()  # nothing to tear down: no error


@pytest.mark.parametrize(
    ("env", "options", "message"),
    [
        ({"WORLD_SIZE": "2", "RANK": "2"}, {}, r"RANK must lie in \[0, WORLD_SIZE\)"),
        ({"WORLD_SIZE": "2", "RANK": "x"}, {}, "RANK must be an integer, got 'x'"),
        ({"WORLD_SIZE": "2"}, {}, "RANK must be set"),
        ({"WORLD_SIZE": "1", "RANK": "0"}, {"backend": "nccl", "device": "cpu"}, "'nccl' needs CUDA devices"),
        ({"WORLD_SIZE": "1", "RANK": "0"}, {"backend": "mpi"}, "backend"),
    ],
)
def test_setup_rejects_a_bad_environment(
    monkeypatch: pytest.MonkeyPatch, env: dict, options: dict, message: str
) -> None:
    monkeypatch.delenv("RANK", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=message):
        setup_distributed(**options)


def test_devices_and_backends(monkeypatch: pytest.MonkeyPatch) -> None:
    assert rank_device(3, "cpu") == torch.device("cpu")
    monkeypatch.setenv("RNN_GUIDE_DEVICE", "cpu")
    assert rank_device(0) == torch.device("cpu")
    monkeypatch.setenv("RNN_GUIDE_DEVICE", "tpu")
    with pytest.raises(ValueError, match="RNN_GUIDE_DEVICE"):
        rank_device(0)
    monkeypatch.setenv("RNN_GUIDE_DEVICE", "auto")
    assert default_backend("cpu") == "gloo" and default_backend(torch.device("cuda", 1)) == "nccl"
    with pytest.raises(ValueError, match="preferred"):
        rank_device(0, "mps")
    if not torch.cuda.is_available():
        assert rank_device(1) == torch.device("cpu")
        with pytest.raises(RuntimeError, match="CUDA is not available"):
            rank_device(0, "cuda")


def test_collectives_without_a_process_group() -> None:
    assert all_reduce_sums({"a": 2, "b": torch.tensor(1.5)}) == {"a": 2.0, "b": 1.5}
    assert gather_objects({"x": 1}) == [{"x": 1}]
    with pytest.raises(TypeError, match=r"values\['a'\] must be a number"):
        all_reduce_sums({"a": "1"})  # type: ignore[dict-item]


def test_classification_sums_and_unwrap(tmp_path: Path, device_name: str) -> None:
    # the suite's device: where CUDA exists, DataParallel needs the model on the first GPU
    device = torch.device(device_name)
    torch.manual_seed(0)
    model = SequenceClassifier(20, 3, embedding_dim=4, hidden_size=4).to(device)
    model.train()
    items = [(torch.randint(1, 20, (n,)), n % 3) for n in range(1, 10)]
    sums = classification_sums(
        nn.DataParallel(model), DataLoader(items, batch_size=4, collate_fn=collate_padded), device=device
    )
    assert model.training, "the train/eval mode is restored"
    model.eval()
    tokens, lengths, labels = collate_padded(items)
    with torch.no_grad():
        logits = model(tokens.to(device), lengths).cpu()
    assert sums["count"] == 9
    assert sums["correct"] == float((logits.argmax(1) == labels).sum())
    assert sums["loss"] == pytest.approx(float(nn.functional.cross_entropy(logits, labels, reduction="sum")), rel=1e-5)
    assert unwrap_model(nn.DataParallel(model)) is model and unwrap_model(model) is model
    path = save_checkpoint_on_main(tmp_path / "one.pt", model=nn.DataParallel(model), epoch=1)
    assert path == tmp_path / "one.pt"
    assert "embedding.weight" in load_checkpoint(path).model_state, "saved without the wrapper's prefix"


def test_synthetic_reviews() -> None:
    data = synthetic_reviews(101, seed=4, min_words=2, max_words=9)
    assert data.texts == synthetic_reviews(101, seed=4, min_words=2, max_words=9).texts
    assert data.labels.count("pos") == 51 and data.labels.count("neg") == 50
    assert all(3 <= len(t.replace(" <br />", "").split()) <= 12 for t in data.texts)
    with pytest.raises(ValueError, match="max_words must be at least min_words=5, got 4"):
        synthetic_reviews(3, min_words=5, max_words=4)


def test_the_page_command_is_the_one_the_snippet_launches() -> None:
    commands = (ROOT / "snippets" / "training" / "distributed.sh").read_text(encoding="utf-8")
    shown = re.search(r"\[start:cpu\]\n(.*?)\n# --8<-- \[end:cpu\]", commands, re.S)
    assert shown
    launcher = (ROOT / "snippets" / "training" / "distributed.py").read_text(encoding="utf-8")
    section = launcher.split("[start:launch]")[1].split("[end:launch]")[0]
    arguments = re.findall(r'^\s+"([^"]+)",$', section, re.M)
    assert "torchrun " + " ".join(arguments) == shown.group(1).strip()


# ------------------------------------------------------------------------ two processes, gloo, CPU


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.slow
def test_two_gloo_processes_train_like_one_process(tmp_path: Path) -> None:
    context = mp.start_processes(
        ddp_worker.train_worker,
        args=(_free_port(), str(tmp_path)),
        nprocs=ddp_worker.WORLD_SIZE,
        join=False,
        start_method="spawn",
    )
    initial, reference = ddp_worker.train_reference()  # while the workers run
    deadline = time.monotonic() + 180
    while not context.join(timeout=1):
        if time.monotonic() > deadline:
            for process in context.processes:
                process.kill()
            pytest.fail("the two DDP processes did not finish within 180 s")
    results = [torch.load(tmp_path / f"rank{r}.result", weights_only=False) for r in range(2)]
    assert [r["context"] for r in results] == [(0, 0, 2, "gloo"), (1, 1, 2, "gloo")]
    assert results[0]["steps"] == results[1]["steps"]

    # Both ranks end with the same weights, bit for bit ...
    for name, tensor in results[0]["state"].items():
        assert torch.equal(tensor, results[1]["state"][name]), f"ranks differ in {name}"
    # ... those of one process trained on the same global batches from rank 0's initial weights.
    ddp_state, expected = results[0]["state"], reference.state_dict()
    for name, tensor in expected.items():
        torch.testing.assert_close(ddp_state[name], tensor, rtol=1e-4, atol=1e-5, msg=f"{name} differs")
    moved = max(float((ddp_state[k] - v).abs().max()) for k, v in initial.state_dict().items())
    assert moved > 0.05, "training changed the weights"

    # Only rank 0 wrote the checkpoint, and it holds the trained weights without the DDP prefix.
    assert results[0]["written"] == str(tmp_path / ddp_worker.CHECKPOINT_NAME) and results[1]["written"] is None
    assert sorted(p.name for p in tmp_path.iterdir()) == [ddp_worker.CHECKPOINT_NAME, "rank0.result", "rank1.result"]
    _, valid_set, vocab_size = ddp_worker.build_data()
    loaded = ddp_worker.build_model(vocab_size, seed=0)
    load_checkpoint(tmp_path / ddp_worker.CHECKPOINT_NAME, model=loaded, map_location="cpu")
    assert all(torch.equal(v, ddp_state[k]) for k, v in loaded.state_dict().items())

    # The all-reduced metrics are those of the whole validation set in one process.
    locals_ = [r["local"] for r in results]
    assert [part["count"] for part in locals_] == [19, 18]
    assert results[0]["total"] == results[1]["total"]
    whole = classification_sums(loaded, DataLoader(valid_set, batch_size=64, collate_fn=collate_padded), device="cpu")
    total = results[0]["total"]
    assert total["count"] == whole["count"] == ddp_worker.VALID_TEXTS
    assert total["correct"] == whole["correct"]
    assert total["loss"] == pytest.approx(whole["loss"], rel=1e-5)
