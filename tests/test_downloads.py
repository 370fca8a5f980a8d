"""Tests of rnn_guide.downloads: cached, checksum-verified downloads, safe extraction (no network needed)."""

from __future__ import annotations

import hashlib
import http.server
import io
import socket
import tarfile
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from rnn_guide.downloads import (
    ChecksumError,
    DownloadError,
    UnsafeArchiveError,
    cache_dir,
    download,
    extract_archive,
    sha256sum,
)

PAYLOAD = b"some data set bytes\n" * 1000
PAYLOAD_SHA256 = hashlib.sha256(PAYLOAD).hexdigest()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """A tiny HTTP server on 127.0.0.1 serving ``tmp_path/www``; yields its base URL."""
    root = tmp_path / "www"
    root.mkdir()
    (root / "data.bin").write_bytes(PAYLOAD)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/data.tar.gz"


def test_sha256sum(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(PAYLOAD)
    assert sha256sum(tmp_path / "f") == PAYLOAD_SHA256


def test_cache_dir_follows_the_environment(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RNN_GUIDE_CACHE", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.delenv("RNN_GUIDE_CACHE")
    assert cache_dir() == Path.home() / ".cache" / "rnn_guide"


def test_download_over_http_verifies_and_reports_progress(served: str, tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    path = download(
        f"{served}/data.bin",
        tmp_path / "cache" / "data.bin",
        sha256=PAYLOAD_SHA256,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert path.read_bytes() == PAYLOAD
    assert seen[-1] == (len(PAYLOAD), len(PAYLOAD))
    assert [p.name for p in path.parent.iterdir()] == ["data.bin"]  # no temporary file left


def test_download_uses_the_cached_copy(tmp_path: Path) -> None:
    source = tmp_path / "source.bin"
    source.write_bytes(PAYLOAD)
    target = tmp_path / "cache" / "data.bin"
    download(source.as_uri(), target, sha256=PAYLOAD_SHA256)
    source.unlink()  # the second call must not need the source any more
    assert download(source.as_uri(), target, sha256=PAYLOAD_SHA256).read_bytes() == PAYLOAD


def test_checksum_mismatch_deletes_the_file(served: str, tmp_path: Path) -> None:
    target = tmp_path / "cache" / "data.bin"
    with pytest.raises(ChecksumError, match=f"expected {'0' * 64}.*deleted"):
        download(f"{served}/data.bin", target, sha256="0" * 64)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_a_corrupted_cached_copy_is_fetched_again(tmp_path: Path) -> None:
    source = tmp_path / "source.bin"
    source.write_bytes(PAYLOAD)
    target = tmp_path / "data.bin"
    target.write_bytes(b"truncated")
    assert download(source.as_uri(), target, sha256=PAYLOAD_SHA256).read_bytes() == PAYLOAD


def test_offline_gives_a_clear_error_without_urllib_traceback(tmp_path: Path) -> None:
    url = _closed_port_url()
    target = tmp_path / "cache" / "data.tar.gz"
    with pytest.raises(DownloadError) as info:
        download(url, target, what="the test data", timeout=5)
    message = str(info.value)
    assert "could not download the test data" in message
    assert url in message and str(target) in message
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert not target.exists() and list(target.parent.iterdir()) == []


def test_missing_file_on_server_is_a_download_error(served: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="HTTP 404"):
        download(f"{served}/missing.bin", tmp_path / "x.bin")


def test_download_rejects_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="url must start with"):
        download("ftp://example.org/x", tmp_path / "x")
    with pytest.raises(ValueError, match="sha256 must be 64 hex digits, got 'abc'"):
        download("file:///x", tmp_path / "x", sha256="abc")
    with pytest.raises(ValueError, match=r"timeout must lie in \(0"):
        download("file:///x", tmp_path / "x", timeout=0)


def _tar(path: Path, members: dict[str, bytes], *, symlink: tuple[str, str] | None = None) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if symlink is not None:
            info = tarfile.TarInfo(symlink[0])
            info.type = tarfile.SYMTYPE
            info.linkname = symlink[1]
            tar.addfile(info)
    return path


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize("make", [_tar, _zip])
def test_extract_safe_archive(tmp_path: Path, make) -> None:
    archive = make(tmp_path / ("a.tar.gz" if make is _tar else "a.zip"), {"top/a.txt": b"A", "top/sub/b.txt": b"B"})
    out = extract_archive(archive, tmp_path / "out")
    assert (out / "top" / "a.txt").read_bytes() == b"A"
    assert (out / "top" / "sub" / "b.txt").read_bytes() == b"B"
    with pytest.raises(FileExistsError, match="exists already"):
        extract_archive(archive, tmp_path / "out")


@pytest.mark.parametrize("make", [_tar, _zip])
@pytest.mark.parametrize("bad_name", ["../evil.txt", "top/../../evil.txt", "/tmp/rnn_guide_evil.txt"])
def test_path_traversal_is_rejected_and_nothing_is_written(tmp_path: Path, make, bad_name: str) -> None:
    archive = make(tmp_path / ("a.tar.gz" if make is _tar else "a.zip"), {"ok.txt": b"ok", bad_name: b"evil"})
    with pytest.raises(UnsafeArchiveError, match="refusing"):
        extract_archive(archive, tmp_path / "sub" / "out")
    assert not (tmp_path / "sub" / "out").exists()
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path / "sub" / "evil.txt").exists()
    assert not Path("/tmp/rnn_guide_evil.txt").exists()
    assert list((tmp_path / "sub").iterdir()) == []  # the staging folder is removed too


def test_links_in_tar_are_rejected(tmp_path: Path) -> None:
    archive = _tar(tmp_path / "a.tar.gz", {"ok.txt": b"ok"}, symlink=("link", "/etc/passwd"))
    with pytest.raises(UnsafeArchiveError, match="'link' is a link"):
        extract_archive(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_symlink_in_zip_is_rejected(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        info = zipfile.ZipInfo("link")
        info.external_attr = 0o120777 << 16  # a symbolic link
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(UnsafeArchiveError, match="'link' is a link"):
        extract_archive(archive, tmp_path / "out")


def test_extract_rejects_non_archives(tmp_path: Path) -> None:
    (tmp_path / "plain.txt").write_text("hello")
    with pytest.raises(ValueError, match="archive must be a zip or tar file"):
        extract_archive(tmp_path / "plain.txt", tmp_path / "out")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        extract_archive(tmp_path / "missing.zip", tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain.txt"]
