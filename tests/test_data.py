"""The one data resolver: the order of the places it looks, checksums, downloads and the offline message."""

from __future__ import annotations

import dataclasses
import fnmatch
import socket
from pathlib import Path

import pytest
import tomllib
from support.paths import ROOT

from rnn_guide import data
from rnn_guide.data import DATA_FILES, DataNotFoundError, carried_path, resolve
from rnn_guide.downloads import ChecksumError, sha256sum

CONTENT = b"Date,Passengers\n1949-01,112\n"


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.delenv("RNN_GUIDE_DATA", raising=False)
    monkeypatch.setenv("RNN_GUIDE_CACHE", str(tmp_path / "cache"))
    return tmp_path


def _tiny_known_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **changes) -> Path:
    """Make "air_passengers" a tiny file with a known checksum, carried in tmp_path/carried."""
    carried = tmp_path / "carried"
    carried.mkdir(exist_ok=True)
    (carried / "AirPassengers.csv").write_bytes(CONTENT)
    monkeypatch.setattr(data, "CARRIED_DIR", carried)
    known = dataclasses.replace(DATA_FILES["air_passengers"], sha256=sha256sum(carried / "AirPassengers.csv"))
    monkeypatch.setitem(DATA_FILES, "air_passengers", dataclasses.replace(known, **changes))
    return carried / "AirPassengers.csv"


def test_every_carried_file_is_there_and_is_the_published_one() -> None:
    carried = [name for name, known in DATA_FILES.items() if known.carried]
    assert set(carried) >= {"air_passengers", "sunspots", "etth1", "chnsenticorp_train", "imdb_sample"}
    for name in carried:
        path = carried_path(name)
        assert path is not None and path.is_file(), f"{name}: the package should carry {path}"
        assert sha256sum(path) == DATA_FILES[name].sha256, f"{name}: {path} is not the published file"


def test_the_package_build_includes_every_carried_file() -> None:
    """pyproject's package-data globs must cover the carried files, or `pip install` would drop them."""
    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["rnn_guide"]
    package = ROOT / "src" / "rnn_guide"
    for known in DATA_FILES.values():
        if known.carried:
            relative = (data.CARRIED_DIR / known.filename).relative_to(package).as_posix()
            assert any(fnmatch.fnmatch(relative, g) for g in globs), f"{relative} is not in package-data {globs}"
    assert "data/README.md" in globs


def test_carried_data_stays_small_and_documented() -> None:
    total = sum(p.stat().st_size for p in data.CARRIED_DIR.rglob("*") if p.is_file())
    assert total < 15_000_000, f"the carried data sets weigh {total:,} bytes; keep them under about 15 MB"
    readme = (ROOT / "src" / "rnn_guide" / "data" / "README.md").read_text(encoding="utf-8")
    for known in DATA_FILES.values():
        if known.carried:
            assert known.sha256 in readme and Path(known.filename).name in readme, f"{known.name} is not documented"


def test_order_path_then_environment_then_carried_then_cache(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    carried = _tiny_known_file(monkeypatch, isolated)
    assert resolve("air_passengers") == carried
    cache = isolated / "cache" / "AirPassengers.csv"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(CONTENT)
    assert resolve("air_passengers") == carried  # the carried copy comes before the cache
    carried.unlink()
    assert resolve("air_passengers") == cache
    env = isolated / "env"
    env.mkdir()
    (env / "AirPassengers.csv").write_bytes(CONTENT)
    monkeypatch.setenv("RNN_GUIDE_DATA", str(env))
    assert resolve("air_passengers") == env / "AirPassengers.csv"
    given = isolated / "given.csv"
    given.write_bytes(CONTENT)
    assert resolve("air_passengers", path=given) == given
    assert resolve("air_passengers", path=env) == env / "AirPassengers.csv"  # a folder holding it


def test_a_wrong_copy_anywhere_is_a_checksum_error(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tiny_known_file(monkeypatch, isolated)
    env = isolated / "env"
    env.mkdir()
    (env / "AirPassengers.csv").write_bytes(b"changed\n")
    monkeypatch.setenv("RNN_GUIDE_DATA", str(env))
    with pytest.raises(ChecksumError, match=r"SHA-256 of .*env/AirPassengers.csv .* verify=False"):
        resolve("air_passengers")
    assert resolve("air_passengers", verify=False) == env / "AirPassengers.csv"


def test_download_from_the_source_into_the_cache(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = isolated / "source.csv"
    source.write_bytes(CONTENT)
    carried = _tiny_known_file(monkeypatch, isolated, url=source.as_uri())
    carried.unlink()
    with pytest.raises(DataNotFoundError, match="download=False was given"):
        resolve("air_passengers", download=False)
    path = resolve("air_passengers")
    assert path == isolated / "cache" / "AirPassengers.csv" and path.read_bytes() == CONTENT
    source.unlink()
    assert resolve("air_passengers") == path  # the cache serves the next call


def test_offline_message_says_where_to_get_and_put_the_file(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}/ETTh1.csv"
    monkeypatch.setattr(data, "CARRIED_DIR", isolated / "nothing-carried")
    monkeypatch.setitem(DATA_FILES, "etth1", dataclasses.replace(DATA_FILES["etth1"], url=url))
    with pytest.raises(DataNotFoundError) as info:
        resolve("etth1")
    message = str(info.value)
    assert "is not on this machine and could not be downloaded" in message
    assert url in message and str(isolated / "cache" / "ETTh1.csv") in message
    assert "RNN_GUIDE_DATA" in message and "path=" in message
    assert isinstance(info.value, FileNotFoundError)
    with pytest.raises(DataNotFoundError, match="cannot be downloaded automatically.*It is R datasets::sunspots"):
        resolve("sunspots")


def test_bad_names_and_paths_are_explained(isolated: Path) -> None:
    with pytest.raises(ValueError, match="name must be one of .*etth1"):
        resolve("mnist")
    with pytest.raises(TypeError, match="name must be a str"):
        resolve(3)  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError, match="is neither ETTh1.csv nor a folder that holds it"):
        resolve("etth1", path=isolated / "missing")
