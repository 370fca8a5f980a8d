"""Tokenisers for English and Chinese text.

* :func:`tokenize_en` — lower-cases, removes the HTML line breaks (``<br />``) that IMDB reviews carry, and
  splits into words (with inner apostrophes kept: ``don't``) and single punctuation marks.
* :func:`tokenize_zh` — one token per Chinese character (the default, needs nothing extra), or one token per
  word with `jieba <https://github.com/fxsjy/jieba>`_ (``mode="word"``, imported only when used). Runs of
  Latin letters or digits inside Chinese text stay one token either way (``"15寸"`` → ``["15", "寸"]``).
* :class:`Tokenizer` — a small, picklable description of which of the two to use (``language`` and
  ``zh_mode``), stored inside classifier checkpoints so that a loaded model tokenises exactly as it was
  trained.

A text with no tokens (an empty string, only spaces, only ``<br />``) gives an empty list; what a model does
with it is decided where the tokens are encoded (see :func:`rnn_guide.text.vocab.encode`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rnn_guide._validation import check_choice, describe

__all__ = ["LANGUAGES", "ZH_MODES", "Tokenizer", "tokenize_en", "tokenize_zh"]

LANGUAGES: tuple[str, ...] = ("en", "zh")
ZH_MODES: tuple[str, ...] = ("char", "word")

_HTML_BREAK = re.compile(r"<\s*br\s*/?\s*>", re.IGNORECASE)
# A word: letters or digits, optionally joined by inner apostrophes (don't, o'neil); or one punctuation mark.
_EN_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]|_")
# Chinese: one CJK character, a run of other letters/digits, or one punctuation mark.
_CJK = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK unified ideographs (+ extension A, compatibility)
    "\U00020000-\U0002ffff"  # extensions B-F
)
_ZH_TOKEN = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+|[^\w\s]|_")


def _check_text(name: str, text: Any) -> None:
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a str, got {describe(text)}")


def tokenize_en(text: str) -> list[str]:
    """Split English text into lower-case words and punctuation marks.

    Args:
        text: the raw text. HTML line breaks (``<br />``, ``<br>``) are replaced by spaces.

    Returns:
        The tokens, in order; an empty list for a text without any.

    Raises:
        TypeError: if ``text`` is not a ``str``.

    Example::

        >>> tokenize_en("A <br /><br />GREAT film, isn't it?")
        ['a', 'great', 'film', ',', "isn't", 'it', '?']
    """
    _check_text("text", text)
    text = _HTML_BREAK.sub(" ", text).lower()
    return _EN_TOKEN.findall(text)


def tokenize_zh(text: str, mode: str = "char") -> list[str]:
    """Split Chinese text into characters (``mode="char"``) or jieba words (``mode="word"``).

    Whitespace is dropped, Latin letters are lower-cased, and a run of Latin letters or digits is one token in
    both modes.

    Args:
        text: the raw text.
        mode: ``"char"`` (one token per Chinese character) or ``"word"`` (jieba's precise mode; jieba is
            imported the first time it is needed).

    Returns:
        The tokens, in order; an empty list for a text without any.

    Raises:
        TypeError: if ``text`` is not a ``str``.
        ValueError: if ``mode`` is not ``"char"`` or ``"word"``.
        ModuleNotFoundError: for ``mode="word"`` when jieba is not installed (``pip install jieba``).

    Example::

        >>> tokenize_zh("这部电影很好看！")
        ['这', '部', '电', '影', '很', '好', '看', '！']
    """
    _check_text("text", text)
    check_choice("mode", mode, ZH_MODES)
    text = _HTML_BREAK.sub(" ", text).lower()
    if mode == "char":
        return _ZH_TOKEN.findall(text)
    jieba = _import_jieba()
    tokens: list[str] = []
    for word in jieba.lcut(text):
        word = word.strip()
        if word:
            tokens.extend(_split_mixed(word))
    return tokens


def _split_mixed(word: str) -> list[str]:
    """Keep a jieba word whole unless it mixes punctuation with other characters."""
    if re.fullmatch(rf"[{_CJK}]+|[^\W_{_CJK}]+", word):
        return [word]
    return _ZH_TOKEN.findall(word)


def _import_jieba() -> Any:
    try:
        import jieba
    except ModuleNotFoundError as error:  # pragma: no cover - depends on the environment
        raise ModuleNotFoundError(
            "tokenize_zh(mode='word') needs jieba: pip install jieba (or use mode='char')"
        ) from error
    jieba.setLogLevel(60)  # silence "Building prefix dict ..." on first use
    return jieba


@dataclass(frozen=True)
class Tokenizer:
    """A picklable choice of tokeniser: ``Tokenizer("en")``, ``Tokenizer("zh")``, ``Tokenizer("zh", "word")``.

    Calling it tokenises one text. :meth:`to_dict` and :meth:`from_dict` store it in a checkpoint as plain
    strings.

    Args:
        language: ``"en"`` (:func:`tokenize_en`) or ``"zh"`` (:func:`tokenize_zh`).
        zh_mode: ``"char"`` or ``"word"``; used only for ``language="zh"``.

    Raises:
        ValueError: for an unknown ``language`` or ``zh_mode``.
    """

    language: str = "en"
    zh_mode: str = "char"

    def __post_init__(self) -> None:
        check_choice("language", self.language, LANGUAGES)
        check_choice("zh_mode", self.zh_mode, ZH_MODES)

    def __call__(self, text: str) -> list[str]:
        """Tokenise one text (see :func:`tokenize_en` and :func:`tokenize_zh`)."""
        if self.language == "en":
            return tokenize_en(text)
        return tokenize_zh(text, self.zh_mode)

    def to_dict(self) -> dict[str, str]:
        """The settings as a dict of strings, for checkpoints."""
        return {"language": self.language, "zh_mode": self.zh_mode}

    @classmethod
    def from_dict(cls, state: dict[str, str]) -> Tokenizer:
        """Rebuild a tokeniser from :meth:`to_dict`'s output.

        Raises:
            TypeError: if ``state`` is not a dict.
            ValueError: if it lacks ``"language"`` or holds an unknown setting.
        """
        if not isinstance(state, dict):
            raise TypeError(f"state must be a dict from Tokenizer.to_dict(), got {describe(state)}")
        if "language" not in state:
            raise ValueError(f"state must have a 'language' key, got keys {sorted(state)}")
        return cls(language=state["language"], zh_mode=state.get("zh_mode", "char"))
