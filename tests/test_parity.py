"""The English and Chinese sites match: same pages, same code, same anchors.

Translations translate prose only. Code is never translated: both languages include
the same snippet sections in the same order, and notebook pages have identical code
cells. Headings carry explicit anchors (``## Title { #anchor }``) that are identical in
both languages, so the language switch lands on the same section.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support import pages
from support.paths import DOCS, LANGUAGES, ROOT

ALL_PAGES = pages.pages()
BASES = sorted({pages.base_name(p) for p in ALL_PAGES})


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _pair(base: str) -> dict[str, Path]:
    stem = base[: -len(".md")]
    return {language: DOCS / f"{stem}.{language}.md" for language in LANGUAGES}


def test_every_page_has_a_language_suffix() -> None:
    bare = [_rel(p) for p in ALL_PAGES if pages.language_of(p) is None]
    assert not bare, f"pages must be named page.en.md / page.zh.md: {bare}"


@pytest.mark.parametrize("base", BASES)
def test_page_exists_in_every_language(base: str) -> None:
    missing = [_rel(p) for p in _pair(base).values() if not p.exists()]
    assert not missing, f"{base} is missing in: {missing}"


@pytest.mark.parametrize("base", BASES)
def test_same_includes_in_the_same_order(base: str) -> None:
    pair = _pair(base)
    if not all(p.exists() for p in pair.values()):
        pytest.skip("reported by test_page_exists_in_every_language")
    en, zh = ([_neutral(t, lang) for t in pages.includes(pair[lang])] for lang in LANGUAGES)
    assert en == zh, f"{base}: includes differ\n  en: {en}\n  zh: {zh}"


def _neutral(target: str, language: str) -> str:
    """An include target with its language marker replaced: a section or output named
    ``table-en`` on the English page pairs with ``table-zh`` on the Chinese page."""
    import re

    return re.sub(rf"-{language}(?=$|[.\"'\s])", "-LANG", target)


@pytest.mark.parametrize("base", BASES)
def test_same_code_blocks(base: str) -> None:
    pair = _pair(base)
    if not all(p.exists() for p in pair.values()):
        pytest.skip("reported by test_page_exists_in_every_language")
    en, zh = (
        [
            (f.language, _neutral("\n".join(f.body), lang))
            for f in pages.fences(pair[lang])
            if f.language != "text" or f.includes
        ]
        for lang in LANGUAGES
    )
    assert en == zh, f"{base}: the code blocks differ between languages: {_first_difference({'en': en, 'zh': zh})}"


@pytest.mark.parametrize("base", BASES)
def test_same_heading_anchors(base: str) -> None:
    pair = _pair(base)
    if not all(p.exists() for p in pair.values()):
        pytest.skip("reported by test_page_exists_in_every_language")
    notebook = pages.is_notebook(pair["en"])
    anchors = {}
    for language, page in pair.items():
        found = pages.headings(page)
        unanchored = [text for level, text, anchor in found if anchor is None and level > 1 and not notebook]
        assert not unanchored, f"{_rel(page)}: headings without an explicit {{ #anchor }}: {unanchored}"
        anchors[language] = [(level, anchor) for level, _, anchor in found]
    assert anchors["en"] == anchors["zh"], f"{base}: heading levels or anchors differ: {_first_difference(anchors)}"
    every = {language: pages.attribute_anchors(page) for language, page in pair.items()}
    assert every["en"] == every["zh"], (
        f"{base}: the {{ #anchor }}s (headings, table rows, figures) differ: {_first_difference(every)}"
    )


def _first_difference(by_language: dict[str, list]) -> str:
    en, zh = by_language["en"], by_language["zh"]
    for index, (a, b) in enumerate(zip(en, zh, strict=False)):
        if a != b:
            return f"item {index}: en {a!r} vs zh {b!r}"
    return f"en has {len(en)} items, zh has {len(zh)}; the extra ones: {en[len(zh) :] or zh[len(en) :]}"


@pytest.mark.parametrize("base", [b for b in BASES if all(p.exists() for p in _pair(b).values())])
def test_notebook_code_cells_identical(base: str) -> None:
    pair = _pair(base)
    kinds = {lang: pages.is_notebook(p) for lang, p in pair.items()}
    assert len(set(kinds.values())) == 1, f"{base}: a notebook in one language only: {kinds}"
    if not kinds["en"]:
        return
    en, zh = (pages.notebook_code_cells(pair[lang]) for lang in LANGUAGES)
    assert en == zh, f"{base}: notebook code cells differ between languages: {_first_difference({'en': en, 'zh': zh})}"


@pytest.mark.parametrize("base", [b for b in BASES if all(p.exists() for p in _pair(b).values())])
def test_same_figures_in_each_language(base: str) -> None:
    """A page shows the same figures in both languages (the file name differs only by language)."""
    pair = _pair(base)
    figures = {}
    for language, page in pair.items():
        urls = [m.group("url") for m in pages.MARKDOWN_IMAGE_RE.finditer(pages.read(page))]
        figures[language] = [u.replace(f"-{language}.", "-LANG.") for u in urls]
    assert figures["en"] == figures["zh"], f"{base}: figures differ: {figures}"


def test_glossary_in_both_languages() -> None:
    for language in LANGUAGES:
        assert (DOCS / f"glossary.{language}.md").exists(), f"glossary.{language}.md is missing"


CJK = "[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"


@pytest.mark.parametrize("page", [p for p in ALL_PAGES if pages.language_of(p) == "zh"], ids=_rel)
def test_chinese_paragraphs_are_not_hard_wrapped(page: Path) -> None:
    """A line break between two Chinese characters shows as a stray space in the browser."""
    import re

    text = pages.read(page)
    for fence in pages.fences(page):
        text = text.replace("\n".join(fence.body), "")
    breaks = re.findall(rf"{CJK}\n[ \t]*{CJK}", text)
    assert not breaks, (
        f"{_rel(page)}: join these lines (a break between Chinese characters renders as a space): {breaks}"
    )
