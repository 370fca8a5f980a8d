"""The two sentiment data sets of the guide, from a local copy or downloaded from their original source.

* :func:`load_imdb` — IMDB Large Movie Review Dataset v1.0 (Maas et al., 2011): the official 25,000 /
  25,000 train/test split, labels ``"neg"`` / ``"pos"``.
* :func:`load_chnsenticorp` — ChnSentiCorp (Tan & Zhang, 2008) in the standard 9,600 / 1,200 / 1,200
  train/dev/test split used by ERNIE, PaddleNLP and Chinese-BERT-wwm, labels ``0`` (negative) / ``1``
  (positive).

Where the data come from, in order:

1. ``path=``: a file or folder you point to (the formats each loader accepts are listed in its docstring);
2. the folder in the environment variable ``RNN_GUIDE_DATA``, if it holds the data set;
3. the download cache (:func:`rnn_guide.downloads.cache_dir`, i.e. ``$RNN_GUIDE_CACHE`` or
   ``~/.cache/rnn_guide``), downloading from the original source into it first if needed
   (``download=True``), with a SHA-256 check and safe extraction.

Without network and without a local copy the loaders raise :class:`rnn_guide.downloads.DownloadError`, whose
message names the URL to fetch and the places to put the file.
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
from rnn_guide.downloads import ChecksumError, DownloadError, cache_dir, extract_archive, sha256sum
from rnn_guide.downloads import download as download_file

__all__ = ["DATA_ENV", "LabelledTexts", "load_chnsenticorp", "load_imdb"]

DATA_ENV = "RNN_GUIDE_DATA"

IMDB_URL = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"
IMDB_SHA256 = "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe"
IMDB_CSV = "imdb_aclImdb_v1_labeled.csv.gz"
IMDB_CSV_SHA256 = "52475e9f06d56d8df0b513709294e897937ef9d61fb75715fd210867895b883a"
IMDB_SIZES = {"train": 25_000, "test": 25_000}

CHNSENTICORP_URL = (
    "https://raw.githubusercontent.com/ymcui/Chinese-BERT-wwm/"
    "f6410cbd89c49dee8a42a7f7d94d9cca87b431aa/data/chnsenticorp/chnsenticorp.zip"
)
CHNSENTICORP_SHA256 = {
    "train": "0b2653c23e5c79f539472e90cb10522f0ada4b80d3da95572d8b48fda47d5b33",
    "dev": "d129e443eac08ce7643013dad496a8edf282be39cac1a4f2ad080818b296b331",
    "test": "34f9d71eba6096cd8689e18913d28cf9a5f3c18a6c2804cd13304a321738c4bc",
}


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


def _data_dir() -> Path | None:
    configured = os.environ.get(DATA_ENV)
    return Path(configured).expanduser() if configured else None


def _verify(path: Path, expected: str, what: str) -> None:
    got = sha256sum(path)
    if got != expected:
        raise ChecksumError(
            f"the SHA-256 of {path} is {got}, expected {expected} for {what}. The file is damaged or is not "
            f"the original; pass verify=False to read a file you changed on purpose"
        )


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


def _find_imdb(folder: Path) -> Path | None:
    """A readable IMDB copy inside ``folder``: the labelled CSV, an aclImdb folder, or the archive."""
    for candidate in (folder / IMDB_CSV, folder / "aclImdb", folder, folder / "aclImdb_v1.tar.gz"):
        if candidate.is_file() or (candidate.is_dir() and (candidate / "train" / "pos").is_dir()):
            return candidate
    return None


def _imdb_from(path: Path, *, verify: bool) -> dict[str, LabelledTexts]:
    if path.is_dir():
        found = _find_imdb(path)
        if found is None:
            raise FileNotFoundError(
                f"{path} holds no IMDB copy: expected {IMDB_CSV}, an extracted aclImdb/ folder or "
                f"aclImdb_v1.tar.gz in it"
            )
        path = found
    if path.is_dir():
        splits = _read_imdb_folder(path)
    elif path.name.endswith((".tar.gz", ".tgz")):
        if verify:
            _verify(path, IMDB_SHA256, "aclImdb_v1.tar.gz")
        splits = _read_imdb_folder(_extract_once(path, cache_dir() / "imdb" / "extracted") / "aclImdb")
    else:
        if verify and path.name == IMDB_CSV:
            _verify(path, IMDB_CSV_SHA256, IMDB_CSV)
        splits = _read_imdb_csv(path)
    if verify:
        sizes = {name: len(split) for name, split in splits.items()}
        if sizes != IMDB_SIZES:
            raise ValueError(f"{path} holds {sizes} reviews, expected {IMDB_SIZES}; pass verify=False to read a subset")
    return splits


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


def _offline_help(what: str, url: str, local_names: str, cache_target: Path) -> str:
    return (
        f"{what} is not available locally and could not be downloaded. Get {url} on a machine with internet "
        f"access, then either put it at {cache_target}, or pass path=<file or folder> to the loader, or set "
        f"{DATA_ENV} to a folder holding {local_names}."
    )


def load_imdb(
    path: str | os.PathLike[str] | None = None, *, download: bool = True, verify: bool = True
) -> dict[str, LabelledTexts]:
    """Load the IMDB movie reviews with their official train/test split.

    Args:
        path: a local copy, one of: the labelled CSV (``imdb_aclImdb_v1_labeled.csv.gz``, columns
            ``split,label,text``), the original ``aclImdb_v1.tar.gz``, an extracted ``aclImdb`` folder, or a
            folder holding one of these. ``None`` looks in ``$RNN_GUIDE_DATA``, then in the cache, then
            downloads.
        download: allow downloading the original archive (84 MB) from Stanford when no copy is found.
        verify: check SHA-256 of the known files and the 25,000 / 25,000 sizes. Pass ``False`` for a
            subset or a file you changed.

    Returns:
        ``{"train": LabelledTexts, "test": LabelledTexts}``, labels ``"neg"`` and ``"pos"``, in the order
        of the original files (negative reviews first, then by review id). Texts are unchanged (they still
        contain ``<br />``; :func:`rnn_guide.text.tokenize.tokenize_en` removes them).

    Raises:
        FileNotFoundError: if ``path`` holds no IMDB copy, or nothing is found and ``download=False``.
        DownloadError: if the download fails; the message says where to get the data and where to put it.
        ChecksumError: if a file is not the original.
    """
    local = _check_path(path)
    if local is not None:
        return _imdb_from(local, verify=verify)
    configured = _data_dir()
    if configured is not None and configured.is_dir() and _find_imdb(configured) is not None:
        return _imdb_from(configured, verify=verify)
    cache = cache_dir() / "imdb"
    archive = cache / "aclImdb_v1.tar.gz"
    extracted = cache / "extracted"
    if (extracted / ".complete").is_file() and archive.is_file():
        return _imdb_from(extracted / "aclImdb", verify=verify)
    if not archive.is_file():
        help_text = _offline_help("The IMDB data set", IMDB_URL, f"{IMDB_CSV} or aclImdb/", archive)
        if not download:
            raise FileNotFoundError(help_text.replace("could not be downloaded", "download=False was given"))
        try:
            download_file(IMDB_URL, archive, sha256=IMDB_SHA256, what="the IMDB archive")
        except DownloadError as error:
            raise DownloadError(f"{help_text} Details: {error}") from None
    return _imdb_from(archive, verify=verify)


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


def _find_chnsenticorp(folder: Path) -> Path | None:
    """The folder holding train.tsv, dev.tsv and test.tsv: ``folder`` or one below it."""
    candidates = [folder, folder / "chnsenticorp"]
    candidates += sorted(p.parent for p in folder.glob("*/train.tsv") if "__MACOSX" not in p.parts)
    candidates += sorted(p.parent for p in folder.glob("*/*/train.tsv") if "__MACOSX" not in p.parts)
    for candidate in candidates:
        if all((candidate / f"{split}.tsv").is_file() for split in CHNSENTICORP_SHA256):
            return candidate
    return None


def _chnsenticorp_from(path: Path, *, verify: bool) -> dict[str, LabelledTexts]:
    if path.is_file():
        path = _extract_once(path, cache_dir() / "chnsenticorp" / "extracted")
    found = _find_chnsenticorp(path)
    if found is None:
        raise FileNotFoundError(f"{path} holds no ChnSentiCorp copy: expected train.tsv, dev.tsv and test.tsv")
    splits = {}
    for split, expected in CHNSENTICORP_SHA256.items():
        file = found / f"{split}.tsv"
        if verify:
            _verify(file, expected, f"ChnSentiCorp {split}.tsv")
        splits[split] = _read_tsv(file)
    return splits


def load_chnsenticorp(
    path: str | os.PathLike[str] | None = None, *, download: bool = True, verify: bool = True
) -> dict[str, LabelledTexts]:
    """Load ChnSentiCorp with its standard train/dev/test split.

    Args:
        path: a local copy: a folder holding ``train.tsv``, ``dev.tsv`` and ``test.tsv`` (tab-separated,
            header ``label<TAB>text_a``), a folder with a ``chnsenticorp/`` folder holding them, or the
            ``chnsenticorp.zip`` archive. ``None`` looks in ``$RNN_GUIDE_DATA``, then in the cache, then
            downloads.
        download: allow downloading ``chnsenticorp.zip`` (from the Chinese-BERT-wwm repository at a fixed
            commit) when no copy is found.
        verify: check the SHA-256 of the three files. Pass ``False`` for a subset or a file you changed.

    Returns:
        ``{"train": ..., "dev": ..., "test": ...}`` as :class:`LabelledTexts`, labels ``0`` (negative) and
        ``1`` (positive), in file order.

    Raises:
        FileNotFoundError: if ``path`` holds no copy, or nothing is found and ``download=False``.
        DownloadError: if the download fails; the message says where to get the data and where to put it.
        ChecksumError: if a file is not the original.
    """
    local = _check_path(path)
    if local is not None:
        return _chnsenticorp_from(local, verify=verify)
    configured = _data_dir()
    if configured is not None and configured.is_dir() and _find_chnsenticorp(configured) is not None:
        return _chnsenticorp_from(configured, verify=verify)
    cache = cache_dir() / "chnsenticorp"
    archive = cache / "chnsenticorp.zip"
    if (cache / "extracted" / ".complete").is_file() and archive.is_file():
        return _chnsenticorp_from(cache / "extracted", verify=verify)
    if not archive.is_file():
        help_text = _offline_help(
            "The ChnSentiCorp data set", CHNSENTICORP_URL, "chnsenticorp/{train,dev,test}.tsv", archive
        )
        if not download:
            raise FileNotFoundError(help_text.replace("could not be downloaded", "download=False was given"))
        try:
            # The zip's own checksum is not published; the three files inside are verified after extraction.
            download_file(CHNSENTICORP_URL, archive, what="the ChnSentiCorp archive")
        except DownloadError as error:
            raise DownloadError(f"{help_text} Details: {error}") from None
    try:
        return _chnsenticorp_from(archive, verify=True)
    except (ChecksumError, FileNotFoundError):
        archive.unlink(missing_ok=True)
        shutil.rmtree(cache / "extracted", ignore_errors=True)
        raise
