"""The bilingual site builds with --strict, and what it serves keeps the site's promises.

The notebook pages show the committed outputs of their last full run (tests/test_notebooks.py re-executes them
and compares). The built pages must exist in
both languages, reference no third-party host for anything the browser fetches, and
contain neither "Glyph missing" warnings nor raw notebook JSON.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import pages
from support.paths import LANGUAGES, ROOT
from support.site import Build

pytestmark = pytest.mark.site

# The `build` fixture (one strict bilingual build per session) lives in conftest.py.
SCRIPT_RE = re.compile(r"<script\b[^>]*>(?P<body>.*?)</script>", re.S | re.I)
URL_IN_SCRIPT_RE = re.compile(r"""(?:import\(|fetch\(|src\s*=\s*|["'])(?P<url>https?://[^"'\s)]+)""")


def test_every_page_is_built_in_both_languages(build: Build) -> None:
    missing = []
    for page in pages.pages():
        if pages.language_of(page) != "en":
            continue
        stem = pages.base_name(page)[: -len(".md")]
        rel = "" if stem == "index" else (stem[: -len("/index")] if stem.endswith("/index") else stem) + "/"
        for language in LANGUAGES:
            prefix = "" if language == "en" else f"{language}/"
            target = build.site / prefix / rel / "index.html"
            if not target.is_file():
                missing.append(str(target.relative_to(build.site)))
            elif language == "zh" and 'lang="zh"' not in target.read_text(encoding="utf-8")[:2000]:
                missing.append(f"{target.relative_to(build.site)} (not marked lang=zh)")
    assert not missing, f"pages missing from the built site: {missing}"


def test_no_built_page_requests_a_third_party_host(build: Build) -> None:
    problems = []
    for path in build.html_files():
        text = path.read_text(encoding="utf-8")
        found = pages.external_resources(text)
        for script in SCRIPT_RE.finditer(text):
            found += [m.group("url") for m in URL_IN_SCRIPT_RE.finditer(script.group("body"))]
        if found:
            problems.append(f"{path.relative_to(build.site)}: {sorted(set(found))[:5]}")
    for path in sorted(build.site.rglob("*.css")):
        found = pages.external_resources(path.read_text(encoding="utf-8", errors="replace"))
        if found:
            problems.append(f"{path.relative_to(build.site)}: {found[:5]}")
    assert not problems, "built pages fetch from other hosts:\n" + "\n".join(problems)


def test_no_glyph_warnings_or_raw_notebook_json(build: Build) -> None:
    problems = []
    for path in build.html_files():
        text = path.read_text(encoding="utf-8")
        if re.search(r"Glyph \d+ .{0,80}missing from font", text):
            problems.append(f"{path.relative_to(build.site)}: a 'Glyph missing' warning (CJK font not used)")
        if '"cell_type":' in text or '"nbformat":' in text:
            problems.append(f"{path.relative_to(build.site)}: raw notebook JSON instead of a rendered notebook")
    assert not problems, "\n".join(problems)


def _built_page(build: Build, page: Path) -> Path:
    language = pages.language_of(page)
    stem = pages.base_name(page)[: -len(".md")]
    stem = "" if stem == "index" else stem[: -len("index")] if stem.endswith("/index") else stem + "/"
    prefix = "" if language == "en" else f"{language}/"
    return build.site / prefix / stem / "index.html"


def test_every_rendered_code_block_is_one_the_suite_checks(build: Build) -> None:
    """Each code block a reader sees comes from a fence that the page checks accounted for.

    Catches code that Markdown renders from forms the fence parser never sees (indented
    code blocks, raw HTML, unusual nesting). Notebook pages are checked cell by cell in
    test_notebooks.py; the API page's blocks are signatures generated from the package.
    """
    problems = []
    for page in pages.pages():
        if pages.is_notebook(page) or pages.base_name(page) == "api.md":
            continue
        html = _built_page(build, page).read_text(encoding="utf-8")
        article = html.split('<article class="md-content__inner md-typeset">', 1)[-1].split("</article>", 1)[0]
        rendered = len(re.findall(r"<pre\b", article))
        expected = len(pages.fences(page))
        if rendered != expected:
            problems.append(
                f"{page.relative_to(ROOT)}: {rendered} code blocks on the page, {expected} fences in the source"
            )
    assert not problems, "code shown on pages that the suite does not check:\n" + "\n".join(problems)


def test_own_scripts_make_no_requests(build: Build) -> None:
    for script in sorted((ROOT / "docs" / "assets" / "javascripts").glob("*.js")):
        text = script.read_text(encoding="utf-8")
        found = re.findall(
            r"(?:fetch|import|XMLHttpRequest|sendBeacon|WebSocket|EventSource)\s*\(?[^;]*https?://", text
        )
        found += re.findall(r"https?://[^\s\"')]+", text)
        assert not found, f"{script.relative_to(ROOT)} refers to another host: {found}"


def test_notebook_pages_are_rendered_and_executed(build: Build) -> None:
    for page in pages.pages():
        if not pages.is_notebook(page):
            continue
        html = _built_page(build, page).read_text(encoding="utf-8")
        assert "jp-OutputArea" in html, f"{page.name}: no executed outputs in the built page"
        assert "data:image/png;base64" in html, f"{page.name}: the notebook's figure is missing"


def test_math_is_rendered_by_the_vendored_katex(build: Build) -> None:
    page = (build.site / "rnn-in-five-minutes" / "index.html").read_text(encoding="utf-8")
    assert 'class="arithmatex"' in page, "the equations were not marked for the math renderer"
    for asset in ("katex.min.js", "katex.min.css", "auto-render.min.js"):
        assert f"assets/vendor/katex/{asset}" in page
        assert (build.site / "assets" / "vendor" / "katex" / asset).is_file()
    assert len(list((build.site / "assets" / "vendor" / "katex" / "fonts").glob("*.woff2"))) == 20


def test_search_index_holds_chinese_words(build: Build) -> None:
    import json

    index = json.loads((build.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    config = index["config"]
    assert "\\u200b" in config["separator"] or "\u200b" in config["separator"], (
        "the search separator must split on U+200B or Chinese words are never found"
    )
    zh_text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("zh/"))
    en_text = " ".join(doc["text"] for doc in index["docs"] if not doc["location"].startswith("zh/"))
    zh_tokens = set(re.split(config["separator"], zh_text))
    for term in ("隐状态", "循环神经网络", "时间步"):
        assert term in zh_tokens, f"{term} is not a search token of the Chinese pages: search for it finds nothing"
    assert "hidden" in set(re.split(config["separator"], en_text.lower()))


def test_jieba_dictionary_covers_the_glossary() -> None:
    dictionary = {line.split()[0] for line in (ROOT / "hooks" / "jieba_user_dict.txt").read_text("utf-8").splitlines()}
    glossary = (ROOT / "docs" / "glossary.zh.md").read_text(encoding="utf-8")
    terms = re.findall(r"^\| ([^|{（]+?)(?:（[^）]*）)? \{ #", glossary, re.M)
    assert terms, "no terms found in the Chinese glossary"
    words = [word for term in terms for word in re.findall(r"[\u4e00-\u9fff]+", term)]
    missing = [word for word in words if word not in dictionary]
    assert not missing, f"glossary terms missing from hooks/jieba_user_dict.txt (search would split them): {missing}"


def test_docstring_roles_are_rendered_on_the_api_page(build: Build) -> None:
    """No Sphinx role (``:math:``, ``:class:``, ``.. math::``) is left as text on the API reference: math is
    handed to KaTeX, references are code linked to their entry."""
    for prefix in ("", "zh/"):
        html = (build.site / prefix / "api" / "index.html").read_text(encoding="utf-8")
        text = re.sub(r"<[^>]+>", "", html)
        left = sorted(set(re.findall(r":(?:math|class|func|meth|attr|mod|data|exc):\w*|\.\. math::", text)))
        assert not left, f"/{prefix}api/ shows docstring roles as text: {left}"
        assert html.count('class="arithmatex"') > 50
        assert '<a href="#rnn_guide.gradients.gradient_norms_through_time"><code>' in html
