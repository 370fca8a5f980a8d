"""MkDocs hook: keep every page free of requests to other hosts.

nbconvert's page template (used by mkdocs-jupyter for notebook pages) carries a script
that imports Mermaid from a public CDN when a notebook contains a Mermaid diagram. Our
notebooks contain none, and many readers cannot reach that CDN, so the script is
removed. The test suite checks the built site for any remaining third-party reference.
"""

from __future__ import annotations

import re

_CDN_SCRIPT = re.compile(
    r"<script\b[^>]*>(?:(?!</script>).)*?https?://[^\"']*cdn[^\"']*(?:(?!</script>).)*</script>", re.S
)


def on_post_page(output: str, page, config) -> str:
    return _CDN_SCRIPT.sub("", output)
