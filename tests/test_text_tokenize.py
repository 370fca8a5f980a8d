"""Tests of rnn_guide.text.tokenize: English and Chinese tokenisers and the Tokenizer settings object."""

from __future__ import annotations

import pickle

import pytest

from rnn_guide.text.tokenize import Tokenizer, tokenize_en, tokenize_zh


def test_english_lower_cases_and_splits_words_from_punctuation() -> None:
    assert tokenize_en("A GREAT film, isn't it?") == ["a", "great", "film", ",", "isn't", "it", "?"]


@pytest.mark.parametrize("tag", ["<br />", "<br/>", "<BR>", "<br >"])
def test_english_removes_html_line_breaks(tag: str) -> None:
    assert tokenize_en(f"first line.{tag}{tag}Second line") == ["first", "line", ".", "second", "line"]


def test_english_keeps_numbers_and_splits_every_punctuation_mark() -> None:
    assert tokenize_en("10/10... wow!!") == ["10", "/", "10", ".", ".", ".", "wow", "!", "!"]


@pytest.mark.parametrize("text", ["", "   ", "<br /><br />", "\n\t"])
def test_english_text_without_tokens_gives_empty_list(text: str) -> None:
    assert tokenize_en(text) == []


def test_chinese_by_characters_keeps_latin_runs_together() -> None:
    tokens = tokenize_zh("这台ThinkPad X1很好，15寸！")
    assert tokens == ["这", "台", "thinkpad", "x1", "很", "好", "，", "15", "寸", "！"]


def test_chinese_by_words_uses_jieba() -> None:
    pytest.importorskip("jieba")
    tokens = tokenize_zh("笔记本的键盘确实很好用。", mode="word")
    assert "笔记本" in tokens and "键盘" in tokens and tokens[-1] == "。"
    assert "".join(tokens) == "笔记本的键盘确实很好用。"


def test_chinese_without_tokens_gives_empty_list() -> None:
    assert tokenize_zh("  ") == []
    assert tokenize_zh("") == []


def test_tokenizers_reject_non_strings() -> None:
    with pytest.raises(TypeError, match="text must be a str, got 3"):
        tokenize_en(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="text must be a str"):
        tokenize_zh(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="mode must be one of 'char', 'word', got 'jieba'"):
        tokenize_zh("你好", mode="jieba")


def test_tokenizer_object_dispatches_round_trips_and_pickles() -> None:
    english, chinese = Tokenizer("en"), Tokenizer("zh")
    assert english("Hi!") == ["hi", "!"]
    assert chinese("好！") == ["好", "！"]
    assert Tokenizer.from_dict(chinese.to_dict()) == chinese
    assert pickle.loads(pickle.dumps(english)) == english


def test_tokenizer_object_rejects_unknown_settings() -> None:
    with pytest.raises(ValueError, match="language must be one of 'en', 'zh', got 'fr'"):
        Tokenizer("fr")
    with pytest.raises(ValueError, match="zh_mode must be one of"):
        Tokenizer("zh", "pinyin")
    with pytest.raises(ValueError, match="'language' key"):
        Tokenizer.from_dict({"zh_mode": "char"})
