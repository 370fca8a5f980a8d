"""Driving Debian's Chromium with Playwright, offline, and recording what a page loads.

Never ``playwright install``: it downloads a browser. The suite drives the system
Chromium (``apt-get install chromium`` on Debian/Ubuntu; ``.ci/run`` installs it), or the
executable named by ``RNN_GUIDE_CHROMIUM``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .paths import ROOT

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Debian's Chromium first; Google Chrome (preinstalled on GitHub's Ubuntu runners) as a fallback.
CANDIDATES = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "chromium",
    "chromium-browser",
    "/usr/bin/google-chrome",
    "google-chrome-stable",
)
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


def find_chromium() -> str | None:
    """The Chromium executable to drive, or None when there is none."""
    wanted = os.environ.get("RNN_GUIDE_CHROMIUM")
    if wanted:
        return wanted if os.path.isfile(wanted) else shutil.which(wanted)
    for candidate in CANDIDATES:
        found = candidate if os.path.isfile(candidate) else shutil.which(candidate)
        if found:
            return found
    return None


def missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package 'playwright' is not installed (it is in the 'test' extra: pip install -e '.[dev]')"
    if find_chromium() is None:
        return (
            "no Chromium found (looked for $RNN_GUIDE_CHROMIUM, chromium, chromium-browser and google-chrome); "
            "install it with 'apt-get install chromium' (.ci/run does this in CI). Never 'playwright install'."
        )
    return None


@dataclass
class Load:
    """What the browser did to show one page."""

    url: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    bytes: int = 0
    overflow_px: int = 0
    alt_problems: list[str] = field(default_factory=list)
    heading_problems: list[str] = field(default_factory=list)
    axe_violations: list[str] = field(default_factory=list)
    responses: list[Any] = field(default_factory=list, repr=False)

    def count_bytes(self) -> int:
        """Sum the body sizes of the responses received so far: the Content-Length the server sent
        (the test server sends no compressed bodies), or the body itself when there is none."""
        total = 0
        for response in self.responses:
            length = response.headers.get("content-length")
            if length and length.isdigit():
                total += int(length)
                continue
            with contextlib.suppress(Exception):  # a redirect, or a body the browser has dropped
                total += len(response.body())
        self.bytes = total
        return total


def is_foreign(url: str, origin: str) -> bool:
    """Whether the browser fetched ``url`` from anywhere but the site's own origin."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return False
    return f"{parts.scheme}://{parts.netloc}" != origin


def record(page: Any, origin: str, load: Load) -> None:
    """Attach listeners to a Playwright page that fill ``load`` from the network log and the console."""

    def on_request(request: Any) -> None:
        load.requests.append(request.url)
        if is_foreign(request.url, origin):
            load.foreign.append(request.url)

    def on_response(response: Any) -> None:
        if response.status >= 400:
            load.failed.append(f"{response.status} {response.url}")
            return
        if urlsplit(response.url).scheme in {"http", "https"}:
            load.responses.append(response)

    page.on("request", on_request)
    page.on("requestfailed", lambda request: load.failed.append(f"failed {request.url}"))
    page.on("response", on_response)
    page.on("console", lambda message: message.type == "error" and load.console_errors.append(message.text))
    page.on("pageerror", lambda error: load.console_errors.append(f"uncaught: {error}"))


_PAGE_FACTS_JS = """() => {
  const article = document.querySelector("article.md-content__inner") || document.body;
  // An image inside a display:none block (the other language's copy of a notebook figure) is neither shown
  // nor read out by screen readers, so only rendered images count.
  const images = [...article.querySelectorAll("img")]
    .filter((img) => img.offsetParent !== null || img.closest("details") !== null)
    .map((img) => [img.getAttribute("src") || "", img.getAttribute("alt")]);
  const headings = [...article.querySelectorAll("h1, h2, h3, h4, h5, h6")]
    .filter((h) => h.offsetParent !== null || h.closest("details") !== null)
    .map((h) => [Number(h.tagName[1]), (h.textContent || "").trim().slice(0, 60)]);
  return {images, headings};
}"""
#: axe-core over the page, at the desktop size. On a page of many API modules (the API reference) all
#: modules but the first three are removed first: the others repeat the same elements in the same colours,
#: and axe over all of them took most of the browser tests' time (axe walks the whole document whatever
#: its context).
_AXE_JS = """async (rules) => {
  const modules = [...document.querySelectorAll("article .doc-module")];
  modules.slice(3).forEach((module) => module.remove());
  const r = await axe.run(document, {runOnly: {type: "rule", values: rules}, resultTypes: ["violations"]});
  return r.violations.map((v) => [v.id, v.help, v.nodes.slice(0, 3).map((n) => n.target.join(" "))]);
}"""
_AXE_RULES = [
    "color-contrast",
    "image-alt",
    "html-has-lang",
    "html-lang-valid",
    "document-title",
    "label",
    "button-name",
    "link-name",
    "select-name",
    "duplicate-id-aria",
    "aria-valid-attr",
    "list",
    "listitem",
]
CJK = r"[\u3400-\u9fff]"


#: Pages axe-core checks (both languages): one of each kind; axe takes a while, and contrast most.
CONTRAST_PAGES = ("", "shapes/", "calculator/", "tutorials/first-look/", "api/")


class PageLoader:
    """Loads pages one after another in one tab with the browser cache disabled, so that every
    load is cold (what a first-time reader downloads) without the cost of a new context per page."""

    def __init__(self, browser: Any, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.base_url, self.origin = base_url, f"{parts.scheme}://{parts.netloc}"
        self.context = browser.new_context(viewport=DESKTOP, service_workers="block")
        self.page = self.context.new_page()
        self.cdp = self.context.new_cdp_session(self.page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.current = Load("")
        self.page.on("request", lambda request: self._on_request(request))
        self.page.on("requestfailed", lambda request: self.current.failed.append(f"failed {request.url}"))
        self.page.on("response", lambda response: self._on_response(response))
        self.page.on("console", lambda m: m.type == "error" and self.current.console_errors.append(m.text))
        self.page.on("pageerror", lambda error: self.current.console_errors.append(f"uncaught: {error}"))

    def _on_request(self, request: Any) -> None:
        self.current.requests.append(request.url)
        if is_foreign(request.url, self.origin):
            self.current.foreign.append(request.url)

    def _on_response(self, response: Any) -> None:
        if response.status >= 400:
            self.current.failed.append(f"{response.status} {response.url}")
        elif urlsplit(response.url).scheme in {"http", "https"}:
            self.current.responses.append(response)

    def close(self) -> None:
        self.context.close()

    def load(self, rel: str, *, checks: bool = True) -> Load:
        """Load one page cold; record requests, bytes and errors, and (with ``checks``) alt texts,
        heading levels, axe-core violations (on CONTRAST_PAGES) and overflow on a phone-sized viewport."""
        import re

        load = self.current = Load(rel)
        page = self.page
        page.set_viewport_size(DESKTOP)
        page.goto("about:blank")
        self.cdp.send("Network.clearBrowserCache")
        # The search worker fetches the index after the page has loaded; wait for it, so that the
        # bytes and requests of a page are complete.
        with page.expect_response(lambda r: r.url.endswith("search/search_index.json"), timeout=15_000) as index:
            page.goto(self.base_url + rel, wait_until="load")
        index.value.finished()
        # Then wait until nothing is in flight (fonts are requested once the math has rendered).
        with contextlib.suppress(Exception):
            page.wait_for_load_state("networkidle", timeout=10_000)
        load.count_bytes()
        self.current = Load("(between pages)")
        if not checks:
            return load
        language = "zh" if rel.startswith("zh/") else "en"
        facts = page.evaluate(_PAGE_FACTS_JS)
        for src, alt in facts["images"]:
            name = src if not src.startswith("data:") else "data:… (inline figure)"
            if not alt or not alt.strip():
                load.alt_problems.append(f"{name}: no alt text")
            elif (re.search(CJK, alt) is None) == (language == "zh"):
                load.alt_problems.append(f"{name}: alt text not in {language}: {alt!r}")
        levels = [level for level, _ in facts["headings"]]
        if levels.count(1) != 1 or (levels and levels[0] != 1):
            load.heading_problems.append(f"expected exactly one h1, first: {facts['headings'][:2]}")
        for (before, _), (level, text) in zip(facts["headings"], facts["headings"][1:], strict=False):
            if level > before + 1:
                load.heading_problems.append(f"h{before} followed by h{level} {text!r}")
        page.set_viewport_size(PHONE)
        page.wait_for_timeout(50)
        load.overflow_px = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if rel.removeprefix("zh/") in CONTRAST_PAGES:  # last: on the API reference it removes modules
            page.set_viewport_size(DESKTOP)
            page.wait_for_timeout(500)  # the layout's transitions (250 ms) end: no colour caught mid-fade
            page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
            result = page.evaluate(_AXE_JS, _AXE_RULES)
            load.axe_violations = [f"{rule}: {help_} at {targets}" for rule, help_, targets in result]
        return load
