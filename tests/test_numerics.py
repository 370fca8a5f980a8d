"""The comparison of printed outputs, and the probe that decides whether their numbers are compared at all."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest
from support import numerics
from support.snippets import masked_numbers, outputs_match

COMMITTED = "step  9  loss     0.7928  grad norm      5.442\nstep 11  loss  1.113e+04  grad norm  8.416e+05\n"


def test_exact_comparison_sees_the_last_digit() -> None:
    assert outputs_match(COMMITTED, COMMITTED, tolerant=False)
    assert not outputs_match(COMMITTED, COMMITTED.replace("5.442", "5.443"), tolerant=False)


def test_tolerant_comparison_accepts_the_last_digits_only() -> None:
    assert outputs_match("loss 0.79280\n", "loss 0.79281\n", tolerant=True)
    assert not outputs_match("loss 0.7928\n", "loss 0.7949\n", tolerant=True)
    assert not outputs_match("loss 0.7928\n", "cost 0.7928\n", tolerant=True)


def test_without_numbers_other_numbers_nan_and_their_padding_match() -> None:
    other = "step  9  loss     0.7949  grad norm      5.038\nstep 11  loss       5254  grad norm        nan\n"
    assert outputs_match(COMMITTED, other, tolerant=False, numbers=False)
    assert masked_numbers("| 0.0 | 0.0008 | 1.2155 |\n") == "| # | # | # |\n"


@pytest.mark.parametrize(
    "changed",
    [
        COMMITTED.replace("grad norm", "gradient norm"),  # a word
        COMMITTED + "step 12  loss        nan  grad norm        nan\n",  # a line more
        COMMITTED.replace("\n", " ", 1),  # the lines joined
        COMMITTED.replace("loss     0.7928", "loss"),  # a number gone
    ],
)
def test_without_numbers_words_and_lines_still_count(changed: str) -> None:
    assert not outputs_match(COMMITTED, changed, tolerant=False, numbers=False)


def _probe(**env: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", numerics.PROBE],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **env},
        check=True,
    )
    return completed.stdout.strip()


@pytest.mark.slow
def test_the_probe_gives_the_same_bits_on_every_run() -> None:
    assert _probe() == numerics.fingerprint()


@pytest.mark.slow
@pytest.mark.skipif(platform.machine() not in {"x86_64", "AMD64"}, reason="the vector kernels compared are x86-64's")
def test_the_probe_sees_a_change_of_kernels() -> None:
    """PyTorch's scalar kernels and the math library's SSE2 code path instead of their AVX2 ones: the snippets print
    other numbers then, so must the probe (a probe blind to it would let such a machine compare numbers it cannot
    reproduce). Either change alone changes the hash here."""
    import torch

    if torch.backends.cpu.get_cpu_capability() not in {"AVX2", "AVX512"}:
        pytest.skip("PyTorch runs its scalar kernels here already")
    assert _probe(ATEN_CPU_CAPABILITY="default", MKL_CBWR="COMPATIBLE") != numerics.fingerprint()


def test_another_fingerprint_means_numbers_are_not_compared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stored = tmp_path / "numerics_fingerprint.json"
    stored.write_text(json.dumps({"fingerprint": "0" * 64, "machine": "a machine of another kind"}), encoding="utf-8")
    monkeypatch.setattr(numerics, "FINGERPRINT_FILE", stored)
    numerics.same_numerics.cache_clear()
    try:
        same, why = numerics.same_numerics()
        assert not same
        assert "a machine of another kind" in why
        stored.write_text(json.dumps({"fingerprint": numerics.fingerprint(), "machine": "m"}), encoding="utf-8")
        numerics.same_numerics.cache_clear()
        assert numerics.same_numerics() == (True, "")
    finally:
        numerics.same_numerics.cache_clear()


def test_the_committed_fingerprint_names_its_machine() -> None:
    stored = json.loads(numerics.FINGERPRINT_FILE.read_text(encoding="utf-8"))
    assert len(stored["fingerprint"]) == 64
    assert stored["machine"]
