"""The site's speed budget: what a reader's browser downloads (the build time is measured, not enforced).

Measured by ``benchmarks/site_budget.py`` (which writes a result file) and enforced by
``tests/test_browser.py::test_speed_budget``. The README's contributing section states
these limits and the last measured values; change them together.
"""

from __future__ import annotations

#: Bytes the browser downloads to show the English home page, cold cache (search index included). The search
#: index grows with the text of every page: 2,809,401 bytes once the tutorials' seed and ablation tables were shown.
HOME_PAGE_BYTES = 2_900_000
#: Bytes for the heaviest page of either language, cold cache.
HEAVIEST_PAGE_BYTES = 4_200_000
#: Requests for any single page, cold cache.
REQUESTS_PER_PAGE = 40
#: Size of search/search_index.json (both languages, one file).
SEARCH_INDEX_BYTES = 2_200_000

LIMITS = {
    "home_page_bytes": HOME_PAGE_BYTES,
    "heaviest_page_bytes": HEAVIEST_PAGE_BYTES,
    "max_requests_per_page": REQUESTS_PER_PAGE,
    "search_index_bytes": SEARCH_INDEX_BYTES,
}
# The build's wall-clock time is recorded by benchmarks/site_budget.py but never asserted: a test must not fail
# because the machine was busy.


def measure(loads: dict, search_index_bytes: int, build_seconds: float) -> tuple[dict[str, float], str]:
    """The budget's metrics from cold page loads (``url -> Load``); also returns the heaviest page's URL."""
    heaviest = max(loads, key=lambda url: loads[url].bytes)
    metrics = {
        "home_page_bytes": loads[""].bytes,
        "heaviest_page_bytes": loads[heaviest].bytes,
        "max_requests_per_page": max(len(load.requests) for load in loads.values()),
        "search_index_bytes": search_index_bytes,
        "build_seconds": round(build_seconds, 1),
    }
    return metrics, heaviest


def over_budget(metrics: dict[str, float]) -> list[str]:
    return [f"{name}: {metrics[name]:,} > budget {limit:,}" for name, limit in LIMITS.items() if metrics[name] > limit]
