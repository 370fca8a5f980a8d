"""The two sentiment data sets of the guide, found by the package's one data resolver.

* :func:`load_imdb` — IMDB Large Movie Review Dataset v1.0 (Maas et al., 2011): the official 25,000 /
  25,000 train/test split, labels ``"neg"`` / ``"pos"``; or, with ``sample=True``, the balanced sample of
  2,500 / 1,000 reviews that the package carries (what the tutorial trains on).
* :func:`load_chnsenticorp` — ChnSentiCorp (Tan & Zhang, 2008) in the standard 9,600 / 1,200 / 1,200
  train/dev/test split used by ERNIE, PaddleNLP and Chinese-BERT-wwm, labels ``0`` (negative) / ``1``
  (positive). The package carries it.

Files are found by :func:`rnn_guide.data.resolve`: ``path=``, then ``$RNN_GUIDE_DATA``, then the copy the
package carries, then the download cache, then a download from the original source (SHA-256 checked, archives
extracted safely). Offline without a copy, :class:`rnn_guide.data.DataNotFoundError` says where to get the
data and where to put it.
"""

from __future__ import annotations

import csv
import gzip
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rnn_guide._validation import describe
from rnn_guide.data import DATA_ENV, DATA_FILES, DataNotFoundError, resolve
from rnn_guide.downloads import extract_archive

__all__ = ["IMDB_SAMPLE_SIZES", "IMDB_SIZES", "LabelledTexts", "load_chnsenticorp", "load_imdb"]

IMDB_CSV = Path(DATA_FILES["imdb_csv"].filename).name
IMDB_SIZES = {"train": 25_000, "test": 25_000}
IMDB_SAMPLE_SIZES = {"train": 2_500, "test": 1_000}
CHNSENTICORP_SPLITS = ("train", "dev", "test")


@dataclass(frozen=True)
class LabelledTexts:
    """One split of a data set: ``texts[i]`` has label ``labels[i]``.

    Iterating yields ``(text, label)`` pairs; ``len()`` is the number of texts.
    """

    texts: list[str]
    labels: list[Any]

    def __post_init__(self) -> None:
        if len(self.texts) != len(self.labels):
            raise ValueError(f"labels must have one entry per text ({len(self.texts)}), got {len(self.labels)}")

    def __len__(self) -> int:
        return len(self.texts)

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        return iter(zip(self.texts, self.labels, strict=True))

    def __repr__(self) -> str:
        counts: dict[Any, int] = {}
        for label in self.labels:
            counts[label] = counts.get(label, 0) + 1
        shown = ", ".join(f"{k!r}: {v}" for k, v in sorted(counts.items(), key=lambda kv: str(kv[0])))
        return f"LabelledTexts({len(self)} texts, labels {{{shown}}})"


def _check_path(path: Any) -> Path | None:
    if path is None:
        return None
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a str, a path or None, got {describe(path)}")
    path = Path(path).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"path {path} does not exist")
    return path


# ---------------------------------------------------------------------------------------------- IMDB


def _read_imdb_csv(path: Path) -> dict[str, LabelledTexts]:
    opener = gzip.open if path.suffix == ".gz" else open
    splits: dict[str, LabelledTexts] = {"train": LabelledTexts([], []), "test": LabelledTexts([], [])}
    with opener(path, "rt", encoding="utf-8", newline="") as handle:  # type: ignore[operator]
        reader = csv.DictReader(handle)
        missing = {"split", "label", "text"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path} must have the columns split, label and text; missing {sorted(missing)}")
        for row in reader:
            split = splits.get(row["split"])
            if split is None:
                raise ValueError(f"{path}: the split column must hold 'train' or 'test', got {row['split']!r}")
            split.texts.append(row["text"])
            split.labels.append(row["label"])
    return splits


def _read_imdb_folder(root: Path) -> dict[str, LabelledTexts]:
    splits = {}
    for split in ("train", "test"):
        texts: list[str] = []
        labels: list[str] = []
        for label in ("neg", "pos"):
            folder = root / split / label
            if not folder.is_dir():
                raise FileNotFoundError(f"{root} is not an extracted aclImdb folder: {folder} is missing")
            files = sorted(folder.glob("*.txt"), key=lambda p: (int(p.stem.split("_")[0]), p.name))
            for file in files:
                texts.append(file.read_text(encoding="utf-8"))
                labels.append(label)
        splits[split] = LabelledTexts(texts, labels)
    return splits


def _check_sizes(splits: dict[str, LabelledTexts], expected: dict[str, int], path: Path) -> dict[str, LabelledTexts]:
    sizes = {name: len(split) for name, split in splits.items()}
    if sizes != expected:
        raise ValueError(f"{path} holds {sizes} reviews, expected {expected}; pass verify=False to read a subset")
    return splits


def _imdb_from(path: Path, *, verify: bool) -> dict[str, LabelledTexts]:
    """Read an IMDB copy: the labelled CSV, the original archive, an aclImdb folder or a folder holding one."""
    if path.is_dir() and not (path / "train" / "pos").is_dir():
        for candidate in (path / IMDB_CSV, path / "aclImdb", path / "aclImdb_v1.tar.gz"):
            if candidate.exists():
                path = candidate
                break
        else:
            raise FileNotFoundError(
                f"{path} holds no IMDB copy: expected {IMDB_CSV}, an extracted aclImdb/ folder or "
                f"aclImdb_v1.tar.gz in it"
            )
    if path.is_dir():
        splits = _read_imdb_folder(path)
    elif path.name.endswith((".tar.gz", ".tgz")):
        archive = resolve("imdb_archive", path=path, verify=verify)
        splits = _read_imdb_folder(_extract_once(archive, archive.parent / "aclImdb.extracted") / "aclImdb")
    else:
        if path.name == IMDB_CSV:
            path = resolve("imdb_csv", path=path, verify=verify)
        splits = _read_imdb_csv(path)
    return _check_sizes(splits, IMDB_SIZES, path) if verify else splits


def _extract_once(archive: Path, destination: Path) -> Path:
    """Extract ``archive`` to ``destination`` unless a completed extraction is there already."""
    marker = destination / ".complete"
    if marker.is_file() and marker.read_text() == archive.name:
        return destination
    if destination.exists():
        shutil.rmtree(destination)
    extract_archive(archive, destination)
    marker.write_text(archive.name)
    return destination


def load_imdb(
    path: str | os.PathLike[str] | None = None,
    *,
    sample: bool = False,
    download: bool = True,
    verify: bool = True,
) -> dict[str, LabelledTexts]:
    """Load the IMDB movie reviews with their official train/test split, or the carried sample.

    Args:
        path: a local copy of the full data set, one of: the labelled CSV (``imdb_aclImdb_v1_labeled.csv.gz``,
            columns ``split,label,text``), the original ``aclImdb_v1.tar.gz``, an extracted ``aclImdb`` folder,
            or a folder holding one of these. ``None`` looks in ``$RNN_GUIDE_DATA``, then in the cache, then
            downloads.
        sample: return the sample the package carries instead: 2,500 training reviews (1,250 per label) and
            1,000 test reviews (500 per label), drawn from the official split with a fixed seed
            (``benchmarks/make_imdb_sample.py``). Needs no download.
        download: allow downloading the original archive (84 MB) from Stanford when no copy is found.
        verify: check the SHA-256 of the known files and the split sizes. Pass ``False`` for a subset or a
            file you changed.

    Returns:
        ``{"train": LabelledTexts, "test": LabelledTexts}``, labels ``"neg"`` and ``"pos"``, in the order
        of the original files (negative reviews first, then by review id). Texts are unchanged (they still
        contain ``<br />``; :func:`rnn_guide.text.tokenize.tokenize_en` removes them).

    Raises:
        FileNotFoundError: if ``path`` holds no IMDB copy.
        DataNotFoundError: if no copy is found and none can be downloaded; the message says where to get the
            data and where to put it.
        ChecksumError: if a file is not the original.
    """
    if sample:
        if path is not None:
            raise ValueError("pass either path= (the full data set) or sample=True (the carried sample), not both")
        sample_file = resolve("imdb_sample", verify=verify)
        splits = _read_imdb_csv(sample_file)
        return _check_sizes(splits, IMDB_SAMPLE_SIZES, sample_file) if verify else splits
    local = _check_path(path)
    if local is not None:
        return _imdb_from(local, verify=verify)
    try:
        return _imdb_from(resolve("imdb_csv", download=False, verify=verify), verify=verify)
    except DataNotFoundError:
        pass
    configured = os.environ.get(DATA_ENV)
    if configured and (Path(configured) / "aclImdb" / "train" / "pos").is_dir():
        return _imdb_from(Path(configured) / "aclImdb", verify=verify)
    return _imdb_from(resolve("imdb_archive", download=download, verify=verify), verify=verify)


# -------------------------------------------------------------------------------------- ChnSentiCorp


def _read_tsv(path: Path) -> LabelledTexts:
    texts: list[str] = []
    labels: list[int] = []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or [h.strip() for h in header[:2]] != ["label", "text_a"]:
            raise ValueError(f"{path} must start with the header 'label<TAB>text_a', got {header}")
        for line, row in enumerate(reader, start=2):
            if len(row) < 2:
                raise ValueError(f"{path}, line {line}: expected 'label<TAB>text', got {row}")
            try:
                label = int(row[0])
            except ValueError:
                raise ValueError(f"{path}, line {line}: the label must be 0 or 1, got {row[0]!r}") from None
            labels.append(label)
            texts.append("\t".join(row[1:]))
    return LabelledTexts(texts, labels)


def load_chnsenticorp(
    path: str | os.PathLike[str] | None = None, *, download: bool = True, verify: bool = True
) -> dict[str, LabelledTexts]:
    """Load ChnSentiCorp with its standard train/dev/test split.

    Args:
        path: a local copy: a folder holding ``train.tsv``, ``dev.tsv`` and ``test.tsv`` (tab-separated,
            header ``label<TAB>text_a``), or a folder with a ``chnsenticorp/`` folder holding them. ``None``
            looks in ``$RNN_GUIDE_DATA``, then uses the copy the package carries.
        download: allow downloading ``chnsenticorp.zip`` (from the Chinese-BERT-wwm repository at a fixed
            commit) when no copy is found (only if the package's own copy was removed).
        verify: check the SHA-256 of the three files. Pass ``False`` for a subset or a file you changed.

    Returns:
        ``{"train": ..., "dev": ..., "test": ...}`` as :class:`LabelledTexts`, labels ``0`` (negative) and
        ``1`` (positive), in file order.

    Raises:
        FileNotFoundError: if ``path`` holds no copy.
        DataNotFoundError: if no copy is found and none can be downloaded.
        ChecksumError: if a file is not the original.
    """
    folder = _check_path(path)
    return {
        split: _read_tsv(resolve(f"chnsenticorp_{split}", path=folder, download=download, verify=verify))
        for split in CHNSENTICORP_SPLITS
    }
