"""Time `python3 dev.py serve` the way a contributor meets it: first page, then a page edit.

Starts the serve command, polls the English and Chinese home pages until both answer, then appends a
unique marker sentence to ``docs/index.en.md`` and polls until the served page shows it (the edit is
reverted afterwards, whatever happens). Writes one result file to ``benchmarks/results/``.

    python benchmarks/serve_timing.py                 # the README's command
    python benchmarks/serve_timing.py --edits 3       # three edits in a row, each timed
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rnn_guide.results import write_result  # noqa: E402


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def wait_for(predicate, timeout: float) -> float | None:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if predicate():
            return time.perf_counter() - start
        time.sleep(0.25)
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--edits", type=int, default=3, help="page edits to time, one after the other")
    parser.add_argument("--timeout", type=float, default=300.0)
    args = parser.parse_args(argv)

    base = f"http://127.0.0.1:{args.port}/"
    page = ROOT / "docs" / "index.en.md"
    original = page.read_text(encoding="utf-8")
    command = [sys.executable, "dev.py", "serve", "--dev-addr", f"127.0.0.1:{args.port}"]
    started = time.perf_counter()
    server = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    edits: list[float] = []
    try:
        first = wait_for(lambda: fetch(base) is not None and fetch(base + "zh/") is not None, args.timeout)
        if first is None:
            raise SystemExit(f"the site did not come up within {args.timeout} s")
        time.sleep(3)  # let the watcher settle
        for _ in range(args.edits):
            marker = f"Marker{uuid.uuid4().hex[:12]}"
            page.write_text(original + f"\n{marker}\n", encoding="utf-8")
            seconds = wait_for(lambda m=marker: m in (fetch(base) or ""), args.timeout)
            if seconds is None:
                raise SystemExit(f"an edit did not appear within {args.timeout} s")
            edits.append(seconds)
            page.write_text(original, encoding="utf-8")
            wait_for(lambda m=marker: m not in (fetch(base) or ""), args.timeout)
            time.sleep(2)
    finally:
        page.write_text(original, encoding="utf-8")
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    metrics = {"first_page_seconds": round(first, 2)}
    for number, seconds in enumerate(edits, start=1):
        metrics[f"edit_{number}_to_served_seconds"] = round(seconds, 2)
    if edits:
        metrics["edit_to_served_seconds_median"] = round(sorted(edits)[len(edits) // 2], 2)
        metrics["edit_to_served_seconds_max"] = round(max(edits), 2)
    path = write_result(
        "serve_timing",
        metrics=metrics,
        config={"edits": args.edits, "command_timed": " ".join(command[1:])},
        duration_s=time.perf_counter() - started,
        directory=ROOT / "benchmarks" / "results",
    )
    print(metrics, "->", path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
