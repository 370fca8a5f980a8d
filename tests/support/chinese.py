"""What Chinese figures, tables and pages may contain: the checks behind test_chinese.py and test_snippets.py.

A Chinese figure or table is written in Chinese. Latin letters are allowed only where a Chinese
technical text keeps them too:

* code: an identifier with ``_``, ``.``, ``(`` or ``=`` in it (``clip_grad_norm_``, ``nn.LSTM``,
  ``max_norm=1``), or anything inside backticks;
* symbols: a single letter (``t``, ``k``, ``N``), math between ``$...$`` or ``\\(...\\)``;
* acronyms and proper names: a word in capitals and digits (``LSTM``, ``GRU``, ``CPU``, ``MSE``), or
  one of :data:`PROPER_NAMES` (``PyTorch``, ``AutoClip``, ``ChnSentiCorp``);
* units: :data:`UNITS` (``s``, ``ms``, ``MB``).

Every other English word (``median``, ``default``, ``no clipping``) is a label that was not
translated.
"""

from __future__ import annotations

import re
from functools import cache

#: Names that stay in Latin letters in Chinese text: libraries, methods, data sets, functions.
PROPER_NAMES = frozenset(
    {
        "PyTorch",
        "Python",
        "AutoClip",
        "AdamW",
        "Adam",
        "ReLU",
        "tanh",
        "sigmoid",
        "softmax",
        "dropout",
        "ChnSentiCorp",
        "AirPassengers",
        "ETTh1",
        "ETTh2",
        "ETTm1",
        "ETTm2",
        "Informer",
        "Autoformer",
        "DLinear",
        "PatchTST",
        "SegRNN",
        "oneDNN",
        "cuDNN",
        "NumPy",
        "Keras",
        "Transformer",
        "Elman",
        "Cho",
        "et",
        "al",
        "ms",
        "Jozefowicz",
        "Seetharaman",
        "Brock",
        "Pascanu",
        "Mikolov",
        "Bengio",
        "Hochreiter",
        "Schmidhuber",
        "Loshchilov",
        "Hutter",
        "gloo",
        "jieba",
        "torchtext",
    }
)
#: Names from the code that a Chinese figure shows as they are: variables, values.
CODE_NAMES = frozenset(
    {"output", "input", "nan", "inf", "None", "True", "False", "sum", "mean", "detach", "rank", "id"}
    | {"float16", "bfloat16", "float32", "float64", "int8", "qint8", "int32", "int64"}
)
#: Units that Chinese text writes in Latin letters.
UNITS = frozenset({"s", "ms", "us", "ns", "B", "KB", "MB", "GB", "KiB", "MiB", "GiB", "x"})

_MATH = re.compile(r"\$[^$]*\$|\\\(.*?\\\)|\\\[.*?\\\]", re.S)
_CODE_SPAN = re.compile(r"`[^`]*`")
#: A chunk of code: ``max_norm``, ``nn.LSTM``, ``lr=0.01``, ``f(x)``.
_CODE = re.compile(r"\w_|_\w|[A-Za-z]\.[A-Za-z]|\w\(|\w=")
_SEPARATORS = re.compile(r"[\s\u3000-\u303f\uff00-\uffef,;:!?/|<>\"“”‘’]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]*[A-Z0-9]s?")
_MIXED_CASE = re.compile(r"[a-z][A-Z]|[A-Z]{2,}[a-z]")
CJK = re.compile("[\u4e00-\u9fff]")


def english_words(text: str) -> list[str]:
    """The English words of ``text`` that are neither code, symbols, acronyms, proper names nor units."""
    text = _CODE_SPAN.sub(" ", _MATH.sub(" ", text))
    text = re.sub(r"\]\([^)]*\)", "]", text)  # the target of a Markdown link
    text = re.sub(r"\{\s*[#.][^}]*\}", " ", text)  # an attribute list: { #anchor }, { .class }
    # The English term in brackets after the Chinese one that introduces it: 全规约（all-reduce）
    text = re.sub(r"(?<=[\u4e00-\u9fff])（[^）\u4e00-\u9fff]*[A-Za-z][^）]*）", " ", text)
    words = []
    for chunk in _SEPARATORS.split(text):
        if _CODE.search(chunk):
            continue
        for word in _WORD.findall(chunk):
            if (
                len(word) == 1
                or word in PROPER_NAMES | UNITS | CODE_NAMES
                or _ACRONYM.fullmatch(word)
                or _MIXED_CASE.search(word)  # a name or an identifier: PyTorch, LSTMCell, ChnSentiCorp
            ):
                continue
            words.append(word)
    return words


@cache
def _label_patterns(version: int) -> list[re.Pattern[str]]:
    from rnn_guide.plotting.style import LABELS

    patterns = []
    for texts in LABELS.values():
        pieces = re.split(r"(\{[^{}]*\})", texts["zh"])
        body = "".join(".+?" if p.startswith("{") and p.endswith("}") else re.escape(p) for p in pieces)
        patterns.append(re.compile(body, re.S))
    return patterns


def from_label_table(text: str) -> bool:
    """Whether ``text`` is the Chinese text of a label of ``rnn_guide.plotting.style.LABELS``."""
    from rnn_guide.plotting.style import LABELS

    return any(p.fullmatch(text) for p in _label_patterns(len(LABELS)))


def needs_a_label(text: str) -> bool:
    """Whether a figure text is words (Chinese, or English that is not code or a name), not a number or symbol."""
    return bool(CJK.search(text) or english_words(text))
