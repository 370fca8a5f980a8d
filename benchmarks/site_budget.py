"""Measure the site's speed budget and write it to benchmarks/results/site_budget-*.json.

    python benchmarks/site_budget.py

Builds both languages with ``mkdocs build --strict`` (timed, notebooks executed), serves
the result on 127.0.0.1, loads every page cold in Debian's Chromium (Playwright, no
browser download) and records what the browser transfers: bytes for the home page and
for the heaviest page, requests per page, and the size of the search index. The limits
live in tests/support/budget.py; tests/test_browser.py::test_speed_budget enforces them.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support import browser as chromium_support  # noqa: E402
from support import budget  # noqa: E402
from support.site import build_site, page_urls, serve  # noqa: E402

from rnn_guide.results import write_result  # noqa: E402


def main() -> None:
    reason = chromium_support.missing_reason()
    if reason:
        sys.exit(f"site_budget: {reason}")
    from playwright.sync_api import sync_playwright

    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as directory:
        build = build_site(Path(directory) / "site")
        with serve(build.site) as url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_support.find_chromium(), args=chromium_support.CHROMIUM_ARGS
            )
            loader = chromium_support.PageLoader(browser, url)
            loads = {rel: loader.load(rel, checks=False) for rel in page_urls(build.site)}
            loader.close()
            browser.close()
        index_bytes = (build.site / "search" / "search_index.json").stat().st_size
    metrics, heaviest = budget.measure(loads, index_bytes, build.seconds)
    metrics["pages"] = len(loads)
    path = write_result(
        "site_budget",
        metrics=metrics,
        config={"heaviest_page": "/" + heaviest, "limits": budget.LIMITS, "cache": "cold, one load per page"},
        duration_s=time.perf_counter() - start,
    )
    for name, value in metrics.items():
        limit = budget.LIMITS.get(name)
        print(f"{name:24} {value:>12,}" + (f"   budget {limit:,}" if limit else ""))
    print(f"heaviest page: /{heaviest}\nwritten to {path.relative_to(ROOT) if path.is_absolute() else path}")
    problems = budget.over_budget(metrics)
    if problems:
        sys.exit("over budget: " + "; ".join(problems))


if __name__ == "__main__":
    main()
