"""The error-message index (docs/errors.*.md): every entry is complete, and both languages show the same message.

An entry is a ``### message { #anchor }`` heading followed by the captured message (the golden output of its
reproduction, included as a text block), the reproduction, the cause, the fix with its output, and a link to
the page that explains it. A message that only a GPU with cuDNN prints is quoted from PyTorch's source instead,
in a block quote marked as such. The Chinese page must show, in each entry, the very same message as the English
one, so that a search for a fragment of the English message finds the entry in both languages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import pages
from support.paths import DOCS, SNIPPETS

ENTRY_RE = re.compile(r"^### (?P<heading>.+?) \{ #(?P<anchor>[a-z0-9-]+) \}$", re.M)
INCLUDE_RE = re.compile(r'--8<-- "(?P<target>[^"]+)"')
LINK_RE = re.compile(r"\]\((?P<page>[a-z0-9/-]+\.md)#(?P<anchor>[a-z0-9-]+)\)")
ANCHOR_RE = re.compile(r"\{ #(?P<anchor>[a-z0-9-]+) \}")
#: How a captured message starts: the exception or warning class, a colon, the text.
MESSAGE_RE = re.compile(r"^[A-Z][A-Za-z]*(Error|Warning|Exception|Unsupported)?: \S")
QUOTED_NOTE = {"en": "Quoted from PyTorch's source", "zh": "引自 PyTorch 源代码"}
MIN_ENTRIES = 25


def _entries(language: str) -> dict[str, tuple[str, str]]:
    """anchor -> (heading, body) for every entry of the page in ``language``."""
    text = (DOCS / f"errors.{language}.md").read_text(encoding="utf-8")
    matches = list(ENTRY_RE.finditer(text))
    entries = {}
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        body = text[match.end() : end].split("\n## ")[0]
        entries[match.group("anchor")] = (match.group("heading"), body)
    return entries


def _captured(body: str) -> str | None:
    """The golden output that an entry shows as its message: the first include, when it is an output."""
    targets = INCLUDE_RE.findall(body)
    return targets[0] if targets and "/_outputs/" in targets[0] else None


def _quoted(body: str) -> str | None:
    quote = [line[2:] for line in body.splitlines() if line.startswith("> ")]
    return " ".join(quote) or None


EN, ZH = _entries("en"), _entries("zh")


def test_the_index_has_enough_entries_in_the_same_order() -> None:
    assert len(EN) >= MIN_ENTRIES, f"the error index has {len(EN)} entries, fewer than {MIN_ENTRIES}"
    assert list(EN) == list(ZH), "the Chinese page must have the same entries, in the same order"


@pytest.mark.parametrize("anchor", list(EN))
def test_entry_is_complete(anchor: str) -> None:
    heading, body = EN[anchor]
    targets = INCLUDE_RE.findall(body)
    captured, quoted = _captured(body), _quoted(body)
    assert captured or quoted, f"{anchor}: no captured message (an _outputs/ include first) and no quoted one"
    if captured:
        message = (SNIPPETS / captured).read_text(encoding="utf-8")
        assert MESSAGE_RE.match(message), f"{anchor}: {captured} does not start with 'TypeName: message'"
        code = targets[1]
        stem, section = code.rsplit(".py:", 1)
        assert captured == f"{Path(stem).parent}/_outputs/{Path(stem).name}.{section}.txt", (
            f"{anchor}: the message must be followed by the reproduction that printed it"
        )
        flat = " ".join(message.replace("`", "").split())
        for fragment in heading.replace("`", "").split(" … "):
            assert " ".join(fragment.split()) in flat, f"{anchor}: heading fragment {fragment!r} is not in the message"
    else:
        assert QUOTED_NOTE["en"] in body, f"{anchor}: a quoted message must say where it is quoted from"
    fixes = [t for t in targets if t.endswith("-fix")]
    assert fixes, f"{anchor}: no fix (a snippet section named '...-fix')"
    fix_output = fixes[0].replace(".py:", ".").replace("errors/", "errors/_outputs/", 1) + ".txt"
    assert fix_output in targets, f"{anchor}: the fix's output {fix_output} is not shown"
    assert LINK_RE.search(body), f"{anchor}: no link to the page that explains the subject"


@pytest.mark.parametrize("anchor", list(EN))
def test_chinese_entry_shows_the_same_message(anchor: str) -> None:
    assert anchor in ZH, f"{anchor}: missing on the Chinese page"
    (en_heading, en_body), (zh_heading, zh_body) = EN[anchor], ZH[anchor]
    assert zh_heading == en_heading, f"{anchor}: the heading is the message fragment, the same in both languages"
    assert _captured(zh_body) == _captured(en_body), f"{anchor}: the Chinese entry shows another captured message"
    assert _quoted(zh_body) == _quoted(en_body), f"{anchor}: the Chinese entry quotes another message"
    if _quoted(zh_body):
        assert QUOTED_NOTE["zh"] in zh_body, f"{anchor}: the Chinese entry must say where the quote comes from"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_links_point_at_existing_anchors(language: str) -> None:
    problems = []
    for anchor, (_, body) in (EN if language == "en" else ZH).items():
        for link in LINK_RE.finditer(body):
            target = DOCS / link.group("page").replace(".md", f".{language}.md")
            if not target.is_file():
                problems.append(f"{anchor}: {link.group('page')} does not exist")
            elif link.group("anchor") not in ANCHOR_RE.findall(pages.read(target)):
                problems.append(f"{anchor}: {link.group('page')} has no anchor #{link.group('anchor')}")
    assert not problems, "\n".join(problems)
