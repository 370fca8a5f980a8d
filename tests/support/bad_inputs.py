"""Files that the command lines must refuse with one line: tiny saved models of both kinds and broken inputs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

from rnn_guide.classifier import TextClassifier
from rnn_guide.forecaster import Forecaster
from rnn_guide.text.models import SequenceClassifier
from rnn_guide.text.tokenize import Tokenizer
from rnn_guide.text.vocab import Vocab
from rnn_guide.timeseries.models import SequenceForecaster
from rnn_guide.timeseries.scaling import make_scaler


def save_tiny_classifier(path: Path) -> Path:
    """An untrained two-class TextClassifier file (what ``classify train`` writes)."""
    tokenizer = Tokenizer("en")
    vocab = Vocab.build([tokenizer("good bad film")])
    torch.manual_seed(0)
    model = SequenceClassifier(len(vocab), 2, embedding_dim=4, hidden_size=4)
    TextClassifier(model, vocab, tokenizer, ["neg", "pos"]).save(path)
    return path


def save_tiny_forecaster(path: Path) -> Path:
    """An untrained one-channel Forecaster file (what ``forecast train`` writes)."""
    torch.manual_seed(0)
    scaler = make_scaler("standard").fit(np.arange(10.0)[:, None])
    Forecaster(SequenceForecaster(1, 2, hidden_size=4), scaler, lookback=4, model_name="sequence").save(path)
    return path


def broken_files(folder: Path) -> dict[str, Path]:
    """Inputs that are not what a command wants, by name."""
    files = {
        "missing": folder / "missing.csv",
        "folder": folder / "a-folder",
        "binary": folder / "binary.csv",
        "empty": folder / "empty.csv",
        "header_only": folder / "header-only.csv",
        "random_bytes": folder / "random.pt",
        "state_dict": folder / "state-dict.pt",
        "a_file": folder / "a-file.txt",
    }
    files["folder"].mkdir()
    files["binary"].write_bytes(bytes(range(128, 256)) * 4)
    files["empty"].write_bytes(b"")
    files["header_only"].write_text("text,label\n", encoding="utf-8")
    files["random_bytes"].write_bytes(np.random.default_rng(0).bytes(2048))
    torch.save(nn.Linear(2, 2).state_dict(), files["state_dict"])
    files["a_file"].write_text("not a folder\n", encoding="utf-8")
    files["classifier"] = save_tiny_classifier(folder / "classifier.pt")
    files["forecaster"] = save_tiny_forecaster(folder / "forecaster.pt")
    return files


def run_module(*arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m rnn_guide ...`` in a new process."""
    return subprocess.run(
        [sys.executable, "-m", "rnn_guide", *arguments], capture_output=True, text=True, timeout=180, env=env
    )


def assert_one_line_error(status: int, err: str, says: str) -> None:
    """What every command does with a bad input: status 2 and one line ``error: ...`` that says ``says``."""
    assert status == 2, err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: "), err
    assert says in err, err
    assert "Traceback" not in err and "Unsupported operand" not in err  # not torch's text
