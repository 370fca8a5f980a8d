"""MkDocs hook: give every heading of a notebook page the anchor its table of contents links to.

nbconvert (used by mkdocs-jupyter) derives heading ids its own way: from ASCII characters only, so a
Chinese heading such as ``# 初识隐状态`` gets ``id=""``, and two headings that start alike get the same
id. The page's table of contents (and Material's "skip to content" link) point to the slugs
Python-Markdown makes (``#_1``, ``#airpassengers_1``). The headings are matched to the table of
contents in order and take its anchors; the test suite checks that every internal link and anchor of
the built site resolves.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r'<h([1-6]) id="([^"]*)">(.*?)<a class="anchor-link" href="#([^"]*)">', re.S)


def _anchors(items) -> list[str]:
    found: list[str] = []
    for item in items:
        found.append(item.id)
        found.extend(_anchors(item.children))
    return found


def on_page_content(html: str, page, config, files) -> str:
    if not page.file.src_uri.startswith("tutorials/"):
        return html
    anchors = iter(_anchors(page.toc))

    def fill(match: re.Match[str]) -> str:
        level, given, text, _ = match.groups()
        anchor = next(anchors, None) or given
        return f'<h{level} id="{anchor}">{text}<a class="anchor-link" href="#{anchor}">'

    return _HEADING.sub(fill, html)
