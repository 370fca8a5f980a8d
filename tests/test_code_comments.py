"""Chinese pages show the snippets' code comments in Chinese, and the same program as English pages.

``hooks/code_comments.py`` replaces the text of each comment in the rendered code of a Chinese page with its
entry in ``snippets/comments.zh.toml``. The snippet files stay the one source of the code: these tests render
every section a Chinese page includes, as the site does, and check that every comment has a translation, that
every translation is used, and that the translated code is the English code once comments are set aside.
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest
from support import code_comments
from support.chinese import english_words
from support.code_comments import hook

RENDERED = code_comments.rendered_includes()


def _table() -> dict[str, str]:
    return hook.load_table()


def _untranslated(rendered: dict[str, str], table: dict[str, str]) -> dict[str, list[str]]:
    """Include target → the comments of its section that need a translation and have none."""
    found = {}
    for target, html in rendered.items():
        missing = [c for c in hook.comments(html) if hook.needs_translation(c) and c not in table]
        if missing:
            found[target] = missing
    return found


def _program(source: str) -> list[tuple[int, str]]:
    """The tokens of a Python program, without comments and without the line breaks that only comments make."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [(t.type, t.string) for t in tokens if t.type not in {tokenize.COMMENT, tokenize.NL}]


def test_chinese_pages_include_code_with_comments() -> None:
    assert len(RENDERED) > 100
    assert sum(len(hook.comments(html)) for html in RENDERED.values()) > 500


def test_every_comment_on_a_chinese_page_has_a_translation() -> None:
    missing = _untranslated(RENDERED, _table())
    assert not missing, (
        f"code comments that Chinese pages show in English; add them to {hook.TABLE.name} "
        f"(key: the English text after '# ', value: the Chinese text): {missing}"
    )


def test_every_translation_is_used() -> None:
    shown = {c for html in RENDERED.values() for c in hook.comments(html)}
    unused = sorted(set(_table()) - shown)
    assert not unused, f"{hook.TABLE.name} translates comments no Chinese page shows (changed or removed?): {unused}"


#: Comments that are code, a tool's directive or a command, shown as they are on both pages.
KEPT_AS_THEY_ARE = {
    "fmt: skip",
    "= torchrun",
    "bigru = nn.GRU(4, 3, bidirectional=True)",
    "projected = nn.LSTM(4, 6, proj_size=2)",
    "(N, L + future, 1)",
    "benchmarks/packing_backward.py",
}


def test_translations_are_chinese() -> None:
    """An entry may keep a comment that is a shape, a name or a quoted message; English prose is translated."""
    kept = [
        english
        for english, chinese in _table().items()
        if chinese == english and english not in KEPT_AS_THEY_ARE and english_words(re.sub(r'"[^"]*"', " ", english))
    ]
    assert not kept, f"{hook.TABLE.name}: English prose kept as the Chinese text: {kept}"


@pytest.mark.parametrize("target", sorted(RENDERED))
def test_the_translated_code_is_the_english_code(target: str) -> None:
    """The one-program proof: only comment text differs, in the HTML and in the Python a reader copies."""
    english = RENDERED[target]
    chinese, missing = hook.translate(english, _table())
    assert not missing
    assert code_comments.without_comments(chinese) == code_comments.without_comments(english)
    if target.partition(":")[0].endswith(".py"):
        english_code, chinese_code = code_comments.code_text(english), code_comments.code_text(chinese)
        assert _program(chinese_code) == _program(english_code)
        assert any(hook.CJK.search(c) for c in hook.comments(chinese)) or not any(
            hook.needs_translation(c) and _table()[c] != c for c in hook.comments(english)
        )


SAMPLE = code_comments.render("layers/lstm.py:tensors", "python")


def test_comments_are_translated_and_code_and_strings_are_not() -> None:
    sample = (
        '<div class="highlight"><pre><span></span><code>'
        '<span class="n">x</span> <span class="o">=</span> <span class="s2">"# the batch size only"</span>'
        '  <span class="c1"># the batch size only</span>\n'
        '<span class="c1">#   the batch size only  </span>\n'
        '<span class="c1"># (N, L) &amp; &lt;more&gt;</span>\n'
        "</code></pre></div>"
        "<p>Prose: <code># the batch size only</code></p>"
    )
    table = {"the batch size only": "只有批量大小是动态的", "(N, L) & <more>": "(N, L) 与 <更多>"}
    translated, missing = hook.translate(sample, table)
    assert not missing
    assert '<span class="s2">"# the batch size only"</span>' in translated
    assert '<span class="c1"># 只有批量大小是动态的</span>' in translated
    assert '<span class="c1">#   只有批量大小是动态的  </span>' in translated
    assert '<span class="c1"># (N, L) 与 &lt;更多&gt;</span>' in translated
    assert "<p>Prose: <code># the batch size only</code></p>" in translated


def test_a_comment_without_translation_is_reported_and_left_as_it_is() -> None:
    translated, missing = hook.translate(SAMPLE, {})
    assert translated == SAMPLE
    assert "h_0 and c_0 default to zeros" in missing


def test_a_planted_untranslated_comment_fails_the_check(tmp_path: Path) -> None:
    planted = dict(RENDERED)
    planted["planted.py:section"] = (
        '<div class="highlight"><pre><span></span><code>'
        '<span class="n">y</span>  <span class="c1"># a comment nobody translated</span>\n'
        "</code></pre></div>"
    )
    assert _untranslated(planted, _table()) == {"planted.py:section": ["a comment nobody translated"]}


def test_english_pages_and_tutorials_are_left_alone() -> None:
    from types import SimpleNamespace

    def page(locale: str, src_uri: str) -> SimpleNamespace:
        return SimpleNamespace(file=SimpleNamespace(locale=locale, src_uri=src_uri))

    assert hook.on_page_content(SAMPLE, page("en", "layers/lstm.en.md"), None, None) == SAMPLE
    assert hook.on_page_content(SAMPLE, page("zh", "tutorials/sentiment.zh.md"), None, None) == SAMPLE
    chinese = hook.on_page_content(SAMPLE, page("zh", "layers/lstm.zh.md"), None, None)
    assert "h_0 和 c_0 默认为零" in chinese


def test_a_bad_table_entry_is_an_error(tmp_path: Path) -> None:
    table = tmp_path / "comments.zh.toml"
    table.write_text('"the batch size only" = ""\n', encoding="utf-8")
    with pytest.raises(ValueError, match="non-empty"):
        hook.load_table(table)
