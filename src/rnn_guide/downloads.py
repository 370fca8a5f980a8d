"""Cached, checksum-verified downloads and safe archive extraction, shared by the data-set loaders.

* :func:`cache_dir` — where downloads go: ``$RNN_GUIDE_CACHE``, else ``~/.cache/rnn_guide``.
* :func:`download` — fetch a URL into a file, verify its SHA-256, keep it for next time. A file whose checksum
  does not match is deleted and reported (:class:`ChecksumError`); a network failure becomes a
  :class:`DownloadError` that says where to get the file by hand and where to put it.
* :func:`extract_archive` — unpack a ``.zip``, ``.tar``, ``.tar.gz``/``.tgz`` or ``.tar.bz2``/``.tar.xz``
  archive, refusing any member that would land outside the target folder (absolute paths, ``..``), links
  and special files.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import stat
import tarfile
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from rnn_guide._validation import check_number, describe

__all__ = [
    "CACHE_ENV",
    "ChecksumError",
    "DownloadError",
    "UnsafeArchiveError",
    "cache_dir",
    "download",
    "extract_archive",
    "sha256sum",
]

CACHE_ENV = "RNN_GUIDE_CACHE"
_CHUNK = 1 << 20


class DownloadError(OSError):
    """A file could not be downloaded (no network, server error, ...); the message says what to do instead."""


class ChecksumError(ValueError):
    """A file's SHA-256 is not the expected one (the file has been deleted)."""


class UnsafeArchiveError(ValueError):
    """An archive member would be written outside the target folder, or is a link or special file."""


def cache_dir() -> Path:
    """The folder for downloaded data: ``$RNN_GUIDE_CACHE`` if set, else ``~/.cache/rnn_guide``.

    Returns:
        The folder's path (not created here).
    """
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "rnn_guide"


def sha256sum(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file, as 64 lower-case hex digits."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check_sha256(sha256: str | None) -> str | None:
    if sha256 is None:
        return None
    if not isinstance(sha256, str):
        raise TypeError(f"sha256 must be a str of 64 hex digits or None, got {describe(sha256)}")
    value = sha256.lower()
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        raise ValueError(f"sha256 must be 64 hex digits, got {sha256!r}")
    return value


def download(
    url: str,
    destination: str | os.PathLike[str],
    *,
    sha256: str | None = None,
    timeout: float = 60.0,
    what: str | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> Path:
    """Download ``url`` to ``destination`` unless a verified copy is already there.

    The data are written to a temporary file next to ``destination``, checked, and only then moved into place,
    so an interrupted download never leaves a truncated file behind.

    Args:
        url: an ``http(s)://`` or ``file://`` URL.
        destination: the file to write; its folder is created.
        sha256: the expected SHA-256 (64 hex digits), or ``None`` to skip the check (for files that are
            verified after extraction instead).
        timeout: seconds to wait for the server before giving up (> 0).
        what: a name for the data in error messages, e.g. ``"the IMDB data set"``.
        progress: called as ``progress(bytes_so_far, total_bytes_or_None)`` after each chunk.

    Returns:
        ``destination`` as a ``Path``.

    Raises:
        DownloadError: if the URL cannot be reached or read; the message names the URL and the path to put
            a manually downloaded copy at.
        ChecksumError: if the downloaded file's SHA-256 differs from ``sha256`` (the file is deleted).
    """
    if not isinstance(url, str):
        raise TypeError(f"url must be a str, got {describe(url)}")
    if not url.startswith(("http://", "https://", "file://")):
        raise ValueError(f"url must start with http://, https:// or file://, got {url!r}")
    expected = _check_sha256(sha256)
    check_number("timeout", timeout, low=0, low_inclusive=False)
    destination = Path(destination)
    what = what or destination.name
    if destination.is_file():
        if expected is None or sha256sum(destination) == expected:
            return destination
        destination.unlink()  # a stale or corrupted copy: fetch it again
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary_name = tempfile.mkstemp(prefix=destination.name + ".", suffix=".part", dir=destination.parent)
    temporary = Path(temporary_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(handle, "wb") as out:
            try:
                with urllib.request.urlopen(url, timeout=timeout) as response:
                    length = response.headers.get("Content-Length")
                    total = int(length) if length and length.isdigit() else None
                    done = 0
                    for chunk in iter(lambda: response.read(_CHUNK), b""):
                        out.write(chunk)
                        digest.update(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(done, total)
            except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
                if isinstance(error, urllib.error.HTTPError):
                    reason = f"the server answered HTTP {error.code} {error.reason}"
                else:
                    reason = f"{getattr(error, 'reason', None) or error}; is this machine offline?"
                raise DownloadError(
                    f"could not download {what} from {url} ({reason}). Download it by hand (on another "
                    f"machine if needed) and copy it to {destination}"
                ) from None
        got = digest.hexdigest()
        if expected is not None and got != expected:
            raise ChecksumError(
                f"the SHA-256 of {what} downloaded from {url} is {got}, expected {expected}; the file was "
                f"deleted. The download may be corrupted or the file changed at the source: try again, or "
                f"download it by hand and copy it to {destination}"
            )
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)
    return destination


def _member_target(root: Path, name: str) -> Path:
    """The resolved path of archive member ``name`` under ``root``, or raise if it escapes ``root``."""
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise UnsafeArchiveError(f"archive member {name!r} has an absolute path; refusing it")
    if ".." in pure.parts:
        raise UnsafeArchiveError(f"archive member {name!r} points outside the target folder; refusing it")
    target = (root / Path(*pure.parts)).resolve() if pure.parts else root
    if target != root and root not in target.parents:
        raise UnsafeArchiveError(f"archive member {name!r} points outside the target folder; refusing it")
    return target


def _extract_tar(archive: Path, root: Path) -> None:
    with tarfile.open(archive, "r:*") as tar:
        members = tar.getmembers()
        plan = []
        for member in members:  # check everything before writing anything
            target = _member_target(root, member.name)
            if not (member.isfile() or member.isdir()):
                kind = "link" if member.issym() or member.islnk() else "special file"
                raise UnsafeArchiveError(f"archive member {member.name!r} is a {kind}; refusing it")
            plan.append((member, target))
        for member, target in plan:
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            assert source is not None  # a regular file always has data
            with source, open(target, "wb") as out:
                shutil.copyfileobj(source, out, _CHUNK)


def _extract_zip(archive: Path, root: Path) -> None:
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        plan = []
        for info in infos:
            target = _member_target(root, info.filename)
            file_type = stat.S_IFMT(info.external_attr >> 16)  # 0 when the archiver stored no type
            if file_type not in (0, stat.S_IFREG, stat.S_IFDIR):
                kind = "link" if file_type == stat.S_IFLNK else "special file"
                raise UnsafeArchiveError(f"archive member {info.filename!r} is a {kind}; refusing it")
            plan.append((info, target))
        for info, target in plan:
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out, _CHUNK)


def extract_archive(archive: str | os.PathLike[str], destination: str | os.PathLike[str]) -> Path:
    """Unpack a zip or tar archive into ``destination``, safely.

    Every member is checked before anything is written: a member with an absolute path, a ``..`` component,
    a symbolic or hard link, or a device/FIFO entry makes the whole extraction fail with
    :class:`UnsafeArchiveError`. The archive is unpacked into a temporary folder that is moved to
    ``destination`` only when complete.

    Args:
        archive: a ``.zip``, ``.tar``, ``.tar.gz``, ``.tgz``, ``.tar.bz2`` or ``.tar.xz`` file.
        destination: the folder to create; it must not exist yet.

    Returns:
        ``destination`` as a ``Path``.

    Raises:
        FileNotFoundError: if ``archive`` does not exist.
        FileExistsError: if ``destination`` exists already.
        UnsafeArchiveError: for an unsafe member (nothing is left behind).
        ValueError: if ``archive`` is neither a zip nor a tar file.
    """
    archive = Path(archive)
    destination = Path(destination)
    if not archive.is_file():
        raise FileNotFoundError(f"archive {archive} does not exist")
    if destination.exists():
        raise FileExistsError(f"destination {destination} exists already; remove it or choose another folder")
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=destination.name + ".", suffix=".part", dir=destination.parent))
    try:
        root = staging.resolve()
        if zipfile.is_zipfile(archive):
            _extract_zip(archive, root)
        elif tarfile.is_tarfile(archive):
            _extract_tar(archive, root)
        else:
            raise ValueError(f"archive must be a zip or tar file, got {archive}")
        os.replace(staging, destination)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return destination
