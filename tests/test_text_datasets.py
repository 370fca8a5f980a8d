"""Tests of rnn_guide.text.datasets: the carried copies, local copies, the download path (file:// URLs) and
the offline error.

The test that reads the full IMDB data set needs the environment variable RNN_GUIDE_DATA to point to a folder
holding it, and is skipped otherwise (nothing a page shows depends on it). Everything else reads the copies the
package carries or builds tiny copies in a temporary folder.
"""

from __future__ import annotations

import dataclasses
import io
import os
import socket
import tarfile
import zipfile
from pathlib import Path

import pytest

from rnn_guide import data
from rnn_guide.data import DataNotFoundError
from rnn_guide.downloads import ChecksumError, sha256sum
from rnn_guide.text.datasets import LabelledTexts, load_chnsenticorp, load_imdb

REAL_DATA = os.environ.get("RNN_GUIDE_DATA")
needs_full_imdb = pytest.mark.skipif(
    not (REAL_DATA and Path(REAL_DATA, "imdb_aclImdb_v1_labeled.csv.gz").is_file()),
    reason="the full IMDB data set is not carried: set RNN_GUIDE_DATA to a folder holding "
    "imdb_aclImdb_v1_labeled.csv.gz to run this test",
)

IMDB_REVIEWS = {
    ("train", "neg"): {"10_2": "Dull.<br />Boring.", "2_1": "Awful film."},
    ("train", "pos"): {"0_9": "Great fun!"},
    ("test", "neg"): {"0_3": "Bad."},
    ("test", "pos"): {"0_10": "Loved it.", "1_8": "Nice."},
}
TSV = {
    "train": 'label\ttext_a\n1\t很好\n0\t很差，"不"推荐\n',
    "dev": "label\ttext_a\n1\t不错\n",
    "test": "label\ttext_a\n0\t太差了\n1\t好\n",
}


@pytest.fixture
def isolated(monkeypatch, tmp_path: Path) -> Path:
    """No data folder from the environment and an empty cache under tmp_path."""
    monkeypatch.delenv("RNN_GUIDE_DATA", raising=False)
    monkeypatch.setenv("RNN_GUIDE_CACHE", str(tmp_path / "cache"))
    return tmp_path


def _no_carried_copies(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(data, "CARRIED_DIR", tmp_path / "no-carried-copies")


def _source(monkeypatch, name: str, **changes) -> None:
    monkeypatch.setitem(data.DATA_FILES, name, dataclasses.replace(data.DATA_FILES[name], **changes))


def _write_imdb_folder(root: Path) -> Path:
    for (split, label), reviews in IMDB_REVIEWS.items():
        folder = root / "aclImdb" / split / label
        folder.mkdir(parents=True)
        for stem, text in reviews.items():
            (folder / f"{stem}.txt").write_text(text, encoding="utf-8")
    return root / "aclImdb"


def _write_tsvs(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for split, text in TSV.items():
        (folder / f"{split}.tsv").write_text(text, encoding="utf-8")
    return folder


def _closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/archive"


@needs_full_imdb
def test_real_imdb_has_the_official_split() -> None:
    data = load_imdb()
    assert set(data) == {"train", "test"}
    for split in data.values():
        assert len(split) == 25_000
        assert split.labels.count("pos") == split.labels.count("neg") == 12_500
    assert data["train"].texts[0].startswith("Story of a man who has unnatural feelings for a pig.")


def test_carried_chnsenticorp_has_the_standard_split(isolated: Path) -> None:
    splits = load_chnsenticorp()
    assert {k: len(v) for k, v in splits.items()} == {"train": 9600, "dev": 1200, "test": 1200}
    assert sum(splits["test"].labels) == 608 and set(splits["train"].labels) == {0, 1}
    assert splits["train"].texts[0].startswith("选择珠江花园的原因就是方便")


def test_carried_imdb_sample_is_balanced_and_drawn_from_the_official_split(isolated: Path) -> None:
    sample = load_imdb(sample=True)
    assert {k: len(v) for k, v in sample.items()} == {"train": 2_500, "test": 1_000}
    assert sample["train"].labels.count("pos") == 1_250 and sample["test"].labels.count("neg") == 500
    assert len(set(sample["train"].texts)) > 2_450  # reviews, not copies of one
    with pytest.raises(ValueError, match="either path= .* or sample=True"):
        load_imdb(isolated, sample=True)


@needs_full_imdb
def test_imdb_sample_is_a_subset_of_the_full_data_set() -> None:
    full, sample = load_imdb(), load_imdb(sample=True)
    for split in ("train", "test"):
        assert set(sample[split].texts) <= set(full[split].texts)


def test_imdb_from_an_extracted_folder_keeps_file_order(isolated: Path) -> None:
    root = _write_imdb_folder(isolated / "local")
    for path in (root, root.parent):
        data = load_imdb(path, verify=False)
        assert data["train"].texts == [
            "Awful film.",
            "Dull.<br />Boring.",
            "Great fun!",
        ]  # ids 2, 10 then pos
        assert data["train"].labels == ["neg", "neg", "pos"]
        assert data["test"].labels == ["neg", "pos", "pos"]


def test_imdb_from_a_csv_copy(isolated: Path) -> None:
    path = isolated / "imdb.csv"
    path.write_text('split,label,rating,id,text\ntrain,pos,9,0,"Good, ""really"""\ntest,neg,1,0,Bad\n')
    data = load_imdb(path, verify=False)
    assert data["train"].texts == ['Good, "really"'] and data["test"].labels == ["neg"]
    with pytest.raises(ValueError, match=r"holds .* reviews, expected .*verify=False"):
        load_imdb(path)


def test_imdb_missing_local_copy_is_explained(isolated: Path) -> None:
    (isolated / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="holds no IMDB copy: expected imdb_aclImdb_v1_labeled"):
        load_imdb(isolated / "empty")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_imdb(isolated / "nowhere")
    with pytest.raises(TypeError, match="path must be a str, a path or None, got 3"):
        load_imdb(3)  # type: ignore[arg-type]


def test_imdb_download_from_the_source_into_the_cache(isolated: Path, monkeypatch) -> None:
    _write_imdb_folder(isolated / "src")
    archive = isolated / "aclImdb_v1.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(isolated / "src" / "aclImdb", arcname="aclImdb")
    _source(monkeypatch, "imdb_archive", url=archive.as_uri(), sha256=sha256sum(archive))
    with pytest.raises(FileNotFoundError, match="download=False"):
        load_imdb(download=False, verify=False)
    data = load_imdb(verify=False)
    assert len(data["train"]) == 3 and len(data["test"]) == 3
    assert (isolated / "cache" / "imdb" / "aclImdb_v1.tar.gz").is_file()
    archive.unlink()  # the cache alone serves the next call
    assert load_imdb(verify=False)["test"].texts == data["test"].texts


def test_imdb_download_with_a_wrong_checksum_keeps_nothing(isolated: Path, monkeypatch) -> None:
    archive = isolated / "aclImdb_v1.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("aclImdb/README")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    _source(monkeypatch, "imdb_archive", url=archive.as_uri())
    with pytest.raises(ChecksumError, match="SHA-256"):
        load_imdb()
    assert list((isolated / "cache" / "imdb").iterdir()) == []


def test_offline_without_a_copy_says_where_to_get_and_put_the_data(isolated: Path, monkeypatch) -> None:
    url = _closed_port_url()
    _no_carried_copies(monkeypatch, isolated)
    _source(monkeypatch, "imdb_archive", url=url)
    for split in ("train", "dev", "test"):
        _source(monkeypatch, f"chnsenticorp_{split}", url=url)
    for loader, name in ((load_imdb, "aclImdb_v1.tar.gz"), (load_chnsenticorp, "train.tsv")):
        with pytest.raises(DataNotFoundError) as info:
            loader()
        message = str(info.value)
        assert url in message and "could not be downloaded" in message
        assert str(isolated / "cache") in message and name in message
        assert "RNN_GUIDE_DATA" in message and "path=" in message
        assert info.value.__cause__ is None and info.value.__suppress_context__


def test_chnsenticorp_from_a_folder_reads_quotes_literally(isolated: Path) -> None:
    folder = _write_tsvs(isolated / "data" / "chnsenticorp")
    for path in (folder, folder.parent):
        data = load_chnsenticorp(path, verify=False)
        assert data["train"].texts == ["很好", '很差，"不"推荐'] and data["train"].labels == [1, 0]
        assert len(data["dev"]) == 1 and data["test"].labels == [0, 1]
    with pytest.raises(ChecksumError, match="verify=False"):
        load_chnsenticorp(folder)


def test_chnsenticorp_from_the_environment_folder(isolated: Path, monkeypatch) -> None:
    _write_tsvs(isolated / "data" / "chnsenticorp")
    monkeypatch.setenv("RNN_GUIDE_DATA", str(isolated / "data"))
    assert load_chnsenticorp(verify=False)["dev"].texts == ["不错"]


def test_chnsenticorp_download_verifies_the_extracted_files(isolated: Path, monkeypatch) -> None:
    folder = _write_tsvs(isolated / "src")
    archive = isolated / "chnsenticorp.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for split in TSV:
            zf.write(folder / f"{split}.tsv", f"chnsenticorp/{split}.tsv")
    _no_carried_copies(monkeypatch, isolated)
    for split in TSV:
        _source(monkeypatch, f"chnsenticorp_{split}", url=archive.as_uri())
    with pytest.raises(ChecksumError):  # the tiny files are not the original ones
        load_chnsenticorp()
    assert not (isolated / "cache" / "chnsenticorp" / "train.tsv").exists()
    for split in TSV:
        _source(monkeypatch, f"chnsenticorp_{split}", sha256=sha256sum(folder / f"{split}.tsv"))
    splits = load_chnsenticorp()
    assert splits["test"].texts == ["太差了", "好"]
    archive.unlink()
    assert load_chnsenticorp()["train"].labels == [1, 0]


def test_bad_tsv_lines_are_reported(isolated: Path) -> None:
    folder = _write_tsvs(isolated / "d")
    (folder / "dev.tsv").write_text("label\ttext_a\npositive\t好\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"dev.tsv, line 2: the label must be 0 or 1, got 'positive'"):
        load_chnsenticorp(folder, verify=False)


def test_labelled_texts() -> None:
    split = LabelledTexts(["a", "b"], [1, 0])
    assert len(split) == 2 and list(split) == [("a", 1), ("b", 0)]
    assert "2 texts" in repr(split)
    with pytest.raises(ValueError, match=r"labels must have one entry per text \(2\), got 1"):
        LabelledTexts(["a", "b"], [1])
