"""Chinese pages read as Chinese: no italics on Chinese text, no untranslated words in tables.

Chinese fonts have no italic face: a browser slants the glyphs artificially, which reads badly.
Chinese pages emphasise with bold. A table on a Chinese page (written in the page, or a generated
table included from a snippet's output) carries no English word that is not code, a symbol, a unit or a
proper name (see ``support/chinese.py``); a column headed "English" (the glossary's) is exempt.
The checks on figures are in test_snippets.py, which runs the snippets that draw them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import chinese, pages
from support.paths import ROOT

CHINESE_PAGES = [p for p in pages.pages() if p.name.endswith(".zh.md")]

_FENCE = re.compile(r"^(\s*)(`{3,}|~{3,}).*?^\1\2\s*$", re.M | re.S)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_MATH = re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]|\$\$.*?\$\$", re.S)
#: ``*text*`` (not ``**text**``, not a list bullet ``* item``), and HTML italics.
_ITALIC = re.compile(r"(?<![*\\])\*(?![*\s])([^*\n]+?)(?<![*\s\\])\*(?!\*)|<(?:em|i)>(.*?)</(?:em|i)>", re.S)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _prose(text: str) -> str:
    """The text of a page without code blocks, code spans and math."""
    return _CODE_SPAN.sub(" ", _MATH.sub(" ", _FENCE.sub(" ", text)))


def italic_chinese(text: str) -> list[str]:
    """The italic spans of Markdown ``text`` that contain Chinese characters."""
    return [m.group(0) for m in _ITALIC.finditer(_prose(text)) if chinese.CJK.search(m.group(0))]


def table_words(lines: list[str]) -> list[tuple[str, list[str]]]:
    """``(row, English words)`` for each row of the Markdown tables in ``lines`` that has such words."""
    found = []
    exempt: set[int] = set()
    for line in lines:
        if not line.lstrip().startswith("|"):
            exempt = set()
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not exempt and any(c in {"English", "英文"} for c in cells):
            exempt = {i for i, c in enumerate(cells) if c in {"English", "英文"}} | {-1}
            continue
        words = [w for i, c in enumerate(cells) if i not in exempt for w in chinese.english_words(c)]
        if words:
            found.append((line.strip(), words))
    return found


@pytest.mark.parametrize("page", CHINESE_PAGES, ids=_rel)
def test_no_italics_on_chinese_text(page: Path) -> None:
    found = italic_chinese(pages.read(page))
    assert not found, f"{_rel(page)}: Chinese fonts have no italics, use **bold** instead: {found}"


@pytest.mark.parametrize("page", CHINESE_PAGES, ids=_rel)
def test_chinese_tables_carry_no_english_words(page: Path) -> None:
    text = _FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), pages.read(page))
    rows = table_words(text.splitlines())
    for target in pages.includes(page):
        path, section = pages.resolve_include(target)
        if section is None and path.suffix == ".txt" and path.is_file():  # a generated table
            rows += table_words(path.read_text(encoding="utf-8").splitlines())
    problems = [f"{row}\n    English: {words}" for row, words in rows]
    assert not problems, f"{_rel(page)}: untranslated words in tables:\n" + "\n".join(problems)


def test_the_checks_catch_what_they_are_for() -> None:
    assert italic_chinese("梯度*不会*消失") == ["*不会*"]
    assert italic_chinese("一个列表：\n\n* 第一项\n* 第二项\n") == []
    assert italic_chinese("**加粗** 和 `a*b*c` 和 \\(a*b*c\\)") == []
    assert italic_chinese("<em>斜体</em>") == ["<em>斜体</em>"]
    assert table_words(["| 设置 | 准确率 |", "|---|---|", "| no clipping | 80% |"]) == [
        ("| no clipping | 80% |", ["no", "clipping"])
    ]
    assert table_words(["| 中文 | English |", "|---|---|", "| 隐状态 | hidden state |"]) == []
    assert table_words(["| `nn.LSTM` | LSTM、GRU | 1.5 s |"]) == []


def test_chinese_labels_use_full_width_brackets_around_chinese() -> None:
    """「测试集准确率（%）」, not 「测试集准确率 (%)」: ASCII brackets are for code and shapes only."""
    import importlib
    import pkgutil

    import rnn_guide.plotting
    from rnn_guide.plotting.style import LABELS

    for module in pkgutil.iter_modules(rnn_guide.plotting.__path__):
        importlib.import_module(f"rnn_guide.plotting.{module.name}")
    bad = {
        key: texts["zh"]
        for key, texts in LABELS.items()
        if re.search(r"\([^()$]*[\u4e00-\u9fff][^()$]*\)", re.sub(r"\$[^$]*\$", "", texts["zh"]))
    }
    assert not bad, f"Chinese labels with ASCII brackets around Chinese text: {bad}"
