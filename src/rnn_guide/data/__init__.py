"""Where every data file of the guide comes from: one resolver for all loaders.

:func:`resolve` finds a known data file (see :data:`DATA_FILES`) in this order and returns its path:

1. ``path=``: a file, or a folder that holds the file under its usual name;
2. the folder named by the environment variable ``RNN_GUIDE_DATA`` (:data:`DATA_ENV`), if it holds the file;
3. the copy carried inside this package (``rnn_guide/data/files/``): AirPassengers, monthly sunspots,
   ETTh1, ChnSentiCorp and a 3,500-review sample of IMDB, so the pages and tests run offline;
4. the download cache (:func:`rnn_guide.downloads.cache_dir`: ``$RNN_GUIDE_CACHE`` or ``~/.cache/rnn_guide``);
5. a download from the original source into the cache (``download=True``), checked against its SHA-256;
   archives are extracted safely (:func:`rnn_guide.downloads.extract_archive`).

Every file found is checked against its published SHA-256 (``verify=False`` skips this, for a file you
changed on purpose); a wrong one raises :class:`~rnn_guide.downloads.ChecksumError`. A file found nowhere
raises :class:`DataNotFoundError`, whose message says where to get it and where to put it. The sources,
licences and sizes of the carried files are listed in ``rnn_guide/data/README.md``.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from rnn_guide._validation import describe
from rnn_guide.downloads import ChecksumError, DownloadError, cache_dir, download, extract_archive, sha256sum

__all__ = [
    "CARRIED_DIR",
    "DATA_ENV",
    "DATA_FILES",
    "DataFile",
    "DataNotFoundError",
    "carried_path",
    "resolve",
]

#: The environment variable naming a folder with local copies of the data files.
DATA_ENV = "RNN_GUIDE_DATA"
#: The folder of the copies carried inside the package.
CARRIED_DIR = Path(__file__).resolve().parent / "files"

_IMDB_ARCHIVE_URL = "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz"
_CHNSENTICORP_URL = (
    "https://raw.githubusercontent.com/ymcui/Chinese-BERT-wwm/"
    "f6410cbd89c49dee8a42a7f7d94d9cca87b431aa/data/chnsenticorp/chnsenticorp.zip"
)
_ETTH1_URL = (
    "https://raw.githubusercontent.com/zhouhaoyi/ETDataset/1d16c8f4f943005d613b5bc962e9eeb06058cf07/ETT-small/ETTh1.csv"
)


class DataNotFoundError(FileNotFoundError):
    """A data file is neither on this machine nor downloadable now; the message says where to get it."""


@dataclass(frozen=True)
class DataFile:
    """One known data file.

    Attributes:
        name: the key used with :func:`resolve` (``"etth1"``).
        filename: the file's path under ``RNN_GUIDE_DATA``, the carried folder and the cache
            (``"ETTh1.csv"``, ``"chnsenticorp/train.tsv"``).
        sha256: its published SHA-256.
        title: what it is, for messages (``"the ETTh1 series"``).
        source: where it comes from, for messages and the data README.
        url: the original source to download from, or ``None`` if there is no download.
        archive_member: if ``url`` is an archive, the file name to take from it (found at any depth).
        carried: whether the package carries a copy.
    """

    name: str
    filename: str
    sha256: str
    title: str
    source: str
    url: str | None = None
    archive_member: str | None = None
    carried: bool = False


def _chnsenticorp(split: str, sha256: str) -> DataFile:
    return DataFile(
        name=f"chnsenticorp_{split}",
        filename=f"chnsenticorp/{split}.tsv",
        sha256=sha256,
        title=f"ChnSentiCorp {split}.tsv",
        source="chnsenticorp.zip of the Chinese-BERT-wwm repository (ymcui/Chinese-BERT-wwm, commit f6410cb)",
        url=_CHNSENTICORP_URL,
        archive_member=f"{split}.tsv",
        carried=True,
    )


#: Every data file the package knows, by name.
DATA_FILES: dict[str, DataFile] = {
    f.name: f
    for f in (
        DataFile(
            "air_passengers",
            "AirPassengers.csv",
            "28af0eb869db6d9fbd31d5af03993a0cbf36c0857c3eb046a068c094b60da851",
            "the AirPassengers series",
            "Box & Jenkins series G, as sktime 1.2.0 ships it (sktime/datasets/data/Airline/Airline.csv)",
            carried=True,
        ),
        DataFile(
            "sunspots",
            "sunspots_monthly_1749_1983.csv",
            "5af2ea985a3ee4c120f5825c9d028a3cff35d4b30d470896e2e7876575723f27",
            "the monthly sunspot series",
            "R datasets::sunspots, as pmdarima 2.1.1 ships it (datasets/data/sunspots.txt.gz), with a month column",
            carried=True,
        ),
        DataFile(
            "etth1",
            "ETTh1.csv",
            "f18de3ad269cef59bb07b5438d79bb3042d3be49bdeecf01c1cd6d29695ee066",
            "the ETTh1 series",
            "the ETDataset repository (zhouhaoyi/ETDataset), ETT-small/ETTh1.csv",
            url=_ETTH1_URL,
            carried=True,
        ),
        _chnsenticorp("train", "0b2653c23e5c79f539472e90cb10522f0ada4b80d3da95572d8b48fda47d5b33"),
        _chnsenticorp("dev", "d129e443eac08ce7643013dad496a8edf282be39cac1a4f2ad080818b296b331"),
        _chnsenticorp("test", "34f9d71eba6096cd8689e18913d28cf9a5f3c18a6c2804cd13304a321738c4bc"),
        DataFile(
            "imdb_sample",
            "imdb_sample.csv.gz",
            "e7c0a920ba65f316570894c8978afa82ae064427bb3e275aa8b02ac3a5cf53f5",
            "the IMDB sample (2,500 training and 1,000 test reviews)",
            "drawn from the IMDB Large Movie Review Dataset v1.0 by benchmarks/make_imdb_sample.py",
            carried=True,
        ),
        DataFile(
            "imdb_csv",
            "imdb_aclImdb_v1_labeled.csv.gz",
            "52475e9f06d56d8df0b513709294e897937ef9d61fb75715fd210867895b883a",
            "the labelled IMDB reviews as one CSV",
            "the 50,000 labelled reviews of aclImdb_v1.tar.gz written as one CSV (split,label,rating,id,text)",
        ),
        DataFile(
            "imdb_archive",
            "imdb/aclImdb_v1.tar.gz",
            "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe",
            "the IMDB archive aclImdb_v1.tar.gz (84 MB)",
            "the Stanford AI Lab (Maas et al., 2011)",
            url=_IMDB_ARCHIVE_URL,
        ),
    )
}


def carried_path(name: str) -> Path | None:
    """The path of the package's own copy of data file ``name``, or ``None`` if it carries none."""
    known = _known(name)
    return CARRIED_DIR / known.filename if known.carried else None


def _known(name: str) -> DataFile:
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {describe(name)}")
    if name not in DATA_FILES:
        raise ValueError(f"name must be one of {sorted(DATA_FILES)}, got {name!r}")
    return DATA_FILES[name]


def _checked(path: Path, known: DataFile, *, verify: bool) -> Path:
    if verify:
        got = sha256sum(path)
        if got != known.sha256:
            raise ChecksumError(
                f"the SHA-256 of {path} is {got}, expected {known.sha256} for {known.title}: the file is damaged "
                f"or is not the original. Replace it with the original from {known.url or known.source}, or pass "
                f"verify=False to read a file you changed on purpose"
            )
    return path


def _in_folder(folder: Path, known: DataFile) -> Path | None:
    for candidate in (folder / known.filename, folder / PurePosixPath(known.filename).name):
        if candidate.is_file():
            return candidate
    return None


def _fetch(known: DataFile, target: Path) -> Path:
    """Download ``known`` from its original source to ``target`` (via its archive if it comes in one)."""
    assert known.url is not None
    if known.archive_member is None:
        return download(known.url, target, sha256=known.sha256, what=known.title)
    archive_name = PurePosixPath(known.url).name
    archive = cache_dir() / "archives" / archive_name
    download(known.url, archive, what=archive_name)  # no published checksum: the members are verified
    extracted = archive.with_name(archive_name + ".extracted")
    if not extracted.is_dir():
        extract_archive(archive, extracted)
    found = sorted(p for p in extracted.rglob(known.archive_member) if "__MACOSX" not in p.parts)
    if not found:
        raise DataNotFoundError(f"{archive} holds no {known.archive_member}; it is not the expected archive")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(found[0], target)
    try:
        return _checked(target, known, verify=True)
    except ChecksumError:
        target.unlink(missing_ok=True)
        raise


def _not_found(known: DataFile, target: Path, reason: str) -> DataNotFoundError:
    where = f"Download it from {known.url}" if known.url else f"It is {known.source}: copy it"
    return DataNotFoundError(
        f"{known.title} ({PurePosixPath(known.filename).name}) is not on this machine and {reason}. {where} on a "
        f"machine with internet access, then put it at {target}, or pass path=<the file or its folder>, or set "
        f"{DATA_ENV} to a folder that holds {known.filename}"
    )


def resolve(
    name: str,
    *,
    path: str | os.PathLike[str] | None = None,
    download: bool = True,
    verify: bool = True,
) -> Path:
    """The path of data file ``name``, found or downloaded in the order of this module's docstring.

    Args:
        name: a key of :data:`DATA_FILES` (``"air_passengers"``, ``"sunspots"``, ``"etth1"``,
            ``"chnsenticorp_train"``/``"_dev"``/``"_test"``, ``"imdb_sample"``, ``"imdb_csv"``,
            ``"imdb_archive"``).
        path: the file itself, or a folder that holds it under its usual name; wins over everything else.
        download: allow downloading from the original source when no copy is found.
        verify: check the file's SHA-256 against the published one.

    Returns:
        The path of an existing file.

    Raises:
        FileNotFoundError: if ``path`` is given but holds no such file.
        DataNotFoundError: if no copy is found and it cannot be downloaded (offline, ``download=False``, or
            no download source); the message says where to get the file and where to put it.
        ChecksumError: if the file found is not the published one.
    """
    known = _known(name)
    if path is not None:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"path must be a str, a path or None, got {describe(path)}")
        given = Path(path).expanduser()
        found = _in_folder(given, known) if given.is_dir() else (given if given.is_file() else None)
        if found is None:
            raise FileNotFoundError(f"path {given} is neither {known.filename} nor a folder that holds it")
        return _checked(found, known, verify=verify)
    configured = os.environ.get(DATA_ENV)
    if configured:
        found = _in_folder(Path(configured).expanduser(), known)
        if found is not None:
            return _checked(found, known, verify=verify)
    carried = carried_path(name)
    if carried is not None and carried.is_file():
        return _checked(carried, known, verify=verify)
    cached = cache_dir() / known.filename
    if cached.is_file():
        return _checked(cached, known, verify=verify)
    if known.url is None:
        raise _not_found(known, cached, "cannot be downloaded automatically")
    if not download:
        raise _not_found(known, cached, "download=False was given")
    try:
        return _fetch(known, cached)
    except DownloadError as error:
        raise _not_found(known, cached, f"could not be downloaded ({error})") from None
