"""The code comments that Chinese pages show: each included section rendered as the site renders it.

``hooks/code_comments.py`` translates the comments of rendered code blocks on Chinese pages with
``snippets/comments.zh.toml``. These helpers render every snippet section that a Chinese page includes,
with the site's own Markdown extensions (pymdownx.snippets expands the include, pymdownx.highlight colours
it), so that the tests see the same HTML the hook sees.
"""

from __future__ import annotations

import html
import importlib.util
import re
from functools import cache
from pathlib import Path

import markdown

from . import pages
from .paths import ROOT, SNIPPETS
from .snippets import OUTPUT_DIR_NAME

_spec = importlib.util.spec_from_file_location("code_comments", ROOT / "hooks" / "code_comments.py")
assert _spec is not None and _spec.loader is not None
hook = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(hook)

FENCE_LANGUAGES = {".py": "python", ".sh": "bash"}
_TAG = re.compile(r"<[^>]+>")


def render(target: str, language: str) -> str:
    """One include line in a fenced block, rendered as the site renders it."""
    source = f'```{language}\n--8<-- "{target}"\n```\n'
    return markdown.markdown(
        source,
        extensions=["pymdownx.highlight", "pymdownx.superfences", "pymdownx.snippets"],
        extension_configs={
            "pymdownx.highlight": {"anchor_linenums": True},
            "pymdownx.snippets": {"base_path": [str(SNIPPETS)], "check_paths": True, "dedent_subsections": True},
        },
    )


def chinese_includes() -> list[str]:
    """Every code include target (``topic/file.py:section``) of a Chinese page, each once, sorted."""
    found = set()
    for page in pages.pages():
        if pages.language_of(page) != "zh":
            continue
        for target in pages.includes(page):
            path, _ = pages.resolve_include(target)
            if path.suffix in FENCE_LANGUAGES and OUTPUT_DIR_NAME not in path.parts:
                found.add(target)
    return sorted(found)


@cache
def rendered_includes() -> dict[str, str]:
    """Every code include of a Chinese page → its rendered HTML (English comments, as in the snippet file)."""
    return {
        target: render(target, FENCE_LANGUAGES[pages.resolve_include(target)[0].suffix])
        for target in chinese_includes()
    }


def code_text(rendered: str) -> str:
    """The text a reader sees (and copies) in rendered code blocks."""
    return html.unescape(_TAG.sub("", rendered))


def without_comments(rendered: str) -> str:
    """Rendered HTML with the text of every comment removed (the ``#`` stays)."""
    return hook.COMMENT_SPAN.sub(lambda m: m.group(1) + m.group(2).rstrip() + m.group(4), rendered)


def table_path() -> Path:
    return hook.TABLE
