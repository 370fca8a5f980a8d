"""MkDocs hook: Chinese pages show the code comments of snippets in Chinese.

A page's code comes from one snippet file, included by both languages, so its comments are written once, in
English. ``snippets/comments.zh.toml`` maps the text of each comment (what follows ``# ``) to its Chinese text.
On Chinese pages this hook replaces the text of every comment that Pygments highlighted (``<span class="c1">``
and the other comment classes) with the Chinese text; nothing else in a code block is touched, so the program
is the same in both languages. A string that contains ``#`` is a string to Pygments, never a comment.

A comment on a Chinese page that has no entry in the table, and is not written in Chinese already, is reported
as a warning (a strict build fails). The test suite checks the same before any build: every comment of every
section a Chinese page includes has an entry, every entry is used, and the code of each rendered section is
identical in both languages once comments are set aside.

Tutorial pages are notebooks whose code cells are rendered by nbconvert, not by snippets; they are left alone.
"""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path

import tomllib

log = logging.getLogger("mkdocs.hooks.code_comments")

TABLE = Path(__file__).resolve().parent.parent / "snippets" / "comments.zh.toml"
#: Pygments' comment token classes: Comment, Comment.Single, Comment.Hashbang, Comment.Multiline, Comment.Special.
COMMENT_SPAN = re.compile(r'(<span class="(?:c|c1|ch|cm|cs)">)(#\s*)([^<]*)(</span>)')
CODE_BLOCK = re.compile(r'<div class="highlight">.*?</code></pre></div>', re.S)
#: A comment with Chinese characters in it is already Chinese (a section written for Chinese pages only).
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
LANGUAGES = ("zh",)


def load_table(path: Path = TABLE) -> dict[str, str]:
    """The English comment text → Chinese comment text table, checked for empty and untrimmed entries."""
    with path.open("rb") as file:
        table = tomllib.load(file)
    for english, chinese in table.items():
        if not isinstance(chinese, str) or not chinese.strip() or chinese != chinese.strip():
            raise ValueError(
                f"{path.name}: the translation of {english!r} must be non-empty trimmed text, got {chinese!r}"
            )
    return table


def comments(rendered: str) -> list[str]:
    """The text of every comment (without ``#`` and the space after it) in rendered code blocks."""
    found = []
    for block in CODE_BLOCK.findall(rendered):
        found += [html.unescape(m.group(3)).rstrip() for m in COMMENT_SPAN.finditer(block)]
    return found


def needs_translation(comment: str) -> bool:
    """Whether a comment's text is English (has letters and no Chinese)."""
    return bool(re.search(r"[A-Za-z]", comment)) and not CJK.search(comment)


def translate(rendered: str, table: dict[str, str]) -> tuple[str, list[str]]:
    """Replace the text of each comment in the code blocks of ``rendered`` with its entry in ``table``.

    Returns the new HTML and the comments that needed a translation and had none (left as they were).
    """
    missing: list[str] = []

    def comment(match: re.Match[str]) -> str:
        opening, hash_mark, text, closing = match.groups()
        english = html.unescape(text)
        stripped = english.rstrip()
        if stripped in table:
            chinese = table[stripped] + english[len(stripped) :]
            return f"{opening}{hash_mark}{html.escape(chinese, quote=False)}{closing}"
        if needs_translation(stripped):
            missing.append(stripped)
        return match.group(0)

    def block(match: re.Match[str]) -> str:
        return COMMENT_SPAN.sub(comment, match.group(0))

    return CODE_BLOCK.sub(block, rendered), missing


_table: dict[str, str] | None = None


def on_page_content(html_text: str, page, config, files) -> str:
    global _table
    locale = getattr(page.file, "locale", None)
    if locale not in LANGUAGES or page.file.src_uri.startswith("tutorials/"):
        return html_text
    if _table is None:
        _table = load_table()
    translated, missing = translate(html_text, _table)
    for text in dict.fromkeys(missing):
        log.warning("%s: code comment %r has no entry in %s", page.file.src_uri, text, TABLE.name)
    return translated
