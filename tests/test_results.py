"""Tests of rnn_guide.results: writing and reading benchmark result files."""

from __future__ import annotations

import datetime as dt
import json
import math
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import rnn_guide
from rnn_guide.results import REQUIRED_KEYS, latest_result, load_results, write_result


def test_write_result_writes_every_key(tmp_path: Path) -> None:
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    path = write_result(
        "training_overhead",
        metrics={"overhead_percent": 1.5, "steps": np.int64(40), "rmse": np.float32(0.25)},
        config={"hidden_size": 32, "sizes": (1, 2)},
        duration_s=12.5,
        command="python benchmarks/training_overhead.py --repeats 3",
        directory=tmp_path / "results",
    )
    assert path.parent == tmp_path / "results"
    assert path.name.startswith("training_overhead-") and path.suffix == ".json"
    record = json.loads(path.read_text(encoding="utf-8"))
    assert set(record) == set(REQUIRED_KEYS)
    assert record["name"] == "training_overhead"
    assert record["metrics"] == {"overhead_percent": 1.5, "steps": 40, "rmse": 0.25}
    assert isinstance(record["metrics"]["steps"], int)
    assert record["config"] == {"hidden_size": 32, "sizes": [1, 2]}
    assert record["command"] == "python benchmarks/training_overhead.py --repeats 3"
    assert record["duration_seconds"] == 12.5
    assert record["rnn_guide_version"] == rnn_guide.__version__
    assert record["torch_version"] == torch.__version__
    assert record["hardware"]["torch"] == torch.__version__
    date = dt.datetime.fromisoformat(record["date"])
    assert date.utcoffset() == dt.timedelta(0)
    assert before <= date <= dt.datetime.now(dt.timezone.utc)
    assert path.stem.endswith(date.strftime("%Y%m%d-%H%M%S"))


def test_default_command_is_rebuilt_from_argv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    script = tmp_path / "benchmarks" / "speed.py"
    monkeypatch.setattr(sys, "argv", [str(script), "--repeats", "3", "--label", "two words"])
    path = write_result("speed", metrics={"seconds_per_epoch": 0.5}, config={}, duration_s=1.0)
    assert path.parent == Path("benchmarks/results")
    record = json.loads((tmp_path / path).read_text(encoding="utf-8"))
    assert record["command"] == "python benchmarks/speed.py --repeats 3 --label 'two words'"


def test_same_second_runs_get_distinct_files_and_load_in_order(tmp_path: Path) -> None:
    paths = [
        write_result("speed", metrics={"samples_per_second": float(i)}, config={}, duration_s=0, directory=tmp_path)
        for i in range(3)
    ]
    write_result("other", metrics={"rmse": 1.0}, config={}, duration_s=0, directory=tmp_path)
    assert len(set(paths)) == 3
    speeds = load_results("speed", directory=tmp_path)
    assert [r["metrics"]["samples_per_second"] for r in speeds] == [0.0, 1.0, 2.0]
    assert len(load_results(directory=tmp_path)) == 4
    assert latest_result("speed", directory=tmp_path)["metrics"]["samples_per_second"] == 2.0
    assert latest_result("other", directory=tmp_path)["metrics"] == {"rmse": 1.0}


def test_latest_result_uses_the_date_not_the_file_name(tmp_path: Path) -> None:
    for stem, date, value in [("a-new", "2030-01-01T00:00:00+00:00", 2.0), ("z-old", "2020-01-01T00:00:00+00:00", 1.0)]:
        record = dict.fromkeys(REQUIRED_KEYS, "x") | {
            "name": "speed",
            "date": date,
            "metrics": {"rmse": value},
        }
        (tmp_path / f"{stem}.json").write_text(json.dumps(record), encoding="utf-8")
    assert latest_result("speed", directory=tmp_path)["metrics"]["rmse"] == 2.0


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"name": ""}, ValueError, "name must be a non-empty string"),
        ({"name": "../escape"}, ValueError, "name must be a non-empty string"),
        ({"name": 3}, TypeError, "name must be a string"),
        ({"metrics": {}}, ValueError, "at least one metric"),
        ({"metrics": {"rmse": math.nan}}, ValueError, r"metrics\['rmse'\] must be a finite number"),
        ({"metrics": {"rmse": math.inf}}, ValueError, "finite"),
        ({"metrics": {"rmse": "0.1"}}, TypeError, "must be a real number"),
        ({"metrics": {"rmse": True}}, TypeError, "must be a real number"),
        ({"metrics": {"Test Accuracy": 0.9}}, ValueError, "snake_case"),
        ({"metrics": [("rmse", 1.0)]}, TypeError, "metrics must be a dict"),
        ({"config": {"f": math.nan}}, ValueError, "config must hold only JSON values"),
        ({"config": {"model": object()}}, ValueError, "config must hold only JSON values"),
        ({"config": {1: 2}}, TypeError, "config keys must be strings"),
        ({"duration_s": -1.0}, ValueError, "duration_s must lie in"),
        ({"duration_s": math.inf}, ValueError, "duration_s must be a finite number"),
        ({"command": ""}, ValueError, "command must be a non-empty string"),
    ],
)
def test_write_result_rejects_bad_input(tmp_path: Path, kwargs: dict, error: type[Exception], match: str) -> None:
    arguments = {"name": "speed", "metrics": {"rmse": 1.0}, "config": {}, "duration_s": 1.0} | kwargs
    name = arguments.pop("name")
    with pytest.raises(error, match=match):
        write_result(name, directory=tmp_path, **arguments)
    assert list(tmp_path.iterdir()) == []


def test_load_results_reports_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_results(directory=tmp_path / "missing")
    assert load_results(directory=tmp_path) == []
    with pytest.raises(FileNotFoundError, match="no benchmark result named 'speed'"):
        latest_result("speed", directory=tmp_path)
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.json is not valid JSON"):
        load_results(directory=tmp_path)
    (tmp_path / "broken.json").write_text(json.dumps({"name": "speed"}), encoding="utf-8")
    with pytest.raises(ValueError, match="lacks the keys"):
        load_results(directory=tmp_path)
