"""Links in the built site: every href, every id, and whether internal ones resolve."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.ids.add(values[name] or "")
        if tag == "a" and values.get("href") is not None:
            self.links.append(values["href"] or "")


def parse(path: Path) -> tuple[list[str], set[str]]:
    parser = _LinkParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.links, parser.ids


def check_site(site: Path, base_path: str = "/") -> tuple[list[str], list[str]]:
    """(broken internal links and anchors, external links) of every HTML page under ``site``,
    published under ``base_path`` (the path of ``site_url``, so that ``/rnn-guide/x/`` resolves)."""
    base = "http://site.invalid" + base_path
    pages = {path: parse(path) for path in sorted(site.rglob("*.html"))}
    broken: list[str] = []
    external: set[str] = set()
    for path, (links, _ids) in pages.items():
        rel = path.relative_to(site).as_posix()
        page_url = urljoin(base, rel)
        for href in links:
            parts = urlsplit(href)
            if parts.scheme in {"mailto", "tel", "javascript", "data"}:
                continue
            if parts.scheme in {"http", "https"} or href.startswith("//"):
                external.add(href)
                continue
            target_url, fragment = urldefrag(urljoin(page_url, href))
            if not target_url.startswith(base):
                broken.append(f"{rel}: {href} (leaves the site)")
                continue
            target = site / unquote(target_url[len(base) :])
            if target_url.endswith("/") or target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{rel}: {href} (no such file)")
                continue
            fragment = unquote(fragment)
            if fragment and target.suffix == ".html":
                target_ids = pages[target][1] if target in pages else parse(target)[1]
                if fragment not in target_ids:
                    broken.append(f"{rel}: {href} (no #{fragment} on {target.relative_to(site).as_posix()})")
    return broken, sorted(external)
