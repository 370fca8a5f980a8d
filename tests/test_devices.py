"""Tests for rnn_guide.devices: device choice, seeding, determinism flags and the hardware description."""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator

import numpy as np
import pytest
import torch

from rnn_guide import devices
from rnn_guide.devices import (
    CUBLAS_WORKSPACE_CONFIG,
    DEVICE_ENV_VAR,
    describe_hardware,
    deterministic_mode,
    pick_device,
    seed_everything,
)

CUDA = torch.cuda.is_available()
MPS = devices._mps_available()


def deterministic_state() -> tuple:
    return (
        torch.backends.cudnn.deterministic,
        torch.backends.cudnn.benchmark,
        torch.are_deterministic_algorithms_enabled(),
        torch.is_deterministic_algorithms_warn_only_enabled(),
        os.environ.get("CUBLAS_WORKSPACE_CONFIG"),
    )


@pytest.fixture
def restore_global_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Save the RNG states and the determinism settings; put them back after the test."""
    monkeypatch.delenv("CUBLAS_WORKSPACE_CONFIG", raising=False)  # monkeypatch restores the original value
    py_state, np_state, torch_state = random.getstate(), np.random.get_state(), torch.get_rng_state()
    cudnn_det, cudnn_bench, algorithms, warn_only, _ = deterministic_state()
    yield
    random.setstate(py_state)
    np.random.set_state(np_state)
    torch.set_rng_state(torch_state)
    torch.backends.cudnn.deterministic = cudnn_det
    torch.backends.cudnn.benchmark = cudnn_bench
    torch.use_deterministic_algorithms(algorithms, warn_only=warn_only)


@pytest.fixture
def no_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delenv(DEVICE_ENV_VAR, raising=False)
    return monkeypatch


# ----------------------------------------------------------------------------------------------------
# pick_device
# ----------------------------------------------------------------------------------------------------


def test_pick_device_automatic_order(no_env: pytest.MonkeyPatch) -> None:
    expected = "cuda" if CUDA else "mps" if MPS else "cpu"
    assert pick_device().type == expected
    assert pick_device("auto").type == expected
    no_env.setattr(torch.cuda, "is_available", lambda: True)
    no_env.setattr(devices, "_mps_available", lambda: True)
    assert pick_device() == torch.device("cuda")
    no_env.setattr(torch.cuda, "is_available", lambda: False)
    assert pick_device() == torch.device("mps")
    no_env.setattr(devices, "_mps_available", lambda: False)
    assert pick_device() == torch.device("cpu")


def test_pick_device_explicit_cpu(no_env: pytest.MonkeyPatch) -> None:
    assert pick_device("cpu") == torch.device("cpu")
    assert pick_device(torch.device("cpu")) == torch.device("cpu")
    assert pick_device(" cpu ") == torch.device("cpu")


def test_pick_device_environment_override(no_env: pytest.MonkeyPatch) -> None:
    no_env.setenv(DEVICE_ENV_VAR, "cpu")
    no_env.setattr(torch.cuda, "is_available", lambda: True)  # even when CUDA "is" there
    assert pick_device() == torch.device("cpu")
    no_env.setenv(DEVICE_ENV_VAR, "auto")
    assert pick_device() == torch.device("cuda")
    no_env.setenv(DEVICE_ENV_VAR, "")  # empty means unset
    assert pick_device() == torch.device("cuda")


def test_pick_device_argument_beats_environment(no_env: pytest.MonkeyPatch) -> None:
    no_env.setenv(DEVICE_ENV_VAR, "cuda:7")
    assert pick_device("cpu") == torch.device("cpu")


@pytest.mark.skipif(CUDA, reason="needs a machine without CUDA")
def test_pick_device_unavailable_cuda_is_an_error(no_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(RuntimeError, match=r"'cuda'.*CUDA is not available"):
        pick_device("cuda")
    no_env.setenv(DEVICE_ENV_VAR, "cuda:1")
    with pytest.raises(RuntimeError, match=f"{DEVICE_ENV_VAR}.*'cuda:1'"):
        pick_device()


@pytest.mark.skipif(MPS, reason="needs a machine without MPS")
def test_pick_device_unavailable_mps_is_an_error(no_env: pytest.MonkeyPatch) -> None:
    with pytest.raises(RuntimeError, match="MPS"):
        pick_device("mps")


@pytest.mark.cuda
@pytest.mark.skipif(not CUDA, reason="needs CUDA")
def test_pick_device_cuda_index_out_of_range(no_env: pytest.MonkeyPatch) -> None:
    count = torch.cuda.device_count()
    assert pick_device("cuda:0") == torch.device("cuda:0")
    with pytest.raises(RuntimeError, match=f"{count} CUDA device"):
        pick_device(f"cuda:{count}")


def test_pick_device_index_check_with_fake_cuda(no_env: pytest.MonkeyPatch) -> None:
    no_env.setattr(torch.cuda, "is_available", lambda: True)
    no_env.setattr(torch.cuda, "device_count", lambda: 2)
    assert pick_device("cuda:1") == torch.device("cuda:1")
    with pytest.raises(RuntimeError, match="2 CUDA device"):
        pick_device("cuda:2")


@pytest.mark.parametrize(("value", "error"), [("banana", ValueError), ("meta", ValueError), (0, TypeError)])
def test_pick_device_rejects_bad_requests(no_env: pytest.MonkeyPatch, value: object, error: type) -> None:
    with pytest.raises(error, match="preferred"):
        pick_device(value)


def test_pick_device_bad_environment_value_names_the_variable(no_env: pytest.MonkeyPatch) -> None:
    no_env.setenv(DEVICE_ENV_VAR, "gpu")
    with pytest.raises(ValueError, match=DEVICE_ENV_VAR):
        pick_device()


# ----------------------------------------------------------------------------------------------------
# seed_everything and deterministic_mode
# ----------------------------------------------------------------------------------------------------


def draw() -> tuple:
    return random.random(), np.random.rand(3).tolist(), torch.rand(3).tolist(), torch.randn(2, 2).tolist()


@pytest.mark.usefixtures("restore_global_state")
def test_seed_everything_is_reproducible() -> None:
    seed_everything(123)
    first = draw()
    seed_everything(123)
    assert draw() == first
    seed_everything(124)
    assert draw() != first
    # Each generator is seeded, not just one of them.
    seed_everything(123)
    random.random()
    assert np.random.rand(3).tolist() == first[1]
    assert torch.rand(3).tolist() == first[2]


@pytest.mark.usefixtures("restore_global_state")
def test_seed_everything_makes_model_initialisation_reproducible() -> None:
    seed_everything(7)
    a = torch.nn.LSTM(3, 4).state_dict()
    seed_everything(7)
    b = torch.nn.LSTM(3, 4).state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)


@pytest.mark.usefixtures("restore_global_state")
def test_seed_everything_without_deterministic_leaves_flags_alone() -> None:
    before = deterministic_state()
    seed_everything(0)
    assert deterministic_state() == before


@pytest.mark.usefixtures("restore_global_state")
def test_seed_everything_deterministic_sets_flags() -> None:
    torch.backends.cudnn.benchmark = True
    seed_everything(0, deterministic=True)
    assert torch.backends.cudnn.deterministic is True
    assert torch.backends.cudnn.benchmark is False
    assert torch.are_deterministic_algorithms_enabled()
    assert not torch.is_deterministic_algorithms_warn_only_enabled()
    assert os.environ["CUBLAS_WORKSPACE_CONFIG"] == CUBLAS_WORKSPACE_CONFIG == ":4096:8"


@pytest.mark.usefixtures("restore_global_state")
def test_seed_everything_keeps_an_existing_cublas_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CUBLAS_WORKSPACE_CONFIG", ":16:8")
    seed_everything(0, deterministic=True)
    assert os.environ["CUBLAS_WORKSPACE_CONFIG"] == ":16:8"


@pytest.mark.usefixtures("restore_global_state")
def test_the_fixture_restores_deterministic_state() -> None:
    # Guards the other tests: what seed_everything(deterministic=True) sets is undone by the fixture.
    assert not torch.are_deterministic_algorithms_enabled()
    assert os.environ.get("CUBLAS_WORKSPACE_CONFIG") is None


@pytest.mark.usefixtures("restore_global_state")
def test_deterministic_mode_sets_and_restores_everything() -> None:
    torch.backends.cudnn.benchmark = True
    before = deterministic_state()
    with deterministic_mode():
        assert torch.are_deterministic_algorithms_enabled()
        assert torch.backends.cudnn.deterministic is True
        assert torch.backends.cudnn.benchmark is False
        assert os.environ["CUBLAS_WORKSPACE_CONFIG"] == ":4096:8"
    assert deterministic_state() == before
    with pytest.raises(KeyError), deterministic_mode(warn_only=True):
        assert torch.is_deterministic_algorithms_warn_only_enabled()
        raise KeyError("boom")
    assert deterministic_state() == before


def put_with_repeated_index() -> torch.Tensor:
    # put_ with accumulate=False and a repeated index has no deterministic implementation, also on CPU.
    return torch.zeros(3).put_(torch.tensor([0, 0]), torch.tensor([1.0, 2.0]), accumulate=False)


@pytest.mark.usefixtures("restore_global_state")
def test_deterministic_mode_makes_nondeterministic_ops_fail_loudly() -> None:
    put_with_repeated_index()
    with deterministic_mode(), pytest.raises(RuntimeError, match="deterministic"):
        put_with_repeated_index()
    with deterministic_mode(warn_only=True), pytest.warns(UserWarning, match="deterministic"):
        put_with_repeated_index()
    put_with_repeated_index()  # allowed again afterwards


@pytest.mark.parametrize(
    ("seed", "error"), [(-1, ValueError), (2**32, ValueError), (1.5, TypeError), (True, TypeError)]
)
def test_seed_everything_validation(seed: object, error: type) -> None:
    with pytest.raises(error, match="seed"):
        seed_everything(seed)


def test_seed_everything_rejects_non_bool_deterministic() -> None:
    with pytest.raises(TypeError, match="deterministic"):
        seed_everything(0, deterministic="yes")


# ----------------------------------------------------------------------------------------------------
# describe_hardware
# ----------------------------------------------------------------------------------------------------


def test_describe_hardware_keys_and_values() -> None:
    info = describe_hardware()
    assert set(info) == {
        "cpu",
        "cpu_count",
        "cpu_count_usable",
        "torch_threads",
        "machine",
        "os",
        "python",
        "torch",
        "numpy",
        "cuda",
        "cuda_available",
        "gpu_count",
        "gpus",
        "gpu",
        "mps_available",
    }
    assert json.loads(json.dumps(info)) == info  # a benchmark file can store it as it is
    assert isinstance(info["cpu"], str)
    assert info["cpu"]
    assert info["cpu_count"] >= 1
    assert 1 <= info["cpu_count_usable"] <= info["cpu_count"]
    assert info["torch"] == torch.__version__
    assert info["numpy"] == np.__version__
    assert info["cuda_available"] is CUDA
    assert info["gpu_count"] == len(info["gpus"]) == (torch.cuda.device_count() if CUDA else 0)
    assert info["gpu"] == (info["gpus"][0] if info["gpus"] else None)
    assert info["mps_available"] is MPS


def test_cpu_model_reads_proc_cpuinfo_when_present() -> None:
    if not os.path.exists("/proc/cpuinfo"):
        pytest.skip("no /proc/cpuinfo on this system")
    with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
        names = [line.partition(":")[2].strip() for line in f if line.startswith("model name")]
    if not names:
        pytest.skip("/proc/cpuinfo has no 'model name' line here")
    assert describe_hardware()["cpu"] == names[0]
