"""Building the bilingual site once per test session, and serving it on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from .paths import ROOT


class BuildError(RuntimeError):
    """``mkdocs build --strict`` failed; the message holds the interesting lines of its log."""


class Build:
    def __init__(self, site: Path, seconds: float, log: str) -> None:
        self.site, self.seconds, self.log = site, seconds, log

    def html_files(self) -> list[Path]:
        return sorted(self.site.rglob("*.html"))


def build_site(site: Path) -> Build:
    """Build both languages with ``--strict`` into ``site`` (notebooks executed, no cache), timed."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "RNN_GUIDE_NOTEBOOK_CACHE": "false"}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    seconds = time.perf_counter() - start
    log = result.stdout + result.stderr
    if result.returncode != 0:
        interesting = [line for line in log.splitlines() if re.search(r"WARNING|ERROR|Error|Traceback|raise", line)]
        raise BuildError("mkdocs build --strict failed:\n" + "\n".join(interesting[-40:] or log.splitlines()[-40:]))
    return Build(site, seconds, log)


def base_path() -> str:
    """The path of ``site_url`` in mkdocs.yml (``/rnn-guide/``): where the site lives when published."""
    match = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    path = urlsplit(match.group(1)).path if match else "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path: str) -> str:
        # Serve the site under the same path as when it is published, so that the theme's
        # requests built from site_url (the sitemap of the language switch) resolve.
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_the_site__")
        return super().translate_path("/" + path[len(self.prefix) :])

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # The browser closes connections it no longer needs (a page left while a font loads).
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` over HTTP on 127.0.0.1 and a free port, under the path of ``site_url``.

    Yields the base URL, ending in ``/`` (``http://127.0.0.1:PORT/rnn-guide/``).
    """
    prefix = base_path()
    handler = functools.partial(type("Handler", (_QuietHandler,), {"prefix": prefix}), directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def page_urls(site: Path) -> list[str]:
    """Every built page as a path relative to the site root (``""``, ``"shapes/"``, ``"zh/shapes/"``)."""
    urls = []
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        if not rel.startswith("assets/"):
            urls.append("" if rel == "." else rel + "/")
    return urls
